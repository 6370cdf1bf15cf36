// The audit log: every auth event and every decision, with its reason. Appends are buffered and
// written in one transaction per AUDIT_WRITE_WINDOW_MS, on the database's second connection, which
// does not fsync (docs/security-model.md, "Audit": what a crash can lose); readers see everything (a
// query flushes first), and listeners get each event as it happens. A row made after its call's answer
// (recordSoon) is built a turn later, but before any other row, query or flush.
import type { Database, Statement } from '../store/database.js';
import type { AuditEventView } from '../api/contract.js';
import type { Clock } from '../effects.js';
import { transaction } from '../store/database.js';

type AuditDecision = 'allow' | 'deny' | 'info';

/**
 * How long an audit row may wait in memory before it is written: what a crash of Gatehouse can lose
 * (the rule in docs/security-model.md, "Audit"; test/core/audit/audit-durability.test.ts performs it).
 */
const AUDIT_WRITE_WINDOW_MS = 50;

/**
 * How often the audit connection checkpoints the WAL into the database (which fsyncs both): the
 * bound on what an OS crash can lose of the log, and one fsync per half minute of traffic instead
 * of SQLite's automatic one every ~1,000 pages (the audit connection has it off: store/database.ts).
 */
const AUDIT_CHECKPOINT_MS = 30_000;

/** An event to record: what happened, to which client, connector or tool, the decision and why. */
export interface AuditEntry {
  type: string;
  clientId?: string | null;
  connector?: string | null;
  tool?: string | null;
  decision: AuditDecision;
  reason: string;
  detail?: Record<string, unknown>;
}

/** Which events to read back: filters, a time range, and a page (newest first, before `beforeId`). */
export interface AuditQuery {
  clientId?: string | undefined;
  connector?: string | undefined;
  tool?: string | undefined;
  type?: string | undefined;
  decision?: AuditDecision | undefined;
  since?: number | undefined;
  until?: number | undefined;
  beforeId?: number | undefined;
  limit: number;
}

interface AuditRow {
  id: number;
  at: number;
  type: string;
  client_id: string | null;
  connector: string | null;
  tool: string | null;
  decision: AuditDecision;
  reason: string;
  detail: string;
}

/**
 * The audit log: records events (buffered, written in batches), reads them back, keeps them for the
 * retention, and tells listeners.
 */
export class AuditLog {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #clientName: (clientId: string) => string | null;
  readonly #insert: Statement;
  readonly #pending: Array<Omit<AuditEventView, 'id' | 'clientName'>> = [];
  readonly #listeners = new Set<(event: AuditEventView) => void>();
  /** Rows to build on the next turn (recordSoon), oldest first, each with the time it happened. */
  readonly #soon: Array<{ at: number; entry: () => AuditEntry }> = [];
  #timer: NodeJS.Timeout | undefined;
  #checkpointedAt: number;
  #nextId: number;
  #closed = false;

  constructor(db: Database, clock: Clock, clientName: (clientId: string) => string | null) {
    this.#db = db;
    this.#clock = clock;
    this.#clientName = clientName;
    this.#insert = db.prepare(
      'INSERT INTO audit (id, at, type, client_id, connector, tool, decision, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const row = db.prepare('SELECT coalesce(max(id), 0) AS id FROM audit').get() as { id: number };
    this.#nextId = row.id + 1;
    this.#checkpointedAt = clock.now();
  }

  /** Records an event: listeners hear it at once, the database within AUDIT_WRITE_WINDOW_MS. */
  record(entry: AuditEntry): AuditEventView {
    if (this.#soon.length > 0) this.#buildSoon();
    return this.#append(entry, this.#clock.now());
  }

  /**
   * Records an event whose row can wait for the current turn to end (a call's outcome, after its
   * answer is written): `entry` is built, numbered and heard on the next turn of the event loop, or
   * earlier, before any other event is recorded, the log is read or flushed; its time is now.
   */
  recordSoon(entry: () => AuditEntry): void {
    if (this.#soon.push({ at: this.#clock.now(), entry }) === 1) setImmediate(this.#buildSoon);
  }

  readonly #buildSoon = (): void => {
    for (const { at, entry } of this.#soon.splice(0)) this.#append(entry(), at);
  };

  #append(entry: AuditEntry, at: number): AuditEventView {
    const event: AuditEventView = {
      id: this.#nextId++,
      at,
      type: entry.type,
      clientId: entry.clientId ?? null,
      clientName: entry.clientId ? this.#clientName(entry.clientId) : null,
      connector: entry.connector ?? null,
      tool: entry.tool ?? null,
      decision: entry.decision,
      reason: entry.reason,
      detail: entry.detail ?? {},
    };
    // Once closed (the engine stopped), the database is gone: listeners still hear, nothing is kept.
    if (!this.#closed) {
      this.#pending.push(event);
      // A timer made late by a busy event loop does not stretch the window: the next event writes.
      if (event.at - this.#pending[0]!.at >= AUDIT_WRITE_WINDOW_MS) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), AUDIT_WRITE_WINDOW_MS);
    }
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /** Hears every event as it is recorded; returns the function that stops listening. */
  onAppend(listener: (event: AuditEventView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes what is pending; nothing is written after this (the engine closes the database next). */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  /** Writes the events still buffered, in one transaction. */
  flush(): void {
    if (this.#soon.length > 0) this.#buildSoon();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0);
    transaction(this.#db, () => {
      for (const event of batch) {
        const { id, at, type, clientId, connector, tool, decision, reason, detail } = event as AuditEventView;
        this.#insert.run(id, at, type, clientId, connector, tool, decision, reason, JSON.stringify(detail));
      }
    });
    const now = this.#clock.now();
    if (now - this.#checkpointedAt >= AUDIT_CHECKPOINT_MS) {
      this.#checkpointedAt = now;
      // PASSIVE: never waits for a reader or the other connection's writer; what it cannot copy now
      // is copied next time (or by the main connection's own automatic checkpoint).
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    }
  }

  /** Reads events back, newest first, after writing what is buffered. */
  query(query: AuditQuery): AuditEventView[] {
    this.flush();
    const conditions: Array<[string, string | number | undefined]> = [
      ['client_id = ?', query.clientId],
      ['connector = ?', query.connector],
      ['tool = ?', query.tool],
      ['type = ?', query.type],
      ['decision = ?', query.decision],
      ['at >= ?', query.since],
      ['at < ?', query.until],
      ['id < ?', query.beforeId],
    ];
    const used = conditions.filter(
      (condition): condition is [string, string | number] => condition[1] !== undefined,
    );
    const where = used.map(([sql]) => sql);
    const params = used.map(([, value]) => value);
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...params, query.limit) as unknown as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      type: row.type,
      clientId: row.client_id,
      clientName: row.client_id ? this.#clientName(row.client_id) : null,
      connector: row.connector,
      tool: row.tool,
      decision: row.decision,
      reason: row.reason,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  }

  /** Deletes events older than the retention window. */
  prune(retentionDays: number): void {
    this.flush();
    this.#db.prepare('DELETE FROM audit WHERE at < ?').run(this.#clock.now() - retentionDays * 86_400_000);
  }
}
