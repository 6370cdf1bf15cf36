// "Always for this client": the user's standing answers to approval prompts, per client, connector
// and tool, kept in the database and in memory for the call path's lookup.
import type { Clock } from '../effects.js';
import type { Database } from './database.js';

/** "Always for this client" answers to approval prompts. */
export class AlwaysAllowed {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #set = new Set<string>();

  constructor(db: Database, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    for (const row of db.prepare('SELECT client_id, connector, tool FROM always_allowed').all() as Array<{
      client_id: string;
      connector: string;
      tool: string;
    }>) {
      this.#set.add(key(row.client_id, row.connector, row.tool));
    }
  }

  has(clientId: string, connector: string, tool: string): boolean {
    return this.#set.has(key(clientId, connector, tool));
  }

  add(clientId: string, connector: string, tool: string): void {
    this.#db
      .prepare(
        'INSERT OR IGNORE INTO always_allowed (client_id, connector, tool, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(clientId, connector, tool, this.#clock.now());
    this.#set.add(key(clientId, connector, tool));
  }

  /** Forgets every standing permission of a client (on revoke) or of a connector (on delete). */
  forget(filter: { clientId?: string; connector?: string }): void {
    if (filter.clientId)
      this.#db.prepare('DELETE FROM always_allowed WHERE client_id = ?').run(filter.clientId);
    if (filter.connector)
      this.#db.prepare('DELETE FROM always_allowed WHERE connector = ?').run(filter.connector);
    for (const entry of [...this.#set]) {
      const [clientId, connector] = entry.split('\u0000');
      if (clientId === filter.clientId || connector === filter.connector) this.#set.delete(entry);
    }
  }
}

const key = (clientId: string, connector: string, tool: string): string =>
  `${clientId}\u0000${connector}\u0000${tool}`;
