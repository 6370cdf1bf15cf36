// The sandbox's record of a refused write comes on its own socket, so it can reach the engine after
// the server's error result. The call waits a little for it when the AI is to be told, and only then.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchRefusals, type RefusalSource } from '../../../main/core/gateway/sandbox-marks.js';
import type { Refusal } from '../../../main/core/connectors/sandbox/sandbox-refusals.js';

function source(): RefusalSource & { emit(connector: string, refusal: Refusal): void } {
  const listeners = new Map<string, Set<(refusal: Refusal) => void>>();
  return {
    listen(connector, listener) {
      const set = listeners.get(connector) ?? new Set();
      set.add(listener);
      listeners.set(connector, set);
      return () => set.delete(listener);
    },
    emit(connector, refusal) {
      for (const listener of listeners.get(connector) ?? []) listener(refusal);
    },
  };
}

const write: Refusal = {
  kind: 'write',
  target: '/home/u/notes.md',
  reason: 'it is outside what it may write (its workspace, scratch and temp folders)',
  grant: 'gatehouse connectors edit notes --add-folder ~',
  allow: { kind: 'folder', value: '~' },
  count: 1,
  lastAt: 0,
};

const failed = { isError: true, content: [{ type: 'text' as const, text: 'could not save: EROFS' }] };
const fine = { content: [{ type: 'text' as const, text: 'saved' }] };

afterEach(() => {
  vi.useRealTimers();
});

describe('what the sandbox refused during a call', () => {
  it('tells the AI of a refusal whose record arrives after the error result', async () => {
    const refusals = source();
    const watch = watchRefusals(refusals, 'notes');
    setTimeout(() => refusals.emit('notes', write), 20);
    await watch.settled(failed);
    const told = watch.annotate(failed).content.map((part) => (part as { text: string }).text);
    expect(told).toEqual([
      'could not save: EROFS',
      'gatehouse: the sandbox refused this server a write to /home/u/notes.md: it is outside what it may write (its workspace, scratch and temp folders). The user can allow it in Gatehouse.',
    ]);
    expect(watch.detail()).toMatchObject({ sandbox: { refused: 1 } });
  });

  it('does not wait on a result that is not an error, nor on one already explained', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const refusals = source();
    const ok = watchRefusals(refusals, 'notes');
    await ok.settled(fine);
    expect(ok.annotate(fine)).toBe(fine);

    const explained = watchRefusals(refusals, 'notes');
    refusals.emit('notes', write);
    await explained.settled(failed);
    expect(explained.annotate(failed).content).toHaveLength(2);
  });

  it('gives up waiting after a while and leaves an error with no refusal as it came', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const refusals = source();
    const watch = watchRefusals(refusals, 'notes');
    let done = false;
    const settling = watch.settled(failed).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    await settling;
    expect(watch.annotate(failed)).toBe(failed);
    // Another connector's refusal is not this call's.
    const other = watchRefusals(refusals, 'notes');
    refusals.emit('files', write);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(other.detail()).toEqual({});
  });
});
