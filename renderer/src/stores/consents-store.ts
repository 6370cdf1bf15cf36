// Pending consents: clients waiting, in their browser, for the user's decision in this window.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OperationInput, OperationOutput, PendingConsentView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

type ConsentApproval = OperationInput<'consents.approve'>;

export interface ConsentsState {
  consents: PendingConsentView[];
  loadState: LoadState;
  loadError: string | null;
  refresh(): Promise<void>;
  /** Resolves to what the client got (the access ceiling may cap what was chosen). */
  approve(input: ConsentApproval): Promise<OperationOutput<'consents.approve'>>;
  deny(id: string): Promise<void>;
  /** Denies every waiting request, or every one of a client. */
  denyAll(clientId?: string): Promise<void>;
}

export type ConsentsStore = StoreApi<ConsentsState>;

export function createConsentsStore(api: GatehouseApi): ConsentsStore {
  return createStore<ConsentsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({ consents: await api.call('consents.list', {}) }));
    const settle = (id: string) => {
      set({ consents: get().consents.filter((consent) => consent.id !== id) });
      void refresh();
    };
    return {
      consents: [],
      loadState: 'loading',
      loadError: null,
      refresh,
      async approve(input) {
        const result = await api.call('consents.approve', input);
        settle(input.id);
        return result;
      },
      async deny(id) {
        await api.call('consents.deny', { id });
        settle(id);
      },
      async denyAll(clientId) {
        const { denied } = await api.call('consents.denyAll', clientId === undefined ? {} : { clientId });
        set({ consents: get().consents.filter((consent) => !denied.includes(consent.id)) });
        void refresh();
      },
    };
  });
}
