// One journaled write to a client's config file: read it, apply the entry changes, write it (atomic,
// backed up) only if its text changed, and record in the setup journal what each entry was before,
// so undo can put back exactly that. Connect and import both write through here.
import { GatehouseError } from '../errors.js';
import type { SetupClient, SetupScope } from './client-locations.js';
import { ConfigDocument, isDeepEqual, type JsonPath } from './config-document.js';
import type { ConfigFs, ConfigWriter } from './config-writer.js';
import type { JournalChange, JournalRecord, SetupJournal } from './setup-journal.js';

/** What a journaled write needs: the writer for the file, the journal for its undo record. */
export interface ConfigChangeContext {
  writer: ConfigWriter;
  journal: SetupJournal;
}

/** One entry to set or remove in a client's file. */
export interface Change {
  at: JsonPath;
  /** undefined removes the entry. */
  value: unknown;
  /** Apply only while the entry still is this (a server imported a moment ago). */
  expected?: unknown;
}

/** What a write did to one client config file, as connect, disconnect and import report it. */
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

/** Whether an entry still holds what Gatehouse last wrote there (absent, when Gatehouse removed it). */
export function matchesWritten(current: unknown, written: JournalChange['written']): boolean {
  return written === null ? current === undefined : isDeepEqual(current, written.value);
}

/**
 * A client's config file as a document that keeps its comments and layout, with its bytes; both null
 * when the file does not exist. A file that cannot be read is an error naming it.
 */
export async function readConfig(
  fs: ConfigFs,
  path: string,
): Promise<{ doc: ConfigDocument | null; bytes: Buffer | null }> {
  let bytes: Buffer | null;
  try {
    bytes = await fs.read(path);
  } catch (error) {
    throw new GatehouseError('internal', `Could not read ${path}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  return { doc: bytes === null ? null : new ConfigDocument(path, bytes.toString('utf8')), bytes };
}

/** Reads a file, applies changes, and writes it (backed up) only if its text changed; journals each. */
export async function applyChanges(
  context: ConfigChangeContext,
  client: SetupClient,
  scope: SetupScope,
  path: string,
  changes: Change[],
): Promise<ConfigWriteView> {
  const { doc, bytes } = await readConfig(context.writer.fs, path);
  const document = doc ?? new ConfigDocument(path, null);
  for (const change of changes) document.objectAt(change.at.slice(0, -1));
  const record: JournalRecord = (await context.journal.get(path)) ?? {
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
  const outcome = await context.writer.write(path, document.text, bytes);
  try {
    await context.journal.set(path, record);
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
