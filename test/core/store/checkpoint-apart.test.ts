// A long run of commits with the write-ahead log checkpointed apart: on a real database file, the run's
// commits leave the log growing (no checkpoint on the event loop), the worker thread's checkpoint after
// it copies all of it (so the next commit starts the log over and cuts it back to the size limit), and
// the connection's automatic checkpoint is what it was before.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointingApart } from '../../../main/core/store/checkpoint-apart.js';
import { openDatabase, unsyncedTransaction, type Database } from '../../../main/core/store/database.js';

const PAGE = 4096;
let dir: string;
let db: Database;

afterEach(() => {
  if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): { path: string; wal: () => number } {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoint-'));
  const path = join(dir, 'gatehouse.db');
  db = openDatabase(path);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)');
  return { path, wal: () => statSync(`${path}-wal`).size };
}

/** 50 commits of 100 rows of a page each: a log of some 5,000 pages, 20 MB, past the 16 MB limit. */
async function longRun(): Promise<void> {
  const insert = db.prepare('INSERT INTO filler (bytes) VALUES (?)');
  for (let commit = 0; commit < 50; commit++) {
    unsyncedTransaction(db, () => {
      for (let row = 0; row < 100; row++) insert.run(Buffer.alloc(PAGE - 100, commit));
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const autocheckpoint = () =>
  (db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint;

describe('checkpointingApart', () => {
  it("leaves the run's commits unchecked, then checkpoints all of it off the event loop", async () => {
    const { wal } = open();
    let during = -1;
    const result = await checkpointingApart(db, async () => {
      await longRun();
      during = autocheckpoint();
      return 'done';
    });
    expect(result).toBe('done');
    expect(during).toBe(0);
    // Past 1,000 pages without a checkpoint: the commits never copied the log back.
    expect(wal()).toBeGreaterThan(4_000 * PAGE);
    expect(autocheckpoint()).toBe(1000);
    // Everything was checkpointed: the next commit starts the log over and cuts it to 16 MB.
    db.exec("INSERT INTO filler (bytes) VALUES (x'00')");
    expect(wal()).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect((db.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n).toBe(5001);
  });

  it('turns the automatic checkpoint back on when the run fails', async () => {
    open();
    await expect(
      checkpointingApart(db, async () => {
        await longRun();
        throw new Error('the run broke');
      }),
    ).rejects.toThrow('the run broke');
    expect(autocheckpoint()).toBe(1000);
  });

  it('without the checkpoint after it, the log stays past its limit (what the test above tells apart)', async () => {
    const { wal } = open();
    db.exec('PRAGMA wal_autocheckpoint = 0');
    await longRun();
    db.exec('PRAGMA wal_autocheckpoint = 1000');
    db.exec("INSERT INTO filler (bytes) VALUES (x'00')");
    expect(wal()).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('runs the work as it is on an in-memory database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoint-'));
    db = openDatabase(':memory:');
    expect(await checkpointingApart(db, async () => 7)).toBe(7);
  });
});
