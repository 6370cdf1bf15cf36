// A fake engine for renderer tests: in-memory state behind the real contract. Every call goes through
// the engine's own `dispatch`, so inputs are parsed by the contract's schemas exactly as the engine
// parses them (a wrong input fails here as it would there), and handlers emit the events the engine
// emits. Tests read `calls` to see what the UI sent, and `emit` to push events.
import type {
  AuditEventView,
  ClientView,
  ConnectorView,
  EngineEvent,
  OperationName,
  OperationOutput,
  PendingApprovalView,
  PendingConsentView,
  PendingRegistrationView,
  SettingsView,
  ToolView,
} from '@core/api/contract.js';
import type {
  ImportableServerView,
  ImportResultView,
  SetupClientName,
  SetupClientView,
} from '@core/api/client-setup-contract.js';
import type { ConnectorSettings } from '@core/connectors/connector-config.js';
import { dispatch, type OperationHandlers } from '@core/api/engine-api.js';
import { isGatehouseError, GatehouseError } from '@core/errors.js';
import { requireKnownConnectors } from '@core/operations/consents.js';
import { ApiError, type GatehouseApi } from '../../../renderer/src/api/gatehouse-api.js';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export function makeClient(overrides: Partial<ClientView> = {}): ClientView {
  return {
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
        createdAt: NOW - 86_400_000,
        expiresAt: null,
      },
    ],
    effectiveAccess: 'read',
    ...overrides,
  };
}

export function makeConnector(overrides: Partial<ConnectorView> = {}): ConnectorView {
  return {
    name: 'filesystem',
    settings: {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
      env: {},
      cwd: null,
    },
    enabled: true,
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
    mcpUrl: 'http://127.0.0.1:4640/mcp/filesystem',
    createdAt: NOW - 86_400_000,
    updatedAt: NOW - 86_400_000,
    ...overrides,
  };
}

export function makeTool(overrides: Partial<ToolView> = {}): ToolView {
  return {
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
    held: null,
    ...overrides,
  };
}

export function makeConsent(overrides: Partial<PendingConsentView> = {}): PendingConsentView {
  return {
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
    ...overrides,
  };
}

export function makeApproval(overrides: Partial<PendingApprovalView> = {}): PendingApprovalView {
  return {
    id: 'approval-1',
    clientId: 'client-claude-code',
    clientName: 'Claude Code',
    connector: 'filesystem',
    tool: 'filesystem__write_file',
    arguments: { path: '/home/me/notes.txt', content: '[redacted]' },
    reason: 'filesystem__write_file is set to ask before each call',
    canAlways: true,
    createdAt: NOW,
    expiresAt: Date.now() + 120_000,
    ...overrides,
  };
}

export function makeRegistration(overrides: Partial<PendingRegistrationView> = {}): PendingRegistrationView {
  return {
    id: 'registration-1',
    clientName: 'Windsurf',
    redirectUris: ['http://127.0.0.1:51234/callback'],
    createdAt: NOW,
    expiresAt: Date.now() + 120_000,
    ...overrides,
  };
}

let auditId = 100;
export function makeAuditEvent(overrides: Partial<AuditEventView> = {}): AuditEventView {
  return {
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
    ...overrides,
  };
}

const MCP_URL = 'http://127.0.0.1:4640/mcp';
const BACKUP_STAMP = '.gatehouse-backup-2026-01-15T12-00-00-000Z';

const SETUP_CLIENTS: Record<SetupClientName, { name: string; path: string; list: string }> = {
  'claude-desktop': {
    name: 'Claude Desktop',
    path: '/home/me/.config/Claude/claude_desktop_config.json',
    list: 'mcpServers',
  },
  'claude-code': { name: 'Claude Code', path: '/home/me/.claude.json', list: 'mcpServers' },
  vscode: { name: 'VS Code', path: '/home/me/.config/Code/User/mcp.json', list: 'servers' },
  cursor: { name: 'Cursor', path: '/home/me/.cursor/mcp.json', list: 'mcpServers' },
};

