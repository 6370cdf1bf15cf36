// A queue of questions waiting for the user's answer in a trusted surface: consents, registrations
// (and tool approvals). Each has a deadline after which it answers itself with the timeout decision,
// so nothing waits forever and an unanswered request is refused.
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';

interface Entry<T, D> {
  item: T;
  createdAt: number;
  expiresAt: number;
  decision: D | undefined;
  waiters: Array<(decision: D) => void>;
  timer: NodeJS.Timeout;
}

export interface PendingItem<T> {
  id: string;
  item: T;
  createdAt: number;
  expiresAt: number;
}

export class PendingDecisions<T, D> {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #onTimeout: D;
  readonly #maxPending: number;
  readonly #what: string;
  readonly #entries = new Map<string, Entry<T, D>>();
  readonly #listeners = new Set<() => void>();

  constructor(options: { clock: Clock; timeoutMs: number; onTimeout: D; maxPending: number; what: string }) {
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs;
    this.#onTimeout = options.onTimeout;
    this.#maxPending = options.maxPending;
    this.#what = options.what;
  }

  /** Adds a question (idempotent per id); throws when too many are already waiting. */
  raise(id: string, item: T): PendingItem<T> {
    const existing = this.#entries.get(id);
    if (existing)
      return { id, item: existing.item, createdAt: existing.createdAt, expiresAt: existing.expiresAt };
    if (this.pending().length >= this.#maxPending) {
      throw new GatehouseError(
        'conflict',
        `Too many ${this.#what}s are waiting for an answer (${this.#maxPending}); answer or let them expire first.`,
      );
    }
    const createdAt = this.#clock.now();
    const entry: Entry<T, D> = {
      item,
      createdAt,
      expiresAt: createdAt + this.#timeoutMs,
      decision: undefined,
      waiters: [],
      timer: setTimeout(() => this.#settle(id, this.#onTimeout), this.#timeoutMs),
    };
    entry.timer.unref?.();
    this.#entries.set(id, entry);
    this.#changed();
    return { id, item, createdAt, expiresAt: entry.expiresAt };
  }

  get(id: string): (PendingItem<T> & { decision: D | undefined }) | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    return {
      id,
      item: entry.item,
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
      decision: entry.decision,
    };
  }

  /** Questions still waiting for an answer, oldest first. */
  pending(): Array<PendingItem<T>> {
    const result: Array<PendingItem<T>> = [];
    for (const [id, entry] of this.#entries) {
      if (entry.decision === undefined)
        result.push({ id, item: entry.item, createdAt: entry.createdAt, expiresAt: entry.expiresAt });
    }
    return result;
  }

  /** Answers a waiting question; throws not_found / conflict with a sentence for the user. */
  decide(id: string, decision: D): PendingItem<T> {
    const entry = this.#entries.get(id);
    if (!entry)
      throw new GatehouseError(
        'not_found',
        `No ${this.#what} with id ${id} is waiting (it may have expired).`,
      );
    if (entry.decision !== undefined)
      throw new GatehouseError('conflict', `That ${this.#what} was already answered.`);
    this.#settle(id, decision);
    return { id, item: entry.item, createdAt: entry.createdAt, expiresAt: entry.expiresAt };
  }

  /** Resolves with the decision once there is one (at once if already decided). */
  wait(id: string): Promise<D> {
    const entry = this.#entries.get(id);
    if (!entry) return Promise.reject(new GatehouseError('not_found', `No ${this.#what} with id ${id}.`));
    if (entry.decision !== undefined) return Promise.resolve(entry.decision);
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Forgets a settled question (its outcome has been delivered). */
  forget(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(id);
    if (entry.decision === undefined) this.#changed();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels every timer (engine shutdown). */
  close(): void {
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#entries.clear();
  }

  #settle(id: string, decision: D): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.decision !== undefined) return;
    clearTimeout(entry.timer);
    entry.decision = decision;
    // A settled entry lingers until its outcome is delivered or the deadline passes again, so a
    // browser reloading its waiting page still learns the answer.
    const linger = setTimeout(() => this.#entries.delete(id), this.#timeoutMs);
    linger.unref?.();
    entry.timer = linger;
    for (const waiter of entry.waiters.splice(0)) waiter(decision);
    this.#changed();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
