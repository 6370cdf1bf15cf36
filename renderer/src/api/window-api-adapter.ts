// Desktop mode: the API the preload script exposes on the window (the contextBridge global
// `gatehouse`), which carries the same contract over IPC. Replies are `{ ok, value | error }` envelopes, because Electron does not carry
// an Error's fields across the bridge; here they become ApiErrors again.
import type { OperationName, OperationOutput } from '@core/api/contract.js';
import type { CallReply } from '../../../preload/ipc-channels.js';
import type { GatehouseWindowApi } from '../../../preload/window-api.js';
import { ApiError, type GatehouseApi } from './gatehouse-api.js';

export type { GatehouseWindowApi };

declare global {
  interface Window {
    gatehouse?: GatehouseWindowApi;
  }
}

export function gatehouseApiFromWindow(windowApi: GatehouseWindowApi): GatehouseApi {
  return {
    async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
      let reply: CallReply;
      try {
        reply = await windowApi.call(name, input ?? {});
      } catch (error) {
        throw new ApiError(
          'bridge_failed',
          `The Gatehouse window lost its connection to the app (${(error as Error).message}). Restart Gatehouse.`,
        );
      }
      if (reply.ok) return reply.value as OperationOutput<N>;
      throw new ApiError(reply.error.code, reply.error.message);
    },
    onEvent(listener) {
      return windowApi.onEvent(listener);
    },
  };
}
