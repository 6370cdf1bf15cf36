// Events a flood repeats thousands of times a minute — self-registrations, their refusals, forgotten
// registrations — cost the activity log a bounded amount: the first few of each minute get a row of
// their own, the rest are counted and summed up in one row when the minute is over.
import type { Clock } from '../effects.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

/** How long one run of rows lasts: its own rows first, then one summary row for the rest. */
const SUMMARY_EVERY_MS = 60_000;
/** Events a summary row names; the rest are counted. */
const NAMED_IN_SUMMARY = 10;

/** What a summarized kind of event writes, and how many rows of its own a minute allows. */
export interface SummarizedRowsOptions {
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** Events of a minute that get a row of their own (at least 1). */
  ownRowsPerMinute: number;
  /** The row for `count` events beyond those (`named`: the first few of them, in order). */
  summary(count: number, named: readonly string[]): AuditEntry;
}

/** One kind of event in the activity log: rows of their own up to a bound a minute, then one summary. */
export class SummarizedRows {
  readonly #options: SummarizedRowsOptions;
  /** When the current minute ends (no minute open: -Infinity), and its own rows so far. */
  #until = Number.NEGATIVE_INFINITY;
  #own = 0;
  #pending: { count: number; named: string[] } = { count: 0, named: [] };
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SummarizedRowsOptions) {
    this.#options = options;
  }

  /** One event: its own row while the minute allows, else counted under `name` for the summary. */
  add(entry: AuditEntry, name: string): void {
    const now = this.#options.clock.now();
    if (now >= this.#until) {
      this.flush();
      this.#until = now + SUMMARY_EVERY_MS;
      this.#own = 0;
    }
    if (this.#own < this.#options.ownRowsPerMinute) {
      this.#own += 1;
      this.#options.audit.record(entry);
      return;
    }
    this.#pending.count += 1;
    if (this.#pending.named.length < NAMED_IN_SUMMARY) this.#pending.named.push(name);
    // The summary goes out when the minute ends even if nothing else happens (an unref'd timer).
    this.#timer ??= setTimeout(() => this.flush(), Math.max(0, this.#until - now));
    this.#timer.unref();
  }

  /** Writes the summary when its minute is over (a caller's regular work, beside the timer). */
  flushIfDue(): void {
    if (this.#options.clock.now() >= this.#until) this.flush();
  }

  /** Writes the events not yet in the log as one row (at the minute's end, and on shutdown). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { count, named } = this.#pending;
    if (count === 0) return;
    this.#pending = { count: 0, named: [] };
    this.#options.audit.record(this.#options.summary(count, named));
  }
}
