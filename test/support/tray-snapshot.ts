// What the tray menu's tests build menus from: snapshots of the engine with clients, consents,
// registrations, approvals and connectors, and tray actions that record what was clicked.
import type {
  ClientView,
  ConnectorView,
  PendingApprovalView,
  PendingConsentView,
  PendingRegistrationView,
} from '../../main/core/api/contract.js';
import { type TrayActions, type TraySnapshot } from '../../main/desktop/tray-menu.js';

/** The clock every snapshot is taken at. */
export const NOW = Date.UTC(2025, 10, 21, 12, 0, 0);

/** Tray actions that record each call with its arguments, in order. */
export function recordingActions(): TrayActions & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]): Promise<void> => {
      calls.push([name, ...args]);
    };
  return {
    calls,
    revokeClient: record('revokeClient'),
    approveConsent: record('approveConsent'),
    denyConsent: record('denyConsent'),
    approveRegistration: record('approveRegistration'),
    denyRegistration: record('denyRegistration'),
    allowApproval: record('allowApproval'),
    allowApprovalForConnector: record('allowApprovalForConnector'),
    denyApproval: record('denyApproval'),
    reconnectConnector: record('reconnectConnector'),
    pause: record('pause'),
    resume: record('resume'),
    copyMcpUrl: () => void calls.push(['copyMcpUrl']),
    openWindow: () => void calls.push(['openWindow']),
    quit: () => void calls.push(['quit']),
  };
}

/** A client row as the tray reads it; fields not given take ordinary values. */
export function client(overrides: Partial<ClientView> & Pick<ClientView, 'clientId' | 'name'>): ClientView {
  return {
    kind: 'dcr',
    redirectHosts: ['127.0.0.1:61234'],
    createdAt: NOW - 86_400_000,
    lastUsedAt: null,
    activeTokens: 0,
    openSessions: 0,
    setupClient: null,
    grants: [],
    effectiveAccess: 'none',
    revoked: null,
    ...overrides,
  };
}

/** A consent waiting for the user. */
export function consent(
  overrides: Partial<PendingConsentView> & Pick<PendingConsentView, 'id' | 'clientName' | 'matchCode'>,
): PendingConsentView {
  return {
    clientId: `client-${overrides.id}`,
    kind: 'dcr',
    redirectHost: '127.0.0.1:61234',
    requestedScopes: ['mcp:read'],
    requestedAccess: 'read',
    resource: 'http://127.0.0.1:42830/mcp',
    createdAt: NOW - 5_000,
    expiresAt: NOW + 295_000,
    ...overrides,
  };
}

/** A registration waiting for the user. */
export function registration(
  overrides: Partial<PendingRegistrationView> & Pick<PendingRegistrationView, 'id' | 'clientName'>,
): PendingRegistrationView {
  return {
    redirectUris: ['http://127.0.0.1:5000/cb', 'http://localhost:5000/cb'],
    createdAt: NOW - 1_000,
    expiresAt: NOW + 60_000,
    ...overrides,
  };
}

/** A tool call waiting for approval. */
export function approval(
  overrides: Partial<PendingApprovalView> & Pick<PendingApprovalView, 'id' | 'clientName' | 'tool'>,
): PendingApprovalView {
  return {
    clientId: `client-${overrides.id}`,
    connector: 'github',
    arguments: { title: 'Bug' },
    reason: 'create_issue asks before each call',
    canAlways: true,
    secrets: [],
    createdAt: NOW - 2_000,
    expiresAt: NOW + 118_000,
    ...overrides,
  };
}

/** A connector row as the tray reads it. */
export function connector(
  name: string,
  auth: ConnectorView['status']['auth'],
  connection: ConnectorView['status']['connection'] = 'connected',
  authProblem: ConnectorView['status']['authProblem'] = null,
): Pick<ConnectorView, 'name' | 'status'> {
  return {
    name,
    status: {
      connection,
      auth,
      authProblem,
      lastError: null,
      restarts: 0,
      pid: null,
      memoryBytes: null,
      connectedAt: null,
      transport: 'streamable-http',
      serverInfo: null,
    },
  };
}

/** The engine's state as the tray menu is built from it. */
export function snapshot(
  overrides: Partial<Omit<TraySnapshot, 'status'>> & { status?: Partial<TraySnapshot['status']> } = {},
): TraySnapshot {
  return {
    clients: [],
    consents: [],
    registrations: [],
    approvals: [],
    connectors: [],
    now: NOW,
    ...overrides,
    status: {
      issuer: 'http://127.0.0.1:42830',
      mcpUrl: 'http://127.0.0.1:42830/mcp',
      paused: false,
      accessCeiling: 'read',
      connectedClients: 0,
      ...overrides.status,
    },
  };
}
