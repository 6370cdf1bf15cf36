// The engine's views as the renderer receives them, for tests to put in a FakeGatehouse's state: each
// builder gives a typical one (a stdio filesystem connector, Claude Code with a read grant…), and a
// test overrides only what it is about. NOW is the fixed "now" the fixtures are dated from; the
// machine is Linux, home /home/me, with Gatehouse at 127.0.0.1:4640.
import type {
  ImportableServerView,
  SetupClientName,
  SetupClientView,
} from '@core/api/client-setup-contract.js';
import type {
  AuditEventView,
  ClientView,
  ConnectorView,
  PendingApprovalView,
  PendingConsentView,
  PendingRegistrationView,
  ToolView,
} from '@core/api/contract.js';
import { setupRecipe, type GatehouseTarget } from '@core/client-setup/client-formats.js';
import { clientNames, supportedScopes } from '@core/client-setup/client-locations.js';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** A view's builder: the typical view, made afresh on each call, with a test's overrides on top. */
function builder<View>(typical: () => View): (overrides?: Partial<View>) => View {
  return (overrides = {}) => ({ ...typical(), ...overrides });
}

export const makeClient = builder<ClientView>(() => ({
  clientId: 'client-claude-code',
  name: 'Claude Code',
  kind: 'dcr',
  redirectHosts: ['127.0.0.1'],
  createdAt: NOW - 86_400_000,
  lastUsedAt: null,
  activeTokens: 3,
  openSessions: 1,
  setupClient: null,
  grants: [
    {
      grantId: 'grant-1',
      connectors: '*',
      access: 'read',
      scopes: ['mcp:read'],
      resource: 'http://127.0.0.1:4640/mcp',
      connectorPath: false,
      writable: false,
      createdAt: NOW - 86_400_000,
      expiresAt: null,
    },
  ],
  effectiveAccess: 'read',
  revoked: null,
}));

export const makeConnector = builder<ConnectorView>(() => ({
  name: 'filesystem',
  settings: {
    kind: 'stdio',
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
    env: {},
    cwd: null,
  },
  enabled: true,
  handlesSecrets: false,
  status: {
    connection: 'connected',
    auth: 'not-applicable',
    lastError: null,
    restarts: 0,
    pid: 4242,
    memoryBytes: 50_000_000,
    connectedAt: NOW - 60_000,
    transport: 'stdio',
    serverInfo: { name: 'secure-filesystem-server', version: '0.2.0' },
  },
  toolCount: 2,
  heldTools: 0,
  heldOnFirstSight: 0,
  heldItems: 0,
  mcpUrl: 'http://127.0.0.1:4640/mcp/filesystem',
  createdAt: NOW - 86_400_000,
  updatedAt: NOW - 86_400_000,
}));

export const makeTool = builder<ToolView>(() => ({
  connector: 'filesystem',
  name: 'read_file',
  exposedName: 'filesystem__read_file',
  title: null,
  description: 'Read a file',
  toolClass: 'read',
  classSource: 'annotations',
  destructive: false,
  enabled: true,
  approval: 'never',
  available: true,
  appOnly: false,
  taskOnly: false,
  held: null,
  firstSight: null,
  definition: null,
}));

export const makeConsent = builder<PendingConsentView>(() => ({
  id: 'consent-1',
  clientId: 'client-cursor',
  clientName: 'Cursor',
  kind: 'dcr',
  redirectHost: '127.0.0.1',
  matchCode: 'K7Q-4PX',
  requestedScopes: ['mcp:read', 'mcp:write'],
  requestedAccess: 'write',
  resource: 'http://127.0.0.1:4640/mcp',
  createdAt: NOW,
  expiresAt: Date.now() + 300_000,
}));

export const makeApproval = builder<PendingApprovalView>(() => ({
  id: 'approval-1',
  clientId: 'client-claude-code',
  clientName: 'Claude Code',
  connector: 'filesystem',
  tool: 'filesystem__write_file',
  arguments: { path: '/home/me/notes.txt', content: '[redacted]' },
  reason: 'filesystem__write_file is set to ask before each call',
  canAlways: true,
  secrets: [],
  createdAt: NOW,
  expiresAt: Date.now() + 120_000,
}));

export const makeRegistration = builder<PendingRegistrationView>(() => ({
  id: 'registration-1',
  clientName: 'Windsurf',
  redirectUris: ['http://127.0.0.1:51234/callback'],
  createdAt: NOW,
  expiresAt: Date.now() + 120_000,
}));

let auditId = 100;
export const makeAuditEvent = builder<AuditEventView>(() => ({
  id: ++auditId,
  at: Date.now(),
  type: 'tool.call',
  clientId: 'client-claude-code',
  clientName: 'Claude Code',
  connector: 'filesystem',
  tool: 'read_file',
  decision: 'allow',
  reason: 'allowed by the grant',
  detail: { decidedBy: 'grant', durationMs: 12, outcome: 'ok' },
}));

/** What "Connect a client" points clients at. */
export const SETUP_TARGET: GatehouseTarget = {
  mcpUrl: 'http://127.0.0.1:4640/mcp',
  dataDir: '/home/me/.config/gatehouse',
  bridge: { command: '/usr/bin/gatehouse', args: ['bridge'] },
};

/** Each client's user file (written out: the engine joins paths with the running OS's separator). */
export const USER_FILES: Record<SetupClientName, string> = {
  'claude-desktop': '/home/me/.config/Claude/claude_desktop_config.json',
  'claude-code': '/home/me/.claude.json',
  vscode: '/home/me/.config/Code/User/mcp.json',
  cursor: '/home/me/.cursor/mcp.json',
};

/**
 * A client as setup.clients reports it: installed, its user file present, not pointed at Gatehouse;
 * its name, scopes, snippet and commands from the engine's own client-formats.ts and client-locations.ts.
 */
export function makeSetupClient(
  client: SetupClientName,
  overrides: Partial<SetupClientView> = {},
): SetupClientView {
  const path = USER_FILES[client];
  return {
    client,
    name: clientNames[client],
    installed: true,
    configured: false,
    entryRemoved: false,
    connected: false,
    scopes: supportedScopes(client),
    locations: [{ scope: 'user', path, projectDir: null, exists: true, gatehouse: 'none', problem: null }],
    registeredClients: [],
    ...setupRecipe(client, SETUP_TARGET),
    ...overrides,
  };
}

/** A server setup.importable finds: Claude Desktop's GitHub server over stdio, with one secret. */
export const makeImportableServer = builder<ImportableServerView>(() => ({
  name: 'github',
  key: 'github',
  scope: 'user',
  path: USER_FILES['claude-desktop'],
  transport: 'stdio',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github'],
  env: ['GITHUB_PERSONAL_ACCESS_TOKEN'],
  cwd: null,
  url: null,
  headers: [],
  bearer: false,
  gatehouse: false,
  problem: null,
  connectorName: 'github',
  grants: [],
}));
