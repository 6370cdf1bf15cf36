// The two doors to the engine: HTTP (browser mode) against a fake fetch and EventSource, and the
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

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  closed = false;
  readonly listeners = new Map<string, Array<(event: { data?: string }) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  dispatch(type: string, data?: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

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

  it('opens one EventSource on /api/events and delivers each named event', () => {
    FakeEventSource.instances = [];
    const api = createHttpApi({ EventSource: FakeEventSource as unknown as typeof EventSource });
    const first: EngineEvent[] = [];
    const second: EngineEvent[] = [];
    const stopFirst = api.onEvent((event) => first.push(event));
    const stopSecond = api.onEvent((event) => second.push(event));
    expect(FakeEventSource.instances.map((source) => source.url)).toEqual(['/api/events']);
    const source = FakeEventSource.instances[0]!;
    source.dispatch('open');
    source.dispatch('consents.changed', JSON.stringify({ type: 'consents.changed' }));
    source.dispatch('client.used', JSON.stringify({ type: 'client.used', clientId: 'c', at: 1 }));
    source.dispatch('client.used', 'not json');
    source.dispatch('approvals.changed', JSON.stringify({ type: 'consents.changed' }));
    expect(first).toEqual([{ type: 'consents.changed' }, { type: 'client.used', clientId: 'c', at: 1 }]);
    expect(second).toEqual(first);
    stopFirst();
    expect(source.closed).toBe(false);
    stopSecond();
    expect(source.closed).toBe(true);
  });

  it('after a reconnect, tells every store to fetch again (events may have been missed)', () => {
    FakeEventSource.instances = [];
    const api = createHttpApi({ EventSource: FakeEventSource as unknown as typeof EventSource });
    const seen: string[] = [];
    api.onEvent((event) => seen.push(event.type));
    const source = FakeEventSource.instances[0]!;
    source.dispatch('open');
    expect(seen).toEqual([]);
    source.dispatch('error');
    source.dispatch('open');
    expect(seen).toEqual(
      expect.arrayContaining([
        'settings.changed',
        'clients.changed',
        'consents.changed',
        'registrations.changed',
        'approvals.changed',
        'connectors.changed',
        'tools.changed',
      ]),
    );
  });

  it('reopens a stream the browser gave up on', () => {
    vi.useFakeTimers();
    try {
      FakeEventSource.instances = [];
      const api = createHttpApi({ EventSource: FakeEventSource as unknown as typeof EventSource });
      api.onEvent(() => undefined);
      const source = FakeEventSource.instances[0]!;
      source.readyState = FakeEventSource.CLOSED;
      source.dispatch('error');
      vi.advanceTimersByTime(5_000);
      expect(FakeEventSource.instances).toHaveLength(2);
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
