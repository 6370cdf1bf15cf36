// Importing the MCP servers an app already has: find them in its files (user, project, and Claude
// Code's per-project entries), add the chosen ones as connectors, and optionally replace them with
// the Gatehouse entry. How one entry becomes connector settings is server-import.ts.
import type { GrantProposalView } from '../api/connectors-contract.js';
import { resolve } from 'node:path';
import type { ConnectorSettings } from '../api/connector-config.js';
import {
  clientNames,
  configPath,
  supportedScopes,
  type HostLayout,
  type SetupClient,
  type SetupScope,
} from './client-locations.js';
import {
  GATEHOUSE_ENTRY,
  gatehouseEntry,
  gatehouseEntryKind,
  serverListPath,
  variableExpander,
  type GatehouseTarget,
} from './client-formats.js';
import {
  applyChanges,
  readConfig,
  type Change,
  type ConfigChangeContext,
  type ConfigWriteView,
} from './config-change.js';
import type { ConfigDocument, JsonPath } from './config-document.js';
import {
  connectorNameFor,
  connectorSettingsFor,
  selectionKeys,
  viewOf,
  type FoundServer,
  type ServerScope,
} from './server-import.js';
import type { ImportableServerView } from '../api/client-setup-contract.js';

/** What import needs: where each app's files are, and the journaled writer for `replace`. */
export interface ClientImportContext extends ConfigChangeContext {
  layout: HostLayout;
}

/** The servers an app has, as the import dialog lists them. */
export interface ImportableResult {
  client: SetupClient;
  servers: ImportableServerView[];
  /** Files that could not be read (their servers are not listed). */
  problems: { path: string; message: string }[];
}

interface ImportOutcome {
  /** The selection as given (a server name or scope:name). */
  server: string;
  connector: string | null;
  outcome: 'imported' | 'skipped';
  /** Why it was skipped, or how the new connector is doing. */
  detail: string;
  /** Imported, but its first start failed: a connector to fix, not a success to celebrate. */
  doesNotStart?: boolean;
}

/** What an import did: per chosen server, imported or skipped and why; the files it rewrote. */
export interface ImportResult {
  client: SetupClient;
  outcomes: ImportOutcome[];
  /** Env, header and token values now held encrypted by Gatehouse. */
  secretsMoved: number;
  /** Files where the imported servers were replaced by the Gatehouse entry. */
  replaced: ConfigWriteView[];
  message: string;
}

/** Adds one connector; resolves to how it is doing (and whether it failed to start), rejects when it was not added. */
export type ConnectorAdder = (
  name: string,
  settings: ConnectorSettings,
) => Promise<{ detail: string; doesNotStart: boolean }>;

/** A connector Gatehouse already has, to know a server imported before. */
export interface ExistingConnector {
  name: string;
  settings: ConnectorSettings;
}

/**
 * The connector that already runs this server: the same command and arguments (and folder), or the
 * same URL. Importing it again would only make a `name-2` twin.
 */
function alreadyAdded(
  settings: ConnectorSettings,
  existing: readonly ExistingConnector[],
): string | undefined {
  const identity = (one: ConnectorSettings) =>
    one.kind === 'stdio'
      ? JSON.stringify(['stdio', one.command, one.args, one.cwd ?? null])
      : JSON.stringify(['http', one.url]);
  const wanted = identity(settings);
  return existing.find((connector) => identity(connector.settings) === wanted)?.name;
}

function alreadyAddedProblem(name: string): string {
  return `already imported: connector ${name} runs this server (remove ${name} first to import it again)`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every server in the client's files (user, and the project's when given), with what blocks any. */
export async function importableServers(
  context: ClientImportContext,
  client: SetupClient,
  target: GatehouseTarget,
  projectDir?: string,
  existing: readonly ExistingConnector[] = [],
  proposeGrants: (settings: ConnectorSettings) => GrantProposalView[] = () => [],
): Promise<ImportableResult> {
  const { servers, problems } = await findServers(context, client, target, projectDir);
  const keys = selectionKeys(servers);
  const expand = variableExpander(client, context.layout, projectDir);
  const taken = new Set<string>();
  const views = servers.map((server, index) => {
    const converted = connectorSettingsFor(server, expand);
    const twin = 'problem' in converted ? undefined : alreadyAdded(converted.settings, existing);
    const name = twin ?? connectorNameFor(server.name, taken);
    taken.add(name);
    const problem = 'problem' in converted ? converted.problem : twin ? alreadyAddedProblem(twin) : null;
    return viewOf(
      server,
      keys[index]!,
      problem,
      name,
      'problem' in converted ? [] : proposeGrants(converted.settings),
    );
  });
  return { client, servers: views, problems };
}

/**
 * Imports the chosen servers as connectors, then (with `replace`) takes them out of the client's
 * files and puts the Gatehouse entry in their place — one backed-up, undoable write per file.
 */
