// The preferences file on a real disk: read once, rewritten whole on every change in conf's format
// (so files written by earlier versions keep working), and refused with a sentence naming it when broken.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../../main/core/errors.js';
import { openPreferencesFile } from '../../../main/core/store/preferences-file.js';
import { Settings } from '../../../main/core/store/settings-store.js';

let dataDir: string;
let file: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-preferences-'));
  file = join(dataDir, 'preferences.json');
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function refusal(open: () => unknown): GatehouseError {
  try {
    open();
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a GatehouseError');
}

describe('openPreferencesFile', () => {
  it('starts empty without a file, and writes nothing until a value is set', () => {
    const store = openPreferencesFile(dataDir);
    expect(store.get('port')).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([]);
    expect(new Settings(store).get().accessCeiling).toBe('read');
  });

  it('saves each change at once, tab-indented as conf wrote it, readable by the next open', () => {
    const settings = new Settings(openPreferencesFile(dataDir));
    settings.update({ accessCeiling: 'write', port: 43_111 });
    expect(readFileSync(file, 'utf8')).toBe('{\n\t"accessCeiling": "write",\n\t"port": 43111\n}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['preferences.json']);
    const reopened = new Settings(openPreferencesFile(dataDir)).get();
    expect(reopened).toMatchObject({ accessCeiling: 'write', port: 43_111 });
  });

  it('reads a file conf wrote and keeps the keys it does not know when it rewrites it', () => {
    writeFileSync(file, '{\n\t"paused": true,\n\t"windowBounds": {\n\t\t"width": 900\n\t}\n}');
    const store = openPreferencesFile(dataDir);
    expect(store.get('paused')).toBe(true);
    store.set('paused', false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ paused: false, windowBounds: { width: 900 } });
  });

  it('forgets a key set to undefined', () => {
    const store = openPreferencesFile(dataDir);
    store.set('port', 43_000);
    store.set('port', undefined);
    expect(store.get('port')).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });

  it('refuses a file that is not JSON, naming it, and leaves it as it was', () => {
    writeFileSync(file, '{"port": 43000,');
    const error = refusal(() => openPreferencesFile(dataDir));
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(
      new RegExp(
        `^Gatehouse cannot read its preferences ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\); fix or delete that file\\.$`,
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe('{"port": 43000,');
  });

  it('refuses JSON that is not an object', () => {
    writeFileSync(file, '[1, 2]');
    expect(refusal(() => openPreferencesFile(dataDir)).message).toBe(
      `Gatehouse cannot read its preferences ${file} (it holds no JSON object); fix or delete that file.`,
    );
  });

  it('a change the disk refuses is an error, is not kept, and leaves the saved file and no temporary one', () => {
    const store = openPreferencesFile(dataDir);
    store.set('port', 43_000);
    // The temporary file's name taken by a folder: the write fails even for root.
    mkdirSync(`${file}.${process.pid}.tmp`);
    const error = refusal(() => store.set('port', 44_000));
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(
      /^Gatehouse could not save its preferences to .+preferences\.json \(.*EISDIR.*\); the change was not made\.$/,
    );
    expect(store.get('port')).toBe(43_000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ port: 43_000 });
  });
});
