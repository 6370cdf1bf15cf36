// Clients the user revoked lately, in memory: when (so the consent such a client asks next says
// "revoked by you at 00:32" instead of looking like any other), and — when the user chose it on
// revoke — until when its new authorization requests are refused without asking.
import type { Clock } from '../effects.js';

/** How long a revoke marks the client's next consent requests. */
const RECENTLY_REVOKED_MS = 60 * 60_000;

/** The longest a revoke may refuse a client's requests (a week). */
const MAX_REFUSAL_MS = 7 * 86_400_000;

/** The revokes of the last hour (and longer refusals), by client id. */
export class RevokedClients {
  readonly #clock: Clock;
  readonly #byClient = new Map<string, { at: number; refuseUntil: number | null }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The user revoked `clientId` now; `refuseForMs` refuses its authorization requests for that long. */
  record(clientId: string, refuseForMs: number | null = null): void {
    const now = this.#clock.now();
    for (const [id, entry] of this.#byClient) if (!this.#live(entry, now)) this.#byClient.delete(id);
    this.#byClient.set(clientId, {
      at: now,
      refuseUntil: refuseForMs ? now + Math.min(refuseForMs, MAX_REFUSAL_MS) : null,
    });
  }

  /** When the user revoked the client, if within the last hour (or it is still refused). */
  revokedAt(clientId: string): number | null {
    const entry = this.#byClient.get(clientId);
    return entry && this.#live(entry, this.#clock.now()) ? entry.at : null;
  }

  /** Until when the client's requests are refused without asking, or null. */
  refusedUntil(clientId: string): number | null {
    const until = this.#byClient.get(clientId)?.refuseUntil ?? null;
    return until !== null && until > this.#clock.now() ? until : null;
  }

  /** The user approved the client again (or forgot it): nothing to mark any more. */
  clear(clientId: string): void {
    this.#byClient.delete(clientId);
  }

  #live(entry: { at: number; refuseUntil: number | null }, now: number): boolean {
    return now - entry.at < RECENTLY_REVOKED_MS || (entry.refuseUntil ?? 0) > now;
  }
}
