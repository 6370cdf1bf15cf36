// The preferences file, <dataDir>/preferences.json, for `gatehouse serve` and the desktop app alike: a
// flat JSON object read once when opened and rewritten whole — synced, then renamed over the old
// file — on every change, in the tab-indented format `conf` wrote it in before (docs/decisions.md,
// conf loaded ajv and semver, about 170 modules, into every engine for this one file).
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { GatehouseError } from '../errors.js';
import type { KeyValueStore } from './settings-store.js';

/** The preferences in `dataDir`; a file that cannot be read, or holds no JSON object, is an error that names it. */
export function openPreferencesFile(dataDir: string): KeyValueStore {
  const file = join(dataDir, 'preferences.json');
  const values = readPreferences(file);
  return {
    get: (key) => values.get(key),
    set: (key, value) => {
      const next = new Map(values);
      if (value === undefined) next.delete(key);
      else next.set(key, value);
      // The file first: a value the disk refused is not kept in memory as if it had been saved.
      writePreferences(dataDir, file, next);
      if (value === undefined) values.delete(key);
      else values.set(key, value);
    },
  };
}

function readPreferences(file: string): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw unreadable(file, (error as Error).message, error);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw unreadable(file, (error as Error).message, error);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw unreadable(file, 'it holds no JSON object');
  }
  return new Map(Object.entries(data));
}

function unreadable(file: string, reason: string, cause?: unknown): GatehouseError {
  return new GatehouseError(
    'bad_request',
    `Gatehouse cannot read its preferences ${file} (${reason}); fix or delete that file.`,
    { cause },
  );
}

/**
 * Writes a temporary file beside the old one, syncs it and renames it over: a crash leaves the old
 * file or the new one, never half of one, and a change of access (the ceiling, pause) is on disk
 * before it is acknowledged.
 */
function writePreferences(dataDir: string, file: string, values: ReadonlyMap<string, unknown>): void {
  const temporary = `${file}.${process.pid}.tmp`;
  let created = false;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, 'w', 0o600);
    created = true;
    try {
      writeSync(fd, JSON.stringify(Object.fromEntries(values), undefined, '\t'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    if (created) rmSync(temporary, { force: true });
    throw new GatehouseError(
      'internal',
      `Gatehouse could not save its preferences to ${file} (${(error as Error).message}); the change was not made.`,
      { cause: error },
    );
  }
}
