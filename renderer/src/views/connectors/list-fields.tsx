// The connector form's lists: arguments one per row, in order; environment variables and headers as
// rows of name and value, the value masked unless the user asks to see it. Rows are added and removed
// with buttons; every input is labelled with its row, so a screen reader says which one it is in.
import type { ReactNode } from 'react';
import { blankPair, type PairRow } from './connector-form-model.js';

/** A group of rows with its legend, its problem or hint, and an Add button. */
function RowGroup({
  id,
  legend,
  error,
  hint,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  legend: string;
  error: string | undefined;
  hint: ReactNode;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <fieldset className="row-group" aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend>{legend}</legend>
      {children}
      <button type="button" className="button small" onClick={onAdd}>
        {addLabel}
      </button>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </fieldset>
  );
}

/** The arguments after the command, one per row, exactly as the program receives them. */
export function ArgumentList({
  id,
  args,
  error,
  onChange,
}: {
  id: string;
  args: string[];
  error: string | undefined;
  onChange: (args: string[]) => void;
}) {
  const replace = (index: number, value: string) =>
    onChange(args.map((arg, at) => (at === index ? value : arg)));
  return (
    <RowGroup
      id={id}
      legend="Arguments"
      error={error}
      hint="One per row, passed as written (no quoting needed). Pasting a whole command line into Command splits it for you."
      addLabel="Add argument"
      onAdd={() => onChange([...args, ''])}
    >
      {args.map((arg, index) => (
        <div className="list-row" key={index}>
          <input
            className="mono"
            aria-label={`Argument ${index + 1}`}
            value={arg}
            spellCheck={false}
            onChange={(event) => replace(index, event.target.value)}
          />
          <button
            type="button"
            className="button small"
            aria-label={`Remove argument ${index + 1}`}
            onClick={() => onChange(args.filter((_, at) => at !== index))}
          >
            Remove
          </button>
        </div>
      ))}
    </RowGroup>
  );
}

/** Environment variables or headers: name and value per row; values are secrets, stored encrypted. */
export function PairList({
  id,
  legend,
  noun,
  rows,
  error,
  onChange,
}: {
  id: string;
  legend: string;
  /** "variable", "header": names the row's inputs and buttons. */
  noun: string;
  rows: PairRow[];
  error: string | undefined;
  onChange: (rows: PairRow[]) => void;
}) {
  const update = (index: number, patch: Partial<PairRow>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <RowGroup
      id={id}
      legend={legend}
      error={error}
      hint="Values are stored encrypted. A stored value you leave empty is kept; type a new one to replace it."
      addLabel={`Add ${noun}`}
      onAdd={() => onChange([...rows, blankPair()])}
    >
      {rows.map((row, index) => (
        <div className="pair-row" key={index}>
          <input
            className="mono"
            aria-label={`Name of ${noun} ${index + 1}`}
            placeholder="NAME"
            value={row.name}
            spellCheck={false}
            onChange={(event) => update(index, { name: event.target.value })}
          />
          <input
            className="mono"
            type={row.masked ? 'password' : 'text'}
            aria-label={`Value of ${noun} ${index + 1}`}
            placeholder={row.stored ? 'stored — leave empty to keep' : 'value'}
            value={row.value}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => update(index, { value: event.target.value })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={!row.masked}
              aria-label={`Show value of ${noun} ${index + 1}`}
              onChange={(event) => update(index, { masked: !event.target.checked })}
            />
            Show
          </label>
          <button
            type="button"
            className="button small"
            aria-label={`Remove ${noun} ${index + 1}`}
            onClick={() => onChange(rows.filter((_, at) => at !== index))}
          >
            Remove
          </button>
        </div>
      ))}
    </RowGroup>
  );
}
