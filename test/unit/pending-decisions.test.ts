// The queue of questions for the user: answers, timeouts (deny on silence), limits, and waiters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingDecisions } from '../../main/core/consent/pending-decisions.js';

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
});
