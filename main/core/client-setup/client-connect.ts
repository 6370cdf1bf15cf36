// Connect and its undo: write the one entry that points an app at Gatehouse, and take back exactly
// what Gatehouse wrote — each entry it changed goes back to what it was, unless someone changed it
// since. Writes go through config-change.ts, so each is backed up and journaled.
import { GatehouseError } from '../errors.js';
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
  type GatehouseTarget,
} from './client-formats.js';
import {
  applyChanges,
  matchesWritten,
  readConfig,
  type ConfigChangeContext,
  type ConfigWriteView,
} from './config-change.js';
import { isDeepEqual, isJsonObject } from './config-document.js';

/** What connect and disconnect need: where each app's files are, and the journaled writer. */
export interface ClientConnectContext extends ConfigChangeContext {
  layout: HostLayout;
}

/** What connect wrote, the entry itself, and a sentence for the user (with how to restart the app). */
export interface ConnectResult extends ConfigWriteView {
  entry: Record<string, unknown>;
  message: string;
}

/** What undo did to one file, entry by entry, and a sentence for the user. */
export interface DisconnectResult extends ConfigWriteView {
  /** Entries put back as they were before Gatehouse changed them. */
  restored: string[];
  /** Entries Gatehouse had added, now gone. */
  removed: string[];
  /** Entries changed by someone else since Gatehouse wrote them, so left as they are. */
  leftAlone: { name: string; reason: string }[];
  message: string;
}

/** Writes the Gatehouse entry into the client's file for `scope` (nothing when it is already there). */
export async function connectClient(
  context: ClientConnectContext,
  client: SetupClient,
  scope: SetupScope,
  target: GatehouseTarget,
  projectDir?: string,
): Promise<ConnectResult> {
  const path = await configPathFor(context, client, scope, projectDir);
  const entry = gatehouseEntry(client, target);
  const written = await applyChanges(context, client, scope, path, [
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
export async function disconnectClient(
  context: ClientConnectContext,
  client: SetupClient,
  scope: SetupScope,
  target: GatehouseTarget,
  projectDir?: string,
): Promise<DisconnectResult> {
  const { writer, journal } = context;
  const path = await configPathFor(context, client, scope, projectDir);
  const { doc, bytes } = await readConfig(writer.fs, path);
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
  const record = await journal.get(path);
  if (!doc || bytes === null) {
    if (record) await journal.set(path, undefined);
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
        ? await writer.remove(path)
        : await writer.retire(path)
      : await writer.write(path, doc.text, bytes, !complete);
    result.changed = true;
    result.path = outcome.path;
    result.backupPath = outcome.backupPath;
  }
  if (complete && result.changed) await writer.forgetBackups(path);
  if (record) await journal.set(path, undefined);
  result.message = disconnectMessage(client, result);
  return result;
}

async function configPathFor(
  context: ClientConnectContext,
  client: SetupClient,
  scope: SetupScope,
  projectDir: string | undefined,
): Promise<string> {
  if (scope === 'project' && !supportedScopes(client).includes('project')) {
    throw new GatehouseError(
      'bad_request',
      `${clientNames[client]} has no per-project configuration; connect it for your user instead.`,
    );
  }
  if (scope === 'project' && projectDir === undefined) {
    throw new GatehouseError('bad_request', 'Name the project directory for a project configuration.');
  }
  return (await configPath(client, scope, context.layout, context.writer.fs, projectDir))!;
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
  const backup = result.backupPath
    ? ` (the previous file is in ${result.backupPath})`
    : left.length === 0
      ? ' (no backup needed: the file is back as it was before Gatehouse changed it)'
      : '';
  return `Undid Gatehouse's changes for ${name} in ${result.path}: ${parts.join('; ')}${backup}.${leftText}`;
}
