// The connector form's values and their translation to the contract's settings. Arguments are a list,
// environment variables and headers rows of name and value; they are checked here, field by field,
// before anything is sent; then the engine's own schema (connector-config.ts) runs, so the form shows
// the same sentences the engine would. Secrets come from the engine as "[stored]" and go back as "[stored]" unless the
// user typed a new one: the engine keeps the stored value.
import type { ConnectorView } from '@core/api/contract.js';
import { connectorName, connectorSettings, type ConnectorSettings } from '@core/api/connector-config.js';

const STORED_SECRET = '[stored]';

export interface ConnectorFormValues {
  name: string;
  enabled: boolean;
  kind: 'stdio' | 'http';
  command: string;
  /** One entry per argument, in order. */
  args: string[];
  env: PairRow[];
  cwd: string;
  /** The sandbox (on by default): off only by the user's explicit choice. */
  sandboxed: boolean;
  /** Folders and files it may write (its workspace), one per line. */
  sandboxFolders: string;
  /** Folders and files it may read besides its workspace, one per line. */
  sandboxReadFolders: string;
  /** Hosts it may reach, space- or comma-separated; empty: any public host. */
  sandboxDomains: string;
  /** Services on this computer or the network (`localhost:5432`), space- or comma-separated. */
  sandboxLocalServices: string;
  /** What the form does not show of its sandbox (secret variables), kept as it was. */
  sandboxKept: { secretVariables: string[]; plainSecrets: string[] };
  url: string;
  transport: 'auto' | 'streamable-http' | 'sse';
  timeoutSeconds: string;
  headers: PairRow[];
  auth: 'none' | 'bearer' | 'oauth';
  /** Empty with `tokenStored` means "keep the stored token". */
  token: string;
  tokenStored: boolean;
  oauthClient: 'automatic' | 'manual';
  clientId: string;
  clientSecret: string;
  clientSecretStored: boolean;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: 'default' | 'custom';
  /** Space- or comma-separated. */
  customScopes: string;
}

/** One environment variable or header. Values are secrets: stored encrypted, shown masked. */
export interface PairRow {
  name: string;
  /** What the user typed; empty with `stored` means "keep the stored value". */
  value: string;
  stored: boolean;
  /** Shown as dots (the default) or in the clear, for checking what was typed. */
  masked: boolean;
}

export function blankPair(): PairRow {
  return { name: '', value: '', stored: false, masked: true };
}

function pairsFrom(map: Record<string, string>): PairRow[] {
  return Object.keys(map).map((name) => ({ name, value: '', stored: true, masked: true }));
}

type ConnectorField = keyof ConnectorFormValues | 'form';
export type FieldErrors = Partial<Record<ConnectorField, string>>;

export function blankConnectorForm(): ConnectorFormValues {
  return {
    name: '',
    enabled: true,
    kind: 'stdio',
    command: '',
    args: [],
    env: [],
    cwd: '',
    sandboxed: true,
    sandboxFolders: '',
    sandboxReadFolders: '',
    sandboxDomains: '',
    sandboxLocalServices: '',
    sandboxKept: { secretVariables: [], plainSecrets: [] },
    url: '',
    transport: 'auto',
    timeoutSeconds: '30',
    headers: [],
    auth: 'none',
    token: '',
    tokenStored: false,
    oauthClient: 'automatic',
    clientId: '',
    clientSecret: '',
    clientSecretStored: false,
    authorizeUrl: '',
    tokenUrl: '',
    scopes: 'default',
    customScopes: '',
  };
}

export function connectorFormFrom(view: ConnectorView): ConnectorFormValues {
  const values = { ...blankConnectorForm(), name: view.name, enabled: view.enabled };
  const settings = view.settings;
  if (settings.kind === 'stdio') {
    return {
      ...values,
      kind: 'stdio',
      command: settings.command,
      args: [...settings.args],
      env: pairsFrom(settings.env),
      cwd: settings.cwd ?? '',
      sandboxed: settings.sandbox?.enabled ?? true,
      sandboxFolders: (settings.sandbox?.folders ?? []).join('\n'),
      sandboxReadFolders: (settings.sandbox?.readFolders ?? []).join('\n'),
      sandboxDomains: (settings.sandbox?.allowedDomains ?? []).join(' '),
      sandboxLocalServices: (settings.sandbox?.localServices ?? []).join(' '),
      sandboxKept: {
        secretVariables: settings.sandbox?.secretVariables ?? [],
        plainSecrets: settings.sandbox?.plainSecrets ?? [],
      },
    };
  }
  const auth = settings.auth;
  return {
    ...values,
    kind: 'http',
    url: settings.url,
    transport: settings.transport,
    timeoutSeconds: String(settings.timeoutSeconds),
    headers: pairsFrom(settings.headers),
    auth: auth.type,
    tokenStored: auth.type === 'bearer',
    ...(auth.type === 'oauth'
      ? {
          oauthClient: auth.clientId ? 'manual' : 'automatic',
          clientId: auth.clientId ?? '',
          clientSecretStored: auth.clientSecret !== null,
          authorizeUrl: auth.authorizeUrl ?? '',
          tokenUrl: auth.tokenUrl ?? '',
          scopes: auth.scopes ? 'custom' : 'default',
          customScopes: auth.scopes?.join(' ') ?? '',
        }
      : {}),
  };
}

type Parsed<T> = { value: T } | { error: string };

/** One entry per line, trimmed, empty lines dropped. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * Rows of name and value as the contract's map: empty rows are dropped, a value without a name or a
 * name given twice is an error in words, a stored value left empty is kept ("[stored]").
 */
