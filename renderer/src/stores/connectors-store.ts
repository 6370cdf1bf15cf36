// Connectors: the user's upstream MCP servers, their connection and auth status, and the results of
// the actions taken on them in this window (the last test, the authorization URL opened, stderr).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectorView, OperationOutput } from '@core/api/contract.js';
import type { ConnectorSettings } from '@core/api/connector-config.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { errorMessage, refresher, type LoadState } from './load-state.js';

export type ConnectorTestResult = OperationOutput<'connectors.test'>;

export interface ConnectorsState {
  connectors: ConnectorView[];
  loadState: LoadState;
  loadError: string | null;
  /** The last test per connector, or 'running'. */
  tests: Record<string, ConnectorTestResult | 'running'>;
  /** The authorization page the engine opened for a connector's OAuth, so the user can open it again. */
  authorizationUrls: Record<string, string>;
  logs: Record<string, string[]>;
  refresh(): Promise<void>;
  /** Adds a connector; with `onlyIfItStarts`, one whose first start fails is not kept (a does_not_start error). */
  /** Adds a connector typed in by the user: what its command line names is granted to its sandbox. */
  add(
    name: string,
    settings: ConnectorSettings,
    enabled: boolean,
    options?: { onlyIfItStarts?: boolean },
  ): Promise<ConnectorView>;
  /** Saves a connector; `grantCommandLine` grants what a command line the user changed names. */
  edit(
    name: string,
    settings: ConnectorSettings,
    options?: { grantCommandLine?: boolean },
  ): Promise<ConnectorView>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  /** Marks the connector as handling secrets on purpose, or not. */
  setHandlesSecrets(name: string, handlesSecrets: boolean): Promise<void>;
  remove(name: string): Promise<void>;
  test(name: string): Promise<ConnectorTestResult>;
  connect(name: string): Promise<string>;
  loadLogs(name: string): Promise<void>;
}

export type ConnectorsStore = StoreApi<ConnectorsState>;

export function createConnectorsStore(api: GatehouseApi): ConnectorsStore {
  return createStore<ConnectorsState>()((set, get) => {
    const refresh = refresher(get, set, async () => ({ connectors: await api.call('connectors.list', {}) }));
    const put = (view: ConnectorView) => {
      const others = get().connectors.filter((connector) => connector.name !== view.name);
      set({ connectors: [...others, view].sort((a, b) => a.name.localeCompare(b.name)) });
    };
    return {
      connectors: [],
      loadState: 'loading',
      loadError: null,
      tests: {},
      authorizationUrls: {},
      logs: {},
      refresh,
      async add(name, settings, enabled, options = {}) {
        const onlyIfItStarts = options.onlyIfItStarts ?? false;
        const grantCommandLine = settings.kind === 'stdio';
        const view = await api.call('connectors.add', {
          name,
          settings,
          enabled,
          onlyIfItStarts,
          grantCommandLine,
        });
        put(view);
        return view;
      },
      async edit(name, settings, options = {}) {
        const view = await api.call('connectors.edit', {
          name,
          settings,
          grantCommandLine: options.grantCommandLine ?? false,
        });
        put(view);
        return view;
      },
      async setEnabled(name, enabled) {
        put(await api.call(enabled ? 'connectors.enable' : 'connectors.disable', { name }));
      },
      async setHandlesSecrets(name, handlesSecrets) {
        put(await api.call('connectors.setHandlesSecrets', { name, handlesSecrets }));
      },
      async remove(name) {
        await api.call('connectors.remove', { name });
        const { [name]: _test, ...tests } = get().tests;
        set({ connectors: get().connectors.filter((connector) => connector.name !== name), tests });
      },
      async test(name) {
        set({ tests: { ...get().tests, [name]: 'running' } });
        try {
          const result = await api.call('connectors.test', { name });
          set({ tests: { ...get().tests, [name]: result } });
          return result;
        } catch (error) {
          const failed = { ok: false, latencyMs: 0, toolCount: 0, error: errorMessage(error) };
          set({ tests: { ...get().tests, [name]: failed } });
          return failed;
        }
      },
      async connect(name) {
        const { authorizationUrl } = await api.call('connectors.connect', { name });
        set({ authorizationUrls: { ...get().authorizationUrls, [name]: authorizationUrl } });
        return authorizationUrl;
      },
      async loadLogs(name) {
        const { lines } = await api.call('connectors.logs', { name });
        set({ logs: { ...get().logs, [name]: lines } });
      },
    };
  });
}
