// Connect a client in one click: detect Claude Desktop, Claude Code, VS Code and Cursor; write (and
// undo) the one entry that points each at Gatehouse; list and import the MCP servers they already
// have. Every write goes through the config writer (atomic, backed up) and the undo journal, and
// touches only the entries it names.
import { resolve } from 'node:path';
import { GatehouseError } from '../errors.js';
import type { ConnectorSettings } from '../connectors/connector-config.js';
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
  GATEHOUSE_ENTRY,
  gatehouseEntry,
  gatehouseEntryKind,
  serverListPath,
  variableExpander,
  type GatehouseTarget,
} from './client-formats.js';
import { ConfigDocument, isDeepEqual, isJsonObject, type JsonPath } from './config-document.js';
import type { ConfigWriter } from './config-writer.js';
import type { JournalChange, JournalRecord, SetupJournal } from './setup-journal.js';
import {
  connectorNameFor,
  connectorSettingsFor,
  selectionKeys,
  viewOf,
  type FoundServer,
  type ImportableServerView,
  type ServerScope,
} from './server-import.js';

export interface ClientSetupDeps {
  layout: HostLayout;
  writer: ConfigWriter;
  journal: SetupJournal;
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

export interface ConfigLocationView {
  scope: ServerScope;
  path: string;
  projectDir: string | null;
  exists: boolean;
  /** Whether the file has an entry for this Gatehouse, for another one, or none. */
  gatehouse: 'none' | 'this' | 'other';
  /** Why the file could not be read; null when it could. */
  problem: string | null;
}

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

export interface ConfigWriteView {
  client: SetupClient;
  scope: SetupScope;
  path: string;
  /** False when the file already said this (nothing was written, no backup made). */
  changed: boolean;
  backupPath: string | null;
  /** The file did not exist before. */
  created: boolean;
}

export interface ConnectResult extends ConfigWriteView {
  entry: Record<string, unknown>;
  message: string;
}

export interface DisconnectResult extends ConfigWriteView {
  /** Entries put back as they were before Gatehouse changed them. */
  restored: string[];
  /** Entries Gatehouse had added, now gone. */
  removed: string[];
  /** Entries changed by someone else since Gatehouse wrote them, so left as they are. */
  leftAlone: { name: string; reason: string }[];
  message: string;
}

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
}

export interface ImportResult {
  client: SetupClient;
  outcomes: ImportOutcome[];
  /** Env, header and token values now held encrypted by Gatehouse. */
  secretsMoved: number;
  /** Files where the imported servers were replaced by the Gatehouse entry. */
  replaced: ConfigWriteView[];
  message: string;
}

/** Adds one connector; resolves to how it is doing, rejects when it was not added. */
export type ConnectorAdder = (name: string, settings: ConnectorSettings) => Promise<string>;

