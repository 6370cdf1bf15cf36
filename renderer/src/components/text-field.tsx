// A labelled form field with its problem or hint, announced with its input (aria-invalid,
// aria-describedby), and the one-line text input most forms need. Shared by every form in the window.
import type { InputHTMLAttributes, ReactNode } from 'react';

export function Field({
  id,
  label,
  error,
  hint,
  note,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** Shown under the problem or hint, not announced with the input (e.g. what is in effect now). */
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {note}
    </div>
  );
}

/** Props for an input whose problems are announced with it. */
export function described(id: string, error: string | undefined, hint: boolean) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/**
 * A labelled one-line text input with its problem or hint; `input` adds attributes (type,
 * inputMode, disabled…). Spell checking is off: these are commands, URLs, ids and names.
 */
export function TextField({
  id,
  label,
  error,
  hint,
  note,
  value,
  onChange,
  input,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  note?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  input?: InputHTMLAttributes<HTMLInputElement> & { 'data-autofocus'?: true | undefined };
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint} note={note}>
      <input
        {...described(id, error, Boolean(hint))}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        {...input}
      />
    </Field>
  );
}
