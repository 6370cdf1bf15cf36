// The MCP servers a client already has, read from its config and turned into Gatehouse connectors:
// a command over stdio, or a server at a URL (an `Authorization: Bearer …` header becomes bearer
// auth). Names become connector names; anything Gatehouse cannot take over says why.
import { connectorName, connectorSettings, type ConnectorSettings } from '../api/connector-config.js';
import type { ImportableServerView } from '../api/client-setup-contract.js';
import type { GrantProposalView } from '../api/connectors-contract.js';
import { isJsonObject, type JsonPath } from './config-document.js';

/**
 * Which file a server came from: the user's config, a project's file, or Claude Code's per-project
 * (`local`) entry in ~/.claude.json.
 */
export type ServerScope = 'user' | 'project' | 'local';

/** One server entry as found in a client's file, before anything is expanded or checked. */
export interface FoundServer {
  name: string;
  scope: ServerScope;
  /** The config file it is in, and where in that file. */
  path: string;
  at: JsonPath;
  /** The project it belongs to (project and local scopes). */
  projectDir: string | null;
  entry: unknown;
  /** It points at Gatehouse already. */
  gatehouse: boolean;
}

type Expand = (text: string) => { value: string } | { problem: string };

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const stringMap = (value: unknown): value is Record<string, string> =>
  isJsonObject(value) && Object.values(value).every((item) => typeof item === 'string');

function transportOf(entry: Record<string, unknown>): 'stdio' | 'http' | 'sse' {
  if (typeof entry.command === 'string') return 'stdio';
  return entry.type === 'sse' || entry.transport === 'sse' ? 'sse' : 'http';
}

/** The bearer token in an Authorization header, if that is what it holds. */
function bearerOf(headers: Record<string, string>): { header: string; token: string } | null {
  for (const [header, value] of Object.entries(headers)) {
    const token = /^\s*bearer\s+(\S+)\s*$/i.exec(value)?.[1];
    if (header.toLowerCase() === 'authorization' && token) return { header, token };
  }
  return null;
}

/**
 * The connector settings a server becomes, with every client variable expanded; or why it cannot.
 * A project's server runs in its project directory unless it names another.
 */
export function connectorSettingsFor(
  server: FoundServer,
  expand: Expand,
): { settings: ConnectorSettings; secrets: number } | { problem: string } {
  const { entry } = server;
  if (server.gatehouse) return { problem: 'this is the entry for Gatehouse itself' };
  if (!isJsonObject(entry)) return { problem: 'the entry is not an object' };
  const problems: string[] = [];
  const fill = (text: string): string => {
    const result = expand(text);
    if ('problem' in result) {
      problems.push(result.problem);
      return text;
    }
    return result.value;
  };
  const fillMap = (map: Record<string, string>) =>
    Object.fromEntries(Object.entries(map).map(([key, value]) => [key, fill(value)]));
  let candidate: unknown;
  let secrets: number;
  if (typeof entry.command === 'string') {
    if (entry.args !== undefined && !strings(entry.args))
      return { problem: '"args" is not a list of strings' };
    if (entry.env !== undefined && !stringMap(entry.env)) return { problem: '"env" is not a map of strings' };
    if (entry.cwd !== undefined && typeof entry.cwd !== 'string') return { problem: '"cwd" is not a string' };
    if (typeof entry.envFile === 'string') {
      return {
        problem:
          'reads variables from an envFile, which Gatehouse does not; add it with `gatehouse connectors add` and --env-from instead',
      };
    }
    const env = fillMap(entry.env ?? {});
    secrets = Object.keys(env).length;
    candidate = {
      kind: 'stdio',
      command: fill(entry.command),
      args: (entry.args ?? []).map(fill),
      env,
      cwd:
        typeof entry.cwd === 'string'
          ? fill(entry.cwd)
          : server.scope === 'project'
            ? server.projectDir
            : null,
    };
  } else if (typeof entry.url === 'string') {
    if (entry.headers !== undefined && !stringMap(entry.headers)) {
      return { problem: '"headers" is not a map of strings' };
    }
    const headers = fillMap(entry.headers ?? {});
    const bearer = bearerOf(headers);
    if (bearer) delete headers[bearer.header];
    secrets = Object.keys(headers).length + (bearer ? 1 : 0);
    candidate = {
      kind: 'http',
      url: fill(entry.url),
      headers,
      auth: bearer ? { type: 'bearer', token: bearer.token } : { type: 'none' },
      ...(transportOf(entry) === 'sse' ? { transport: 'sse' } : {}),
    };
  } else {
    return { problem: 'it has neither a command nor a URL' };
  }
  if (problems[0] !== undefined) return { problem: problems[0] };
  const checked = connectorSettings.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { problem: `Gatehouse cannot use it as it is (${where}${issue?.message ?? 'invalid'})` };
  }
  return { settings: checked.data, secrets };
}

/**
 * What the import list shows of a server: its shape and the names of its env and headers, never their
 * values.
 */
export function viewOf(
  server: FoundServer,
  key: string,
  problem: string | null,
  connectorName: string,
  grants: GrantProposalView[] = [],
): ImportableServerView {
  const entry = isJsonObject(server.entry) ? server.entry : {};
  const transport = transportOf(entry);
  const headers = stringMap(entry.headers) ? entry.headers : {};
  const bearer = bearerOf(headers);
  return {
    name: server.name,
    key,
    scope: server.scope,
    path: server.path,
    transport,
    command: typeof entry.command === 'string' ? entry.command : null,
    args: strings(entry.args) ? entry.args : [],
    env: stringMap(entry.env) ? Object.keys(entry.env) : [],
    cwd: typeof entry.cwd === 'string' ? entry.cwd : null,
    url: typeof entry.url === 'string' ? entry.url : null,
    headers: Object.keys(headers).filter((header) => header !== bearer?.header),
    bearer: bearer !== null,
    gatehouse: server.gatehouse,
    problem,
    connectorName,
    grants,
  };
}

/** Keys for selection: the name where it is unique, `scope:name` where files share it. */
export function selectionKeys(servers: readonly FoundServer[]): string[] {
  return servers.map((server) =>
    servers.filter((other) => other.name === server.name).length > 1
      ? `${server.scope}:${server.name}`
      : server.name,
  );
}

const MAX_NAME = 32;

/**
 * A valid connector name for a server name (lowercase letters, digits, - and _, at most 32, no "__",
 * not "gatehouse"), made unique against `taken` with -2, -3, ….
 */
export function connectorNameFor(serverName: string, taken: ReadonlySet<string>): string {
  const base =
    serverName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/_{2,}/g, '_')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, MAX_NAME)
      .replace(/[-_]+$/, '') || 'server';
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base.slice(0, MAX_NAME - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
    if (!taken.has(candidate) && connectorName.safeParse(candidate).success) return candidate;
  }
}
