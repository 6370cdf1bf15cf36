// The one subscriber to the engine's events: each event tells the stores it concerns to fetch again
// (or, for audit events and client use, carries the change itself). No store polls.
import type { EngineEvent } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import type { AppStores } from './app-stores.js';

export function routeEngineEvents(api: GatehouseApi, stores: AppStores): () => void {
  const refreshStatus = () => void stores.settings.getState().refreshStatus();
  // "Connected" comes from the clients registry and their open sessions and streams, imports add
  // connectors; all once its page has loaded.
  const refreshClientSetup = () => {
    const setup = stores.clientSetup.getState();
    if (setup.started) void setup.refresh();
  };
  const route = (event: EngineEvent): void => {
    switch (event.type) {
      case 'clients.changed':
        void stores.clients.getState().refresh();
        refreshStatus();
        refreshClientSetup();
        return;
      case 'sessions.changed':
        void stores.clients.getState().refresh();
        refreshStatus();
        refreshClientSetup();
        return;
      case 'client.used':
        stores.clients.getState().markUsed(event.clientId, event.at);
        return;
      case 'connectors.changed':
        void stores.connectors.getState().refresh();
        // Connecting lists the tools; removing takes them away.
        void stores.tools.getState().refresh();
        // A rule naming it may match something now, or nothing any more.
        void stores.settings.getState().refreshRuleProblems();
        refreshStatus();
        refreshClientSetup();
        return;
      case 'tools.changed':
        void stores.tools.getState().refresh();
        void stores.settings.getState().refreshRuleProblems();
        // Tool and held counts live on the connector rows.
        void stores.connectors.getState().refresh();
        return;
      case 'approvals.changed':
        void stores.approvals.getState().refresh();
        refreshStatus();
        return;
      case 'consents.changed':
        void stores.consents.getState().refresh();
        refreshStatus();
        return;
      case 'registrations.changed':
        void stores.registrations.getState().refresh();
        refreshStatus();
        return;
      case 'settings.changed':
        void stores.settings.getState().refreshSettings();
        // The access ceiling caps every client's access: their "access now" changes with it.
        void stores.clients.getState().refresh();
        refreshStatus();
        return;
      case 'audit.appended':
        stores.activity.getState().append(event.event);
        stores.clients.getState().appendActivity(event.event);
        // Rules have no event of their own; a change to them is audited.
        if (event.event.type === 'rules.changed') void stores.settings.getState().refreshRules();
        return;
    }
  };
  return api.onEvent(route);
}
