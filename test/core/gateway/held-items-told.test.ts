// "Already told" survives a restart: the real hostile first-sight server behind a real engine, stopped
// and started again on the same data folder. Its held prompt, template and instructions are told
// (an audit row each, a notification) in the first run only; after a restart the same definitions
// are not told again, a changed definition is, and a further restart tells nothing. A removed connector
// leaves no row in either of first sight's records (told, clean) — removed by the user, or taken back
// after it did not start — and one added again under the same name inherits nothing of them in memory:
// it is told, and its clean items recorded, anew.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Effects, Notifier } from '../../../main/core/effects.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { DATABASE_FILE } from '../../../main/core/engine/engine-record.js';
import { connectorNames, startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { FIXTURES } from '../../support/paths.js';
import { memoryVault } from '../../support/memory-stores.js';

type Notification = Parameters<Notifier['notify']>[0];

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-told-'));
const vault = memoryVault();
const settings = (instructions: string) => ({
  kind: 'stdio' as const,
  command: process.execPath,
  args: [join(FIXTURES, 'first-sight-server.mjs')],
  env: { FIRST_SIGHT_INSTRUCTIONS: instructions },
});
let running: EngineFixture | undefined;

/** Starts the engine on the shared data folder; its notifications land in `notes`. */
async function start(notes: Notification[]): Promise<EngineFixture> {
  running = await startEngine({
    dataDir,
    keepDataDir: true,
    effects: {
      vault,
      notifier: { notify: (note: Notification) => void notes.push(note) },
    } as unknown as Effects,
  });
  return running;
}

async function stop(): Promise<void> {
  await running?.stop();
  running = undefined;
}

/** The "held on first sight" audit rows of the connector's prompts, templates and instructions. */
async function heldRows(fixture: EngineFixture): Promise<string[]> {
  const rows = await fixture.engine.call('audit.list', { type: 'tool.held', connector: 'hostile' });
  return rows
    .map((row) => row.reason)
    .filter((reason) => /^Held on first sight: (prompt|resource template|its instructions)/.test(reason))
    .map((reason) => reason.slice(0, reason.indexOf(': ', 'Held on first sight: '.length)))
    .sort();
}

/** Waits until the connector is connected and has listed its held items. */
async function listed(fixture: EngineFixture): Promise<void> {
  await expect
    .poll(async () => (await fixture.engine.call('tools.heldItems', { connector: 'hostile' })).length, {
      timeout: 15_000,
    })
    .toBe(3);
}

/** Works on the data folder's database beside the running engine. */
function withDatabase<T>(work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** How many rows the connector has in first sight's told and clean records, read from the database file. */
function recordRows(): { told: number; clean: number } {
  return withDatabase((db) => {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE connector = 'hostile'`).get() as { n: number }).n;
    return { told: count('first_sight_told'), clean: count('first_sight_clean') };
  });
}
/** The held prompt, template and instructions told; the clean prompt and template judged clean. */
const ALL_ROWS = { told: 3, clean: 2 };

const itemNotes = (notes: Notification[]) =>
  notes.filter((note) => note.title.startsWith('hostile: ') && note.title.endsWith('held on first sight'));

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('held items told across restarts', () => {
  it('tells each held definition once, across restarts, and a changed one again', async () => {
    const first: Notification[] = [];
    let fixture = await start(first);
    await fixture.engine.call('connectors.add', { name: 'hostile', settings: settings('poisoned') });
    await listed(fixture);
    await expect
      .poll(() => heldRows(fixture))
      .toEqual([
        'Held on first sight: its instructions',
        'Held on first sight: prompt review',
        'Held on first sight: resource template notes://{id}',
      ]);
    expect(itemNotes(first).length).toBeGreaterThan(0);
    await stop();

    // The same definitions after a restart: nothing told again.
    const second: Notification[] = [];
    fixture = await start(second);
    await listed(fixture);
    expect(await heldRows(fixture)).toHaveLength(3);
    expect(itemNotes(second)).toEqual([]);

    // The server's instructions change (still poisoned): told again, alone.
    await fixture.engine.call('connectors.edit', { name: 'hostile', settings: settings('poisoned-again') });
    await expect
      .poll(async () => (await heldRows(fixture)).filter((row) => row.endsWith('its instructions')))
      .toHaveLength(2);
    await listed(fixture);
    expect(await heldRows(fixture)).toHaveLength(4);
    expect(itemNotes(second).map((note) => note.title)).toEqual([
      'hostile: its instructions held on first sight',
    ]);
    await stop();

    // And after another restart, the changed definition is not told a second time.
    const third: Notification[] = [];
    fixture = await start(third);
    await listed(fixture);
    expect(await heldRows(fixture)).toHaveLength(4);
    expect(itemNotes(third)).toEqual([]);
  }, 90_000);

  // Removed by the user, or taken back by the manager as connectors.add and catalog.add take back one
  // that did not start: either way the rows go, and one added again is told and recorded anew.
  it.each([
    ['removed', (fixture: EngineFixture) => fixture.engine.call('connectors.remove', { name: 'hostile' })],
    [
      'taken back',
      (fixture: EngineFixture) => engineParts(fixture.engine).connectors.removeNotKept('hostile'),
    ],
  ])(
    'forgets what was told and judged with a connector %s: one added again is told again',
    async (_, remove) => {
      const notes: Notification[] = [];
      await stop();
      const fixture = await start(notes);
      await listed(fixture);
      expect(itemNotes(notes)).toEqual([]);
      expect(recordRows()).toEqual(ALL_ROWS);
      const told = (await heldRows(fixture)).length;
      await remove(fixture);
      expect(recordRows()).toEqual({ told: 0, clean: 0 });
      await fixture.engine.call('connectors.add', { name: 'hostile', settings: settings('poisoned') });
      await listed(fixture);
      await expect.poll(async () => (await heldRows(fixture)).length).toBe(told + 3);
      expect(itemNotes(notes).length).toBeGreaterThan(0);
      await expect.poll(() => recordRows()).toEqual(ALL_ROWS);
    },
    60_000,
  );

  it('tells held items when their record cannot be written: once in that run, once more in the next', async () => {
    const notes: Notification[] = [];
    await stop();
    let fixture = await start(notes);
    if ((await connectorNames(fixture.engine)).includes('hostile'))
      await fixture.engine.call('connectors.remove', { name: 'hostile' });
    const failing = 'the disk refused the told record';
    withDatabase((db) =>
      db.exec(`CREATE TRIGGER refuse_told BEFORE INSERT ON first_sight_told
        BEGIN SELECT RAISE(ABORT, '${failing}'); END`),
    );
    const before = (await heldRows(fixture)).length;
    await fixture.engine.call('connectors.add', { name: 'hostile', settings: settings('poisoned') });
    await listed(fixture);

    // Told all the same (an audit row each, a notification) and held, only not recorded: logged, with
    // the connector, never failing the listing.
    await expect.poll(async () => (await heldRows(fixture)).length).toBe(before + 3);
    expect(itemNotes(notes).length).toBeGreaterThan(0);
    expect(recordRows()).toEqual({ told: 0, clean: 2 });
    expect(
      fixture.logs.some(
        (line) =>
          line.startsWith(
            'warn first sight could not record which held definitions the user was told about',
          ) &&
          line.includes('"connector":"hostile"') &&
          line.includes(failing),
      ),
    ).toBe(true);

    // Connected again in the same run (the disk taking writes again): not told again.
    withDatabase((db) => db.exec('DROP TRIGGER refuse_told'));
    await engineParts(fixture.engine).connectors.restart('hostile');
    await listed(fixture);
    expect((await heldRows(fixture)).length).toBe(before + 3);

    // The next run tells them once more, and records them; the one after tells nothing.
    await stop();
    fixture = await start(notes);
    await listed(fixture);
    await expect.poll(() => recordRows()).toEqual(ALL_ROWS);
    expect((await heldRows(fixture)).length).toBe(before + 6);
    await stop();
    fixture = await start(notes);
    await listed(fixture);
    expect((await heldRows(fixture)).length).toBe(before + 6);
  }, 90_000);
});
