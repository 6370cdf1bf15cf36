// Add or edit a connector: a local program (stdio) or a remote server (HTTP, with no auth, a bearer
// token, or OAuth). Problems show beside their field before anything is sent; the engine's own error,
// if it still refuses, shows verbatim above the buttons.
import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ConnectorView } from '../../../../main/core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
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
import { splitCommandLine } from './command-line.js';
import { ArgumentList, PairList } from './list-fields.js';

type Setter = <K extends keyof ConnectorFormValues>(key: K, value: ConnectorFormValues[K]) => void;

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
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
    </div>
  );
}

/** Props for an input whose problems are announced with it. */
function described(id: string, error: string | undefined, hint: boolean) {
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
function TextField({
  id,
  label,
  error,
  hint,
  value,
  onChange,
  input,
}: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  input?: InputHTMLAttributes<HTMLInputElement> & { 'data-autofocus'?: true | undefined };
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
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

function StdioFields({
  values,
  set,
  errors,
}: {
  values: ConnectorFormValues;
  set: Setter;
  errors: FieldErrors;
}) {
  const [split, setSplit] = useState<string | null>(null);
  return (
    <>
      <Field
        id="connector-command"
        label="Command"
        error={errors.command}
        hint={split ?? "npx, uvx, docker, or a program's full path. Paste a whole command line to split it."}
      >
        <input
          {...described('connector-command', errors.command, true)}
          value={values.command}
          spellCheck={false}
          onChange={(event) => set('command', event.target.value)}
          onPaste={(event) => {
            const text = event.clipboardData.getData('text').trim();
            if (!/\s/.test(text)) return;
            // A whole command line: split it as a shell would, into the command and its arguments.
            event.preventDefault();
            const parts = splitCommandLine(text);
            if ('error' in parts) {
              setSplit(parts.error);
              return;
            }
            set('command', parts.command);
            set('args', [...parts.args, ...values.args.filter(Boolean)]);
            setSplit(
              `Split the pasted line into the command ${parts.command} and ${parts.args.length} argument${parts.args.length === 1 ? '' : 's'} (below).`,
            );
          }}
        />
      </Field>
      <ArgumentList
        id="connector-args"
        args={values.args}
        error={errors.args}
        onChange={(args) => set('args', args)}
      />
      <PairList
        id="connector-env"
        legend="Environment variables"
        noun="variable"
        rows={values.env}
        error={errors.env}
        onChange={(env) => set('env', env)}
      />
      <TextField
        id="connector-cwd"
        label="Working directory (optional)"
        error={errors.cwd}
        value={values.cwd}
        onChange={(value) => set('cwd', value)}
      />
    </>
  );
}

function SecretInput({
  id,
  value,
  stored,
  error,
  onChange,
  hint,
}: {
  id: string;
  value: string;
  stored: boolean;
  error?: string | undefined;
  onChange: (value: string) => void;
  hint: string;
}) {
  return (
    <input
      {...described(id, error, Boolean(hint))}
      type="password"
      autoComplete="off"
      value={value}
      placeholder={stored ? '[stored]' : ''}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function OAuthFields({
  values,
  set,
  errors,
}: {
  values: ConnectorFormValues;
  set: Setter;
  errors: FieldErrors;
}) {
  const secretHint = values.clientSecretStored
    ? 'Stored encrypted. Leave it empty to keep it, or type a new one.'
    : 'Optional: only for confidential clients.';
  return (
    <>
      <fieldset className="choice-group">
        <legend>OAuth client</legend>
        <RadioOption
          name="oauth-client"
          checked={values.oauthClient === 'automatic'}
          onSelect={() => set('oauthClient', 'automatic')}
        >
          Discover it: Gatehouse finds the server&apos;s authorization server and registers itself
        </RadioOption>
        <RadioOption
          name="oauth-client"
          checked={values.oauthClient === 'manual'}
          onSelect={() => set('oauthClient', 'manual')}
        >
          Use a client I registered with the provider
        </RadioOption>
      </fieldset>
      {values.oauthClient === 'manual' ? (
        <>
          <TextField
            id="connector-client-id"
            label="Client ID"
            error={errors.clientId}
            value={values.clientId}
            onChange={(value) => set('clientId', value)}
          />
          <Field
            id="connector-client-secret"
            label="Client secret"
            error={errors.clientSecret}
            hint={secretHint}
          >
            <SecretInput
              id="connector-client-secret"
              value={values.clientSecret}
              stored={values.clientSecretStored}
              error={errors.clientSecret}
              hint={secretHint}
              onChange={(value) => set('clientSecret', value)}
            />
          </Field>
          <TextField
            id="connector-authorize-url"
            label="Authorization URL (optional)"
            error={errors.authorizeUrl}
            hint="Leave empty to discover it from the server."
            value={values.authorizeUrl}
            onChange={(value) => set('authorizeUrl', value)}
          />
          <TextField
            id="connector-token-url"
            label="Token URL (optional)"
            error={errors.tokenUrl}
            hint="Leave empty to discover it from the server."
            value={values.tokenUrl}
            onChange={(value) => set('tokenUrl', value)}
          />
        </>
      ) : null}
      <fieldset className="choice-group">
        <legend>Scopes</legend>
        <RadioOption
          name="oauth-scopes"
          checked={values.scopes === 'default'}
          onSelect={() => set('scopes', 'default')}
        >
          The server&apos;s default scopes
        </RadioOption>
        <RadioOption
          name="oauth-scopes"
          checked={values.scopes === 'custom'}
          onSelect={() => set('scopes', 'custom')}
        >
          These scopes:
        </RadioOption>
        {values.scopes === 'custom' ? (
          <TextField
            id="connector-scopes"
            label="Scopes (separated by spaces)"
            error={errors.customScopes}
            value={values.customScopes}
            onChange={(value) => set('customScopes', value)}
          />
        ) : null}
      </fieldset>
    </>
  );
}

function HttpFields({
  values,
  set,
  errors,
}: {
  values: ConnectorFormValues;
  set: Setter;
  errors: FieldErrors;
}) {
  const tokenHint = values.tokenStored
    ? 'Stored encrypted. Leave it empty to keep it, or paste a new one.'
    : 'Sent as Authorization: Bearer …; stored encrypted, never shown to clients.';
  return (
    <>
      <TextField
        id="connector-url"
        label="Server URL"
        error={errors.url}
        hint="The server's MCP endpoint, e.g. https://mcp.example.com/mcp."
        value={values.url}
        onChange={(value) => set('url', value)}
        input={{ type: 'url' }}
      />
      <div className="field-row">
        <Field id="connector-transport" label="Transport">
          <select
            id="connector-transport"
            value={values.transport}
            onChange={(event) => set('transport', event.target.value as ConnectorFormValues['transport'])}
          >
            <option value="auto">Automatic (Streamable HTTP, then SSE)</option>
            <option value="streamable-http">Streamable HTTP</option>
            <option value="sse">Legacy SSE</option>
          </select>
        </Field>
        <TextField
          id="connector-timeout"
          label="Timeout (seconds)"
          error={errors.timeoutSeconds}
          value={values.timeoutSeconds}
          onChange={(value) => set('timeoutSeconds', value)}
          input={{ inputMode: 'numeric', spellCheck: undefined }}
        />
      </div>
      <PairList
        id="connector-headers"
        legend="Extra headers"
        noun="header"
        rows={values.headers}
        error={errors.headers}
        onChange={(headers) => set('headers', headers)}
      />
      <fieldset className="choice-group">
        <legend>Authentication</legend>
        {(
          [
            ['none', 'None'],
            ['bearer', 'Bearer token'],
            ['oauth', 'OAuth (sign in with the provider)'],
          ] as const
        ).map(([value, label]) => (
          <RadioOption
            key={value}
            name="connector-auth"
            checked={values.auth === value}
            onSelect={() => set('auth', value)}
          >
            {label}
          </RadioOption>
        ))}
      </fieldset>
      {values.auth === 'bearer' ? (
        <Field id="connector-token" label="Token" error={errors.token} hint={tokenHint}>
          <SecretInput
            id="connector-token"
            value={values.token}
            stored={values.tokenStored}
            error={errors.token}
            hint={tokenHint}
            onChange={(value) => set('token', value)}
          />
        </Field>
      ) : null}
      {values.auth === 'oauth' ? <OAuthFields values={values} set={set} errors={errors} /> : null}
    </>
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
      else await connectors.getState().edit(values.name, result.settings);
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
        ) : problemCount > 0 ? (
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
