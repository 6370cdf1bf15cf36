// Self-registration is open to every local process, so the client table needs a bound — but a bound
// that refuses newcomers is one a flood can turn against everyone (a process that changes its name on
// every request is a new "source" each time). Instead, past the bound the oldest registration nobody
// has used is forgotten: a client that registers and goes on to authorize is "used" from its first
// consent request, so a flood only ever evicts its own leftovers (docs/decisions.md, "Registration: open, ask or closed, bounded per source and in all").
// A registration younger than a few minutes, or whose authorization is under way, is never forgotten
// — a flood cannot erase a client between its registration and its browser reaching /auth — and the
// evictions of a minute are one row of the activity log, not one each.
import type { AuditLog } from '../audit/audit-log.js';
import { SummarizedRows } from '../audit/summarized-rows.js';
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
/**
 * How long one slice of forgetting may hold the event loop before it lets others in: a table that grew
 * under a flood (tens of thousands) is forgotten over many turns, and no request waits behind it.
 */
const EVICTION_SLICE_MS = 10;
/** Registrations forgotten in one transaction at most: a small commit, which a busy disk holds briefly. */
const EVICTION_BATCH = 50;

/** What forgetting unused registrations reads (clients, grants, waiting consents) and how it deletes one. */
export interface UnusedRegistrationsOptions {
  clients: ClientStore;
  grants: GrantStore;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** Whether a consent request of this client waits for the user. */
  waiting(clientId: string): boolean;
  /**
   * Forgets these registrations: deletes them from the authorization server's storage and from the
   * client table, in one transaction.
   */
  forget(clientIds: readonly string[]): void;
  /**
   * Runs the slices of one forgetting (`work`) so that their commits do not checkpoint the
   * write-ahead log on the event loop.
   */
  whileForgetting<T>(work: () => Promise<T>): Promise<T>;
  /** How many unused self-registrations to keep at most. */
  max?: number;
}

/** Keeps the self-registered clients nobody has used under a bound, oldest first out. */
export class UnusedRegistrations {
  readonly #options: UnusedRegistrationsOptions;
  readonly #max: number;
  /** Clients whose authorization started (oidc-provider's interaction) and has not ended: when. */
  readonly #underWay = new Map<string, number>();
  /** The forgetting under way, if any: shutdown waits for it (and its checkpoint thread). */
  #run: Promise<number> | undefined;
  #again = false;
  #stopped = false;
  /** The activity log's rows: the first forgotten of a minute named, the rest summed up. */
  readonly #rows: SummarizedRows;
  /**
   * Until when no unused registration can be forgotten (the youngest excess are in their grace): a
   * flood's registrations do not each look through the whole table for nothing.
   */
  #quietUntil = Number.NEGATIVE_INFINITY;

