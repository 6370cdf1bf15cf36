// Connection and auth status of a connector, as badges that say their state in words.
import type { ConnectorView } from '@core/api/contract.js';
import { Badge, type BadgeTone } from '../../components/badge.js';
import { AUTH_PROBLEM_WORDS } from '@core/api/auth-problem.js';

type Status = ConnectorView['status'];

const CONNECTION: Record<Status['connection'], [BadgeTone, string]> = {
  connected: ['ok', 'Connected'],
  starting: ['info', 'Starting'],
  error: ['error', 'Error'],
  stopped: ['neutral', 'Stopped'],
  disabled: ['neutral', 'Disabled'],
};

const AUTH: Record<Status['auth'], [BadgeTone, string]> = {
  ready: ['ok', 'Ready'],
  'action-required': ['warn', 'Sign-in needed'],
  'not-applicable': ['neutral', 'No sign-in'],
};

export function ConnectionBadge({ status }: { status: Status }) {
  const [tone, text] = CONNECTION[status.connection];
  return (
    <Badge tone={tone} title={status.lastError ?? undefined}>
      {text}
    </Badge>
  );
}

export function AuthBadge({ status }: { status: Status }) {
  const [tone, text] = AUTH[status.auth];
  // What is wrong, when the engine knows: "Token refused" is not a sign-in to do.
  const problem = status.auth === 'action-required' && status.authProblem;
  return <Badge tone={tone}>{problem ? AUTH_PROBLEM_WORDS[problem] : text}</Badge>;
}

/**
 * The button a connector waiting for the user offers: Connect (never signed in), Reconnect, or none
 * (a refused bearer token is fixed in the connector's settings, not by signing in).
 */
export function connectAction(status: Status): 'Connect' | 'Reconnect' | null {
  if (status.auth !== 'action-required' || status.authProblem === 'token-refused') return null;
  return status.connectedAt || status.authProblem === 'reconnect-needed' ? 'Reconnect' : 'Connect';
}

/** "npx -y …" for a local program, the host for a remote server. */
export function connectorTarget(connector: ConnectorView): string {
  const settings = connector.settings;
  if (settings.kind === 'stdio') return [settings.command, ...settings.args].join(' ');
  return URL.canParse(settings.url) ? new URL(settings.url).host : settings.url;
}

/** An absolute path's last part: "/home/me/server/dist/index.js" → "index.js". */
function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

const ABSOLUTE = /^(?:[a-zA-Z]:)?[\\/]/;

/**
 * connectorTarget for a table cell: an absolute command, and absolute script paths among the
 * arguments (a file name with an extension), cut to their file name so the script's name shows.
 */
export function connectorShortTarget(connector: ConnectorView): string {
  const settings = connector.settings;
  if (settings.kind !== 'stdio') return connectorTarget(connector);
  const command = ABSOLUTE.test(settings.command) ? baseName(settings.command) : settings.command;
  const args = settings.args.map((arg) =>
    ABSOLUTE.test(arg) && /\.[a-zA-Z0-9]+$/.test(baseName(arg)) ? baseName(arg) : arg,
  );
  return [command, ...args].join(' ');
}
