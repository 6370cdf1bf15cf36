// How each client writes an MCP server in its config: the list's key (`mcpServers` or VS Code's
// `servers`), the entry that points the client at Gatehouse, how to recognise an entry that already
// does, and the variables each client expands in its entries (so imports see the real values).
import type { JsonPath } from './config-document.js';
import { isJsonObject } from './config-document.js';
import type { HostLayout, SetupClient, SetupScope } from './client-locations.js';
import { SETUP_MARKER_HEADER } from '../api/client-setup-contract.js';

/** The name Gatehouse's own entry has in every client's server list. */
export const GATEHOUSE_ENTRY = 'gatehouse';

/** How a client that only speaks stdio (Claude Desktop) starts `gatehouse bridge` for this install. */
export interface BridgeCommand {
  command: string;
  args: string[];
  /** E.g. ELECTRON_RUN_AS_NODE=1 when the command is the desktop app's own executable. */
  env?: Record<string, string>;
}

/** What a client is connected to: this Gatehouse's MCP endpoint, and its bridge for stdio clients. */
export interface GatehouseTarget {
  mcpUrl: string;
  dataDir: string;
  bridge: BridgeCommand;
}

/** Where the server list is in a file; Claude Code's user file also has one per project ("local"). */
export function serverListPath(client: SetupClient): JsonPath {
  return client === 'vscode' ? ['servers'] : ['mcpServers'];
}

/**
 * The entry that points a client at Gatehouse: the bridge for Claude Desktop, the URL elsewhere. Each
 * carries the app's marker (a header, or the bridge's `--client`), so Gatehouse can tell which of its
 * clients came through this entry — "Connect a client" never guesses from a client's name.
 */
export function gatehouseEntry(client: SetupClient, target: GatehouseTarget): Record<string, unknown> {
  const headers = { [SETUP_MARKER_HEADER]: client };
  switch (client) {
    case 'claude-desktop':
      return {
        command: target.bridge.command,
        args: [...target.bridge.args, '--client', client],
        ...(target.bridge.env ? { env: { ...target.bridge.env } } : {}),
      };
    case 'claude-code':
    case 'vscode':
      return { type: 'http', url: target.mcpUrl, headers };
    case 'cursor':
      return { url: target.mcpUrl, headers };
  }
}

/** The entry a user would paste by hand, as the client's file would hold it. */
function configSnippet(client: SetupClient, target: GatehouseTarget): string {
  const [list] = serverListPath(client);
  return JSON.stringify({ [list!]: { [GATEHOUSE_ENTRY]: gatehouseEntry(client, target) } }, null, 2);
}

/**
 * How to point `client` at this Gatehouse by hand — the entry as its file holds it, and for Claude
 * Code the `claude mcp add` commands — the one recipe every surface gives.
 */
export function setupRecipe(
  client: SetupClient,
  target: GatehouseTarget,
): { snippet: string; commands: Record<'local' | SetupScope, string> | null } {
  return {
    snippet: configSnippet(client, target),
    commands: client === 'claude-code' ? claudeMcpAddCommands(target.mcpUrl) : null,
  };
}

/**
 * `claude mcp add` for each of Claude Code's scopes (local is its default: this project, only you).
 * @internal Exported for its tests only: the commands shown for Claude Code, checked without its CLI.
 */
export function claudeMcpAddCommands(mcpUrl: string): Record<'local' | SetupScope, string> {
  // --header takes several values, so it comes last, after the name and URL.
  const add = (scope: string) =>
    `claude mcp add --transport http${scope ? ` --scope ${scope}` : ''} ${GATEHOUSE_ENTRY} ${mcpUrl} --header "${SETUP_MARKER_HEADER}: claude-code"`;
  return { local: add(''), user: add('user'), project: add('project') };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether an entry is Gatehouse's: `this` Gatehouse, some `other` (another port or data directory). */
export function gatehouseEntryKind(
  name: string,
  entry: unknown,
  target: GatehouseTarget,
): 'this' | 'other' | null {
  if (!isJsonObject(entry)) return null;
  if (typeof entry.url === 'string') {
    const url = URL.canParse(entry.url) ? new URL(entry.url) : null;
    const ours = new URL(target.mcpUrl);
    const atMcp =
      url !== null &&
      LOOPBACK_HOSTS.has(url.hostname) &&
      /^\/mcp(\/[a-z0-9][a-z0-9_-]*)?\/?$/.test(url.pathname);
    if (atMcp && url.port === ours.port) return 'this';
    return name === GATEHOUSE_ENTRY ? 'other' : null;
  }
  if (typeof entry.command === 'string') {
    const args = Array.isArray(entry.args) ? entry.args.filter((arg) => typeof arg === 'string') : [];
    const words = [entry.command, ...args];
    // `gatehouse bridge …` from an install, or the bundled `gatehouse-bridge.mjs` on its own.
    const isBridge =
      words.some((word) => /gatehouse[-_]bridge/i.test(word)) ||
      (args.includes('bridge') &&
        (words.some((word) => /gatehouse/i.test(word)) || name === GATEHOUSE_ENTRY));
    if (!isBridge) return name === GATEHOUSE_ENTRY ? 'other' : null;
    const flag = args.indexOf('--data-dir');
    const dataDir =
      flag >= 0
        ? args[flag + 1]
        : args.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length);
    // Without --data-dir the bridge finds the default data directory, which is most likely this one.
    return dataDir === undefined || dataDir === target.dataDir ? 'this' : 'other';
  }
  return name === GATEHOUSE_ENTRY ? 'other' : null;
}

/**
 * Expands the variables a client expands when it starts a server, or says which one cannot be:
 * Claude Code `${VAR}` / `${VAR:-default}`; VS Code and Cursor `${env:VAR}`, `${userHome}`,
 * `${workspaceFolder}` (VS Code's `${input:…}` prompts the user and stays out of reach).
 */
export function variableExpander(
  client: SetupClient,
  layout: HostLayout,
  projectDir: string | undefined,
): (text: string) => { value: string } | { problem: string } {
  return (text) => {
    const problems: string[] = [];
    const value = text.replace(/\$\{([^}]*)\}/g, (whole: string, inner: string) => {
      const resolved = expandOne(client, inner, layout, projectDir);
      if (typeof resolved === 'string') return resolved;
      problems.push(resolved.problem.replace('%s', () => whole));
      return whole;
    });
    return problems[0] === undefined ? { value } : { problem: problems[0] };
  };
}

function expandOne(
  client: SetupClient,
  inner: string,
  layout: HostLayout,
  projectDir: string | undefined,
): string | { problem: string } {
  const { env, home } = layout;
  if (client === 'claude-desktop') return `\${${inner}}`;
  if (client === 'claude-code') {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(inner);
    if (!match) return `\${${inner}}`;
    const value = env[match[1]!] ?? match[2];
    return value ?? { problem: `uses %s, and ${match[1]} is not set where Gatehouse runs` };
  }
  if (inner === 'userHome') return home;
  if (inner === 'workspaceFolder') {
    return projectDir ?? { problem: 'uses %s outside a project; import it from the project instead' };
  }
  const envName = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner)?.[1];
  if (envName) {
    return env[envName] ?? { problem: `uses %s, and ${envName} is not set where Gatehouse runs` };
  }
  if (inner.startsWith('input:')) {
    return {
      problem: `asks for %s when ${client === 'vscode' ? 'VS Code' : 'Cursor'} starts it, a value Gatehouse cannot read; add it with \`gatehouse connectors add\` instead`,
    };
  }
  return { problem: 'uses %s, a variable Gatehouse cannot fill in' };
}
