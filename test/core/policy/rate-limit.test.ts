// Per-token rate limits: fixed minute and day windows, exact refusal sentences, bounded memory.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../main/core/policy/rate-limit.js';

const T0 = 1_700_000_000_000;

function takeMany(limiter: RateLimiter, key: string, n: number, now: number): void {
  for (let i = 0; i < n; i++) expect(limiter.take(key, now)).toEqual({ ok: true });
}

describe('RateLimiter', () => {
  it('allows 600 calls a minute by default, then refuses with the time to wait', () => {
    const limiter = new RateLimiter();
    takeMany(limiter, 'tok', 600, T0);
    expect(limiter.take('tok', T0 + 48_000)).toEqual({
      ok: false,
      retryAfterSeconds: 12,
      limit: 'minute',
      message: 'gatehouse: rate limit reached for this client (600 calls per minute); try again in 12 s.',
    });
    expect(limiter.take('tok', T0 + 59_999)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('tok', T0 + 60_000)).toEqual({ ok: true });
  });

  it('counts keys apart', () => {
    const limiter = new RateLimiter({ perMinute: 2 });
    takeMany(limiter, 'a', 2, T0);
    expect(limiter.take('a', T0).ok).toBe(false);
    expect(limiter.take('b', T0).ok).toBe(true);
  });

  it('does not count refused calls', () => {
    const limiter = new RateLimiter({ perMinute: 1, perDay: 3 });
    expect(limiter.take('k', T0).ok).toBe(true);
    for (let i = 0; i < 50; i++) expect(limiter.take('k', T0 + 1_000).ok).toBe(false);
    expect(limiter.take('k', T0 + 60_000).ok).toBe(true);
    expect(limiter.take('k', T0 + 120_000).ok).toBe(true);
  });

  it('applies the daily limit, and reports it when both are reached', () => {
    const limiter = new RateLimiter({ perMinute: 10, perDay: 20 });
    takeMany(limiter, 'k', 10, T0);
    takeMany(limiter, 'k', 10, T0 + 60_000);
    expect(limiter.take('k', T0 + 60_000)).toEqual({
      ok: false,
      retryAfterSeconds: 86_340,
      limit: 'day',
      message: 'gatehouse: rate limit reached for this client (20 calls per day); try again in 23 h 59 min.',
    });
    expect(limiter.take('k', T0 + 86_400_000).ok).toBe(true);
  });

  it('writes the default daily limit with a thousands separator', () => {
    const limiter = new RateLimiter({ perMinute: null });
    takeMany(limiter, 'k', 50_000, T0);
    const refused = limiter.take('k', T0 + 3_600_000);
    expect(refused).toMatchObject({ ok: false, limit: 'day', retryAfterSeconds: 82_800 });
    expect(refused.ok === false && refused.message).toBe(
      'gatehouse: rate limit reached for this client (50,000 calls per day); try again in 23 h.',
    );
  });

  it('says minutes when the wait is under an hour', () => {
    const limiter = new RateLimiter({ perMinute: null, perDay: 1 });
    limiter.take('k', T0);
    const refused = limiter.take('k', T0 + 86_400_000 - 150_000);
    expect(refused.ok === false && refused.message).toBe(
      'gatehouse: rate limit reached for this client (1 call per day); try again in 3 min.',
    );
  });

  it('can be reconfigured without forgetting counts', () => {
    const limiter = new RateLimiter({ perMinute: 5 });
    takeMany(limiter, 'k', 3, T0);
    limiter.configure({ perMinute: 3 });
    expect(limiter.take('k', T0).ok).toBe(false);
    limiter.configure({ perMinute: null });
    expect(limiter.take('k', T0).ok).toBe(true);
  });

  it.each([
    [
      { perMinute: 0 },
      'rate limit perMinute must be a whole number of calls, at least 1 (or null for no limit)',
    ],
    [{ perDay: 1.5 }, 'rate limit perDay must be a whole number of calls, at least 1 (or null for no limit)'],
    [{ maxKeys: 0 }, 'rate limit maxKeys must be a whole number, at least 1'],
  ])('refuses the limits %j', (limits, message) => {
    expect(() => new RateLimiter(limits)).toThrow(message);
  });

  it('forgets keys whose windows have all ended', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 1_000; i++) limiter.take(`k${i}`, T0);
    expect(limiter.size).toBe(1_000);
    limiter.take('late', T0 + 86_400_000);
    expect(limiter.size).toBe(1);
  });

  it('keeps no more than maxKeys, dropping the least recently used', () => {
    const limiter = new RateLimiter({ perMinute: 1, maxKeys: 3 });
    limiter.take('a', T0);
    limiter.take('b', T0);
    limiter.take('c', T0);
    expect(limiter.take('a', T0).ok).toBe(false); // a is now the most recently used
    limiter.take('d', T0);
    expect(limiter.size).toBe(3);
    expect(limiter.take('a', T0).ok).toBe(false); // still remembered
    expect(limiter.take('b', T0).ok).toBe(true); // b was dropped, so it starts over
  });

  it('forgets a revoked token at once', () => {
    const limiter = new RateLimiter({ perMinute: 1 });
    limiter.take('k', T0);
    limiter.forget('k');
    expect(limiter.take('k', T0).ok).toBe(true);
  });

  it('starts a fresh window when the clock goes backwards', () => {
    const limiter = new RateLimiter({ perMinute: 1 });
    limiter.take('k', T0);
    expect(limiter.take('k', T0 - 1_000).ok).toBe(true);
  });

  it('holds memory flat under a flood of one-off keys', () => {
    const limiter = new RateLimiter({ maxKeys: 10_000 });
    for (let i = 0; i < 100_000; i++) limiter.take(`flood-${i}`, T0 + i);
    expect(limiter.size).toBe(10_000);
  });
});
