// The engine record: the small file through which a running engine tells other processes (the CLI,
// a second launch) where it listens. Kept apart from engine.ts so reading it loads nothing heavy.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The engine record's file name in the data directory. */
export const ENGINE_FILE = 'engine.json';
/** The local API's shared secret (0600) in the data directory: the CLI reads it to call the engine. */
export const API_SECRET_FILE = 'api-secret';
/** The SQLite database in the data directory: every store, and the activity log. */
export const DATABASE_FILE = 'gatehouse.db';

/** What the engine file in the data directory tells other processes about the running engine. */
export interface EngineRecord {
  pid: number;
  port: number;
  version: string;
  startedAt: number;
}

/** What `readEngineRecord` found: no record, one it cannot read, one of a dead process, or a live one. */
export type EngineRecordState =
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string }
  | { state: 'stale'; record: EngineRecord }
  | { state: 'alive'; record: EngineRecord };

/** What the data directory says about its engine, checking that the recorded process still exists. */
export function readEngineRecord(dataDir: string): EngineRecordState {
  let text: string;
  try {
    text = readFileSync(join(dataDir, ENGINE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', reason: (error as Error).message };
  }
  let record: EngineRecord;
  try {
    record = JSON.parse(text) as EngineRecord;
  } catch {
    return { state: 'unreadable', reason: 'it is not valid JSON' };
  }
  if (
    !Number.isInteger(record.pid) ||
    record.pid <= 0 ||
    !Number.isInteger(record.port) ||
    record.port <= 0
  ) {
    return { state: 'unreadable', reason: 'it has no valid pid and port' };
  }
  return { state: processExists(record.pid) ? 'alive' : 'stale', record };
}

/** Tells other processes where this engine listens (0600: only the user reads it). */
export function writeEngineRecord(dataDir: string, record: EngineRecord): void {
  writeFileSync(join(dataDir, ENGINE_FILE), JSON.stringify(record, null, 2), { mode: 0o600 });
}

/** Removes the record on stop, unless another engine has written its own over it since. */
export function removeEngineRecord(dataDir: string): void {
  const recordPath = join(dataDir, ENGINE_FILE);
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as EngineRecord;
    if (record.pid === process.pid) rmSync(recordPath, { force: true });
  } catch {
    /* nothing to remove */
  }
}

/**
 * Whether a process with this pid is alive: `kill(pid, 0)` succeeds, or refuses with EPERM (another
 * user's process). Used for records and folders a process leaves behind.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user — alive, just not ours to signal.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
