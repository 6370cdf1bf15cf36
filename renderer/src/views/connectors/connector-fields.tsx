// The parts of the connector form for each kind: a local program's command, arguments, environment
// and folder; a remote server's URL, transport, headers and auth (none, bearer, OAuth with its
// optional client and endpoints). Values and problems come from connector-form.tsx.
import { useState } from 'react';
import { RadioOption } from '../../components/radio-option.js';
import { described, Field, TextField } from '../../components/text-field.js';
import { splitCommandLine } from './command-line.js';
import type { ConnectorFormValues, FieldErrors } from './connector-form-model.js';
import { ArgumentList, PairList } from './list-fields.js';

export type Setter = <K extends keyof ConnectorFormValues>(key: K, value: ConnectorFormValues[K]) => void;

export function StdioFields({
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
      <SandboxFields values={values} set={set} errors={errors} />
    </>
  );
}

/** The sandbox: on by default; what it may write, read and reach; off only with a warning. */
function SandboxFields({
  values,
  set,
  errors,
}: {
  values: ConnectorFormValues;
  set: Setter;
  errors: FieldErrors;
}) {
  return (
    <fieldset className="field">
      <legend>Sandbox</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={values.sandboxed}
          onChange={(event) => set('sandboxed', event.target.checked)}
        />
        Run in a sandbox (recommended)
      </label>
      {values.sandboxed ? (
        <>
          <p className="hint">
            It sees the system read-only and, of your home folder, only what is granted below, its own scratch
            and temp folders, and its runtime. Never your secrets or Gatehouse&apos;s data. Folders and files
            its command line names are granted when you save.
          </p>
          <Field
            id="connector-sandbox-folders"
            label="Folders and files it may write (one per line)"
            error={errors.sandboxFolders}
            hint="Absolute paths, or starting with ~/"
          >
            <textarea
              {...described('connector-sandbox-folders', errors.sandboxFolders, true)}
              className="mono"
              rows={2}
              value={values.sandboxFolders}
              spellCheck={false}
              onChange={(event) => set('sandboxFolders', event.target.value)}
            />
          </Field>
          <Field
            id="connector-sandbox-read-folders"
            label="Folders and files it may only read (one per line)"
            error={errors.sandboxReadFolders}
            hint="A settings file of its own, say"
          >
            <textarea
              {...described('connector-sandbox-read-folders', errors.sandboxReadFolders, true)}
              className="mono"
              rows={1}
              value={values.sandboxReadFolders}
              spellCheck={false}
              onChange={(event) => set('sandboxReadFolders', event.target.value)}
            />
          </Field>
          <TextField
            id="connector-sandbox-domains"
            label="Only these hosts (empty: any public host)"
            error={errors.sandboxDomains}
            value={values.sandboxDomains}
            onChange={(value) => set('sandboxDomains', value)}
          />
          <TextField
            id="connector-sandbox-local"
            label="Services on this computer or your network it may reach (host:port)"
            error={errors.sandboxLocalServices}
            value={values.sandboxLocalServices}
            onChange={(value) => set('sandboxLocalServices', value)}
          />
        </>
      ) : (
        <p className="warning" role="alert">
          Without a sandbox this server runs with your full rights: it can read your secrets, write anywhere
          you can and reach any host. Switch it off only for a server you trust.
        </p>
      )}
    </fieldset>
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

export function HttpFields({
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
