// Clients: who registered, what they were granted, when they last called. Revoke, forget and manual
// registration go through here; each client's recent activity is fetched when its details open.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEventView, ClientView, OperationInput, OperationOutput } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

/** How much of a client's history its details panel shows. */
const CLIENT_ACTIVITY_LIMIT = 50;

export type RevokeResult = OperationOutput<'clients.revoke'>;
export type RegisterResult = OperationOutput<'clients.register'>;

export interface ClientsState {
  clients: ClientView[];
  loadState: LoadState;
  loadError: string | null;
  /** Recent audit events per client id, newest first, for the clients whose details were opened. */
  activity: Record<string, AuditEventView[]>;
  refresh(): Promise<void>;
  markUsed(clientId: string, at: number): void;
  /** Revokes now; `refuseForSeconds` also refuses the client's new requests for that long. */
  revoke(clientId: string, refuseForSeconds?: number): Promise<RevokeResult>;
  forget(clientId: string): Promise<RevokeResult>;
  /** Changes one of a client's grants (connectors, access, expiry); its next call meets the new one. */
  changeGrant(edit: OperationInput<'clients.grant'>): Promise<ClientView>;
  /** Ends the refusal a revoke chose: the client's next request asks for consent again. */
  stopRefusing(clientId: string): Promise<ClientView>;
  register(input: OperationInput<'clients.register'>): Promise<RegisterResult>;
  loadActivity(clientId: string): Promise<void>;
  appendActivity(event: AuditEventView): void;
}

export type ClientsStore = StoreApi<ClientsState>;

export function createClientsStore(api: GatehouseApi): ClientsStore {
  return createStore<ClientsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({ clients: await api.call('clients.list', {}) }));
    return {
      clients: [],
      loadState: 'loading',
      loadError: null,
      activity: {},
      refresh,
      markUsed(clientId, at) {
        set({
          clients: get().clients.map((client) =>
            client.clientId === clientId && (client.lastUsedAt ?? 0) < at
              ? { ...client, lastUsedAt: at }
              : client,
          ),
        });
      },
      async revoke(clientId, refuseForSeconds) {
        const result = await api.call('clients.revoke', {
          clientId,
          ...(refuseForSeconds ? { refuseForSeconds } : {}),
        });
        void refresh();
        return result;
      },
      async changeGrant(edit) {
        const changed = await api.call('clients.grant', edit);
        set({
          clients: get().clients.map((client) => (client.clientId === changed.clientId ? changed : client)),
        });
        return changed;
      },
      async stopRefusing(clientId) {
        const changed = await api.call('clients.stopRefusing', { clientId });
        set({ clients: get().clients.map((client) => (client.clientId === clientId ? changed : client)) });
        return changed;
      },
      async forget(clientId) {
        const result = await api.call('clients.forget', { clientId });
        const { [clientId]: _forgotten, ...activity } = get().activity;
        set({ clients: get().clients.filter((client) => client.clientId !== clientId), activity });
        void refresh();
        return result;
      },
      async register(input) {
        const result = await api.call('clients.register', input);
        void refresh();
        return result;
      },
      async loadActivity(clientId) {
        const events = await api.call('audit.list', { clientId, limit: CLIENT_ACTIVITY_LIMIT });
        set({ activity: { ...get().activity, [clientId]: events } });
      },
      appendActivity(event) {
        const known = event.clientId ? get().activity[event.clientId] : undefined;
        if (!known || !event.clientId || known.some((seen) => seen.id === event.id)) return;
        set({
          activity: {
            ...get().activity,
            [event.clientId]: [event, ...known].slice(0, CLIENT_ACTIVITY_LIMIT),
          },
        });
      },
    };
  });
}
