// Connect a client: which MCP clients are on this machine and whether each points at Gatehouse, the
// entry Gatehouse wrote (or undid) for each in this window, and the servers each already has, to
// import. Loaded when its page first opens (detection reads the clients' files); from then on
// refetched on clients.changed (a client registered or came through an entry), sessions.changed (one
// connected or went away) and connectors.changed (an import added some).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OperationOutput } from '@core/api/contract.js';
import type { SetupClientName, SetupClientView, SetupRecipeView } from '@core/api/client-setup-contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { errorMessage, refresher, type LoadState } from './load-state.js';

type ConnectResult = OperationOutput<'setup.connect'>;
export type DisconnectResult = OperationOutput<'setup.disconnect'>;
export type ImportableServers = OperationOutput<'setup.importable'>;
export type ImportResult = OperationOutput<'setup.import'>;

/** Where an entry goes: the client's own file for the user, or one project's file. */
export type SetupTarget = { scope: 'user' } | { scope: 'project'; projectDir: string };

/** The last write this window made for a client, shown on its card. */
export type SetupWrite =
  | { action: 'connect'; target: SetupTarget; result: ConnectResult }
  | { action: 'undo'; target: SetupTarget; result: DisconnectResult };

export interface ClientSetupState {
  clients: SetupClientView[];
  loadState: LoadState;
  loadError: string | null;
  /** Whether the page has asked for the list yet; events refetch only after it has. */
  started: boolean;
  writes: Partial<Record<SetupClientName, SetupWrite>>;
  /** Each app's entry to paste by hand (the Overview's recipes), once asked for; no file is read. */
  recipes: SetupRecipeView[] | null;
  recipesError: string | null;
  refresh(): Promise<void>;
  loadRecipes(): Promise<void>;
  connect(client: SetupClientName, target: SetupTarget): Promise<ConnectResult>;
  undo(client: SetupClientName, target: SetupTarget): Promise<DisconnectResult>;
  importable(client: SetupClientName): Promise<ImportableServers>;
  /** Imports the chosen servers; `acceptGrants` gives each what its command line asks its sandbox for. */
  import(
    client: SetupClientName,
    servers: string[],
    replace: boolean,
    acceptGrants?: boolean,
  ): Promise<ImportResult>;
}

export type ClientSetupStore = StoreApi<ClientSetupState>;

export function createClientSetupStore(api: GatehouseApi): ClientSetupStore {
  return createStore<ClientSetupState>()((set, get) => {
    const fetch = refresher(get, set, async () => ({ clients: await api.call('setup.clients', {}) }));
    const refresh = () => {
      if (!get().started) set({ started: true });
      return fetch();
    };
    const input = (client: SetupClientName, target: SetupTarget) =>
      target.scope === 'project'
        ? { client, scope: 'project' as const, projectDir: target.projectDir }
        : { client, scope: 'user' as const };
    const remember = (client: SetupClientName, write: SetupWrite) => {
      set({ writes: { ...get().writes, [client]: write } });
      // The files changed; what the cards say about them follows.
      void refresh();
    };
    return {
      clients: [],
      loadState: 'loading',
      loadError: null,
      started: false,
      writes: {},
      recipes: null,
      recipesError: null,
      refresh,
      async loadRecipes() {
        try {
          set({ recipes: await api.call('setup.recipes', {}), recipesError: null });
        } catch (error) {
          set({ recipesError: errorMessage(error) });
        }
      },
      async connect(client, target) {
        const result = await api.call('setup.connect', input(client, target));
        remember(client, { action: 'connect', target, result });
        return result;
      },
      async undo(client, target) {
        const result = await api.call('setup.disconnect', input(client, target));
        remember(client, { action: 'undo', target, result });
        return result;
      },
      importable: (client) => api.call('setup.importable', { client }),
      async import(client, servers, replace, acceptGrants = false) {
        const result = await api.call('setup.import', { client, servers, replace, acceptGrants });
        // Replacing rewrote the client's file; the new connectors arrive by connectors.changed.
        if (replace) void refresh();
        return result;
      },
    };
  });
}
