// A long run of small commits (forgetting a flood's registrations) with the write-ahead log checkpointed
// once after it, on a thread of its own: a commit that crosses wal_autocheckpoint copies the log back
// into the database file and syncs it on the event loop, 40–70 ms on a busy disk, and a checkpoint
// beside the commits slows them as much (docs/decisions.md, "Long deletions checkpoint apart from the event loop").
import { Worker } from 'node:worker_threads';
import type { Database } from './database.js';

// The worker: its own connection on the same file, one PASSIVE checkpoint — it never waits for a reader
// or the writer (https://sqlite.org/pragma.html#pragma_wal_checkpoint). node:sqlite announces itself
// with an ExperimentalWarning on stderr: not for the user's log.
const WORKER_SOURCE = `
process.removeAllListeners('warning');
const { workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA wal_checkpoint(PASSIVE)');
db.close();
`;

/**
 * Runs `work` with the connection's automatic checkpoint off, then checkpoints what it wrote on a
 * worker thread, waits for it, and turns the automatic checkpoint back on. An in-memory database runs
 * `work` as it is.
 */
export async function checkpointingApart<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const main = (db.prepare('PRAGMA database_list').all() as Array<{ name: string; file: string }>).find(
    (row) => row.name === 'main',
  );
  if (!main?.file) return work();
  const { wal_autocheckpoint: before } = db.prepare('PRAGMA wal_autocheckpoint').get() as {
    wal_autocheckpoint: number;
  };
  db.exec('PRAGMA wal_autocheckpoint = 0');
  try {
    return await work();
  } finally {
    if (db.isOpen) {
      await checkpointOnWorker(main.file);
      db.exec(`PRAGMA wal_autocheckpoint = ${before}`);
    }
  }
}

/**
 * One PASSIVE checkpoint of the database at `file` on a worker thread; resolves when it is done. A
 * failed one loses nothing: the connection's own automatic checkpoint copies the log later.
 */
function checkpointOnWorker(file: string): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file } });
    worker.on('error', () => undefined);
    worker.once('exit', () => resolve());
  });
}
