// An engine with one stdio connector run from a fixture server that notes what it does, a line at a
// time, in calls.log in a folder of its own (call-watch-server.mjs, late-asking-server.mjs); the access
// ceiling is write and none of its tools asks for approval.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SettingsPatch } from '../../main/core/api/settings-contract.js';
import { startEngine, type EngineFixture } from './engine-fixture.js';
import { FIXTURES } from './paths.js';

/** The engine, the fixture server's folder (the caller removes it) and what the server noted. */
export interface CallLogEngine {
  fixture: EngineFixture;
  folder: string;
  /** The lines the server has noted so far, in order. */
  calls(): string[];
}

/** Starts the engine with `server` (a file in test/fixtures) as the connector `connector`. */
export async function startCallLogEngine(
  connector: string,
  server: string,
  settings: SettingsPatch = {},
): Promise<CallLogEngine> {
  const folder = mkdtempSync(join(tmpdir(), 'gatehouse-call-log-'));
  const log = join(folder, 'calls.log');
  writeFileSync(log, '');
  const fixture = await startEngine();
  const { engine } = fixture;
  await engine.call('settings.set', { accessCeiling: 'write', ...settings });
  const added = await engine.call('connectors.add', {
    name: connector,
    settings: { kind: 'stdio', command: process.execPath, args: [join(FIXTURES, server), folder] },
    // The command line is the test's own words, as a user's in the window or the CLI: its folder is granted.
    grantCommandLine: true,
  });
  expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  for (const listed of await engine.call('tools.list', { connector }))
    await engine.call('tools.set', { connector, tool: listed.name, approval: 'never' });
  return { fixture, folder, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
