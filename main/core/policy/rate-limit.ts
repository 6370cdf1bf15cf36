// Per-grant rate limits for tool calls (default 600 per minute and 50,000 per day). Each key (a
// grant id: what the user consented to, which outlives every token refreshed from it) has two fixed
// windows, a minute and a day, each starting at the first call after the previous window ended.
// That is two counters per key — a sliding log would keep up to 50,000 timestamps per grant — at
// the known cost of fixed windows: a client can make up to twice the
// limit within one window's length, straddling a boundary (600 at the end of one minute, 600 at the
// start of the next). Refused calls are not counted. Memory stays bounded: a key whose windows have
// all ended holds no information and is dropped, and beyond `maxKeys` the least recently used key is
// forgotten (which only ever resets that key's counts).

/** The per-key limits (Settings); null turns one window off, `maxKeys` bounds the memory. */
export interface RateLimits {
  /** Calls per minute per key; null for no limit. */
  perMinute: number | null;
  /** Calls per day (24 h from the window's first call) per key; null for no limit. */
  perDay: number | null;
  maxKeys: number;
}

const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 600, perDay: 50_000, maxKeys: 100_000 };

/** Whether a call may run now, or which limit it hit and when to try again. */
export type RateDecision =
  { ok: true } | { ok: false; retryAfterSeconds: number; limit: 'minute' | 'day'; message: string };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How often expired keys are swept, at most. */
const SWEEP_INTERVAL_MS = MINUTE_MS;

interface Window {
  start: number;
  count: number;
}

interface KeyState {
  minute: Window;
  day: Window;
}

/** Counts tool calls per grant in a minute and a day window, refusing a call when either is full. */
export class RateLimiter {
  #limits: RateLimits;
  readonly #keys = new Map<string, KeyState>();
  #lastSweep = -Infinity;

  constructor(limits: Partial<RateLimits> = {}) {
    this.#limits = validLimits({ ...DEFAULT_RATE_LIMITS, ...limits });
  }

  /** Applies new limits (from Settings) without forgetting the counts so far. */
  configure(limits: Partial<RateLimits>): void {
    this.#limits = validLimits({ ...this.#limits, ...limits });
    this.#evictOverflow();
  }

  /** Counts one call for `key` at `now` (ms) if both windows have room. */
  take(key: string, now: number): RateDecision {
    this.#sweep(now);
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { minute: { start: now, count: 0 }, day: { start: now, count: 0 } };
    } else {
      this.#keys.delete(key); // re-inserted below: Map order doubles as least-recently-used order
    }
    this.#keys.set(key, state);
    this.#evictOverflow();

    roll(state.minute, now, MINUTE_MS);
    roll(state.day, now, DAY_MS);
    const { perMinute, perDay } = this.#limits;
    // When both are exhausted, report the day: waiting out the minute would not help.
    if (perDay !== null && state.day.count >= perDay)
      return refusal('day', perDay, state.day.start + DAY_MS - now);
    if (perMinute !== null && state.minute.count >= perMinute) {
      return refusal('minute', perMinute, state.minute.start + MINUTE_MS - now);
    }
    state.minute.count++;
    state.day.count++;
    return { ok: true };
  }

  /** Forgets a key at once (its grant was revoked). */
  forget(key: string): void {
    this.#keys.delete(key);
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.#keys.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [key, state] of this.#keys) {
      if (now >= state.day.start + DAY_MS && now >= state.minute.start + MINUTE_MS) this.#keys.delete(key);
    }
  }

  #evictOverflow(): void {
    while (this.#keys.size > this.#limits.maxKeys) {
      const oldest = this.#keys.keys().next().value as string;
      this.#keys.delete(oldest);
    }
  }
}

function roll(window: Window, now: number, length: number): void {
  // A clock that went backwards starts a fresh window rather than extending the old one forever.
  if (now >= window.start + length || now < window.start) {
    window.start = now;
    window.count = 0;
  }
}

function refusal(limit: 'minute' | 'day', allowed: number, waitMs: number): RateDecision {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1_000));
  return {
    ok: false,
    retryAfterSeconds,
    limit,
    message:
      `gatehouse: rate limit reached for this client (${formatCount(allowed)} ${allowed === 1 ? 'call' : 'calls'} per ${limit}); ` +
      `try again in ${formatWait(retryAfterSeconds)}.`,
  };
}

function validLimits(limits: RateLimits): RateLimits {
  for (const name of ['perMinute', 'perDay'] as const) {
    const value = limits[name];
    if (value !== null && (!Number.isSafeInteger(value) || value < 1)) {
      throw new RangeError(
        `rate limit ${name} must be a whole number of calls, at least 1 (or null for no limit)`,
      );
    }
  }
  if (!Number.isSafeInteger(limits.maxKeys) || limits.maxKeys < 1) {
    throw new RangeError('rate limit maxKeys must be a whole number, at least 1');
  }
  return limits;
}

/** 50000 → "50,000", independent of the machine's locale. */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12 → "12 s"; 150 → "3 min"; 11520 → "3 h 12 min". Rounded up: never shorter than the real wait. */
function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
