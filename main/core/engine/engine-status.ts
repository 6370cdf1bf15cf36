// The engine at a glance (status.get): what the tray, the window's header and `gatehouse status`
// show — where it listens, its switches, and the counts that need the user.
import type { StatusView } from '../api/contract.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { Gateway } from '../gateway/gateway.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import type { ClientStore } from '../store/client-store.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { Settings } from '../store/settings-store.js';
import type { UiAccess } from './ui-access.js';
import { sandboxOf } from '../api/connector-config.js';
import type { ConnectorSandbox } from '../connectors/sandbox/connector-sandbox.js';
import type { HeldItems } from '../gateway/held-items.js';
import { waitingItems } from '../operations/held-items.js';
import type { ToolStore } from '../store/tool-store.js';

/** Everything the status reads from. */
export interface StatusContext {
  readonly dataDir: string;
  readonly mcpUrl: string;
  readonly issuer: string;
  readonly settings: Pick<Settings, 'get'>;
  readonly clients: Pick<ClientStore, 'list'>;
  readonly connectorStore: Pick<ConnectorStore, 'list'>;
  readonly connectors: Pick<ConnectorManager, 'status' | 'offering' | 'upstream'>;
  readonly toolStore: Pick<ToolStore, 'of'>;
  readonly heldItems: HeldItems;
  readonly mcp: Pick<McpEndpoint, 'connectedClients' | 'sessionCount' | 'listenStreamCount'>;
  readonly authorization: Pick<AuthorizationServer, 'consents' | 'registrations'>;
  readonly gateway: Pick<Gateway, 'approvals'>;
  readonly ui: Pick<UiAccess, 'available'>;
  readonly sandbox: Pick<ConnectorSandbox, 'check'>;
}

/** A connector's tools and items held for review: listed, neither kept blocked nor switched off. */
function heldForReview(context: StatusContext, connector: string): number {
  const listed = new Set(context.connectors.offering(connector).tools.map((tool) => tool.name));
  let tools = 0;
  for (const tool of context.toolStore.of(connector).values())
    if (tool.held && !tool.heldKept && tool.enabled && listed.has(tool.name)) tools++;
  return tools + waitingItems(context, connector);
}

/**
 * The engine's status now; `run` is this run's version and start time, what protects its stored
 * secrets (the vault's kind) and where its port came from.
 */
export function engineStatus(
  context: StatusContext,
  run: {
    version: string;
    startedAt: number;
    secretProtection: StatusView['secretProtection'];
    portFromCommandLine?: boolean;
  },
): StatusView {
  const settings = context.settings.get();
  const connectors = context.connectorStore.list();
  return {
    version: run.version,
    pid: process.pid,
    mcpUrl: context.mcpUrl,
    issuer: context.issuer,
    uiUrl: context.ui.available ? `${context.issuer}/ui/` : null,
    dataDir: context.dataDir,
    paused: settings.paused,
    accessCeiling: settings.accessCeiling,
    registrationPolicy: settings.registrationPolicy,
    clients: context.clients.list().length,
    connectedClients: context.mcp.connectedClients().size,
    openSessions: context.mcp.sessionCount,
    openConnections: context.mcp.listenStreamCount,
    pendingConsents: context.authorization.consents.pending().length,
    pendingRegistrations: context.authorization.registrations.pending().length,
    pendingApprovals: context.gateway.approvals.pending().length,
    heldForReview: connectors.reduce((sum, record) => sum + heldForReview(context, record.name), 0),
    connectors: connectors.length,
    connectorsNeedingAction: connectors.filter((record) => {
      const status = context.connectors.status(record);
      return status.auth === 'action-required' || status.connection === 'error';
    }).length,
    startedAt: run.startedAt,
    secretProtection: run.secretProtection,
    portFromCommandLine: run.portFromCommandLine === true,
    sandbox: {
      ...context.sandbox.check(),
      unsandboxed: connectors
        .filter((record) => record.settings.kind === 'stdio' && !sandboxOf(record.settings).enabled)
        .map((record) => record.name),
    },
  };
}