export async function importServers(
  context: ClientImportContext,
  client: SetupClient,
  target: GatehouseTarget,
  selection: readonly string[],
  options: {
    replace: boolean;
    projectDir?: string;
    takenNames: readonly string[];
    add: ConnectorAdder;
    existing?: readonly ExistingConnector[];
  },
): Promise<ImportResult> {
  const { servers } = await findServers(context, client, target, options.projectDir);
  const keys = selectionKeys(servers);
  const expand = variableExpander(client, context.layout, options.projectDir);
  const taken = new Set(options.takenNames);
  type Plan =
    | { wanted: string; skip: string }
    | {
        wanted: string;
        server: FoundServer;
        connector: string;
        settings: ConnectorSettings;
        secrets: number;
      };
  const plans = [...new Set(selection)].map((wanted): Plan => {
    const server = servers[keys.indexOf(wanted)];
    if (!server) return { wanted, skip: notFound(client, wanted, servers) };
    const converted = connectorSettingsFor(server, expand);
    if ('problem' in converted) return { wanted, skip: converted.problem };
    const twin = alreadyAdded(converted.settings, options.existing ?? []);
    if (twin) return { wanted, skip: alreadyAddedProblem(twin) };
    const connector = connectorNameFor(server.name, taken);
    taken.add(connector);
    return { wanted, server, connector, ...converted };
  });
  const outcomes = await Promise.all(
    plans.map(async (plan): Promise<ImportOutcome> => {
      const skipped = (detail: string): ImportOutcome => ({
        server: plan.wanted,
        connector: null,
        outcome: 'skipped',
        detail,
      });
      if ('skip' in plan) return skipped(plan.skip);
      try {
        const { detail, doesNotStart } = await options.add(plan.connector, plan.settings);
        return {
          server: plan.wanted,
          connector: plan.connector,
          outcome: 'imported',
          detail,
          ...(doesNotStart ? { doesNotStart } : {}),
        };
      } catch (error) {
        return skipped((error as Error).message);
      }
    }),
  );
  const imported: FoundServer[] = [];
  let secretsMoved = 0;
  plans.forEach((plan, index) => {
    if ('server' in plan && outcomes[index]?.outcome === 'imported') {
      imported.push(plan.server);
      secretsMoved += plan.secrets;
    }
  });
  const replaced = options.replace ? await replace(context, client, target, imported) : [];
  return {
    client,
    outcomes,
    secretsMoved,
    replaced,
    message: importMessage(client, outcomes, secretsMoved, replaced),
  };
}

/** In each file that held imported servers: remove them, add the Gatehouse entry. */
async function replace(
  context: ConfigChangeContext,
  client: SetupClient,
  target: GatehouseTarget,
  imported: FoundServer[],
): Promise<ConfigWriteView[]> {
  const byFile = new Map<string, FoundServer[]>();
  for (const server of imported) byFile.set(server.path, [...(byFile.get(server.path) ?? []), server]);
  const written: ConfigWriteView[] = [];
  for (const [path, servers] of byFile) {
    const scope: SetupScope = servers.every((server) => server.scope === 'project') ? 'project' : 'user';
    const changes: Change[] = servers.map((server) => ({
      at: server.at,
      value: undefined,
      expected: server.entry,
    }));
    changes.push({
      at: [...serverListPath(client), GATEHOUSE_ENTRY],
      value: gatehouseEntry(client, target),
    });
    written.push(await applyChanges(context, client, scope, path, changes));
  }
  return written;
}

async function findServers(
  context: ClientImportContext,
  client: SetupClient,
  target: GatehouseTarget,
  projectDir: string | undefined,
): Promise<{ servers: FoundServer[]; problems: { path: string; message: string }[] }> {
  const servers: FoundServer[] = [];
  const problems: { path: string; message: string }[] = [];
  const collect = (doc: ConfigDocument, scope: ServerScope, list: JsonPath, dir: string | null) => {
    for (const [name, entry] of Object.entries(doc.objectAt(list))) {
      servers.push({
        name,
        scope,
        path: doc.path,
        at: [...list, name],
        projectDir: dir,
        entry,
        gatehouse: gatehouseEntryKind(name, entry, target) !== null,
      });
    }
  };
  for (const scope of supportedScopes(client)) {
    const path = await configPath(client, scope, context.layout, context.writer.fs, projectDir);
    if (!path) continue;
    try {
      const { doc } = await readConfig(context.writer.fs, path);
      if (!doc) continue;
      collect(doc, scope, serverListPath(client), scope === 'project' ? (projectDir ?? null) : null);
      if (client === 'claude-code' && scope === 'user' && projectDir !== undefined) {
        const key = Object.keys(doc.objectAt(['projects'])).find(
          (dir) => resolve(dir) === resolve(projectDir),
        );
        if (key !== undefined) collect(doc, 'local', ['projects', key, 'mcpServers'], projectDir);
      }
    } catch (error) {
      problems.push({ path, message: (error as Error).message });
    }
  }
  return { servers, problems };
}

function notFound(client: SetupClient, wanted: string, servers: readonly FoundServer[]): string {
  const named = servers.filter((server) => server.name === wanted);
  if (named.length > 1) {
    const choices = named.map((server) => `${server.scope}:${server.name}`).join(' or ');
    return `${clientNames[client]} has more than one server named ${wanted}; choose ${choices}`;
  }
  return `${clientNames[client]} has no server named ${wanted}`;
}

function importMessage(
  client: SetupClient,
  outcomes: readonly ImportOutcome[],
  secretsMoved: number,
  replaced: readonly ConfigWriteView[],
): string {
  const imported = outcomes.filter((outcome) => outcome.outcome === 'imported').length;
  const skipped = outcomes.length - imported;
  const sentences = [
    `Imported ${plural(imported, 'server')} from ${clientNames[client]}${skipped ? `, skipped ${skipped}` : ''}.`,
  ];
  if (secretsMoved > 0) {
    sentences.push(
      `Moved ${plural(secretsMoved, 'secret value')} into Gatehouse's vault, where they are stored encrypted.`,
    );
  }
  for (const file of replaced.filter((write) => write.changed)) {
    sentences.push(
      `Replaced them in ${file.path} with the Gatehouse entry${file.backupPath ? ` (the previous file is in ${file.backupPath})` : ''}; undo it with Undo on Connect a client, or \`gatehouse connect ${client} --undo\`.`,
    );
  }
  return sentences.join(' ');
}
