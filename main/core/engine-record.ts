// The engine record: the small file through which a running engine tells other processes (the CLI,
// a second launch) where it listens. Kept apart from engine.ts so reading it loads nothing heavy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINE_FILE = 'engine.json';
export const API_SECRET_FILE = 'api-secret';

/** What the engine file in the data directory tells other processes about the running engine. */
export interface EngineRecord {
  pid: number;
  port: number;
  version: string;
  startedAt: number;
}

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

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user — alive, just not ours to signal.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
