// The clients the user revoked, kept durably like grants (a revoke and its refusal are access
// decisions): when (so the consent such a client asks next says "revoked by you at 00:32" instead of
// looking like any other), and — when the user chose it on revoke — until when its new authorization
// requests are refused without asking. Held in memory for the per-request check, written through.
import type { Clock } from '../effects.js';
import type { Database, Statement } from './database.js';

/** How long a revoke marks the client's next consent requests. */
const RECENTLY_REVOKED_MS = 60 * 60_000;

/** The longest a revoke may refuse a client's requests (a week). */
const MAX_REFUSAL_MS = 7 * 86_400_000;

/** What is kept of one revoke: when, and until when the client's requests are refused (or null). */
export interface ClientRevocation {
  revokedAt: number;
  refusedUntil: number | null;
}

/** When a revoke stops counting: an hour after it, or when its refusal ends if that is later. */
export function revocationEnds(revocation: ClientRevocation): number {
  return Math.max(revocation.revokedAt + RECENTLY_REVOKED_MS, revocation.refusedUntil ?? 0);
}

interface RevocationRow {
  client_id: string;
  revoked_at: number;
  refuse_until: number | null;
}

/** The revokes of the last hour and the refusals still running, by client id, in the database. */
export class RevokedClients {
  readonly #clock: Clock;
  readonly #byClient = new Map<string, ClientRevocation>();
  readonly #upsert: Statement;
  readonly #delete: Statement;

  constructor(db: Database, clock: Clock) {
    this.#clock = clock;
    this.#upsert = db.prepare(
      `INSERT INTO client_revocations (client_id, revoked_at, refuse_until) VALUES (?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET revoked_at = excluded.revoked_at, refuse_until = excluded.refuse_until`,
    );
    this.#delete = db.prepare('DELETE FROM client_revocations WHERE client_id = ?');
    const rows = db.prepare('SELECT * FROM client_revocations').all() as unknown as RevocationRow[];
    for (const row of rows)
      this.#byClient.set(row.client_id, { revokedAt: row.revoked_at, refusedUntil: row.refuse_until });
    this.#forgetEnded(clock.now());
  }

  /** The user revoked `clientId` now; `refuseForMs` refuses its authorization requests for that long. */
  record(clientId: string, refuseForMs: number | null = null): void {
    const now = this.#clock.now();
    this.#forgetEnded(now);
    const revocation = {
      revokedAt: now,
      refusedUntil: refuseForMs ? now + Math.min(refuseForMs, MAX_REFUSAL_MS) : null,
    };
    this.#upsert.run(clientId, revocation.revokedAt, revocation.refusedUntil);
    this.#byClient.set(clientId, revocation);
  }

  /** The client's revoke while it still counts (the last hour, or a refusal still running), else null. */
  of(clientId: string): ClientRevocation | null {
    const revocation = this.#byClient.get(clientId);
    if (!revocation) return null;
    const now = this.#clock.now();
    if (!live(revocation, now)) return null;
    return {
      revokedAt: revocation.revokedAt,
      refusedUntil: (revocation.refusedUntil ?? 0) > now ? revocation.refusedUntil : null,
    };
  }

  /** When the user revoked the client, if within the last hour (or it is still refused). */
  revokedAt(clientId: string): number | null {
    return this.of(clientId)?.revokedAt ?? null;
  }

  /** Until when the client's requests are refused without asking, or null. */
  refusedUntil(clientId: string): number | null {
    return this.of(clientId)?.refusedUntil ?? null;
  }

  /** The user approved the client again, forgot it, or stopped refusing it: nothing to mark any more. */
  clear(clientId: string): void {
    if (!this.#byClient.has(clientId)) return;
    this.#delete.run(clientId);
    this.#byClient.delete(clientId);
  }

  #forgetEnded(now: number): void {
    for (const [clientId, revocation] of this.#byClient) if (!live(revocation, now)) this.clear(clientId);
  }
}

function live(revocation: ClientRevocation, now: number): boolean {
  return revocationEnds(revocation) > now;
}