/** Where each client keeps a project's servers, as the engine's client-locations.ts has it. */
const PROJECT_FILES: Partial<Record<SetupClientName, string>> = {
  'claude-code': '.mcp.json',
  vscode: '.vscode/mcp.json',
  cursor: '.cursor/mcp.json',
};

function gatehouseEntryFor(client: SetupClientName): Record<string, unknown> {
  if (client === 'claude-desktop')
    return { command: '/usr/bin/gatehouse', args: ['bridge', '--client', 'claude-desktop'] };
  const headers = { 'X-Gatehouse-Client': client };
  return client === 'cursor' ? { url: MCP_URL, headers } : { type: 'http', url: MCP_URL, headers };
}

/** A client as setup.clients reports it: installed, its user file present, not pointed at Gatehouse. */
export function makeSetupClient(
  client: SetupClientName,
  overrides: Partial<SetupClientView> = {},
): SetupClientView {
  const { name, path, list } = SETUP_CLIENTS[client];
  const add = (scope: string) =>
    `claude mcp add --transport http${scope ? ` --scope ${scope}` : ''} gatehouse ${MCP_URL} --header "X-Gatehouse-Client: claude-code"`;
  return {
    client,
    name,
    installed: true,
    configured: false,
    connected: false,
    scopes: client === 'claude-desktop' ? ['user'] : ['user', 'project'],
    locations: [{ scope: 'user', path, projectDir: null, exists: true, gatehouse: 'none', problem: null }],
    registeredClients: [],
    snippet: JSON.stringify({ [list]: { gatehouse: gatehouseEntryFor(client) } }, null, 2),
    commands:
      client === 'claude-code' ? { local: add(''), user: add('user'), project: add('project') } : null,
    ...overrides,
  };
}

export function makeImportableServer(overrides: Partial<ImportableServerView> = {}): ImportableServerView {
  return {
    name: 'github',
    key: 'github',
    scope: 'user',
    path: SETUP_CLIENTS['claude-desktop'].path,
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
    ...overrides,
  };
}

/** The connector settings an importable server becomes (env and header values stay secret). */
function importedSettings(server: ImportableServerView): ConnectorSettings {
  if (server.transport === 'stdio') {
    return {
      kind: 'stdio',
      command: server.command ?? '',
      args: server.args,
      env: Object.fromEntries(server.env.map((name) => [name, '[stored]'])),
      cwd: server.cwd,
    };
  }
  return {
    kind: 'http',
    url: server.url ?? '',
    transport: server.transport === 'sse' ? 'sse' : 'auto',
    timeoutSeconds: 30,
    headers: Object.fromEntries(server.headers.map((name) => [name, '[stored]'])),
    auth: server.bearer ? { type: 'bearer', token: '[stored]' } : { type: 'none' },
  };
}

export interface FakeState {
  settings: SettingsView;
  clients: ClientView[];
  consents: PendingConsentView[];
  registrations: PendingRegistrationView[];
  approvals: PendingApprovalView[];
  connectors: ConnectorView[];
  tools: ToolView[];
  audit: AuditEventView[];
  rules: Array<Record<string, unknown>>;
  logs: Record<string, string[]>;
  /** What setup.clients reports; setup.connect / setup.disconnect change the user files' entries. */
  setupClients: SetupClientView[];
  /** What setup.importable finds in each client's files. */
  importable: Partial<Record<SetupClientName, ImportableListing>>;
}

interface ImportableListing {
  servers: ImportableServerView[];
  problems: { path: string; message: string }[];
}

function initialState(): FakeState {
  return {
    settings: {
      port: 4640,
      accessCeiling: 'write',
      registrationPolicy: 'open',
      paused: false,
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlDays: 30,
      auditRetentionDays: 90,
      startAtLogin: false,
      rateLimitPerMinute: 120,
      rateLimitPerDay: 10_000,
      registryUrl: 'https://registry.modelcontextprotocol.io',
    },
    clients: [],
    consents: [],
    registrations: [],
    approvals: [],
    connectors: [],
    tools: [],
    audit: [],
    rules: [],
    logs: {},
    setupClients: (['claude-desktop', 'claude-code', 'vscode', 'cursor'] as const).map((client) =>
      makeSetupClient(client),
    ),
    importable: {},
  };
}

