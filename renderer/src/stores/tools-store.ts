// Tools of every connector: class, enabled and approval toggles, and changes held for review; and the
// prompts, resources and templates held on first sight.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HeldItemView, OperationInput, ToolView } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { refresher, type LoadState } from './load-state.js';

export type ToolChange = OperationInput<'tools.set'>;

export interface ToolsState {
  tools: ToolView[];
  /** Prompts, resources and templates held on first sight. */
  heldItems: HeldItemView[];
  loadState: LoadState;
  loadError: string | null;
  refresh(): Promise<void>;
  set(change: ToolChange): Promise<void>;
  /** Sets the approval of every write tool of a connector; resolves to how many changed. */
  setWriteApproval(connector: string, approval: 'ask' | 'never'): Promise<number>;
  accept(connector: string, tool: string): Promise<void>;
  /** "Keep blocked": the held change stays refused and stops waiting for review. */
  keepBlocked(connector: string, tool: string): Promise<void>;
  /** Answers a prompt, resource or template held on first sight. */
  answerItem(item: HeldItemView, answer: 'accept' | 'block'): Promise<void>;
}

export type ToolsStore = StoreApi<ToolsState>;

export function createToolsStore(api: GatehouseApi): ToolsStore {
  return createStore<ToolsState>()((set, get) => {
    const refresh = refresher(get, set, async () => {
      const [tools, heldItems] = await Promise.all([
        api.call('tools.list', {}),
        api.call('tools.heldItems', {}),
      ]);
      return { tools, heldItems };
    });
    const put = (view: ToolView) =>
      set({
        tools: get().tools.map((tool) =>
          tool.connector === view.connector && tool.name === view.name ? view : tool,
        ),
      });
    return {
      tools: [],
      heldItems: [],
      loadState: 'loading',
      loadError: null,
      refresh,
      async set(change) {
        put(await api.call('tools.set', change));
      },
      async setWriteApproval(connector, approval) {
        const changed = await api.call('tools.setWriteApproval', { connector, approval });
        changed.forEach(put);
        return changed.length;
      },
      async accept(connector, tool) {
        put(await api.call('tools.accept', { connector, tool }));
      },
      async keepBlocked(connector, tool) {
        put(await api.call('tools.keepBlocked', { connector, tool }));
      },
      async answerItem(item, answer) {
        const named = { connector: item.connector, kind: item.kind, key: item.key };
        await api.call(answer === 'accept' ? 'tools.acceptItem' : 'tools.blockItem', named);
        await refresh();
      },
    };
  });
}
