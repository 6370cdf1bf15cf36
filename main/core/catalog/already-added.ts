// Which connectors already run a registry server: a local one whose command line names one of its
// packages (`npx -y @acme/x@1.2`, `uvx acme-x==1.2`, `docker run … ghcr.io/acme/x:1.2`), or a remote
// one at one of its URLs. The catalog marks such a server, and adding it again needs the user's word.
import type { ConnectorSettings } from '../api/connector-config.js';
import type { ServerDetail } from './server-json.js';

/** A connector Gatehouse has, by name and settings, to match against a registry server. */
export interface AddedConnector {
  name: string;
  settings: ConnectorSettings;
}

/** The argument names this package, pinned to a version or not (`id`, `id@1`, `id==1`, `id:1`). */
function namesPackage(argument: string, identifier: string): boolean {
  if (argument === identifier) return true;
  if (!argument.startsWith(identifier)) return false;
  const rest = argument.slice(identifier.length);
  return rest.startsWith('@') || rest.startsWith('==') || rest.startsWith(':');
}

/** A URL without a trailing slash, query or fragment, to compare where two URLs point. */
function urlKey(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

/** The names of the connectors that run one of the server's packages or reach one of its URLs, sorted. */
export function connectorsRunning(server: ServerDetail, connectors: readonly AddedConnector[]): string[] {
  const identifiers = (server.packages ?? []).map((pkg) => pkg.identifier);
  const urls = new Set(
    (server.remotes ?? [])
      .filter((remote) => !remote.url.includes('{'))
      .map((remote) => urlKey(remote.url))
      .filter((key): key is string => key !== null),
  );
  return connectors
    .filter(({ settings }) =>
      settings.kind === 'stdio'
        ? [settings.command, ...settings.args].some((argument) =>
            identifiers.some((identifier) => namesPackage(argument, identifier)),
          )
        : !settings.secretUrl && urls.has(urlKey(settings.url) ?? ''),
    )
    .map((connector) => connector.name)
    .sort();
}
