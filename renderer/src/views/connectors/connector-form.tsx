// Add or edit a connector: a local program (stdio) or a remote server (HTTP, with no auth, a bearer
// token, or OAuth). Problems show beside their field before anything is sent; the engine's own error,
// if it still refuses, shows verbatim above the buttons.
import { useId, useState, type FormEvent } from 'react';
import type { ConnectorView } from '@core/api/contract.js';
import { useConnectors, useStores } from '../../app/stores-context.js';
import { Modal } from '../../components/modal.js';
import { ApiError } from '../../api/gatehouse-api.js';
import { errorMessage } from '../../stores/load-state.js';
import {
  blankConnectorForm,
  connectorFormFrom,
  settingsFromForm,
  type ConnectorFormValues,
  type FieldErrors,
} from './connector-form-model.js';
import { RadioOption } from '../../components/radio-option.js';

import { TextField } from '../../components/text-field.js';
import { HttpFields, StdioFields, type Setter } from './connector-fields.js';

/**
 * What a program that did not start printed: the error above names the line that explains it, the
 * whole of its stderr is one click away (the engine keeps it for a connector it did not keep).
 */
function WhatItPrinted({ name }: { name: string }) {
  const { connectors } = useStores();
  const lines = useConnectors((state) => state.logs[name]);
  const [error, setError] = useState<string | null>(null);
  const load = (open: boolean) => {
    if (!open) return;
    setError(null);
    connectors
      .getState()
      .loadLogs(name)
      .catch((failure: unknown) => setError(errorMessage(failure)));
  };
  return (
    <details className="printed-stderr" onToggle={(event) => load(event.currentTarget.open)}>
      <summary>Everything it printed (stderr)</summary>
      {error ? (
        <p className="field-error">{error}</p>
      ) : lines === undefined ? (
        <p className="muted">Loading…</p>
      ) : lines.length === 0 ? (
        <p className="muted">It printed nothing on stderr.</p>
      ) : (
        <pre className="code-block log" tabIndex={0} aria-label="stderr lines">
          {lines.join('\n')}
        </pre>
      )}
    </details>
  );
}

export function ConnectorForm({
  connector,
  onClose,
}: {
  connector: ConnectorView | null;
  onClose: () => void;
}) {
  const { connectors, toasts } = useStores();
  const titleId = useId();
  const adding = connector === null;
  const [values, setValues] = useState<ConnectorFormValues>(() =>
    connector ? connectorFormFrom(connector) : blankConnectorForm(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  // The last add failed because the connector does not start: offer to keep it anyway.
  const [doesNotStart, setDoesNotStart] = useState(false);
  const set: Setter = (key, value) => {
    setDoesNotStart(false);
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      if (!current[key] && !current.form) return current;
      const { [key]: _cleared, form: _form, ...rest } = current;
      return rest;
    });
  };

  /** Saves; a new connector is kept only if it starts, unless the user said "Save anyway". */
  const save = async (anyway: boolean) => {
    const result = settingsFromForm(values, adding);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setBusy(true);
    try {
      if (adding)
        await connectors
          .getState()
          .add(values.name, result.settings, values.enabled, { onlyIfItStarts: !anyway });
      else {
        // A command line the user changed is theirs: what it names is granted too.
        const before = connector?.settings;
        const commandChanged =
          before?.kind === 'stdio' &&
          result.settings.kind === 'stdio' &&
          JSON.stringify([before.command, before.args]) !==
            JSON.stringify([result.settings.command, result.settings.args]);
        await connectors.getState().edit(values.name, result.settings, { grantCommandLine: commandChanged });
      }
      toasts.getState().show(adding ? `Added connector ${values.name}` : `Saved connector ${values.name}`);
      onClose();
    } catch (failure) {
      const failedToStart = failure instanceof ApiError && failure.code === 'does_not_start';
      setDoesNotStart(failedToStart);
      setErrors({
        form: failedToStart
          ? `${failure.message} Nothing was saved: fix the ${values.kind === 'stdio' ? 'command' : 'URL'} and add it again, or save it anyway to fix later.`
          : errorMessage(failure),
      });
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };

  const problemCount = Object.keys(errors).length;
  return (
    <Modal titleId={titleId} onClose={busy ? undefined : onClose} wide>
      <h2 id={titleId}>{adding ? 'Add a connector' : `Edit ${values.name}`}</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          id="connector-name"
          label="Name"
          error={errors.name}
          hint={
            adding
              ? 'Lowercase letters, digits, - and _. It becomes the URL path /mcp/<name> and the prefix of its tools, so it cannot change later.'
              : 'Names cannot change: they are the URL path /mcp/<name> and the prefix of every tool clients see. To rename, delete and add again.'
          }
          value={values.name}
          onChange={(value) => set('name', value)}
          input={{ disabled: !adding, 'data-autofocus': adding ? true : undefined }}
        />
        <fieldset className="choice-group">
          <legend>Type</legend>
          <RadioOption
            name="connector-kind"
            checked={values.kind === 'stdio'}
            onSelect={() => set('kind', 'stdio')}
          >
            Local program (stdio)
          </RadioOption>
          <RadioOption
            name="connector-kind"
            checked={values.kind === 'http'}
            onSelect={() => set('kind', 'http')}
          >
            Remote server (HTTP)
          </RadioOption>
        </fieldset>
        {values.kind === 'stdio' ? (
          <StdioFields values={values} set={set} errors={errors} />
        ) : (
          <HttpFields values={values} set={set} errors={errors} />
        )}
        {adding ? (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={values.enabled}
              onChange={(event) => set('enabled', event.target.checked)}
            />
            Start it now
          </label>
        ) : null}
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        {errors.form && doesNotStart && values.kind === 'stdio' ? <WhatItPrinted name={values.name} /> : null}
        {errors.form ? null : problemCount > 0 ? (
          <p className="field-error" role="alert">
            Fix the {problemCount === 1 ? 'problem' : `${problemCount} problems`} above, then save again.
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          {doesNotStart ? (
            <button type="button" className="button" onClick={() => void save(true)} disabled={busy}>
              Save anyway
            </button>
          ) : null}
          <button type="submit" className="button primary" disabled={busy}>
            {busy
              ? adding && values.enabled
                ? 'Adding and starting…'
                : 'Saving…'
              : adding
                ? 'Add connector'
                : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
