// Pending registrations: with the registration policy "ask", a new client's registration waits here.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PendingRegistrationView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

export interface RegistrationsState {
  registrations: PendingRegistrationView[];
  loadState: LoadState;
  loadError: string | null;
  refresh(): Promise<void>;
  allow(id: string): Promise<void>;
  refuse(id: string): Promise<void>;
}

export type RegistrationsStore = StoreApi<RegistrationsState>;

export function createRegistrationsStore(api: GatehouseApi): RegistrationsStore {
  return createStore<RegistrationsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({
      registrations: await api.call('registrations.list', {}),
    }));
    const settle = (id: string) => {
      set({ registrations: get().registrations.filter((registration) => registration.id !== id) });
      void refresh();
    };
    return {
      registrations: [],
      loadState: 'loading',
      loadError: null,
      refresh,
      async allow(id) {
        await api.call('registrations.approve', { id });
        settle(id);
      },
      async refuse(id) {
        await api.call('registrations.deny', { id });
        settle(id);
      },
    };
  });
}
