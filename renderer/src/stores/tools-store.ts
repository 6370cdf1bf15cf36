// Tools of every connector: class, enabled and approval toggles, and changes held for review; and the
// prompts, resources and templates held on first sight.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HeldItemView, OperationInput, ToolView } from '@core/api/contract.js';
import { ApiError, type GatehouseApi } from '../api/gatehouse-api.js';
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
  /** Accepts the held definition the view shows (refused if the server changed it since). */
  accept(tool: ToolView): Promise<void>;
  /** "Keep blocked": the held definition the view shows stays refused and stops waiting for review. */
  keepBlocked(tool: ToolView): Promise<void>;
  /**
   * Accepts each held definition the views show, one by one: those the server changed since stay held
   * and come back in `changed` (the list is then read again); any other failure stops there and throws.
   */
  acceptAll(tools: ToolView[]): Promise<{ accepted: ToolView[]; changed: ToolView[] }>;
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
    const answerOrReread = async <T>(answer: () => Promise<T>): Promise<T> => {
      try {
        return await answer();
      } catch (error) {
        if (isConflict(error)) await refresh().catch(() => undefined);
        throw error;
      }
    };
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
      // Each answer names the definition the user read: one the server changed meanwhile is refused
      // (conflict), and the list is read again so that what it says now is on screen.
      async accept(tool) {
        put(await answerOrReread(() => api.call('tools.accept', answerFor(tool))));
      },
      async keepBlocked(tool) {
        put(await answerOrReread(() => api.call('tools.keepBlocked', answerFor(tool))));
      },
      async acceptAll(tools) {
        const accepted: ToolView[] = [];
        const changed: ToolView[] = [];
        for (const tool of tools) {
          try {
            put(await api.call('tools.accept', answerFor(tool)));
            accepted.push(tool);
          } catch (error) {
            if (!isConflict(error)) throw error;
            changed.push(tool);
          }
        }
        if (changed.length > 0) await refresh().catch(() => undefined);
        return { accepted, changed };
      },
      async answerItem(item, answer) {
        const named = {
          connector: item.connector,
          kind: item.kind,
          key: item.key,
          ...(item.definition ? { definition: item.definition } : {}),
        };
        await answerOrReread(() =>
          api.call(answer === 'accept' ? 'tools.acceptItem' : 'tools.blockItem', named),
        );
        await refresh();
      },
    };
  });
}

/** What an answer about a held tool names: the tool, and the definition the user read. */
function answerFor(tool: ToolView): { connector: string; tool: string; definition?: string } {
  return {
    connector: tool.connector,
    tool: tool.name,
    ...(tool.definition ? { definition: tool.definition } : {}),
  };
}

/** The engine refused an answer because what it names changed since the view was read. */
const isConflict = (error: unknown) => error instanceof ApiError && error.code === 'conflict';
