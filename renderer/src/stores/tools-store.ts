// Tools of every connector: class, enabled and approval toggles, and changes held for review.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OperationInput, ToolView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

export type ToolChange = OperationInput<'tools.set'>;

export interface ToolsState {
  tools: ToolView[];
  loadState: LoadState;
  loadError: string | null;
  refresh(): Promise<void>;
  set(change: ToolChange): Promise<void>;
  accept(connector: string, tool: string): Promise<void>;
  /** "Keep blocked": the held change stays refused and stops waiting for review. */
  keepBlocked(connector: string, tool: string): Promise<void>;
}

export type ToolsStore = StoreApi<ToolsState>;

export function createToolsStore(api: GatehouseApi): ToolsStore {
  return createStore<ToolsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({ tools: await api.call('tools.list', {}) }));
    const put = (view: ToolView) =>
      set({
        tools: get().tools.map((tool) =>
          tool.connector === view.connector && tool.name === view.name ? view : tool,
        ),
      });
    return {
      tools: [],
      loadState: 'loading',
      loadError: null,
      refresh,
      async set(change) {
        put(await api.call('tools.set', change));
      },
      async accept(connector, tool) {
        put(await api.call('tools.accept', { connector, tool }));
      },
      async keepBlocked(connector, tool) {
        put(await api.call('tools.keepBlocked', { connector, tool }));
      },
    };
  });
}
