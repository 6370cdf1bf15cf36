// The preferences file, <dataDir>/preferences.json, through `conf` — for `gatehouse serve` and the
// desktop app alike. (The app used electron-store, conf's Electron wrapper; that wrapper also
// registers an IPC channel any renderer may call, `electron-store-get-data`, which Gatehouse neither
// needs nor checks, so the app opens the same file with conf directly.)
import { join } from 'node:path';
import type ConfStore from 'conf';
import { GatehouseError } from '../errors.js';
import type { KeyValueStore } from './settings-store.js';

/** The preferences in `dataDir`; a file conf cannot read is an error that names it. */
export function openPreferencesFile(Conf: typeof ConfStore, dataDir: string): KeyValueStore {
  let conf: ConfStore;
  try {
    conf = new Conf({ cwd: dataDir, configName: 'preferences', projectName: 'gatehouse' });
  } catch (error) {
    throw new GatehouseError(
      'bad_request',
      `Gatehouse cannot read its preferences ${join(dataDir, 'preferences.json')} (${(error as Error).message}); fix or delete that file.`,
      { cause: error },
    );
  }
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) };
}
