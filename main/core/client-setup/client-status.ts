// The state "Connect a client" shows per app: installed, configured (its file has this Gatehouse's
// entry) and connected (a client that came through that entry holds a grant and is connected now),
// with the entry to paste by hand. Reads files only; nothing here writes.
import {
  clientNames,
  commandCandidates,
  configPath,
  installCommands,
  installEvidence,
  supportedScopes,
  type HostLayout,
  type SetupClient,
  type SetupScope,
} from './client-locations.js';
import {
  claudeMcpAddCommands,
  configSnippet,
  gatehouseEntryKind,
  serverListPath,
  type GatehouseTarget,
} from './client-formats.js';
import { readConfig } from './config-change.js';
import { isJsonObject, type ConfigDocument } from './config-document.js';
import type { ConfigFs } from './config-writer.js';
import type { ServerScope } from './server-import.js';

/** What detection reads: where the apps keep their files, and the file system to look in. */
export interface ClientStatusContext {
  layout: HostLayout;
  fs: ConfigFs;
}

/** A client registered with Gatehouse (from the clients list), as detection needs it. */
export interface RegisteredClient {
  clientId: string;
  name: string;
  lastUsedAt: number | null;
  /** The app whose Gatehouse-written entry its requests came through (their marker header). */
  setupClient: SetupClient | null;
  /** It holds a grant (a revoked client holds none). */
  granted: boolean;
  /** It is connected now: an open session or listen stream, or a request a moment ago. */
  live: boolean;
  /**
   * While live only by a recent request: when that stops counting unless it talks again. Null while a
   * session or stream is open (an event says when that changes) or when not live.
   */
  liveUntil: number | null;
}

/** A client that came through the app's entry, as the page shows it. */
interface SetupConnectionView {
  clientId: string;
  name: string;
  lastUsedAt: number | null;
  live: boolean;
  liveUntil: number | null;
}

/** One config file of an app (or one Claude Code project inside ~/.claude.json) and what it holds. */
interface ConfigLocationView {
  scope: ServerScope;
  path: string;
  projectDir: string | null;
  exists: boolean;
  /** Whether the file has an entry for this Gatehouse, for another one, or none. */
  gatehouse: 'none' | 'this' | 'other';
  /** Why the file could not be read; null when it could. */
  problem: string | null;
}

/** One app's row on the "Connect a client" page: its state, its files, and how to connect it by hand. */
export interface ClientStatusView {
  client: SetupClient;
  name: string;
  installed: boolean;
  configured: boolean;
  /** A client that came through this app's entry holds a grant and is connected now. */
  connected: boolean;
  scopes: SetupScope[];
  locations: ConfigLocationView[];
  /** Gatehouse clients that came through this app's entry and hold a grant (never guessed from names). */
  registeredClients: SetupConnectionView[];
  /** The entry to paste by hand, as the client's file holds it. */
  snippet: string;
  /** `claude mcp add` per scope (Claude Code only). */
  commands: Record<'local' | SetupScope, string> | null;
}

/**
 * Installed? configured (with an entry for this Gatehouse)? connected (a client whose requests
 * carry this app's marker — which only the entry Gatehouse wrote sends — holds a grant and is
 * connected now)? A client's name is never evidence: any process can call itself "Claude Code".
 */
export async function detectClient(
  context: ClientStatusContext,
  client: SetupClient,
  target: GatehouseTarget,
  registered: readonly RegisteredClient[],
  projectDir?: string,
): Promise<ClientStatusView> {
  const fs = context.fs;
  const locations: ConfigLocationView[] = [];
  for (const scope of supportedScopes(client)) {
    const path = await configPath(client, scope, context.layout, context.fs, projectDir);
    if (path) locations.push(...(await inspect(context.fs, client, scope, path, target, projectDir ?? null)));
  }
  const evidence = [
    ...(await installEvidence(client, context.layout, fs)),
    ...installCommands(client).flatMap((command) => commandCandidates(command, context.layout)),
  ];
  let installed = locations.some((location) => location.exists);
  for (const path of evidence) if (!installed) installed = await fs.exists(path);
  const matching = registered.filter((known) => known.setupClient === client && known.granted);
  return {
    client,
    name: clientNames[client],
    installed,
    configured: locations.some((location) => location.gatehouse === 'this'),
    connected: matching.some((known) => known.live),
    scopes: supportedScopes(client),
    locations,
    registeredClients: matching.map(({ clientId, name, lastUsedAt, live, liveUntil }) => ({
      clientId,
      name,
      lastUsedAt,
      live,
      liveUntil,
    })),
    snippet: configSnippet(client, target),
    commands: client === 'claude-code' ? claudeMcpAddCommands(target.mcpUrl) : null,
  };
}

/** One location per file (and per Claude Code project that has Gatehouse in ~/.claude.json). */
async function inspect(
  fs: ConfigFs,
  client: SetupClient,
  scope: SetupScope,
  path: string,
  target: GatehouseTarget,
  projectDir: string | null,
): Promise<ConfigLocationView[]> {
  const base: ConfigLocationView = {
    scope,
    path,
    projectDir: scope === 'project' ? projectDir : null,
    exists: false,
    gatehouse: 'none',
    problem: null,
  };
  let doc: ConfigDocument | null;
  try {
    doc = (await readConfig(fs, path)).doc;
  } catch (error) {
    return [{ ...base, exists: true, problem: (error as Error).message }];
  }
  if (!doc) return [base];
  const kindIn = (list: unknown): ConfigLocationView['gatehouse'] => {
    const kinds = Object.entries(isJsonObject(list) ? list : {}).map(([name, entry]) =>
      gatehouseEntryKind(name, entry, target),
    );
    return kinds.includes('this') ? 'this' : kinds.includes('other') ? 'other' : 'none';
  };
  const found: ConfigLocationView[] = [
    { ...base, exists: true, gatehouse: kindIn(doc.get(serverListPath(client))) },
  ];
  if (client === 'claude-code' && scope === 'user') {
    for (const [dir, project] of Object.entries(doc.objectAt(['projects']))) {
      const gatehouse = kindIn(isJsonObject(project) ? project.mcpServers : undefined);
      if (gatehouse !== 'none')
        found.push({ ...base, scope: 'local', projectDir: dir, exists: true, gatehouse });
    }
  }
  return found;
}