export interface RecordedCall {
  name: OperationName;
  input: unknown;
}

export class FakeGatehouse implements GatehouseApi {
  readonly state: FakeState;
  readonly calls: RecordedCall[] = [];
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  /** Replace one operation's behaviour for a test (after the contract has parsed the input). */
  readonly overrides: Partial<Record<OperationName, (input: never) => unknown>> = {};

  constructor(state: Partial<FakeState> = {}) {
    this.state = { ...initialState(), ...state };
  }

  callsTo(name: OperationName): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }

  emit(event: EngineEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
    this.calls.push({ name, input });
    await Promise.resolve();
    try {
      return (await dispatch(this.#handlers(), name, input)) as OperationOutput<N>;
    } catch (error) {
      if (isGatehouseError(error)) throw new ApiError(error.code, error.message);
      throw error;
    }
  }

  #handlers(): OperationHandlers {
    const s = this.state;
    const emit = (event: EngineEvent) => this.emit(event);
    /** Answers a waiting question: it leaves its list, and the list's change goes out. */
    const settle = (list: 'consents' | 'registrations' | 'approvals', id: string) => {
      (s[list] as Array<{ id: string }>) = s[list].filter((one) => one.id !== id);
      emit({ type: `${list}.changed` });
    };
    const client = (clientId: string) => {
      const found = s.clients.find((candidate) => candidate.clientId === clientId);
      if (!found) throw new GatehouseError('not_found', `There is no client ${clientId}.`);
      return found;
    };
    const connector = (name: string) => {
      const found = s.connectors.find((candidate) => candidate.name === name);
      if (!found) throw new GatehouseError('not_found', `There is no connector named ${name}.`);
      return found;
    };
    const tool = (connectorName: string, name: string) => {
      const found = s.tools.find(
        (candidate) => candidate.connector === connectorName && candidate.name === name,
      );
      if (!found) throw new GatehouseError('not_found', `There is no tool ${connectorName}/${name}.`);
      return found;
    };
    const replaceConnector = (view: ConnectorView) => {
      s.connectors = [...s.connectors.filter((other) => other.name !== view.name), view];
      emit({ type: 'connectors.changed', name: view.name });
      return view;
    };
    const replaceTool = (view: ToolView) => {
      s.tools = s.tools.map((other) =>
        other.connector === view.connector && other.name === view.name ? view : other,
      );
      emit({ type: 'tools.changed', connector: view.connector });
      return view;
    };

    const setupClient = (name: SetupClientName) => {
      const found = s.setupClients.find((candidate) => candidate.client === name);
      if (!found) throw new GatehouseError('not_found', `The fake has no setup client ${name}.`);
      return found;
    };
    /** Marks the client's user file as holding (or not) the Gatehouse entry, as detection would. */
    const setUserEntry = (name: SetupClientName, gatehouse: 'this' | 'none') => {
      s.setupClients = s.setupClients.map((view) => {
        if (view.client !== name) return view;
        const locations = view.locations.map((location) =>
          location.scope === 'user' ? { ...location, exists: true, gatehouse } : location,
        );
        return { ...view, locations, configured: locations.some((one) => one.gatehouse === 'this') };
      });
    };
    const fileFor = (name: SetupClientName, scope: 'user' | 'project', projectDir?: string) => {
      const view = setupClient(name);
      if (scope === 'project') {
        const file = PROJECT_FILES[name];
        if (!file) {
          throw new GatehouseError(
            'bad_request',
            `${view.name} has no per-project configuration; connect it for your user instead.`,
          );
        }
        return { path: `${projectDir}/${file}`, exists: false, gatehouse: 'none' as const };
      }
      const user = view.locations.find((location) => location.scope === 'user');
      if (user?.problem) throw new GatehouseError('conflict', user.problem);
      return {
        path: user?.path ?? SETUP_CLIENTS[name].path,
        exists: user?.exists ?? false,
        gatehouse: user?.gatehouse ?? 'none',
      };
    };
    const handlers: Partial<OperationHandlers> = {
      'status.get': () => ({
        version: '0.1.0',
        pid: 1,
        mcpUrl: `http://127.0.0.1:${s.settings.port}/mcp`,
        issuer: `http://127.0.0.1:${s.settings.port}`,
        uiUrl: null,
        dataDir: '/tmp/gatehouse',
        paused: s.settings.paused,
        accessCeiling: s.settings.accessCeiling,
        registrationPolicy: s.settings.registrationPolicy,
        clients: s.clients.length,
        connectedClients: s.clients.filter((one) => one.openSessions > 0).length,
        openSessions: s.clients.reduce((sum, one) => sum + one.openSessions, 0),
        pendingConsents: s.consents.length,
        pendingRegistrations: s.registrations.length,
        pendingApprovals: s.approvals.length,
        connectors: s.connectors.length,
        connectorsNeedingAction: s.connectors.filter((one) => one.status.auth === 'action-required').length,
        startedAt: NOW - 3_600_000,
      }),
      'clients.list': () => s.clients,
      'clients.get': ({ clientId }) => client(clientId),
      'clients.revoke': ({ clientId }) => {
        const found = client(clientId);
        const result = {
          clientId,
          grantsRevoked: found.grants.length,
          tokensRevoked: found.activeTokens,
          sessionsClosed: found.openSessions,
        };
        s.clients = s.clients.map((one) =>
          one.clientId === clientId
            ? { ...one, grants: [], activeTokens: 0, openSessions: 0, effectiveAccess: 'none' }
            : one,
        );
        emit({ type: 'clients.changed' });
        return result;
      },
      'clients.forget': ({ clientId }) => {
        const found = client(clientId);
        s.clients = s.clients.filter((one) => one.clientId !== clientId);
        emit({ type: 'clients.changed' });
        return {
          clientId,
          grantsRevoked: found.grants.length,
          tokensRevoked: found.activeTokens,
          sessionsClosed: found.openSessions,
        };
      },
      'clients.register': ({ name, redirectUris, confidential }) => {
        const clientId = `manual-${s.clients.length + 1}`;
        s.clients = [
          ...s.clients,
          makeClient({
            clientId,
            name,
            kind: 'manual',
            redirectHosts: redirectUris.map((uri) => new URL(uri).hostname),
            activeTokens: 0,
            openSessions: 0,
            grants: [],
            effectiveAccess: 'none',
          }),
        ];
        emit({ type: 'clients.changed' });
        return {
          clientId,
          clientSecret: confidential ? 'secret-shown-once' : null,
          tokenEndpointAuthMethod: confidential ? 'client_secret_basic' : 'none',
        };
      },
      'consents.list': () => s.consents,
      'consents.approve': ({ id, access, connectors }) => {
        requireKnownConnectors(
          connectors,
          s.connectors.map((connector) => connector.name),
        );
        settle('consents', id);
        const ceiling = s.settings.accessCeiling;
        const effectiveAccess = ceiling === 'off' ? 'none' : ceiling === 'read' ? 'read' : access;
        return { id, grantId: `grant-${id}`, effectiveAccess, accessCeiling: ceiling };
      },
      'consents.deny': ({ id }) => {
        settle('consents', id);
        return { id };
      },
      'consents.denyAll': ({ clientId }) => {
        const denied = s.consents.filter((one) => clientId === undefined || one.clientId === clientId);
        for (const one of denied) settle('consents', one.id);
        return { denied: denied.map((one) => one.id) };
      },
      'registrations.list': () => s.registrations,
      'registrations.approve': ({ id }) => {
        settle('registrations', id);
        return { id };
      },
      'registrations.deny': ({ id }) => {
        settle('registrations', id);
        return { id };
      },
      'settings.get': () => s.settings,
      'settings.set': (patch) => {
        s.settings = { ...s.settings, ...patch };
        emit({ type: 'settings.changed' });
        return s.settings;
      },
      'access.pause': () => {
        s.settings = { ...s.settings, paused: true };
        emit({ type: 'settings.changed' });
        return { paused: true };
      },
      'access.resume': () => {
        s.settings = { ...s.settings, paused: false };
        emit({ type: 'settings.changed' });
        return { paused: false };
      },
      'connectors.list': () => s.connectors,
      'connectors.get': ({ name }) => connector(name),
      'connectors.add': ({ name, settings, enabled }) => {
        if (s.connectors.some((one) => one.name === name)) {
          throw new GatehouseError('conflict', `A connector named ${name} already exists.`);
        }
        return replaceConnector(makeConnector({ name, settings, enabled, toolCount: 0 }));
      },
      'connectors.edit': ({ name, settings }) => replaceConnector({ ...connector(name), settings }),
      'connectors.enable': ({ name }) => replaceConnector({ ...connector(name), enabled: true }),
      'connectors.disable': ({ name }) => replaceConnector({ ...connector(name), enabled: false }),
      'connectors.remove': ({ name }) => {
        connector(name);
        s.connectors = s.connectors.filter((one) => one.name !== name);
        emit({ type: 'connectors.changed', name });
        return { name };
      },
      'connectors.test': ({ name }) => ({
        ok: true,
        latencyMs: 42,
        toolCount: connector(name).toolCount,
        error: null,
      }),
      'connectors.connect': ({ name }) => {
        connector(name);
        return { authorizationUrl: `https://auth.example.com/authorize?client_id=gatehouse&state=${name}` };
      },
      'connectors.logs': ({ name }) => ({ lines: s.logs[name] ?? [] }),
      'tools.list': ({ connector: name }) => s.tools.filter((one) => !name || one.connector === name),
      'tools.set': ({ connector: connectorName, tool: name, enabled, approval, toolClass }) => {
        const found = tool(connectorName, name);
        return replaceTool({
          ...found,
          ...(enabled !== undefined ? { enabled } : {}),
          ...(approval !== undefined ? { approval } : {}),
          ...(toolClass !== undefined
            ? { toolClass: toolClass ?? 'read', classSource: toolClass ? 'user' : 'annotations' }
            : {}),
        });
      },
      'tools.accept': ({ connector: connectorName, tool: name }) =>
        replaceTool({ ...tool(connectorName, name), held: null }),
      'tools.keepBlocked': ({ connector: connectorName, tool: name }) => {
        const found = tool(connectorName, name);
        return replaceTool({ ...found, held: found.held ? { ...found.held, keptBlocked: true } : null });
      },
      'approvals.list': () => s.approvals,
      'approvals.allow': ({ id }) => {
        settle('approvals', id);
        return { id };
      },
      'approvals.deny': ({ id }) => {
        settle('approvals', id);
        return { id };
      },
      'rules.list': () => s.rules,
      'rules.set': ({ rules }) => {
        s.rules = rules as Array<Record<string, unknown>>;
        return s.rules;
      },
      'setup.clients': () => s.setupClients,
      'setup.connect': ({ client: name, scope, projectDir }) => {
        const file = fileFor(name, scope, projectDir);
        const changed = file.gatehouse !== 'this';
        const backupPath = changed && file.exists ? `${file.path}${BACKUP_STAMP}` : null;
        if (scope === 'user') setUserEntry(name, 'this');
        const clientName = setupClient(name).name;
        return {
          client: name,
          scope,
          path: file.path,
          changed,
          backupPath,
          created: changed && !file.exists,
          entry: gatehouseEntryFor(name),
          message: changed
            ? `Connected ${clientName} to Gatehouse: wrote the "gatehouse" entry in ${file.path}${backupPath ? ` (the previous file is in ${backupPath})` : ''}.`
            : `${clientName} is already connected to this Gatehouse (${file.path}); nothing changed.`,
        };
      },
      'setup.disconnect': ({ client: name, scope, projectDir }) => {
        const file = fileFor(name, scope, projectDir);
        const changed = scope === 'project' || file.gatehouse === 'this';
        const backupPath = changed ? `${file.path}${BACKUP_STAMP}` : null;
        if (scope === 'user') setUserEntry(name, 'none');
        const clientName = setupClient(name).name;
        return {
          client: name,
          scope,
          path: file.path,
          changed,
          backupPath,
          created: false,
          restored: [],
          removed: changed ? ['gatehouse'] : [],
          leftAlone: [],
          message: changed
            ? `Undid Gatehouse's changes for ${clientName} in ${file.path}: removed gatehouse (the previous file is in ${backupPath}).`
            : `Nothing of Gatehouse's to undo for ${clientName} in ${file.path}.`,
        };
      },
      'setup.importable': ({ client: name }) => ({
        client: name,
        ...(s.importable[name] ?? { servers: [], problems: [] }),
      }),
      'setup.import': ({ client: name, servers: wanted, replace }): ImportResultView => {
        const listing = s.importable[name] ?? { servers: [], problems: [] };
        const clientName = setupClient(name).name;
        let secretsMoved = 0;
        const imported: ImportableServerView[] = [];
        const outcomes = [...new Set(wanted)].map((key) => {
          const skipped = (detail: string) => ({
            server: key,
            connector: null,
            outcome: 'skipped' as const,
            detail,
          });
          const server = listing.servers.find((candidate) => candidate.key === key);
          if (!server) return skipped(`${clientName} has no server named ${key}`);
          if (server.gatehouse) return skipped('this is the entry for Gatehouse itself');
          if (server.problem) return skipped(server.problem);
          if (s.connectors.some((one) => one.name === server.connectorName)) {
            return skipped(`A connector named ${server.connectorName} already exists.`);
          }
          replaceConnector(
            makeConnector({ name: server.connectorName, settings: importedSettings(server), toolCount: 3 }),
          );
          imported.push(server);
          secretsMoved += server.env.length + server.headers.length + (server.bearer ? 1 : 0);
          return {
            server: key,
            connector: server.connectorName,
            outcome: 'imported' as const,
            detail: 'added; connected with 3 tools',
          };
        });
        const files = [...new Set(imported.map((server) => server.path))];
        const replaced = replace
          ? files.map((path) => ({
              client: name,
              scope: 'user' as const,
              path,
              changed: true,
              backupPath: `${path}${BACKUP_STAMP}`,
              created: false,
            }))
          : [];
        if (replaced.length > 0) setUserEntry(name, 'this');
        const skippedCount = outcomes.length - imported.length;
        return {
          client: name,
          outcomes,
          secretsMoved,
          replaced,
          message: `Imported ${imported.length} from ${clientName}${skippedCount ? `, skipped ${skippedCount}` : ''}.`,
        };
      },
      'audit.list': (query) =>
        s.audit
          .filter(
            (event) =>
              (!query.clientId || event.clientId === query.clientId) &&
              (!query.connector || event.connector === query.connector) &&
              (!query.tool || event.tool === query.tool) &&
              (!query.decision || event.decision === query.decision) &&
              (query.since === undefined || event.at >= query.since) &&
              (query.until === undefined || event.at < query.until),
          )
          .sort((a, b) => b.id - a.id)
          .slice(0, query.limit),
    };
    for (const [name, override] of Object.entries(this.overrides)) {
      (handlers as Record<string, unknown>)[name] = override;
    }
    return new Proxy(handlers as OperationHandlers, {
      get(target, name: string) {
        return (
          target[name as OperationName] ??
          (() => {
            throw new Error(`The fake Gatehouse does not implement ${name}`);
          })
        );
      },
    });
  }
}
