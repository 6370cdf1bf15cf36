// The idempotent refresh grace in isolation: the first presentation rotates, a racing or repeated
// one by the same presenter gets the same answer, anyone else (or anything after the grace) passes
// to oidc-provider's reuse detection, and the raw answer leaves memory with the grace.
import { describe, expect, it } from 'vitest';
import { presenterOf, RefreshReplays } from '../../../main/core/auth/refresh-replays.js';

describe('RefreshReplays', () => {
  it('rotates once, replays to the same presenter, passes anyone else, and forgets after the grace', async () => {
    let now = 1_000;
    const replays = new RefreshReplays({ now: () => now }, 20);
    const client = presenterOf(undefined, new URLSearchParams({ client_id: 'c1' }));
    const other = presenterOf(undefined, new URLSearchParams({ client_id: 'c2' }));
    const first = await replays.begin('rt-1', client);
    expect(first.kind).toBe('rotate');
    // A second presentation racing the rotation waits for its answer.
    const racing = replays.begin('rt-1', client);
    replays.record('rt-1', { access_token: 'at-2', refresh_token: 'rt-2' }, 'c1');
    if (first.kind === 'rotate') first.settle();
    expect(await racing).toEqual({
      kind: 'replay',
      answer: { access_token: 'at-2', refresh_token: 'rt-2' },
      clientId: 'c1',
    });
    expect(await replays.begin('rt-1', other)).toEqual({ kind: 'pass' });
    // After the grace the answer is gone: the token goes to oidc-provider, which calls it reuse.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(replays.size).toBe(0);
    now += 20;
    const late = await replays.begin('rt-1', client);
    expect(late.kind).toBe('rotate');
    if (late.kind === 'rotate') late.settle();
    expect(replays.size).toBe(0);
  });

  it('remembers nothing of a refresh that oidc-provider refused', async () => {
    const replays = new RefreshReplays({ now: () => 0 }, 5_000);
    const verdict = await replays.begin('rt-x', 'p');
    if (verdict.kind === 'rotate') verdict.settle();
    expect(replays.size).toBe(0);
    expect((await replays.begin('rt-x', 'p')).kind).toBe('rotate');
  });
});
