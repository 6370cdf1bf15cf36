// Self-registration is open to every local process, so the client table needs a bound — but a bound
// that refuses newcomers is one a flood can turn against everyone (a process that changes its name on
// every request is a new "source" each time). Instead, past the bound the oldest registration nobody
// has used is forgotten: a client that registers and goes on to authorize is "used" from its first
// consent request, so a flood only ever evicts its own leftovers (docs/decisions.md, "Fair queues").
// A registration younger than a few minutes, or whose authorization is under way, is never forgotten
// — a flood cannot erase a client between its registration and its browser reaching /auth — and the
// evictions of a minute are one row of the activity log, not one each.
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../effects.js';
import type { ClientRecord, ClientStore } from '../store/client-store.js';
import type { GrantStore } from '../store/grant-store.js';
import { count, durationText } from '../text.js';

/** Self-registered clients kept while nobody has used them, by default. */
const DEFAULT_MAX_UNUSED_REGISTRATIONS = 200;
/** A registration this young is never forgotten: its client may be on its way to /auth. */
const REGISTRATION_GRACE_MS = 5 * 60_000;
/** An authorization started this long ago (and not ended) still protects its client. */
const AUTHORIZATION_UNDER_WAY_MS = 15 * 60_000;
/** Evictions are summed up in one activity row at most this often. */
const SUMMARY_EVERY_MS = 60_000;
/** Registrations a summary row names; the rest are counted. */
const NAMED_IN_SUMMARY = 10;

/** What forgetting unused registrations reads (clients, grants, waiting consents) and how it deletes one. */
export interface UnusedRegistrationsOptions {
  clients: ClientStore;
  grants: GrantStore;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** Whether a consent request of this client waits for the user. */
  waiting(clientId: string): boolean;
  /** Deletes the client's registration from the authorization server's storage. */
  deleteRegistration(clientId: string): Promise<void>;
  /** How many unused self-registrations to keep at most. */
  max?: number;
}

/** Keeps the self-registered clients nobody has used under a bound, oldest first out. */
export class UnusedRegistrations {
  readonly #options: UnusedRegistrationsOptions;
  readonly #max: number;
  /** Clients whose authorization started (oidc-provider's interaction) and has not ended: when. */
  readonly #underWay = new Map<string, number>();
  #running = false;
  #again = false;
  /** Evictions not yet in the activity log, and when the last summary row was written. */
  #pending: { count: number; named: string[] } = { count: 0, named: [] };
  #summarizedAt = Number.NEGATIVE_INFINITY;
  #summaryTimer: NodeJS.Timeout | undefined;

  constructor(options: UnusedRegistrationsOptions) {
    this.#options = options;
    this.#max = options.max ?? DEFAULT_MAX_UNUSED_REGISTRATIONS;
  }

  /**
   * A dynamic registration that was never used: no grant ever (active or not), never seen at /mcp,
   * no consent waiting. Metadata-document and hand-registered clients are never counted.
   */
  isUnused(record: ClientRecord): boolean {
    return (
      record.kind === 'dcr' &&
      record.lastUsedAt === null &&
      !this.#options.waiting(record.clientId) &&
      this.#options.grants.forClient(record.clientId).length === 0
    );
  }

  /** The client's browser reached /auth and was sent on to the consent page. */
  authorizationStarted(clientId: string): void {
    this.#underWay.delete(clientId);
    this.#underWay.set(clientId, this.#options.clock.now());
  }

  /** The client's authorization came back to oidc-provider with its result. */
  authorizationEnded(clientId: string): void {
    this.#underWay.delete(clientId);
  }

  /**
   * After a registration: forgets the oldest unused registrations past the bound, never one younger
   * than REGISTRATION_GRACE_MS nor one whose authorization is under way (so the table may hold more
   * for a few minutes of flooding). Registrations arriving while it works are handled in the same run.
   */
  async makeRoom(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return 0;
    }
    this.#running = true;
    let forgotten = 0;
    try {
      do {
        this.#again = false;
        forgotten += await this.#evict();
      } while (this.#again);
    } finally {
      this.#running = false;
    }
    return forgotten;
  }

  /** Writes the evictions not yet in the activity log as one row (also on shutdown). */
  summarize(): void {
    clearTimeout(this.#summaryTimer);
    this.#summaryTimer = undefined;
    const { count: evicted, named } = this.#pending;
    if (evicted === 0) return;
    this.#pending = { count: 0, named: [] };
    this.#summarizedAt = this.#options.clock.now();
    const kept = `${count(this.#max, 'unused registration')} are kept at most`;
    const reason =
      evicted === 1
        ? `Forgot ${named[0]}: it registered and was never used, and ${kept}`
        : `Forgot ${count(evicted, 'registration')} nobody used (${named.join(', ')}${
            evicted > named.length ? `, and ${count(evicted - named.length, 'more', 'more')}` : ''
          }): ${kept}, and none younger than ${durationText(REGISTRATION_GRACE_MS)} is forgotten`;
    this.#options.audit.record({
      type: 'client.registration_evicted',
      clientId: null,
      decision: 'info',
      reason,
      detail: { count: evicted },
    });
  }

  async #evict(): Promise<number> {
    const now = this.#options.clock.now();
    for (const [clientId, since] of this.#underWay) {
      if (now - since < AUTHORIZATION_UNDER_WAY_MS) break;
      this.#underWay.delete(clientId);
    }
    // A summary held back for its minute goes out with the first registration after it.
    if (this.#pending.count > 0 && now >= this.#summarizedAt + SUMMARY_EVERY_MS) this.summarize();
    const unused = this.#options.clients.list().filter((record) => this.isUnused(record));
    const excess = unused.length - this.#max;
    if (excess <= 0) return 0;
    const evictable = unused
      .filter(
        (record) => now - record.createdAt >= REGISTRATION_GRACE_MS && !this.#underWay.has(record.clientId),
      )
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, excess);
    for (const record of evictable) {
      await this.#options.deleteRegistration(record.clientId);
      this.#options.clients.remove(record.clientId);
      this.#evicted(record);
    }
    return evictable.length;
  }

  #evicted(record: ClientRecord): void {
    this.#pending.count += 1;
    if (this.#pending.named.length < NAMED_IN_SUMMARY)
      this.#pending.named.push(`${record.name} (${record.clientId})`);
    const due = this.#summarizedAt + SUMMARY_EVERY_MS;
    if (this.#options.clock.now() >= due) {
      this.summarize();
    } else if (!this.#summaryTimer) {
      this.#summaryTimer = setTimeout(() => this.summarize(), due - this.#options.clock.now());
      this.#summaryTimer.unref();
    }
  }
}
