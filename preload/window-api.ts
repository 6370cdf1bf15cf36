// What the preload script exposes to the renderer, built from an ipcRenderer: exactly `call` and
// `onEvent`, nothing else. Kept apart from preload.ts (which only hands in Electron's objects) so a
// test can build it from a fake. The renderer never sees ipcRenderer, an IPC event or a channel name.
import type { EngineEvent } from '../main/core/api/contract.js';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from './ipc-channels.js';

/** The part of Electron's ipcRenderer the window API uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** `window.gatehouse`, as the renderer sees it. */
export interface GatehouseWindowApi {
  call(name: string, input?: unknown): Promise<CallReply>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** The main process always answers with a CallReply; a rejection means nothing answered at all. */
const UNREACHABLE: CallReply = {
  ok: false,
  error: { code: 'engine_unreachable', message: 'Gatehouse’s engine did not answer; try again in a moment.' },
};

export function createWindowApi(ipcRenderer: IpcRendererLike): GatehouseWindowApi {
  return Object.freeze({
    // The main process checks the sender, the name and the input; nothing here is trusted.
    call: (name: string, input?: unknown): Promise<CallReply> =>
      (ipcRenderer.invoke(CALL_CHANNEL, name, input) as Promise<CallReply>).catch(() => UNREACHABLE),
    onEvent: (listener: (event: EngineEvent) => void) => {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
      // The IPC event (with its sender and ports) stays on this side: only the payload goes over.
      const forward = (_event: unknown, payload: unknown) => listener(payload as EngineEvent);
      ipcRenderer.on(EVENT_CHANNEL, forward);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        ipcRenderer.removeListener(EVENT_CHANNEL, forward);
      };
    },
  });
}
