// Pending approvals: tool calls held until the user answers (or the engine's timeout denies them).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PendingApprovalView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

export interface ApprovalsState {
  approvals: PendingApprovalView[];
  loadState: LoadState;
  loadError: string | null;
  refresh(): Promise<void>;
  allowOnce(id: string): Promise<void>;
  allowAlways(id: string): Promise<void>;
  /** Allows a call held for secret material, and marks its connector as handling secrets from now on. */
  allowForConnector(id: string): Promise<void>;
  deny(id: string): Promise<void>;
}

export type ApprovalsStore = StoreApi<ApprovalsState>;

export function createApprovalsStore(api: GatehouseApi): ApprovalsStore {
  return createStore<ApprovalsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({ approvals: await api.call('approvals.list', {}) }));
    const settle = (id: string) => {
      set({ approvals: get().approvals.filter((approval) => approval.id !== id) });
      void refresh();
    };
    return {
      approvals: [],
      loadState: 'loading',
      loadError: null,
      refresh,
      async allowOnce(id) {
        await api.call('approvals.allow', { id, always: false });
        settle(id);
      },
      async allowAlways(id) {
        await api.call('approvals.allow', { id, always: true });
        settle(id);
      },
      async allowForConnector(id) {
        await api.call('approvals.allow', { id, connector: true });
        settle(id);
      },
      async deny(id) {
        await api.call('approvals.deny', { id });
        settle(id);
      },
    };
  });
}