  constructor(options: UnusedRegistrationsOptions) {
    this.#options = options;
    this.#max = options.max ?? DEFAULT_MAX_UNUSED_REGISTRATIONS;
    const kept = `${count(this.#max, 'unused registration')} are kept at most`;
    this.#rows = new SummarizedRows({
      audit: options.audit,
      clock: options.clock,
      ownRowsPerMinute: 1,
      summary: (evicted, named) => ({
        type: 'client.registration_evicted',
        clientId: null,
        decision: 'info',
        reason:
          evicted === 1
            ? `Forgot ${named[0]}: it registered and was never used, and ${kept}`
            : `Forgot ${count(evicted, 'registration')} nobody used (${named.join(', ')}${
                evicted > named.length ? `, and ${count(evicted - named.length, 'more', 'more')}` : ''
              }): ${kept}, and none younger than ${durationText(REGISTRATION_GRACE_MS)} is forgotten`,
        detail: { count: evicted },
      }),
    });
  }

  /**
   * A dynamic registration that was never used: no grant ever (active or not), never seen at /mcp,
   * no consent waiting. Metadata-document and hand-registered clients are never counted. `granted`:
   * the clients holding a grant, when many are looked at in one go.
   */
  isUnused(record: ClientRecord, granted?: ReadonlySet<string>): boolean {
    return (
      record.kind === 'dcr' &&
      record.lastUsedAt === null &&
      !this.#options.waiting(record.clientId) &&
      (granted ? !granted.has(record.clientId) : this.#options.grants.forClient(record.clientId).length === 0)
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
    // Refused, it may be forgotten again: the next registration looks.
    this.#quietUntil = Number.NEGATIVE_INFINITY;
  }

  /**
   * After a registration: forgets the oldest unused registrations past the bound, never one younger
   * than REGISTRATION_GRACE_MS nor one whose authorization is under way (so the table may hold more
   * for a few minutes of flooding), in slices of EVICTION_SLICE_MS. Registrations arriving while it
   * works are handled in the same run.
   */
  makeRoom(): Promise<number> {
    if (this.#stopped) return Promise.resolve(0);
    if (this.#run) {
      this.#again = true;
      return Promise.resolve(0);
    }
    const run = (async () => {
      let forgotten = 0;
      do {
        this.#again = false;
        forgotten += await this.#evict();
      } while (this.#again && !this.#stopped);
      return forgotten;
    })();
    this.#run = run;
    const done = () => {
      if (this.#run === run) this.#run = undefined;
    };
    run.then(done, done);
    return run;
  }

  /**
   * Shutdown: no forgetting starts any more, the one under way ends after its current slice, and
   * this resolves once it has (its checkpoint thread included, which holds the database file open);
   * then the evictions not yet in the activity log go there as one row.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#run?.catch(() => undefined);
    this.#rows.flush();
  }

  async #evict(): Promise<number> {
    const now = this.#options.clock.now();
    for (const [clientId, since] of this.#underWay) {
      if (now - since < AUTHORIZATION_UNDER_WAY_MS) break;
      this.#underWay.delete(clientId);
    }
    // A summary held back for its minute goes out with the first registration after it.
    this.#rows.flushIfDue();
    // Fewer clients than the bound (a registration's usual case), or none old enough yet.
    if (this.#options.clients.count() <= this.#max || now < this.#quietUntil) return 0;
    // Looked through in slices too: a table a flood grew to tens of thousands takes some time.
    const granted = this.#options.grants.clientIds();
    const unused: ClientRecord[] = [];
    let sliceEnds = performance.now() + EVICTION_SLICE_MS;
    for (const record of this.#options.clients.records()) {
      if (performance.now() >= sliceEnds) {
        await nextTurn();
        if (this.#stopped) return 0;
        sliceEnds = performance.now() + EVICTION_SLICE_MS;
      }
      if (this.isUnused(record, granted)) unused.push(record);
    }
    const excess = unused.length - this.#max;
    if (excess <= 0) return 0;
    // The look's last slice, then choosing the oldest (a sort of tens of thousands): two blocks, not one.
    await nextTurn();
    if (this.#stopped) return 0;
    const evictable = unused
      .filter((record) => this.#forgettable(record, now))
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, excess);
    if (evictable.length === 0) {
      // Nothing can go before the first of these is past its grace, or its authorization's time.
      let next = Number.POSITIVE_INFINITY;
      for (const record of unused) {
        const since = this.#underWay.get(record.clientId);
        const free = Math.max(
          record.createdAt + REGISTRATION_GRACE_MS,
          since === undefined ? Number.NEGATIVE_INFINITY : since + AUTHORIZATION_UNDER_WAY_MS,
        );
        next = Math.min(next, free);
      }
      this.#quietUntil = next;
      return 0;
    }
    return this.#options.whileForgetting(() => this.#forgetInSlices(evictable));
  }

  /** Forgets `evictable` in slices, looking at each again before it goes. */
  async #forgetInSlices(evictable: readonly ClientRecord[]): Promise<number> {
    let forgotten = 0;
    let next = 0;
    while (next < evictable.length) {
      // Others' turn: requests (kept-alive connections included) are answered between slices.
      await nextTurn();
      if (this.#stopped) break;
      // A slice: as many as its time allows, forgotten in one transaction.
      const sliceEnds = performance.now() + EVICTION_SLICE_MS;
      const batch: ClientRecord[] = [];
      const now = this.#options.clock.now();
      while (next < evictable.length && batch.length < EVICTION_BATCH && performance.now() < sliceEnds) {
        // Looked at again: between slices it may have been used, or its authorization started.
        const current = this.#options.clients.get(evictable[next++]!.clientId);
        if (current && this.isUnused(current) && this.#forgettable(current, now)) batch.push(current);
      }
      this.#options.forget(batch.map((record) => record.clientId));
      for (const record of batch) this.#evicted(record);
      forgotten += batch.length;
    }
    return forgotten;
  }

  #evicted(record: ClientRecord): void {
    const name = `${record.name} (${record.clientId})`;
    this.#rows.add(
      {
        type: 'client.registration_evicted',
        clientId: null,
        decision: 'info',
        reason: `Forgot ${name}: it registered and was never used, and ${count(this.#max, 'unused registration')} are kept at most`,
        detail: { count: 1 },
      },
      name,
    );
  }

  /** Old enough, and no authorization of it under way. */
  #forgettable(record: ClientRecord, now: number): boolean {
    return now - record.createdAt >= REGISTRATION_GRACE_MS && !this.#underWay.has(record.clientId);
  }
}

/** Lets the event loop run what waits (sockets included) before going on. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
