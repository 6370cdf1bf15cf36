// Desktop mode: the preload script's bridge (contextBridge global `gatehouse`), which carries the same
// contract over IPC. Replies are `{ ok, value | error }` envelopes, because Electron does not carry
// an Error's fields across the bridge; here they become ApiErrors again.
import type { OperationName, OperationOutput } from '../../../main/core/api/contract.js';
import type { CallReply } from '../../../preload/bridge.js';
import type { GatehouseBridge } from '../../../preload/bridge-api.js';
import { ApiError, type GatehouseApi } from './gatehouse-api.js';

export type { GatehouseBridge };

declare global {
  interface Window {
    gatehouse?: GatehouseBridge;
  }
}

export function createBridgeApi(bridge: GatehouseBridge): GatehouseApi {
  return {
    async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
      let reply: CallReply;
      try {
        reply = await bridge.call(name, input ?? {});
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
      return bridge.onEvent(listener);
    },
  };
}
