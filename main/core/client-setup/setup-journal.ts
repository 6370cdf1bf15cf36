// What Gatehouse changed in each client config, so undo can put back exactly those entries: for each
// one, what it was before Gatehouse's first change (with its original text) and what Gatehouse wrote.
// Kept in Gatehouse's data directory, never in the client's file.
import { join } from 'node:path';
import { z } from 'zod';
import type { ConfigWriter } from './config-writer.js';

const jsonPath = z.array(z.string());

const journalChange = z.object({
  /** Where the entry is in the file, e.g. ["mcpServers", "gatehouse"]. */
  at: jsonPath,
  /**
   * The entry before Gatehouse first changed it; null when there was none. `after` names the entry
   * it followed (null: it came first), so undo puts a removed entry back in its place.
   */
  before: z
    .object({ value: z.unknown(), source: z.string().nullable(), after: z.string().nullable().optional() })
    .nullable(),
  /** What Gatehouse last wrote there; null when Gatehouse removed it. */
  written: z.object({ value: z.unknown() }).nullable(),
  /** Gatehouse created the server list this entry is in; undo removes the list once it is empty. */
  createdContainer: z.boolean().optional(),
});
/** One entry Gatehouse changed in a client file: what it was before, and what Gatehouse wrote. */
export type JournalChange = z.infer<typeof journalChange>;

const fileRecord = z.object({
  /** Gatehouse created the file; undo that leaves nothing in it moves it aside. */
  createdFile: z.boolean(),
  changes: z.array(journalChange),
});
/** Everything Gatehouse changed in one client file, in order, for undo. */
export type JournalRecord = z.infer<typeof fileRecord>;

const journalFile = z.object({
  version: z.literal(1),
  files: z.record(z.string(), fileRecord),
  /** The files Gatehouse's undo took its entry out of (an app started before may still use it). */
  removed: z.array(z.string()).optional(),
});

const JOURNAL_FILE = 'client-setup.json';

/** Where undo records live: a file in the data directory. */
export interface SetupJournal {
  get(configPath: string): Promise<JournalRecord | undefined>;
  /** Replaces the record of one config file (a write there clears its undo note); undefined forgets it. */
  set(configPath: string, record: JournalRecord | undefined): Promise<void>;
  /** Gatehouse's undo took its entry out of this file. */
  noteRemoved(configPath: string): Promise<void>;
  /**
   * Whether Gatehouse wrote its entry into this file at some time: a record of a write it has not
   * undone, or its undo's note.
   */
  wroteInto(configPath: string): Promise<boolean>;
}

/**
 * The journal as `client-setup.json` in the data directory, written through `writer` (no backup); an
 * unreadable file counts as empty.
 */
export function fileJournal(dataDir: string, writer: ConfigWriter): SetupJournal {
  const path = join(dataDir, JOURNAL_FILE);
  const load = async (): Promise<z.infer<typeof journalFile>> => {
    const bytes = await writer.fs.read(path);
    if (bytes === null) return { version: 1, files: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const checked = journalFile.safeParse(parsed);
    // An unreadable journal only loses undo records; undo then falls back to removing Gatehouse's entry.
    return checked.success ? checked.data : { version: 1, files: {} };
  };
  // No backup: the journal is Gatehouse's own file, and only ever holds what undo needs now.
  const save = (journal: z.infer<typeof journalFile>) =>
    writer.write(path, `${JSON.stringify(journal, null, 2)}\n`, null);
  return {
    get: async (configPath) => (await load()).files[configPath],
    set: async (configPath, record) => {
      const journal = await load();
      if (record) {
        journal.files[configPath] = record;
        journal.removed = journal.removed?.filter((one) => one !== configPath);
      } else delete journal.files[configPath];
      await save(journal);
    },
    noteRemoved: async (configPath) => {
      const journal = await load();
      if (journal.removed?.includes(configPath)) return;
      journal.removed = [...(journal.removed ?? []), configPath];
      await save(journal);
    },
    wroteInto: async (configPath) => {
      const journal = await load();
      const record = journal.files[configPath];
      return (
        record?.changes.some((change) => change.written !== null) === true ||
        journal.removed?.includes(configPath) === true
      );
    },
  };
}
