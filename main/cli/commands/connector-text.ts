// How `gatehouse connectors` describes a connector: its state, tools, sign-in, process and settings
// in words, and what to do next.
import type { ConnectorView } from '../../core/api/contract.js';
import type { HttpAuth, HttpSettings, StdioSettings } from '../../core/api/connector-config.js';
import { AUTH_PROBLEM_WORDS } from '../../core/api/auth-problem.js';
import { count, MASKED, megabytes } from '../../core/text.js';

/**
 * A connector's state in a few words for `connectors list`: disabled, waiting for sign-in, connected, its
 * error.
 */
export function statusText(view: ConnectorView): string {
  const { status } = view;
  if (!view.enabled) return 'disabled';
  if (status.auth === 'action-required') {
    if (status.authProblem === 'token-refused') return "token refused: check the connector's bearer token";
    if (status.authProblem === 'reconnect-needed') return 'waiting for you to reconnect';
    return 'waiting for you to sign in';
  }
  switch (status.connection) {
    case 'connected':
      return `connected, ${toolsText(view, 'tool')}`;
    case 'error':
      return `not connected: ${status.lastError ?? 'unknown error'}`;
    default:
      return status.connection;
  }
}

/** "12", "12 (1 held)"; with a unit, "12 tools (1 held for review)". */
export function toolsText(view: ConnectorView, unit?: string): string {
  const tools = unit === undefined ? String(view.toolCount) : count(view.toolCount, unit);
  if (view.heldTools === 0) return tools;
  return `${tools} (${view.heldTools} held${unit === undefined ? '' : ' for review'})`;
}

/** A connector's upstream sign-in state in a word or two: ready, sign-in needed, its auth problem, or `-`. */
export function authWord(view: ConnectorView): string {
  switch (view.status.auth) {
    case 'ready':
      return 'ready';
    case 'action-required':
      return view.status.authProblem
        ? AUTH_PROBLEM_WORDS[view.status.authProblem].toLowerCase()
        : 'sign-in needed';
    case 'not-applicable':
      return '-';
  }
}

/** A running stdio connector's process id and memory, or `-` when there is none. */
export function processText(view: ConnectorView): string {
  const { pid, memoryBytes } = view.status;
  if (pid === null) return '-';
  return memoryBytes === null ? `pid ${pid}` : `pid ${pid}, ${megabytes(memoryBytes)}`;
}

/** What the user can do next with a connector, as commands to run. */
export function nextSteps(view: ConnectorView): string[] {
  const { settings, status } = view;
  if (!view.enabled) return [`Start it with: gatehouse connectors enable ${view.name}`];
  if (settings.kind === 'http' && settings.auth.type === 'oauth' && status.auth !== 'ready') {
    return [`Next: gatehouse connectors connect ${view.name} (to sign in)`];
  }
  if (status.connection === 'error' && settings.kind === 'stdio') {
    return [`What it printed: gatehouse connectors logs ${view.name}`];
  }
  return [];
}

/** A stdio connector's settings as label and value rows for `connectors show` (environment values masked). */
export function stdioFields(settings: StdioSettings): Array<[string, string]> {
  const env = Object.keys(settings.env).sort();
  return [
    ['Command', [settings.command, ...settings.args].map(shellWord).join(' ')],
    ['Working dir', settings.cwd ?? "Gatehouse's own"],
    ['Environment', env.length === 0 ? 'none' : env.map((key) => `${key}=${MASKED}`).join(', ')],
  ];
}

