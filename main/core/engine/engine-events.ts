// The engine's events for the trusted surfaces (the window over IPC, the local API's SSE stream,
// the tray): what changed in the stores, the authorization server, the gateway and the connectors,
// as contract EngineEvents. A connector's changed tools are also told to the user and logged.
import type { EngineEvent } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { Logger, Notifier } from '../effects.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';

/** The listeners of engine events; one that throws is logged, the others still hear the event. */
export class EngineEvents {
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends an event to every listener. */
  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn('event listener failed', { error: (error as Error).message });
      }
    }
  }
}

/** The first reason a definition was held, for a notification's body (the rest are on the Tools page). */
export function firstReason(reasons: readonly string[]): string {
  return reasons[0] ?? 'Its definition holds hidden text or instructions for the AI.';
}

/** The parts of the engine whose changes become events. */
export interface EventSources {
  audit: Pick<AuditLog, 'onAppend' | 'record'>;
  authorization: Pick<AuthorizationServer, 'consents' | 'registrations'>;
  settings: Pick<Settings, 'onChange'>;
  clients: Pick<ClientStore, 'onChange'>;
  gateway: Pick<Gateway, 'approvals'>;
  connectors: Pick<ConnectorManager, 'on'>;
  notifier: Notifier;
}

/** Turns every source's changes into engine events, for as long as the engine runs. */
export function relayEngineEvents(sources: EventSources, emit: (event: EngineEvent) => void): void {
  sources.audit.onAppend((event) => emit({ type: 'audit.appended', event }));
  sources.authorization.consents.onChange(() => emit({ type: 'consents.changed' }));
  sources.authorization.registrations.onChange(() => emit({ type: 'registrations.changed' }));
  sources.settings.onChange(() => emit({ type: 'settings.changed' }));
  sources.clients.onChange(() => emit({ type: 'clients.changed' }));
  sources.gateway.approvals.onChange(() => emit({ type: 'approvals.changed' }));
  sources.connectors.on((event) => {
    if (event.type === 'status') emit({ type: 'connectors.changed', name: event.connector });
    if (event.type === 'offering' || event.type === 'checking')
      emit({ type: 'tools.changed', connector: event.connector });
    if (event.type === 'tools-held') {
      // What first sight reads in a change, said first: it is why the change matters.
      const read = event.tools.flatMap((tool) => tool.reasons);
      sources.notifier.notify({
        kind: 'info',
        title: `${event.connector} changed ${event.tools.length} tool${event.tools.length === 1 ? '' : 's'}`,
        body: `${read.length > 0 ? `${read[0]} ` : ''}${event.tools.length === 1 ? 'It is' : 'They are'} held until you review the change in Gatehouse.`,
      });
      for (const tool of event.tools) {
        sources.audit.record({
          type: 'tool.held',
          connector: event.connector,
          tool: tool.name,
          decision: 'info',
          reason: `Held until reviewed: ${tool.name} changed upstream${
            tool.reasons.length > 0 ? `; first sight reads in the change: ${tool.reasons.join(' ')}` : ''
          }`,
        });
      }
    }
    if (event.type === 'tools-held-on-first-sight') {
      sources.notifier.notify({
        kind: 'info',
        title: `${event.connector}: ${event.tools.length} new tool${event.tools.length === 1 ? '' : 's'} held on first sight`,
        body: `${firstReason(event.tools.flatMap((tool) => tool.reasons))} Clients do not see ${event.tools.length === 1 ? 'it' : 'them'}; review ${event.tools.length === 1 ? 'it' : 'them'} in Gatehouse.`,
      });
      for (const tool of event.tools) {
        sources.audit.record({
          type: 'tool.held',
          connector: event.connector,
          tool: tool.name,
          decision: 'info',
          reason: `Held on first sight: ${tool.name}: ${tool.reasons.join(' ')}`,
        });
      }
    }
  });
}
