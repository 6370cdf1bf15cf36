// One fingerprint per prompt, resource, template or instructions of a connector, kept in a table of the
// database and in memory (read on every listing of a connector), written through: which definition of
// each item the user was last told about (first-sight-told.ts), or first sight last judged clean
// (first-sight-clean.ts). One row per item, so recording another definition replaces its row.
import type { Database, Statement } from './database.js';
import type { Clock } from '../effects.js';
import type { HeldItemKind } from './first-sight-answers.js';

const key = (connector: string, kind: HeldItemKind, item: string) => `${connector}\u0000${kind}\u0000${item}`;

/** Where the fingerprints are kept, and the stamp their rows carry (rows of another stamp are dropped). */
export interface FingerprintTable {
  table: 'first_sight_told' | 'first_sight_clean';
  /** The column of when each row was written. */
  at: 'told_at' | 'judged_at';
  stamp?: string;
}

/** The fingerprint recorded per item, in memory and in its table. */
export class ItemFingerprints {
  readonly #clock: Clock;
  readonly #stamp: string | undefined;
  readonly #fingerprints = new Map<string, string>();
  readonly #upsert: Statement;

  constructor(db: Database, clock: Clock, where: FingerprintTable) {
    const { table, at, stamp } = where;
    this.#clock = clock;
    this.#stamp = stamp;
    const stamped = stamp === undefined ? '' : ', stamp';
    if (stamp !== undefined) db.prepare(`DELETE FROM ${table} WHERE stamp <> ?`).run(stamp);
    this.#upsert = db.prepare(`
      INSERT INTO ${table} (connector, kind, key, fingerprint${stamped}, ${at})
      VALUES (?, ?, ?, ?, ?${stamp === undefined ? '' : ', ?'})
      ON CONFLICT (connector, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        ${stamp === undefined ? '' : 'stamp = excluded.stamp, '}${at} = excluded.${at}`);
    const rows = db.prepare(`SELECT connector, kind, key, fingerprint FROM ${table}`).all() as Array<{
      connector: string;
      kind: HeldItemKind;
      key: string;
      fingerprint: string;
    }>;
    for (const row of rows) this.#fingerprints.set(key(row.connector, row.kind, row.key), row.fingerprint);
  }

  /** Whether this definition (`fingerprint`) of the item is the one recorded. */
  has(connector: string, kind: HeldItemKind, item: string, fingerprint: string): boolean {
    return this.#fingerprints.get(key(connector, kind, item)) === fingerprint;
  }

  /** Records this definition of the item (an earlier one's record goes). */
  add(connector: string, kind: HeldItemKind, item: string, fingerprint: string): void {
    if (this.has(connector, kind, item, fingerprint)) return;
    const stamp = this.#stamp === undefined ? [] : [this.#stamp];
    this.#upsert.run(connector, kind, item, fingerprint, ...stamp, this.#clock.now());
    this.#fingerprints.set(key(connector, kind, item), fingerprint);
  }

  /** Forgets a removed connector's records (the database rows go with the connector by cascade). */
  drop(connector: string): void {
    for (const entry of [...this.#fingerprints.keys()]) {
      if (entry.startsWith(`${connector}\u0000`)) this.#fingerprints.delete(entry);
    }
  }
}