/** What the sandbox lets a local server read, write and reach, its secrets, and what it refused. */
export function sandboxFields(view: ConnectorView): Array<[string, string]> {
  const sandbox = view.sandbox;
  if (!sandbox) return [];
  if (sandbox.state === 'off') {
    return [['Sandbox', 'OFF, by your choice: it can read, write and reach everything you can']];
  }
  const hosts =
    sandbox.allowedDomains === null
      ? 'any public host (not this computer, your network or cloud metadata)'
      : `only ${sandbox.allowedDomains.join(', ') || 'no public host'}`;
  const { masked, plain } = sandbox.secrets;
  const rows: Array<[string, string]> = [
    [
      'Sandbox',
      sandbox.state === 'on' ? 'on' : `cannot run here, so it is not started: ${sandbox.problem ?? ''}`,
    ],
    [
      'May read',
      [
        'the system',
        ...sandbox.addedFolders,
        ...sandbox.readFolders,
        ...(sandbox.runtime.length > 0
          ? [`to run: ${sandbox.runtime.join(', ')}`]
          : ['its runtime and package']),
      ].join(', ') + "; nothing else of your home folder, never Gatehouse's data",
    ],
    ['May write', [...sandbox.addedFolders, ...sandbox.ownFolders].join(', ')],
    ['May reach', hosts],
  ];
  if (sandbox.localServices.length > 0) rows.push(['Local services', sandbox.localServices.join(', ')]);
  if (masked.length > 0 || plain.length > 0) {
    rows.push([
      'Secrets',
      [
        ...(masked.length > 0
          ? [`${masked.join(', ')} only as stand-ins (the real values go only to its hosts)`]
          : []),
        ...plain.map(({ name, why }) => `${name} plainly: ${why}`),
      ].join('; '),
    ]);
  }
  if (sandbox.refusals.length > 0) {
    rows.push([
      'Refused',
      [
        ...sandbox.refusals.map(
          (refusal) =>
            `${refusal.target} (${refusal.count}×): ${refusal.reason}${refusal.grant ? ` — allow with: ${refusal.grant}` : ''}`,
        ),
        ...(sandbox.refusedOthers > 0 ? [`and ${sandbox.refusedOthers} more`] : []),
      ].join('\n'),
    ]);
  }
  return rows;
}

/** After an add or edit: what the sandbox now grants it, one line each (nothing when it is off). */
export function grantLines(view: ConnectorView): string[] {
  const sandbox = view.sandbox;
  if (!sandbox || sandbox.state === 'off') return [];
  return [
    ...(sandbox.addedFolders.length > 0 ? [`It may write: ${sandbox.addedFolders.join(', ')}`] : []),
    ...(sandbox.readFolders.length > 0 ? [`It may read: ${sandbox.readFolders.join(', ')}`] : []),
    ...(sandbox.localServices.length > 0
      ? [`It may reach on this computer or your network: ${sandbox.localServices.join(', ')}`]
      : []),
  ];
}

/** "stdio", or "stdio (no sandbox)" for one the user runs with full rights. */
export function kindText(view: ConnectorView): string {
  return view.sandbox?.state === 'off' ? 'stdio (no sandbox)' : view.settings.kind;
}

/** An HTTP connector's settings as label and value rows for `connectors show` (header values masked). */
export function httpFields(settings: HttpSettings, view: ConnectorView): Array<[string, string]> {
  const headers = Object.keys(settings.headers).sort();
  return [
    ['URL', settings.url],
    ['Transport', settings.transport],
    ['Timeout', `${settings.timeoutSeconds} s`],
    ['Headers', headers.length === 0 ? 'none' : headers.map((name) => `${name}: ${MASKED}`).join(', ')],
    ['Sign-in', authText(settings.auth, view)],
  ];
}

function authText(auth: HttpAuth, view: ConnectorView): string {
  switch (auth.type) {
    case 'none':
      return 'none';
    case 'bearer':
      return `bearer token ${MASKED}`;
    case 'oauth': {
      const parts = [
        auth.clientId === null ? 'client registered by Gatehouse' : `client ${auth.clientId}`,
        ...(auth.clientSecret !== null ? [`client secret ${MASKED}`] : []),
        ...(auth.scopes !== null ? [`scopes ${auth.scopes.join(' ')}`] : []),
      ];
      const state =
        view.status.auth === 'ready'
          ? 'signed in'
          : `not signed in (gatehouse connectors connect ${view.name})`;
      return `OAuth, ${parts.join(', ')}; ${state}`;
    }
  }
}

/** A word as a shell would need it typed. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Ends a clause with a full stop unless it already ends with one. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
