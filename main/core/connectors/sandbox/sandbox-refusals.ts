// What the sandbox refused each server, from the sandbox's own record and never from what a server
// prints: a connection its proxy refused (sandbox-network.ts), a write the OS sandbox refused as
// apply-seccomp saw it attempted (Linux), a bound it hit. Each refusal names the path or host and the
// one command that grants it, or says why it cannot be granted. They are counted per connector;
// the surfaces are told of each target once per minute with the count since, and a server that
// invents targets by the hundred is summed up, not listed.
import type { Clock } from '../../effects.js';

/** What kind of thing was refused. */
export type RefusalKind = 'write' | 'host' | 'bound';

/** What grants a refused target: a folder to write, a public host, a local service. */
export interface RefusalGrant {
  kind: 'folder' | 'domain' | 'local';
  value: string;
}

/** One refused target of one connector, with how often. */
export interface Refusal {
  kind: RefusalKind;
  /** The path, `host:port`, or the bound's name. */
  target: string;
  /** Why, in words: "it is outside its workspace". */
  reason: string;
  /** The command that grants it, or null where nothing may. */
  grant: string | null;
  /** The same grant as a setting (for the window's one-click allow), or null. */
  allow: RefusalGrant | null;
  count: number;
  lastAt: number;
}

/** A refusal as the surfaces are told of it: the sentence, and how many since the last time. */
export interface RefusalNotice {
  connector: string;
  refusal: Refusal;
  /** Tries since the surfaces last heard of this target (1 the first time). */
  since: number;
  sentence: string;
}

/**
 * How many distinct targets a connector's record keeps, and how many new ones of each kind (writes,
 * hosts) it tells per minute.
 */
const KEPT_PER_CONNECTOR = 50;
const TOLD_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

interface Book {
  refusals: Map<string, Refusal & { untold: number; toldAt: number }>;
  /** Targets past KEPT_PER_CONNECTOR: counted, not kept. */
  others: number;
  /** New targets of each kind told this minute, when the minute began, and the ones summed up. */
  told: Record<RefusalKind, { count: number; since: number; summed: number }>;
}

/** The sentence for a refusal: what, why, and how to grant it. */
export function refusalSentence(
  connector: string,
  refusal: Pick<Refusal, 'kind' | 'target' | 'reason' | 'grant'>,
): string {
  const what =
    refusal.kind === 'write'
      ? `a write to ${refusal.target}`
      : refusal.kind === 'host'
        ? `a connection to ${refusal.target}`
        : refusal.target;
  const fix = refusal.grant === null ? '' : ` To allow it: ${refusal.grant}`;
  return `The sandbox refused ${connector} ${what}: ${refusal.reason}.${fix}`;
}

/**
 * Every connector's refusals since the engine started, and the listeners that hear of them: the
 * audit (once per target per minute) and the tool calls in flight (every one).
 */
export class SandboxRefusals {
  readonly #clock: Clock;
  readonly #books = new Map<string, Book>();
  readonly #onNotice: (notice: RefusalNotice) => void;
  readonly #listeners = new Map<string, Set<(refusal: Refusal) => void>>();
  #flush: ReturnType<typeof setTimeout> | undefined;

  constructor(options: { clock: Clock; onNotice(notice: RefusalNotice): void }) {
    this.#clock = options.clock;
    this.#onNotice = options.onNotice;
  }

  /** Records one refused attempt. */
  record(connector: string, refused: Pick<Refusal, 'kind' | 'target' | 'reason' | 'grant' | 'allow'>): void {
    const now = this.#clock.now();
    const book = this.#book(connector);
    const key = `${refused.kind}:${refused.target}`;
    let entry = book.refusals.get(key);
    if (!entry) {
      if (book.refusals.size >= KEPT_PER_CONNECTOR) {
        book.others += 1;
        this.#tellListeners(connector, { ...refused, count: 1, lastAt: now });
        return;
      }
      entry = { ...refused, count: 0, lastAt: now, untold: 0, toldAt: 0 };
      book.refusals.set(key, entry);
    }
    entry.count += 1;
    entry.lastAt = now;
    entry.reason = refused.reason;
    entry.untold += 1;
    this.#tellListeners(connector, entry);
    if (entry.toldAt === 0) {
      const told = book.told[refused.kind];
      if (now - told.since >= MINUTE_MS) {
        told.count = 0;
        told.since = now;
      }
      if (told.count >= TOLD_PER_MINUTE) {
        // A flood of new targets: counted, and summed up when the minute is over.
        told.summed += 1;
        entry.toldAt = now;
        entry.untold = 0;
        this.#later();
        return;
      }
      told.count += 1;
      this.#tell(connector, entry, now);
    } else if (now - entry.toldAt >= MINUTE_MS) this.#tell(connector, entry, now);
    else this.#later();
  }

