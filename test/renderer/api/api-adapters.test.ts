// The two doors to the engine: HTTP (browser mode) against a fake fetch and event stream, and the
// preload bridge (desktop) against a fake window.gatehouse. Both turn engine errors into ApiErrors.
import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '@core/api/contract.js';
import type { CallReply } from '../../../preload/ipc-channels.js';
import {
  gatehouseApiFromWindow,
  type GatehouseWindowApi,
} from '../../../renderer/src/api/window-api-adapter.js';
import { ApiError } from '../../../renderer/src/api/gatehouse-api.js';
import { createHttpApi } from '../../../renderer/src/api/http-api.js';

/** One request the fake engine got for /api/events, and the stream it answers with. */
interface OpenedStream {
  init: RequestInit;
  send(text: string): void;
  end(): void;
}

/**
 * A fetch that answers /api/events with a stream the test writes to (or with `status` when it is not
 * 200), and records each request.
 */
function fakeEventsFetch(status = 200): { fetch: typeof globalThis.fetch; streams: OpenedStream[] } {
  const streams: OpenedStream[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const encoder = new TextEncoder();
    init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    streams.push({
      init,
      send: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
    });
    if (status !== 200) return new Response('Sign in with your link', { status });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, streams };
}

/** Lets the adapter's stream reader catch up. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('createHttpApi', () => {
  it('POSTs JSON to /api/rpc/<name> with the same-origin cookie and returns the answer', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { clientId: 'c', tokensRevoked: 1 }));
    const api = createHttpApi({ fetch: fetch as unknown as typeof globalThis.fetch });
    expect(await api.call('clients.revoke', { clientId: 'c' })).toEqual({ clientId: 'c', tokensRevoked: 1 });
    expect(fetch).toHaveBeenCalledWith('/api/rpc/clients.revoke', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'c' }),
    });
  });

  it('turns the engine’s { code, message } into an ApiError', async () => {
    const fetch = vi.fn(async () =>
      jsonResponse(400, { code: 'bad_request', message: 'port must be 1024–65535' }),
    );
    const api = createHttpApi({ fetch: fetch as unknown as typeof globalThis.fetch });
    const error = await api.call('settings.set', { port: 80 }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'bad_request', message: 'port must be 1024–65535' });
  });

  it('explains a lost sign-in and an engine that does not answer', async () => {
    const signedOut = createHttpApi({
      fetch: (async () => new Response('Sign in with your link', { status: 401 })) as typeof globalThis.fetch,
    });
    await expect(signedOut.call('status.get', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('gatehouse ui'),
    });
    const gone = createHttpApi({
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof globalThis.fetch,
    });
    await expect(gone.call('status.get', {})).rejects.toMatchObject({ code: 'engine_unreachable' });
  });

  it('sends the page token on every call and on the event stream', async () => {
    let token = 'first';
    const calls = vi.fn(async () => jsonResponse(200, {}));
    const api = createHttpApi({
      fetch: calls as unknown as typeof globalThis.fetch,
      pageToken: () => token,
    });
    await api.call('status.get', {});
    token = 'after another sign-in';
    await api.call('status.get', {});
    expect(calls.mock.calls.map((call) => (call as unknown as [string, RequestInit])[1].headers)).toEqual([
      { 'content-type': 'application/json', 'x-gatehouse-session': 'first' },
      { 'content-type': 'application/json', 'x-gatehouse-session': 'after another sign-in' },
    ]);
    const events = fakeEventsFetch();
    const listening = createHttpApi({ fetch: events.fetch, pageToken: () => token });
    const stop = listening.onEvent(() => undefined);
    expect(events.streams[0]!.init).toMatchObject({
      credentials: 'same-origin',
      headers: { accept: 'text/event-stream', 'x-gatehouse-session': 'after another sign-in' },
    });
    stop();
  });

  it('opens one event stream on /api/events and delivers each named event', async () => {
    const { fetch, streams } = fakeEventsFetch();
    const api = createHttpApi({ fetch });
    const first: EngineEvent[] = [];
    const second: EngineEvent[] = [];
    const stopFirst = api.onEvent((event) => first.push(event));
    const stopSecond = api.onEvent((event) => second.push(event));
    await settle();
    expect(streams).toHaveLength(1);
    const stream = streams[0]!;
    stream.send(': gatehouse events\n\n');
    stream.send('event: consents.changed\ndata: {"type":"consents.changed"}\n\n');
    // An event split across chunks, with CRLF line ends, arrives whole.
    stream.send('event: client.used\r\ndata: {"type":"client.used",');
    stream.send('"clientId":"c","at":1}\r\n\r\n');
    stream.send('event: client.used\ndata: not json\n\n');
    stream.send('event: approvals.changed\ndata: {"type":"consents.changed"}\n\n');
    stream.send('event: nonsense\ndata: {"type":"nonsense"}\n\n');
    await settle();
    expect(first).toEqual([{ type: 'consents.changed' }, { type: 'client.used', clientId: 'c', at: 1 }]);
    expect(second).toEqual(first);
    stopFirst();
    expect(stream.init.signal?.aborted).toBe(false);
    stopSecond();
    expect(stream.init.signal?.aborted).toBe(true);
  });

  it('after a reconnect, tells every store to fetch again (events may have been missed)', async () => {
    vi.useFakeTimers();
    try {
      const { fetch, streams } = fakeEventsFetch();
      const api = createHttpApi({ fetch });
      const seen: string[] = [];
      api.onEvent((event) => seen.push(event.type));
      await vi.advanceTimersByTimeAsync(0);
      expect(seen).toEqual([]);
      streams[0]!.end();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(streams).toHaveLength(2);
      expect(seen).toEqual([
        'settings.changed',
        'clients.changed',
        'consents.changed',
        'registrations.changed',
        'approvals.changed',
        'connectors.changed',
        'tools.changed',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reopens a stream the engine refused, after a pause', async () => {
    vi.useFakeTimers();
    try {
      const { fetch, streams } = fakeEventsFetch(401);
      const api = createHttpApi({ fetch });
      const stop = api.onEvent(() => undefined);
      await vi.advanceTimersByTimeAsync(4_999);
      expect(streams).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(streams).toHaveLength(2);
      stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(streams).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('gatehouseApiFromWindow', () => {
  function fakeBridge(reply: CallReply) {
    const listeners = new Set<(event: EngineEvent) => void>();
    const bridge: GatehouseWindowApi & { calls: unknown[][]; emit(event: EngineEvent): void } = {
      calls: [],
      async call(name, input) {
        this.calls.push([name, input]);
        return reply;
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      emit(event) {
        for (const listener of listeners) listener(event);
      },
    };
    return bridge;
  }

  it('calls window.gatehouse.call and unwraps { ok: true, value }', async () => {
    const bridge = fakeBridge({ ok: true, value: { id: 'a1' } });
    const api = gatehouseApiFromWindow(bridge);
    expect(await api.call('approvals.deny', { id: 'a1' })).toEqual({ id: 'a1' });
    expect(bridge.calls).toEqual([['approvals.deny', { id: 'a1' }]]);
  });

  it('throws an ApiError for { ok: false, error }', async () => {
    const api = gatehouseApiFromWindow(
      fakeBridge({ ok: false, error: { code: 'not_found', message: 'There is no approval a1.' } }),
    );
    const error = await api.call('approvals.deny', { id: 'a1' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_found', message: 'There is no approval a1.' });
  });

  it('a broken bridge becomes an ApiError that says what to do', async () => {
    const api = gatehouseApiFromWindow({
      call: async () => {
        throw new Error('An object could not be cloned.');
      },
      onEvent: () => () => undefined,
    });
    await expect(api.call('status.get', {})).rejects.toMatchObject({
      code: 'bridge_failed',
      message: expect.stringContaining('Restart Gatehouse'),
    });
  });

  it('passes events through and unsubscribes', () => {
    const bridge = fakeBridge({ ok: true, value: null });
    const api = gatehouseApiFromWindow(bridge);
    const seen: EngineEvent[] = [];
    const stop = api.onEvent((event) => seen.push(event));
    bridge.emit({ type: 'approvals.changed' });
    stop();
    bridge.emit({ type: 'consents.changed' });
    expect(seen).toEqual([{ type: 'approvals.changed' }]);
  });
});
