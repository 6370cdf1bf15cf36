// One value a catalog server asks for, shaped by what it is: a list of choices, a yes/no, a secret
// (masked, never pre-filled), several values one per line, or a line of text. The label is the name
// the server uses; whether it is required and secret is said in words, not only by a mark.
import type { CatalogInputView } from '@core/api/catalog-contract.js';

const KIND_TEXT: Record<CatalogInputView['kind'], string> = {
  environment: 'environment variable',
  header: 'header',
  argument: 'argument',
  variable: 'value',
};

export function CatalogInputField({
  input,
  fieldId,
  value,
  error,
  onChange,
}: {
  input: CatalogInputView;
  fieldId: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const traits = [
    input.required ? 'required' : 'optional',
    KIND_TEXT[input.kind],
    ...(input.secret ? ['secret'] : []),
  ];
  const hint = [
    input.description === null
      ? null
      : /[.!?]$/.test(input.description)
        ? input.description
        : `${input.description}.`,
    input.secret ? 'Stored encrypted; clients never see it.' : null,
    input.repeated ? 'One value per line.' : null,
    input.default !== null && input.secret ? `Leave empty for the default.` : null,
  ]
    .filter(Boolean)
    .join(' ');

  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  const described = {
    id: fieldId,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined,
    'aria-required': input.required ? true : undefined,
  } as const;
  // The problem (when there is one) and the hint, each found by the control's aria-describedby.
  const notes = (
    <>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </>
  );
  if (input.format === 'boolean' && input.choices === null) {
    return (
      <div className="field catalog-input">
        <label className="checkbox">
          <input
            type="checkbox"
            {...described}
            checked={value === 'true'}
            onChange={(event) => onChange(event.target.checked ? 'true' : 'false')}
          />
          <span>
            <span className="mono">{input.name}</span> <span className="muted">({traits.join(', ')})</span>
          </span>
        </label>
        {notes}
      </div>
    );
  }

  let control;
  if (input.choices !== null) {
    control = (
      <select {...described} value={value} onChange={(event) => onChange(event.target.value)}>
        {input.required && input.default === null ? <option value="">Choose…</option> : null}
        {!input.required ? <option value="">(none)</option> : null}
        {input.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  } else if (input.repeated && !input.secret) {
    control = (
      <textarea
        {...described}
        className="mono"
        rows={3}
        value={value}
        placeholder={input.placeholder ?? undefined}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
      />
    );
  } else {
    control = (
      <input
        {...described}
        type={input.secret ? 'password' : 'text'}
        inputMode={input.format === 'number' ? 'decimal' : undefined}
        autoComplete="off"
        value={value}
        placeholder={input.placeholder ?? (input.secret ? undefined : (input.default ?? undefined))}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
      />
    );
  }
  return (
    <div className="field catalog-input">
      <label htmlFor={fieldId}>
        <span className="mono">{input.name}</span> <span className="muted">({traits.join(', ')})</span>
      </label>
      {control}
      {notes}
    </div>
  );
}
