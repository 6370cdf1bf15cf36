// The queue of questions for the user: answers, timeouts (deny on silence), limits, and waiters.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingDecisions } from '../../../main/core/consent/pending-decisions.js';
import { decisionId } from '../../../main/core/consent/decision-id.js';

afterEach(() => {
  vi.useRealTimers();
});

function queue(maxPending = 3) {
  return new PendingDecisions<{ name: string }, 'yes' | 'no' | 'timeout'>({
    clock: { now: () => Date.now() },
    timeoutMs: 1_000,
    onTimeout: 'timeout',
    maxPending,
    what: 'question',
  });
}

describe('PendingDecisions', () => {
  it('delivers an answer to everyone waiting, once', async () => {
    const q = queue();
    q.raise('a', { name: 'A' });
    const waiting = Promise.all([q.wait('a'), q.wait('a')]);
    q.decide('a', 'yes');
    expect(await waiting).toEqual(['yes', 'yes']);
    expect(() => q.decide('a', 'no')).toThrow('That question was already answered.');
    expect(q.pending()).toEqual([]);
    q.close();
  });

  it('answers with the timeout decision when nobody answers in time', async () => {
    vi.useFakeTimers();
    const q = queue();
    q.raise('a', { name: 'A' });
    const answer = q.wait('a');
    vi.advanceTimersByTime(1_001);
    expect(await answer).toBe('timeout');
    expect(q.get('a')?.decision).toBe('timeout');
    expect(() => q.decide('a', 'yes')).toThrow('That question was already answered.');
    q.close();
  });

  it('refuses more than the limit of waiting questions and unknown ids', () => {
    const q = queue(1);
    q.raise('a', { name: 'A' });
    expect(q.raise('a', { name: 'again' }).item.name).toBe('A');
    expect(() => q.raise('b', { name: 'B' })).toThrow(
      'Too many questions are waiting for an answer (1); answer or let them expire first.',
    );
    expect(() => q.decide('zzz', 'yes')).toThrow('No question with id zzz is waiting (it may have expired).');
    q.close();
  });

  it('keeps a fair queue: a source may have only a few waiting, and a newcomer displaces the heaviest', async () => {
    let now = 0;
    const q = new PendingDecisions<{ client: string }, 'yes' | 'timeout' | 'set-aside'>({
      clock: { now: () => now++ },
      timeoutMs: 60_000,
      onTimeout: 'timeout',
      maxPending: 4,
      what: 'request',
      fairness: {
        sourceOf: (item) => item.client,
        maxPerSource: 3,
        describe: (item) => item.client,
        onSetAside: 'set-aside',
      },
    });
    for (const id of ['f1', 'f2', 'f3']) q.raise(id, { client: 'flood' });
    expect(() => q.raise('f4', { client: 'flood' })).toThrow(
      'Too many requests from flood are waiting for an answer (3); answer or deny them in Gatehouse, or let them expire.',
    );
    q.raise('a1', { client: 'alice' });
    // Full (4): Bob's first request takes the place of the flood's oldest, which is answered "set aside".
    const setAside = q.wait('f1');
    q.raise('b1', { client: 'bob' });
    expect(await setAside).toBe('set-aside');
    expect(q.pending().map((entry) => entry.id)).toEqual(['f2', 'f3', 'a1', 'b1']);
    // Alice, Bob and the flood now have 1, 1 and 2: Alice's second takes another of the flood's…
    q.raise('a2', { client: 'alice' });
    expect(q.pending().map((entry) => entry.id)).toEqual(['f3', 'a1', 'b1', 'a2']);
    // …but with every source at most as heavy as hers, Alice's third is refused rather than displacing.
    expect(() => q.raise('a3', { client: 'alice' })).toThrow(
      'Too many requests are waiting for an answer (4); answer or let them expire first.',
    );
    q.close();
  });

  it('finds a question by its item, answered or not', () => {
    const q = queue();
    q.raise('a', { name: 'A' });
    q.decide('a', 'yes');
    expect(q.find((item) => item.name === 'A')).toMatchObject({ id: 'a', decision: 'yes' });
    expect(q.find((item) => item.name === 'B')).toBeUndefined();
    q.close();
  });
});

describe('decisionId', () => {
  it('never starts with "-", however the random bytes fall', () => {
    // 0xf8… encodes as "-" first in base64url; the first draw is refused, the second kept.
    const draws = [Buffer.from([0xf8, 1, 2, 3, 4, 5, 6, 7, 8]), Buffer.from([0x10, 1, 2, 3, 4, 5, 6, 7, 8])];
    const random = { bytes: () => draws.shift()! };
    expect(draws[0]!.toString('base64url')).toMatch(/^-/);
    expect(decisionId(random)).toBe('EAECAwQFBgcI');
    for (let i = 0; i < 2_000; i++) expect(decisionId({ bytes: (n) => randomBytes(n) })).not.toMatch(/^-/);
  });
});
