// Which held prompts, resources, templates and instructions the user has been told about (an audit row
// and a notification), by the definition told: kept in the database, so a restart does not tell the
// same held definition again, while a definition that changes is told anew.
import type { Database, Statement } from './database.js';
import type { Clock } from '../effects.js';
import type { HeldItemKind } from './first-sight-answers.js';

const key = (connector: string, kind: HeldItemKind, item: string) => `${connector}\u0000${kind}\u0000${item}`;

/**
 * The fingerprint of the definition last told per item, held in memory (read on every listing of a
 * connector) and written through; one row per item, so an item told again replaces its row.
 */
export class FirstSightTold {
  readonly #clock: Clock;
  readonly #told = new Map<string, string>();
  readonly #upsert: Statement;

  constructor(db: Database, clock: Clock) {
    this.#clock = clock;
    this.#upsert = db.prepare(`
      INSERT INTO first_sight_told (connector, kind, key, fingerprint, told_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (connector, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        told_at = excluded.told_at`);
    const rows = db.prepare('SELECT connector, kind, key, fingerprint FROM first_sight_told').all() as Array<{
      connector: string;
      kind: HeldItemKind;
      key: string;
      fingerprint: string;
    }>;
    for (const row of rows) this.#told.set(key(row.connector, row.kind, row.key), row.fingerprint);
  }

  /** Whether the user was told about this definition (`fingerprint`) of the item. */
  has(connector: string, kind: HeldItemKind, item: string, fingerprint: string): boolean {
    return this.#told.get(key(connector, kind, item)) === fingerprint;
  }

  /** Records that the user was told about this definition of the item (an earlier one's record goes). */
  add(connector: string, kind: HeldItemKind, item: string, fingerprint: string): void {
    this.#upsert.run(connector, kind, item, fingerprint, this.#clock.now());
    this.#told.set(key(connector, kind, item), fingerprint);
  }

  /** Forgets a removed connector's records (the database rows go with the connector by cascade). */
  drop(connector: string): void {
    for (const entry of [...this.#told.keys()]) {
      if (entry.startsWith(`${connector}\u0000`)) this.#told.delete(entry);
    }
  }
}
