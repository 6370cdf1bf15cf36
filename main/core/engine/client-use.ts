// A client's use of MCP, as the engine hears of it on every authorized request: written to its row
// (in memory until the next flush, periodic-sweeps.ts) and told to the surfaces at most once a
// second per client, so a busy client does not flood the window with events.
import type { EngineEvent } from '../api/contract.js';
import type { SetupClientName } from '../api/client-setup-contract.js';
import type { ClientStore } from '../store/client-store.js';

/** Events per client at most this often. */
const USED_EVENT_MS = 1_000;

/** What a recorded use touches. */
export interface ClientUseContext {
  clients: Pick<ClientStore, 'touch'>;
  emit(event: EngineEvent): void;
}

/**
 * The recorder of client use the MCP endpoint calls (McpEndpoint's onClientUsed): `setupClient` is the
 * app "Connect a client" set up, when the request shows it.
 */
export function clientUseRecorder(
  context: ClientUseContext,
): (clientId: string, at: number, setupClient?: SetupClientName) => void {
  const lastEmitted = new Map<string, number>();
  return (clientId, at, setupClient) => {
    context.clients.touch(clientId, at, setupClient);
    const last = lastEmitted.get(clientId) ?? 0;
    if (at - last >= USED_EVENT_MS) {
      lastEmitted.set(clientId, at);
      context.emit({ type: 'client.used', clientId, at });
    }
  };
}
