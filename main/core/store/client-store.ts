// Gatehouse's view of every client that registered (DCR), presented a metadata document (CIMD) or was
// registered by hand: name, kind, redirect URIs, and when it was last used. Last-used times are kept
// in memory on the hot path and flushed to disk in batches.
import type { Database, Statement } from './database.js';
import type { RegistrationKind } from '../api/contract.js';
import { setupClient as setupClientSchema, type SetupClientName } from '../api/client-setup-contract.js';
import type { Clock } from '../effects.js';
import { checkpointingApart } from './checkpoint-apart.js';
import { transaction, unsyncedTransaction } from './database.js';

/** A client Gatehouse knows, as stored. */
export interface ClientRecord {
  clientId: string;
  kind: RegistrationKind;
  name: string;
  redirectUris: string[];
  createdAt: number;
  lastUsedAt: number | null;
  /**
   * The app whose Gatehouse-written config entry this client's requests came through (the entry
   * sends a marker header, `X-Gatehouse-Client`), or null: how "Connect a client" knows which
   * registered client is VS Code without trusting the name it chose.
   */
  setupClient: SetupClientName | null;
}

interface ClientRow {
  client_id: string;
  kind: string;
  name: string;
  redirect_uris: string;
  created_at: number;
  last_used_at: number | null;
  setup_client: string | null;
}

/**
 * Every known client, held in memory and written through (last-used times flushed in batches); listeners
 * hear each change.
 */
export class ClientStore {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #byId = new Map<string, ClientRecord>();
  readonly #dirtyLastUsed = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #insert: Statement;
  readonly #delete: Statement;
  readonly #touch: Statement;
  readonly #setSetupClient: Statement;

  constructor(db: Database, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.#insert = db.prepare(
      `INSERT INTO clients (client_id, kind, name, redirect_uris, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, NULL)
       ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, redirect_uris = excluded.redirect_uris`,
    );
    this.#delete = db.prepare('DELETE FROM clients WHERE client_id = ?');
    this.#touch = db.prepare('UPDATE clients SET last_used_at = ? WHERE client_id = ?');
    this.#setSetupClient = db.prepare('UPDATE clients SET setup_client = ? WHERE client_id = ?');
    for (const row of db.prepare('SELECT * FROM clients').all() as unknown as ClientRow[]) {
      this.#byId.set(row.client_id, {
        clientId: row.client_id,
        kind: row.kind as RegistrationKind,
        name: row.name,
        redirectUris: JSON.parse(row.redirect_uris) as string[],
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        setupClient: isSetupClient(row.setup_client) ? row.setup_client : null,
      });
    }
  }

  get(clientId: string): ClientRecord | undefined {
    return this.#byId.get(clientId);
  }

  list(): ClientRecord[] {
    return [...this.#byId.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Every client in no particular order: cheaper than `list` where the order does not matter. */
  records(): ClientRecord[] {
    return [...this.#byId.values()];
  }

  /** How many clients are registered. */
  count(): number {
    return this.#byId.size;
  }

  /** Records a client (or refreshes its name and redirect URIs); returns true if it is new. */
  upsert(entry: { clientId: string; kind: RegistrationKind; name: string; redirectUris: string[] }): boolean {
    const existing = this.#byId.get(entry.clientId);
    if (
      existing &&
      existing.name === entry.name &&
      JSON.stringify(existing.redirectUris) === JSON.stringify(entry.redirectUris)
    ) {
      return false;
    }
    const createdAt = existing?.createdAt ?? this.#clock.now();
    this.#insert.run(entry.clientId, entry.kind, entry.name, JSON.stringify(entry.redirectUris), createdAt);
    this.#byId.set(entry.clientId, {
      ...entry,
      kind: existing?.kind ?? entry.kind,
      createdAt,
      lastUsedAt: existing?.lastUsedAt ?? null,
      setupClient: existing?.setupClient ?? null,
    });
    this.#changed();
    return existing === undefined;
  }

  remove(clientId: string): void {
    this.#delete.run(clientId);
    this.#byId.delete(clientId);
    this.#dirtyLastUsed.delete(clientId);
    this.#changed();
  }

  /**
   * Forgets many registrations nobody used in one transaction — one commit, not one each, and not
   * synced to disk (unsyncedTransaction: one that comes back after a power loss is forgotten again) —
   * with what goes with each (`alongside`: its registration in the authorization server's storage,
   * on this same database) in the same transaction; listeners hear once.
   */
  forgetUnused(clientIds: readonly string[], alongside: (clientId: string) => void): void {
    if (clientIds.length === 0) return;
    unsyncedTransaction(this.#db, () => {
      for (const clientId of clientIds) {
        alongside(clientId);
        this.#delete.run(clientId);
      }
    });
    for (const clientId of clientIds) {
      this.#byId.delete(clientId);
      this.#dirtyLastUsed.delete(clientId);
    }
    this.#changed();
  }

  /**
   * Runs a forgetting of many (`work`, calling forgetUnused slice by slice) with the write-ahead log
   * checkpointed on a worker thread, not by the commits on the event loop (store/checkpoint-apart.ts).
   */
  whileForgetting<T>(work: () => Promise<T>): Promise<T> {
    return checkpointingApart(this.#db, work);
  }

  /** Hears about clients added, renamed or removed (not last-used updates). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /**
   * Marks the client used now (memory only: `flushLastUsed` persists it), and, when the request
   * carried a setup marker, which app's entry it came through (persisted at once when it changes).
   */
  touch(clientId: string, at: number, setupClient?: SetupClientName): void {
    const record = this.#byId.get(clientId);
    if (!record) return;
    record.lastUsedAt = at;
    this.#dirtyLastUsed.add(clientId);
    if (setupClient && record.setupClient !== setupClient) {
      this.#setSetupClient.run(setupClient, clientId);
      record.setupClient = setupClient;
      this.#changed();
    }
  }

  /**
   * Writes the last-used times changed since the previous flush, in one transaction (the engine calls it
   * every 30 s and at stop).
   */
  flushLastUsed(): void {
    if (this.#dirtyLastUsed.size === 0) return;
    transaction(this.#db, () => {
      for (const clientId of this.#dirtyLastUsed) {
        const record = this.#byId.get(clientId);
        if (record) this.#touch.run(record.lastUsedAt, clientId);
      }
    });
    this.#dirtyLastUsed.clear();
  }
}

/** Whether a value names an app "Connect a client" sets up (the marker header's values). */
export function isSetupClient(value: unknown): value is SetupClientName {
  return setupClientSchema.safeParse(value).success;
}
