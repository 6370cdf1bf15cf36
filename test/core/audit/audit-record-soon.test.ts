// A row recorded "soon" (a call's outcome, made after its answer is written) is built on the
// next turn, yet no reader, flush or other row can get ahead of it: a query made at once finds it, a
// row recorded after it is numbered after it, and its time is when it was recorded. On a real database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from '../../../main/core/audit/audit-log.js';
import { openDatabase, type Database } from '../../../main/core/store/database.js';

const open: Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function auditLog(clock: { now: () => number }): AuditLog {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-soon-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'gatehouse.db'), 'normal');
  open.push(db);
  return new AuditLog(db, clock, () => null);
}

const row = (reason: string): AuditEntry => ({ type: 'tool.call', decision: 'allow', reason });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AuditLog.recordSoon', () => {
  it('builds the row on the next turn, with the time it was recorded', async () => {
    let now = 1_000;
    const audit = auditLog({ now: () => now });
    const heard: string[] = [];
    audit.onAppend((event) => heard.push(`${event.reason}@${event.at}`));
    let built = 0;
    audit.recordSoon(() => (built++, row('soon')));
    now = 1_005;
    expect(built).toBe(0);
    expect(heard).toEqual([]);
    await nextTurn();
    expect(built).toBe(1);
    expect(heard).toEqual(['soon@1000']);
    audit.close();
  });

  it('is found by a query made before its turn comes', () => {
    const audit = auditLog({ now: () => 2_000 });
    audit.recordSoon(() => row('the call’s outcome'));
    expect(audit.query({ limit: 10 }).map((event) => event.reason)).toEqual(['the call’s outcome']);
  });

  it('keeps its place before a row recorded after it, and is written by a flush', async () => {
    const audit = auditLog({ now: () => 3_000 });
    audit.recordSoon(() => row('first'));
    audit.recordSoon(() => row('second'));
    const third = audit.record(row('third'));
    audit.recordSoon(() => row('fourth'));
    audit.flush();
    await nextTurn();
    const events = audit.query({ limit: 10 });
    expect(events.map((event) => event.reason)).toEqual(['fourth', 'third', 'second', 'first']);
    expect(events.map((event) => event.id)).toEqual([4, 3, 2, 1]);
    expect(third.id).toBe(3);
  });

  it('is written when the log closes before its turn', async () => {
    const audit = auditLog({ now: () => 4_000 });
    audit.recordSoon(() => row('at close'));
    audit.close();
    const heard: string[] = [];
    audit.onAppend((event) => heard.push(event.reason));
    await nextTurn();
    expect(heard).toEqual([]);
    const db = open[0]!;
    const rows = db.prepare('SELECT reason FROM audit').all() as Array<{ reason: string }>;
    expect(rows.map((one) => one.reason)).toEqual(['at close']);
  });
});
