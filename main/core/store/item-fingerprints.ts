// One fingerprint per prompt, resource, template or instructions of a connector, kept in a table of the
// database and in memory (read on every listing of a connector), written through: which definition of
// each item the user was last told about (first-sight-told.ts), or first sight last judged clean
// (first-sight-clean.ts). One row per item, so recording another definition replaces its row. Many
// records made together (`addAll`: a listing's items judged clean, or told) are written in one
// transaction. A connector's rows go with it (ON DELETE CASCADE), and `drop` forgets them in memory.
import { transaction, type Database, type Statement } from './database.js';
import type { Clock } from '../effects.js';
import type { HeldItemKind } from './first-sight-answers.js';

const group = (connector: string, kind: HeldItemKind) => `${connector}\u0000${kind}`;

/** Where the fingerprints are kept, and the stamp their rows carry (rows of another stamp are dropped). */
export interface FingerprintTable {
  table: 'first_sight_told' | 'first_sight_clean';
  /** The column of when each row was written. */
  at: 'told_at' | 'judged_at';
  stamp?: string;
}

/** One item's fingerprint to record. */
export interface ItemFingerprint {
  connector: string;
  kind: HeldItemKind;
  item: string;
  fingerprint: string;
}

/** The fingerprint recorded per item, in memory and in its table. */
export class ItemFingerprints {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #stamp: string | undefined;
  /** Per connector and kind, each item's fingerprint: the table's rows, exactly. */
  readonly #fingerprints = new Map<string, Map<string, string>>();
  readonly #upsert: Statement;
  readonly #delete: Statement;

  constructor(db: Database, clock: Clock, where: FingerprintTable) {
    const { table, at, stamp } = where;
    this.#db = db;
    this.#clock = clock;
    this.#stamp = stamp;
    const stamped = stamp === undefined ? '' : ', stamp';
    if (stamp !== undefined) db.prepare(`DELETE FROM ${table} WHERE stamp <> ?`).run(stamp);
    this.#upsert = db.prepare(`
      INSERT INTO ${table} (connector, kind, key, fingerprint${stamped}, ${at})
      VALUES (?, ?, ?, ?, ?${stamp === undefined ? '' : ', ?'})
      ON CONFLICT (connector, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        ${stamp === undefined ? '' : 'stamp = excluded.stamp, '}${at} = excluded.${at}`);
    // The keys to delete come as one JSON array: one statement, whatever their number.
    this.#delete = db.prepare(
      `DELETE FROM ${table} WHERE connector = ? AND kind = ? AND key IN (SELECT value FROM json_each(?))`,
    );
    const rows = db.prepare(`SELECT connector, kind, key, fingerprint FROM ${table}`).all() as Array<{
      connector: string;
      kind: HeldItemKind;
      key: string;
      fingerprint: string;
    }>;
    for (const row of rows) this.#items(row.connector, row.kind).set(row.key, row.fingerprint);
  }

  /** Whether this definition (`fingerprint`) of the item is the one recorded. */
  has(connector: string, kind: HeldItemKind, item: string, fingerprint: string): boolean {
    return this.#fingerprints.get(group(connector, kind))?.get(item) === fingerprint;
  }

  /** Records this definition of the item (an earlier one's record goes). */
  add(connector: string, kind: HeldItemKind, item: string, fingerprint: string): void {
    this.addAll([{ connector, kind, item, fingerprint }]);
  }

  /**
   * Records these definitions, in one transaction (one commit, however many): all of them, or — when the
   * write fails, which throws — none, in the table and in memory alike (memory changes only once the
   * transaction has committed). Those already recorded are not written again.
   */
  addAll(records: readonly ItemFingerprint[]): void {
    const fresh = records.filter(
      ({ connector, kind, item, fingerprint }) => !this.has(connector, kind, item, fingerprint),
    );
    if (fresh.length === 0) return;
    const stamp = this.#stamp === undefined ? [] : [this.#stamp];
    const now = this.#clock.now();
    const write = () => {
      for (const { connector, kind, item, fingerprint } of fresh)
        this.#upsert.run(connector, kind, item, fingerprint, ...stamp, now);
    };
    // One row is its own transaction already; more go in one, so they commit (and sync) once.
    if (fresh.length === 1) write();
    else transaction(this.#db, write);
    for (const { connector, kind, item, fingerprint } of fresh)
      this.#items(connector, kind).set(item, fingerprint);
  }

  /**
   * Keeps of the connector's records of `kind` only those of the items in `items` (the keys of a complete
   * listing): the others go, from memory and from the table in one statement (none when none goes).
   * Records of other connectors and kinds are untouched.
   */
  keepOnly(connector: string, kind: HeldItemKind, items: ReadonlySet<string>): void {
    const recorded = this.#fingerprints.get(group(connector, kind));
    if (!recorded) return;
    const gone = [...recorded.keys()].filter((item) => !items.has(item));
    if (gone.length === 0) return;
    this.#delete.run(connector, kind, JSON.stringify(gone));
    for (const item of gone) recorded.delete(item);
  }

  /** Forgets a removed connector's records (the database rows go with the connector by cascade). */
  drop(connector: string): void {
    for (const entry of [...this.#fingerprints.keys()]) {
      if (entry.startsWith(`${connector}\u0000`)) this.#fingerprints.delete(entry);
    }
  }

  #items(connector: string, kind: HeldItemKind): Map<string, string> {
    let items = this.#fingerprints.get(group(connector, kind));
    if (!items) {
      items = new Map();
      this.#fingerprints.set(group(connector, kind), items);
    }
    return items;
  }
}