interface Change {
  at: JsonPath;
  /** undefined removes the entry. */
  value: unknown;
  /** Apply only while the entry still is this (a server imported a moment ago). */
  expected?: unknown;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class ClientSetup {
  readonly #layout: HostLayout;
  readonly #writer: ConfigWriter;
  readonly #journal: SetupJournal;

  constructor(deps: ClientSetupDeps) {
    this.#layout = deps.layout;
    this.#writer = deps.writer;
    this.#journal = deps.journal;
  }

  /**
   * Installed? configured (with an entry for this Gatehouse)? connected (a client whose requests
   * carry this app's marker — which only the entry Gatehouse wrote sends — holds a grant and is
   * connected now)? A client's name is never evidence: any process can call itself "Claude Code".
   */
  async detect(
    client: SetupClient,
    target: GatehouseTarget,
    registered: readonly RegisteredClient[],
    projectDir?: string,
  ): Promise<ClientStatusView> {
    const locations: ConfigLocationView[] = [];
    for (const scope of supportedScopes(client)) {
      const path = configPath(client, scope, this.#layout, projectDir);
      if (path) locations.push(...(await this.#inspect(client, scope, path, target, projectDir ?? null)));
    }
    const fs = this.#writer.fs;
    const evidence = [
      ...installEvidence(client, this.#layout),
      ...installCommands(client).flatMap((command) => commandCandidates(command, this.#layout)),
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

  /** Writes the Gatehouse entry into the client's file for `scope` (nothing when it is already there). */
  async connect(
    client: SetupClient,
    scope: SetupScope,
    target: GatehouseTarget,
    projectDir?: string,
  ): Promise<ConnectResult> {
    const path = this.#pathFor(client, scope, projectDir);
    const entry = gatehouseEntry(client, target);
    const written = await this.#change(client, scope, path, [
      { at: [...serverListPath(client), GATEHOUSE_ENTRY], value: entry },
    ]);
    const where = scope === 'project' ? `${clientNames[client]} in ${projectDir}` : clientNames[client];
    const message = written.changed
      ? `Connected ${where} to Gatehouse: wrote the "${GATEHOUSE_ENTRY}" entry in ${written.path}${written.backupPath ? ` (the previous file is in ${written.backupPath})` : ''}. ${restartHint(client)}`
      : `${where} is already connected to this Gatehouse (${written.path}); nothing changed.`;
    return { ...written, entry, message };
  }

  /**
   * Undoes what Gatehouse wrote in the client's file for `scope`: each entry it changed goes back to
   * what it was, unless someone changed it since; without a record, Gatehouse's entry is removed.
   */
  async disconnect(
    client: SetupClient,
    scope: SetupScope,
    target: GatehouseTarget,
    projectDir?: string,
  ): Promise<DisconnectResult> {
    const path = this.#pathFor(client, scope, projectDir);
    const { doc, bytes } = await this.#read(path);
    const result: DisconnectResult = {
      client,
      scope,
      path,
      changed: false,
      backupPath: null,
      created: false,
      restored: [],
      removed: [],
      leftAlone: [],
      message: '',
    };
    const record = await this.#journal.get(path);
    if (!doc || bytes === null) {
      if (record) await this.#journal.set(path, undefined);
      return { ...result, message: `${path} does not exist, so there is nothing of Gatehouse's to undo.` };
    }
    if (record) {
      for (const change of [...record.changes].reverse()) {
        const name = change.at.at(-1) ?? '';
        const current = doc.get(change.at);
        if (!matchesWritten(current, change.written)) {
          result.leftAlone.push({ name, reason: 'it was changed after Gatehouse wrote it' });
        } else if (change.before === null) {
          if (current !== undefined) {
            doc.remove(change.at);
            result.removed.push(name);
          }
          const container = change.at.slice(0, -1);
          const left = doc.get(container);
          if (change.createdContainer && isJsonObject(left) && Object.keys(left).length === 0)
            doc.remove(container);
        } else if (!isDeepEqual(current, change.before.value)) {
          doc.set(
            change.at,
            change.before.value,
            change.before.source ?? undefined,
            change.before.after !== undefined ? { after: change.before.after } : undefined,
          );
          result.restored.push(name);
        }
      }
    } else {
      const list = serverListPath(client);
      for (const [name, entry] of Object.entries(doc.objectAt(list))) {
        if (gatehouseEntryKind(name, entry, target) === 'this') {
          doc.remove([...list, name]);
          result.removed.push(name);
        }
      }
    }
    // Everything Gatehouse wrote came back out: the file is as it was, so no backup is left behind
    // (and a file Gatehouse created goes away). Anything left alone keeps a backup of this state.
    const complete = result.leftAlone.length === 0;
    if (doc.text !== bytes.toString('utf8')) {
      const emptied = record?.createdFile === true && isEmptyConfig(doc.text, client);
      const outcome = emptied
        ? complete
          ? await this.#writer.remove(path)
          : await this.#writer.retire(path)
        : await this.#writer.write(path, doc.text, bytes, !complete);
      result.changed = true;
      result.path = outcome.path;
      result.backupPath = outcome.backupPath;
    }
    if (complete && result.changed) await this.#writer.forgetBackups(path);
    if (record) await this.#journal.set(path, undefined);
    result.message = disconnectMessage(client, result);
    return result;
  }

  /** Every server in the client's files (user, and the project's when given), with what blocks any. */
  async importable(
    client: SetupClient,
    target: GatehouseTarget,
    projectDir?: string,
  ): Promise<ImportableResult> {
    const { servers, problems } = await this.#findServers(client, target, projectDir);
    const keys = selectionKeys(servers);
    const expand = variableExpander(client, this.#layout, projectDir);
    const taken = new Set<string>();
    const views = servers.map((server, index) => {
      const converted = connectorSettingsFor(server, expand);
      const name = connectorNameFor(server.name, taken);
      taken.add(name);
      return viewOf(server, keys[index]!, 'problem' in converted ? converted.problem : null, name);
    });
    return { client, servers: views, problems };
  }

  /**
   * Imports the chosen servers as connectors, then (with `replace`) takes them out of the client's
   * files and puts the Gatehouse entry in their place — one backed-up, undoable write per file.
   */
  async import(
    client: SetupClient,
    target: GatehouseTarget,
    selection: readonly string[],
    options: { replace: boolean; projectDir?: string; takenNames: readonly string[]; add: ConnectorAdder },
  ): Promise<ImportResult> {
    const { servers } = await this.#findServers(client, target, options.projectDir);
    const keys = selectionKeys(servers);
    const expand = variableExpander(client, this.#layout, options.projectDir);
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
      if (!server) return { wanted, skip: this.#notFound(client, wanted, servers) };
      const converted = connectorSettingsFor(server, expand);
      if ('problem' in converted) return { wanted, skip: converted.problem };
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
          const detail = await options.add(plan.connector, plan.settings);
          return { server: plan.wanted, connector: plan.connector, outcome: 'imported', detail };
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
    const replaced = options.replace ? await this.#replace(client, target, imported) : [];
    return {
      client,
      outcomes,
      secretsMoved,
      replaced,
      message: importMessage(client, outcomes, secretsMoved, replaced),
    };
  }

  /** In each file that held imported servers: remove them, add the Gatehouse entry. */
  async #replace(
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
      written.push(await this.#change(client, scope, path, changes));
    }
    return written;
  }

  /** Reads a file, applies changes, and writes it (backed up) only if its text changed; journals each. */
  async #change(
    client: SetupClient,
    scope: SetupScope,
    path: string,
    changes: Change[],
  ): Promise<ConfigWriteView> {
    const { doc, bytes } = await this.#read(path);
    const document = doc ?? new ConfigDocument(path, null);
    for (const change of changes) document.objectAt(change.at.slice(0, -1));
    const record: JournalRecord = (await this.#journal.get(path)) ?? {
      createdFile: bytes === null,
      changes: [],
    };
    let applied = 0;
    for (const change of changes) {
      const current = document.get(change.at);
      if (change.expected !== undefined && !isDeepEqual(current, change.expected)) continue;
      if (isDeepEqual(current, change.value)) continue;
      applied++;
      const index = record.changes.findIndex((earlier) => isDeepEqual(earlier.at, change.at));
      const earlier = record.changes[index];
      const written = change.value === undefined ? null : { value: change.value };
      if (earlier && matchesWritten(current, earlier.written)) {
        earlier.written = written;
      } else {
        if (earlier) record.changes.splice(index, 1);
        const after = document.previousKey(change.at);
        const before: JournalChange['before'] =
          current === undefined
            ? null
            : {
                value: current,
                source: document.sourceOf(change.at) ?? null,
                ...(after !== undefined ? { after } : {}),
              };
        const createdContainer = document.get(change.at.slice(0, -1)) === undefined;
        record.changes.push({
          at: [...change.at],
          before,
          written,
          ...(createdContainer ? { createdContainer } : {}),
        });
      }
      if (change.value === undefined) document.remove(change.at);
      else document.set(change.at, change.value);
    }
    const view: ConfigWriteView = { client, scope, path, changed: false, backupPath: null, created: false };
    if (applied === 0 || (bytes !== null && document.text === bytes.toString('utf8'))) return view;
    const outcome = await this.#writer.write(path, document.text, bytes);
    try {
      await this.#journal.set(path, record);
    } catch (error) {
      throw new GatehouseError(
        'internal',
        `Wrote ${outcome.path}, but could not save what to undo (${(error as Error).message}); ${outcome.backupPath ? `${outcome.backupPath} holds the file as it was` : 'the file did not exist before'}.`,
        { cause: error },
      );
    }
    return {
      ...view,
      path: outcome.path,
      changed: true,
      backupPath: outcome.backupPath,
      created: bytes === null,
    };
  }

  async #read(path: string): Promise<{ doc: ConfigDocument | null; bytes: Buffer | null }> {
    let bytes: Buffer | null;
    try {
      bytes = await this.#writer.fs.read(path);
    } catch (error) {
      throw new GatehouseError('internal', `Could not read ${path}: ${(error as Error).message}.`, {
        cause: error,
      });
    }
    return { doc: bytes === null ? null : new ConfigDocument(path, bytes.toString('utf8')), bytes };
  }

  #pathFor(client: SetupClient, scope: SetupScope, projectDir: string | undefined): string {
    if (scope === 'project' && !supportedScopes(client).includes('project')) {
      throw new GatehouseError(
        'bad_request',
        `${clientNames[client]} has no per-project configuration; connect it for your user instead.`,
      );
    }
    if (scope === 'project' && projectDir === undefined) {
      throw new GatehouseError('bad_request', 'Name the project directory for a project configuration.');
    }
    return configPath(client, scope, this.#layout, projectDir)!;
  }

  /** One location per file (and per Claude Code project that has Gatehouse in ~/.claude.json). */
  async #inspect(
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
      doc = (await this.#read(path)).doc;
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

  async #findServers(
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
      const path = configPath(client, scope, this.#layout, projectDir);
      if (!path) continue;
      try {
        const { doc } = await this.#read(path);
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

  #notFound(client: SetupClient, wanted: string, servers: readonly FoundServer[]): string {
    const named = servers.filter((server) => server.name === wanted);
    if (named.length > 1) {
      const choices = named.map((server) => `${server.scope}:${server.name}`).join(' or ');
      return `${clientNames[client]} has more than one server named ${wanted}; choose ${choices}`;
    }
    return `${clientNames[client]} has no server named ${wanted}`;
  }
}

function matchesWritten(current: unknown, written: JournalChange['written']): boolean {
  return written === null ? current === undefined : isDeepEqual(current, written.value);
}

/** A file with nothing left but an empty server list (comments or other keys keep it). */
function isEmptyConfig(text: string, client: SetupClient): boolean {
  const bare = text.replace(/\s+/g, '');
  return bare === '' || bare === '{}' || bare === `{"${serverListPath(client)[0]}":{}}`;
}

function restartHint(client: SetupClient): string {
  switch (client) {
    case 'claude-desktop':
      return 'Quit and reopen Claude Desktop to use it.';
    case 'claude-code':
      return 'New Claude Code sessions will use it.';
    case 'vscode':
      return 'VS Code picks it up on its own; start the server from the MCP view if it asks.';
    case 'cursor':
      return 'Cursor picks it up on its own; enable it in Settings ▸ MCP if it asks.';
  }
}

function disconnectMessage(client: SetupClient, result: DisconnectResult): string {
  const name = clientNames[client];
  const parts: string[] = [];
  if (result.removed.length) parts.push(`removed ${result.removed.join(', ')}`);
  if (result.restored.length) parts.push(`put back ${result.restored.join(', ')} as it was`);
  const left = result.leftAlone.map((entry) => `${entry.name} (${entry.reason})`);
  const leftText = left.length ? ` Left alone: ${left.join(', ')}.` : '';
  if (!result.changed) return `Nothing of Gatehouse's to undo for ${name} in ${result.path}.${leftText}`;
  const backup = result.backupPath ? ` (the previous file is in ${result.backupPath})` : '';
  return `Undid Gatehouse's changes for ${name} in ${result.path}: ${parts.join('; ')}${backup}.${leftText}`;
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
      `Replaced them in ${file.path} with the Gatehouse entry${file.backupPath ? ` (the previous file is in ${file.backupPath})` : ''}; undo with disconnect.`,
    );
  }
  return sentences.join(' ');
}
