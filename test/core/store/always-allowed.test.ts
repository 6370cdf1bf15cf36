// "Always for this client" answers, on a real database file: each answer is kept for exactly one
// client, connector and tool, is read back after a restart, and is forgotten on revoke (client) and
// on a connector's delete (connector), from memory and from disk alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlwaysAllowed } from '../../../main/core/store/always-allowed.js';
import { openDatabase, type Database } from '../../../main/core/store/database.js';
import { TestClock } from '../../support/engine-fixture.js';

let dir: string;
const open: Database[] = [];
const clock = new TestClock();

/** A fresh start of the store on the same database file, as after a restart of Gatehouse. */
function restart(): AlwaysAllowed {
  const db = openDatabase(join(dir, 'gatehouse.db'));
  open.push(db);
  return new AlwaysAllowed(db, clock);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-always-'));
});
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('"Always for this client" answers', () => {
  it('answer for exactly the client, connector and tool they were given for, also after a restart', () => {
    const always = restart();
    always.add('client-1', 'notes', 'save');
    always.add('client-1', 'notes', 'save'); // answered twice: still one answer, no error
    for (const store of [always, restart()]) {
      expect(store.has('client-1', 'notes', 'save')).toBe(true);
      expect(store.has('client-2', 'notes', 'save')).toBe(false);
      expect(store.has('client-1', 'files', 'save')).toBe(false);
      expect(store.has('client-1', 'notes', 'delete')).toBe(false);
    }
  });

  it('are forgotten for a revoked client only, in memory and on disk', () => {
    const always = restart();
    always.add('client-1', 'notes', 'save');
    always.add('client-1', 'files', 'read');
    always.add('client-2', 'notes', 'save');
    always.forget({ clientId: 'client-1' });
    for (const store of [always, restart()]) {
      expect(store.has('client-1', 'notes', 'save')).toBe(false);
      expect(store.has('client-1', 'files', 'read')).toBe(false);
      expect(store.has('client-2', 'notes', 'save')).toBe(true);
    }
  });

  it('are forgotten for a deleted connector only, whichever client gave them', () => {
    const always = restart();
    always.add('client-1', 'notes', 'save');
    always.add('client-2', 'notes', 'list');
    always.add('client-1', 'files', 'read');
    always.forget({ connector: 'notes' });
    for (const store of [always, restart()]) {
      expect(store.has('client-1', 'notes', 'save')).toBe(false);
      expect(store.has('client-2', 'notes', 'list')).toBe(false);
      expect(store.has('client-1', 'files', 'read')).toBe(true);
    }
  });
});
