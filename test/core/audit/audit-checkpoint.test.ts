// The audit connection never checkpoints on SQLite's schedule (every ~1,000 WAL pages, each time with
// an fsync on the event loop) but on the audit log's: once AUDIT_CHECKPOINT_MS has passed, the next
// batch copies the WAL into the database file. Seen in the database file's size on a
// real data folder.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/core/audit/audit-log.js';
import { openDatabase, type Database } from '../../../main/core/store/database.js';

/** How often the audit log checkpoints its write-ahead log (audit-log.ts). */
const AUDIT_CHECKPOINT_MS = 30_000;

const open: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('audit checkpoints', () => {
  it('keeps audit rows in the WAL past 1,000 pages until the audit log’s own checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-checkpoint-'));
    dirs.push(dir);
    const file = join(dir, 'gatehouse.db');
    const main = openDatabase(file);
    const auditDb = openDatabase(file, 'normal');
    open.push(auditDb, main);
    let now = 1_000_000;
    const audit = new AuditLog(auditDb, { now: () => now }, () => null);
    const size = () => statSync(file).size;
    const before = size();
    const wal = () => statSync(`${file}-wal`).size;

    // ~2,000 rows of 2 KB: well past SQLite's automatic checkpoint at 1,000 pages (4 MB).
    for (let batch = 0; batch < 20; batch++) {
      for (let i = 0; i < 100; i++) {
        audit.record({
          type: 'tool.call',
          decision: 'allow',
          reason: 'test',
          detail: { text: 'x'.repeat(2_000) },
        });
      }
      audit.flush();
      now += 1_000;
    }
    expect(wal()).toBeGreaterThan(1_000 * 4_096);
    expect(size()).toBe(before);

    now += AUDIT_CHECKPOINT_MS;
    audit.record({ type: 'tool.call', decision: 'allow', reason: 'after the interval' });
    audit.flush();
    expect(size()).toBeGreaterThan(before + 2_000 * 2_000);
    expect(audit.query({ limit: 3000 })).toHaveLength(2_001);
  });
});
