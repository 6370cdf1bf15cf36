// Every store of the window, made once from one GatehouseApi (tests pass a fake one).
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { createActivityStore, type ActivityStore } from './activity-store.js';
import { createApprovalsStore, type ApprovalsStore } from './approvals-store.js';
import { createCatalogStore, type CatalogStore } from './catalog-store.js';
import { createClientSetupStore, type ClientSetupStore } from './client-setup-store.js';
import { createClientsStore, type ClientsStore } from './clients-store.js';
import { createConnectorsStore, type ConnectorsStore } from './connectors-store.js';
import { createConsentsStore, type ConsentsStore } from './consents-store.js';
import { createRegistrationsStore, type RegistrationsStore } from './registrations-store.js';
import { createSettingsStore, type SettingsStore } from './settings-store.js';
import { createToastsStore, type ToastsStore } from './toasts-store.js';
import { createToolsStore, type ToolsStore } from './tools-store.js';

export interface AppStores {
  settings: SettingsStore;
  clients: ClientsStore;
  clientSetup: ClientSetupStore;
  consents: ConsentsStore;
  registrations: RegistrationsStore;
  approvals: ApprovalsStore;
  connectors: ConnectorsStore;
  tools: ToolsStore;
  activity: ActivityStore;
  toasts: ToastsStore;
  catalog: CatalogStore;
}

export function createAppStores(api: GatehouseApi, now: () => number = Date.now): AppStores {
  return {
    settings: createSettingsStore(api),
    clients: createClientsStore(api),
    clientSetup: createClientSetupStore(api),
    consents: createConsentsStore(api),
    registrations: createRegistrationsStore(api),
    approvals: createApprovalsStore(api),
    connectors: createConnectorsStore(api),
    tools: createToolsStore(api),
    activity: createActivityStore(api, now),
    toasts: createToastsStore(),
    catalog: createCatalogStore(api),
  };
}

/**
 * The first fetch of everything the window shows from the start. Activity and client setup load with
 * their pages (client setup reads the clients' config files, which only that page needs).
 */
export async function loadAppStores(stores: AppStores): Promise<void> {
  await Promise.all([
    stores.settings.getState().refreshStatus(),
    stores.settings.getState().refreshSettings(),
    stores.settings.getState().refreshRules(),
    stores.clients.getState().refresh(),
    stores.consents.getState().refresh(),
    stores.registrations.getState().refresh(),
    stores.approvals.getState().refresh(),
    stores.connectors.getState().refresh(),
    stores.tools.getState().refresh(),
  ]);
}
