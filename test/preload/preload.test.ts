// The preload: the bridge it builds from ipcRenderer (exactly call and onEvent, the IPC event never
// handed over), and the built bundle run as a sandboxed preload runs — with a `require` that knows
// only `electron` — exposing exactly that under window.gatehouse.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWindowApi, type IpcRendererLike } from '../../preload/window-api.js';
import { WINDOW_API_GLOBAL, CALL_CHANNEL, EVENT_CHANNEL } from '../../preload/ipc-channels.js';
import { buildPreload } from '../../scripts/build-preload.mjs';

/** An ipcRenderer that records invokes, answers them, and can deliver events. */
function fakeIpcRenderer(answer: (channel: string, ...args: unknown[]) => Promise<unknown>) {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const invokes: unknown[][] = [];
  const ipc: IpcRendererLike & {
    invokes: unknown[][];
    deliver(channel: string, event: unknown, payload: unknown): void;
    count(channel: string): number;
  } = {
    invokes,
    invoke: (channel, ...args) => {
      invokes.push([channel, ...args]);
      return answer(channel, ...args);
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
    deliver: (channel, event, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener(event, payload);
    },
    count: (channel) => listeners.get(channel)?.size ?? 0,
  };
  return ipc;
}

describe('createWindowApi', () => {
  it('has exactly call and onEvent, frozen', () => {
    const api = createWindowApi(fakeIpcRenderer(async () => undefined));
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('call invokes the call channel with the name and input and returns the reply', async () => {
    const ipc = fakeIpcRenderer(async () => ({ ok: true, value: { paused: false } }));
    const api = createWindowApi(ipc);
    await expect(api.call('access.resume', {})).resolves.toEqual({ ok: true, value: { paused: false } });
    expect(ipc.invokes).toEqual([[CALL_CHANNEL, 'access.resume', {}]]);
  });

  it('call answers engine_unreachable, never a rejection, when nothing handles the channel', async () => {
    const api = createWindowApi(
      fakeIpcRenderer(async () => {
        throw new Error("Error invoking remote method 'gatehouse:call': No handler registered");
      }),
    );
    await expect(api.call('status.get')).resolves.toEqual({
      ok: false,
      error: {
        code: 'engine_unreachable',
        message: 'Gatehouse’s engine did not answer; try again in a moment.',
      },
    });
  });

  it('onEvent hands the listener the payload only, and its remover removes exactly that listener', () => {
    const ipc = fakeIpcRenderer(async () => undefined);
    const api = createWindowApi(ipc);
    const first: unknown[][] = [];
    const second: unknown[] = [];
    const removeFirst = api.onEvent((...args) => void first.push(args));
    api.onEvent((event) => void second.push(event));
    const ipcEvent = { sender: { send: () => undefined }, ports: [] };
    ipc.deliver(EVENT_CHANNEL, ipcEvent, { type: 'clients.changed' });
    expect(first).toEqual([[{ type: 'clients.changed' }]]);

    removeFirst();
    removeFirst(); // twice is harmless
    expect(ipc.count(EVENT_CHANNEL)).toBe(1);
    ipc.deliver(EVENT_CHANNEL, ipcEvent, { type: 'settings.changed' });
    expect(first).toHaveLength(1);
    expect(second).toEqual([{ type: 'clients.changed' }, { type: 'settings.changed' }]);
  });

  it('onEvent refuses a listener that is not a function', () => {
    const api = createWindowApi(fakeIpcRenderer(async () => undefined));
    expect(() => api.onEvent('alert(1)' as never)).toThrow(new TypeError('onEvent needs a function'));
  });
});

describe('the built preload, run as a sandboxed preload', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-preload-'));
    bundle = readFileSync(await buildPreload(join(dir, 'preload.cjs')), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the bundle with a sandbox-like require (only `electron`) and returns what it exposed. */
  function runBundle() {
    const exposed: Array<[string, unknown]> = [];
    const required: string[] = [];
    const ipcRenderer = fakeIpcRenderer(async (_channel, name) => ({ ok: true, value: name }));
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]),
      },
      ipcRenderer,
    };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`module not found: ${id} (a sandboxed preload can only require electron)`);
    };
    const module = { exports: {} };
    runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports });
    return { exposed, required, ipcRenderer };
  }

  it('is one CommonJS file that requires nothing but electron', () => {
    const { required } = runBundle();
    expect(required).toEqual(['electron']);
    expect(bundle).not.toMatch(/\bimport\s|require\(["'](?!electron["'])/);
  });

  it('exposes exactly { call, onEvent } as window.gatehouse, and never ipcRenderer', async () => {
    const { exposed, ipcRenderer } = runBundle();
    expect(exposed.map(([key]) => key)).toEqual([WINDOW_API_GLOBAL]);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    expect(Object.values(api)).not.toContain(ipcRenderer);
    await expect((api.call as (n: string) => Promise<unknown>)('status.get')).resolves.toEqual({
      ok: true,
      value: 'status.get',
    });
    expect(ipcRenderer.invokes).toEqual([[CALL_CHANNEL, 'status.get', undefined]]);
  });
});
