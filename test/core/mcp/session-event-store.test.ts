// The session's SSE event ring: ids in store order, replay after Last-Event-ID in
// order and only for that stream, the oldest events forgotten once 100 are kept.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { SessionEventStore } from '../../../main/core/mcp/session-event-store.js';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { n },
});

async function replay(store: SessionEventStore, after: string) {
  const sent: Array<[string, unknown]> = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) =>
      void sent.push([id, (message as unknown as { params: { n: number } }).params.n]),
  });
  return { stream, sent };
}

describe('SessionEventStore', () => {
  it('replays what a stream missed, in order, and nothing of other streams', async () => {
    const store = new SessionEventStore();
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push(await store.storeEvent(n % 2 ? 'b' : 'a', note(n)));
    expect(ids).toEqual(['a.0', 'b.1', 'a.2', 'b.3', 'a.4', 'b.5']);
    expect(await store.getStreamIdForEventId('b.3')).toBe('b');
    expect(await replay(store, 'a.0')).toEqual({
      stream: 'a',
      sent: [
        ['a.2', 2],
        ['a.4', 4],
      ],
    });
    expect(await replay(store, 'b.5')).toEqual({ stream: 'b', sent: [] });
  });

  it('keeps the last 100 events across the ring’s wrap', async () => {
    const store = new SessionEventStore();
    for (let n = 0; n < 250; n++) await store.storeEvent('s', note(n));
    // Kept: 150…249. After a kept id, the rest in order; after a forgotten one, all that is kept.
    const after = await replay(store, 's.239');
    expect(after.sent).toEqual(Array.from({ length: 10 }, (_, i) => [`s.${240 + i}`, 240 + i]));
    const forgotten = await replay(store, 's.20');
    expect(forgotten.sent.map(([, n]) => n)).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
    expect((await replay(store, 's.150')).sent).toHaveLength(99);
  });
});