  /** What a connector was refused, most tried first, and how many more targets were not kept. */
  of(connector: string): { refusals: Refusal[]; others: number } {
    const book = this.#books.get(connector);
    if (!book) return { refusals: [], others: 0 };
    const refusals = [...book.refusals.values()]
      .map(({ kind, target, reason, grant, allow, count, lastAt }) => ({
        kind,
        target,
        reason,
        grant,
        allow,
        count,
        lastAt,
      }))
      .sort((a, b) => b.count - a.count);
    return { refusals, others: book.others };
  }

  /** Forgets a connector's refusals of one kind (after the user granted more), or all of them. */
  forget(connector: string, kind?: RefusalKind): void {
    const book = this.#books.get(connector);
    if (!book) return;
    if (kind === undefined) {
      this.#books.delete(connector);
      return;
    }
    for (const [key, refusal] of book.refusals) if (refusal.kind === kind) book.refusals.delete(key);
  }

  /** Hears every refusal of `connector` until the returned function is called (a call in flight). */
  listen(connector: string, listener: (refusal: Refusal) => void): () => void {
    const set = this.#listeners.get(connector) ?? new Set();
    set.add(listener);
    this.#listeners.set(connector, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(connector);
    };
  }

  /** Tells what is still untold (the minute's counts), then stops the timer. */
  close(): void {
    clearTimeout(this.#flush);
    this.#flush = undefined;
    this.#tellUntold(true);
  }

  #book(connector: string): Book {
    let book = this.#books.get(connector);
    if (!book) {
      const since = this.#clock.now();
      book = {
        refusals: new Map(),
        others: 0,
        told: {
          write: { count: 0, since, summed: 0 },
          host: { count: 0, since, summed: 0 },
          bound: { count: 0, since, summed: 0 },
        },
      };
      this.#books.set(connector, book);
    }
    return book;
  }

  #tellListeners(connector: string, refusal: Refusal): void {
    for (const listener of this.#listeners.get(connector) ?? []) listener({ ...refusal });
  }

  #tell(connector: string, entry: Refusal & { untold: number; toldAt: number }, now: number): void {
    const since = entry.untold;
    entry.untold = 0;
    entry.toldAt = now;
    const { kind, target, reason, grant, allow, count, lastAt } = entry;
    const refusal = { kind, target, reason, grant, allow, count, lastAt };
    const sentence =
      since > 1
        ? `${refusalSentence(connector, refusal)} (${since} tries in the last minute)`
        : refusalSentence(connector, refusal);
    this.#onNotice({ connector, refusal, since, sentence });
  }

  /** Tells the counts a minute has gathered, once a minute while any is untold. */
  #later(): void {
    if (this.#flush) return;
    this.#flush = setTimeout(() => {
      this.#flush = undefined;
      this.#tellUntold(false);
    }, MINUTE_MS);
    this.#flush.unref();
  }

  #tellUntold(all: boolean): void {
    const now = this.#clock.now();
    let pending = false;
    for (const [connector, book] of this.#books) {
      for (const entry of book.refusals.values()) {
        if (entry.untold === 0) continue;
        if (all || now - entry.toldAt >= MINUTE_MS) this.#tell(connector, entry, now);
        else pending = true;
      }
      for (const [kind, told] of Object.entries(book.told) as Array<
        [RefusalKind, Book['told'][RefusalKind]]
      >) {
        if (told.summed === 0) continue;
        const summed = told.summed;
        told.summed = 0;
        const things = kind === 'write' ? 'writes' : 'hosts';
        this.#onNotice({
          connector,
          refusal: {
            kind,
            target: `${summed} more ${things}`,
            reason: 'too many to list',
            grant: null,
            allow: null,
            count: summed,
            lastAt: now,
          },
          since: summed,
          sentence: `The sandbox also refused ${connector} ${summed} more ${things} in the last minute (too many to list; they are counted on the connector).`,
        });
      }
    }
    if (pending) this.#later();
  }
}