function pairsToMap(rows: readonly PairRow[], what: string): Parsed<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const [index, row] of rows.entries()) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) return { error: `${what} row ${index + 1} has a value but no name.` };
    if (Object.hasOwn(map, name)) return { error: `${what}: ${name} is given twice.` };
    map[name] = row.value || (row.stored ? STORED_SECRET : '');
  }
  return { value: map };
}

function urlProblem(text: string, what: string): string | null {
  if (!URL.canParse(text)) return `${what} must be an absolute URL, like https://example.com/mcp.`;
  return /^https?:$/i.test(new URL(text).protocol) ? null : `${what} must use http or https.`;
}

/** Which form field a schema issue at `path` belongs to. */
function fieldOf(path: readonly PropertyKey[]): ConnectorField {
  const [first, second] = path;
  if (first === 'auth') {
    if (second === 'token') return 'token';
    if (second === 'scopes') return 'customScopes';
    if (
      second === 'clientId' ||
      second === 'clientSecret' ||
      second === 'authorizeUrl' ||
      second === 'tokenUrl'
    ) {
      return second;
    }
    return 'auth';
  }
  if (first === 'sandbox') {
    if (second === 'allowedDomains') return 'sandboxDomains';
    if (second === 'localServices') return 'sandboxLocalServices';
    return second === 'readFolders' ? 'sandboxReadFolders' : 'sandboxFolders';
  }
  const known: ConnectorField[] = [
    'command',
    'args',
    'env',
    'cwd',
    'url',
    'transport',
    'timeoutSeconds',
    'headers',
  ];
  return known.find((field) => field === first) ?? 'form';
}

function secret(typed: string, stored: boolean): string | null {
  if (typed) return typed;
  return stored ? STORED_SECRET : null;
}

export type FormResult = { ok: true; settings: ConnectorSettings } | { ok: false; errors: FieldErrors };

/** Checks the form and builds the settings to send; `adding` also checks the name. */
export function settingsFromForm(values: ConnectorFormValues, adding: boolean): FormResult {
  const errors: FieldErrors = {};
  if (adding) {
    const name = connectorName.safeParse(values.name);
    if (!name.success) errors.name = name.error.issues[0]?.message ?? 'This name cannot be used.';
  }
  let draft: unknown;
  if (values.kind === 'stdio') {
    const env = pairsToMap(values.env, 'Environment');
    if ('error' in env) errors.env = env.error;
    if (!values.command.trim())
      errors.command = 'A command is required (e.g. npx, uvx, or the path to a program).';
    draft = {
      kind: 'stdio',
      command: values.command.trim(),
      // A trailing empty row is one the user added and left empty.
      args: values.args.filter((arg, index) => arg !== '' || index < values.args.length - 1),
      env: 'value' in env ? env.value : {},
      cwd: values.cwd.trim() || null,
      sandbox: {
        ...values.sandboxKept,
        enabled: values.sandboxed,
        folders: lines(values.sandboxFolders),
        readFolders: lines(values.sandboxReadFolders),
        allowedDomains: values.sandboxDomains.trim()
          ? values.sandboxDomains.split(/[\s,]+/).filter(Boolean)
          : null,
        localServices: values.sandboxLocalServices.split(/[\s,]+/).filter(Boolean),
      },
    };
  } else {
    const headers = pairsToMap(values.headers, 'Headers');
    if ('error' in headers) errors.headers = headers.error;
    const url = urlProblem(values.url.trim(), 'The server URL');
    if (url) errors.url = url;
    const timeout = Number(values.timeoutSeconds);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
      errors.timeoutSeconds = 'The timeout is a whole number of seconds from 1 to 3600.';
    }
    let auth: unknown = { type: 'none' };
    if (values.auth === 'bearer') {
      const token = secret(values.token.trim(), values.tokenStored);
      if (!token) errors.token = 'Paste the bearer token the server gave you.';
      auth = { type: 'bearer', token: token ?? '' };
    } else if (values.auth === 'oauth') {
      const manual = values.oauthClient === 'manual';
      for (const field of ['authorizeUrl', 'tokenUrl'] as const) {
        const text = values[field].trim();
        const problem =
          manual && text
            ? urlProblem(text, field === 'authorizeUrl' ? 'The authorization URL' : 'The token URL')
            : null;
        if (problem) errors[field] = problem;
      }
      if (manual && !values.clientId.trim()) errors.clientId = 'A pre-registered client needs its client ID.';
      const scopes = values.customScopes.split(/[\s,]+/).filter(Boolean);
      if (values.scopes === 'custom' && scopes.length === 0) {
        errors.customScopes = 'List at least one scope, or use the server’s default scopes.';
      }
      auth = {
        type: 'oauth',
        clientId: manual ? values.clientId.trim() : null,
        clientSecret: manual ? secret(values.clientSecret.trim(), values.clientSecretStored) : null,
        authorizeUrl: manual ? values.authorizeUrl.trim() || null : null,
        tokenUrl: manual ? values.tokenUrl.trim() || null : null,
        scopes: values.scopes === 'custom' ? scopes : null,
      };
    }
    draft = {
      kind: 'http',
      url: values.url.trim(),
      transport: values.transport,
      timeoutSeconds: Number.isInteger(timeout) ? timeout : 30,
      headers: 'value' in headers ? headers.value : {},
      auth,
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const checked = connectorSettings.safeParse(draft);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = fieldOf(issue.path);
      // zod reports a bad record key as "Invalid key in record"; the key's own rule says why.
      const message =
        issue.code === 'invalid_key' && issue.issues[0]
          ? `"${String(issue.path.at(-1))}": ${issue.issues[0].message}`
          : issue.message;
      errors[field] ??= message;
    }
    return { ok: false, errors };
  }
  return { ok: true, settings: checked.data };
}
