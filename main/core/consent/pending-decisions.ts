// A queue of questions waiting for the user's answer in a trusted surface: consents, registrations
// (and tool approvals). Each has a deadline after which it answers itself with the timeout decision,
// so nothing waits forever and an unanswered request is refused. With `fairness`, the queue is fair
// between the sources that raise questions (clients, registration sources): each may have only a
// few waiting, and when the whole queue is full a newcomer takes the place of the oldest question of
// the source with the most waiting — a flood from one source never keeps another's question out.
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';

/** How a queue stays fair between the sources that raise its questions. */
export interface Fairness<T, D> {
  /** Who raised the question (a client id, a registration source). */
  sourceOf(item: T): string;
  /** Questions one source may have waiting at once. */
  maxPerSource: number;
  /** The source in words, for the refusal: "Flood Client". */
  describe(item: T): string;
  /** The answer a question set aside for a newcomer gets. */
  onSetAside: D;
}

interface Entry<T, D> {
  item: T;
  source: string | undefined;
  createdAt: number;
  expiresAt: number;
  decision: D | undefined;
  waiters: Array<(decision: D) => void>;
  timer: NodeJS.Timeout;
}

/** A question waiting for the user, with when it was raised and when it answers itself. */
export interface PendingItem<T> {
  id: string;
  item: T;
  createdAt: number;
  expiresAt: number;
}

/**
 * Questions of type `T` waiting for an answer of type `D`, each with a deadline; fair between sources
 * when told how.
 */
export class PendingDecisions<T, D> {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #onTimeout: D;
  readonly #maxPending: number;
  readonly #what: string;
  readonly #fairness: Fairness<T, D> | undefined;
  readonly #entries = new Map<string, Entry<T, D>>();
  readonly #listeners = new Set<() => void>();

  constructor(options: {
    clock: Clock;
    timeoutMs: number;
    onTimeout: D;
    /** Questions waiting at once, all sources together. */
    maxPending: number;
    what: string;
    fairness?: Fairness<T, D>;
  }) {
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs;
    this.#onTimeout = options.onTimeout;
    this.#maxPending = options.maxPending;
    this.#what = options.what;
    this.#fairness = options.fairness;
  }

  /** Adds a question (idempotent per id); throws when its source, or the queue, has too many waiting. */
  raise(id: string, item: T): PendingItem<T> {
    const existing = this.#entries.get(id);
    if (existing)
      return { id, item: existing.item, createdAt: existing.createdAt, expiresAt: existing.expiresAt };
    const source = this.#fairness?.sourceOf(item);
    this.#makeRoom(item, source);
    const createdAt = this.#clock.now();
    const entry: Entry<T, D> = {
      item,
      source,
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

  /** The question (waiting or answered, not yet forgotten) whose item matches, if any. */
  find(matches: (item: T) => boolean): (PendingItem<T> & { decision: D | undefined }) | undefined {
    for (const id of this.#entries.keys()) {
      const found = this.get(id);
      if (found && matches(found.item)) return found;
    }
    return undefined;
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

  /** Refuses a question its source has no room for; sets one aside when the whole queue is full. */
  #makeRoom(item: T, source: string | undefined): void {
    const waiting = [...this.#entries].filter(([, entry]) => entry.decision === undefined);
    const fairness = this.#fairness;
    const perSource = new Map<string, Array<[string, Entry<T, D>]>>();
    for (const pair of waiting) {
      const key = pair[1].source ?? '';
      perSource.set(key, [...(perSource.get(key) ?? []), pair]);
    }
    const own = source === undefined ? 0 : (perSource.get(source)?.length ?? 0);
    if (fairness && own >= fairness.maxPerSource)
      throw new GatehouseError(
        'conflict',
        `Too many ${this.#what}s from ${fairness.describe(item)} are waiting for an answer (${fairness.maxPerSource}); answer or deny them in Gatehouse, or let them expire.`,
      );
    if (waiting.length < this.#maxPending) return;
    // Full: the heaviest source gives up its oldest question (of equals, the one that raised a
    // question last: a flood is what is happening now), unless the newcomer's own source is among
    // the heaviest — then the newcomer is the one refused.
    let heaviest: Array<[string, Entry<T, D>]> | undefined;
    for (const entries of perSource.values()) {
      if (
        !heaviest ||
        entries.length > heaviest.length ||
        (entries.length === heaviest.length && entries.at(-1)![1].createdAt > heaviest.at(-1)![1].createdAt)
      )
        heaviest = entries;
    }
    if (!fairness || !heaviest || heaviest.length <= own)
      throw new GatehouseError(
        'conflict',
        `Too many ${this.#what}s are waiting for an answer (${this.#maxPending}); answer or let them expire first.`,
      );
    this.#settle(heaviest[0]![0], fairness.onSetAside);
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
