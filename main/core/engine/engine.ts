// The Gatehouse engine: assembles storage, the authorization server, the MCP endpoint and the local
// API behind one loopback HTTP server. Plain Node — the desktop shell and the headless CLI both run
// it, handing in their own effects (vault, opener, notifier, preferences).
import { join } from 'node:path';
import type { EngineEvent, OperationName, OperationOutput, OperationInput } from '../api/contract.js';
import { dispatch, type OperationHandlers, type Surface } from '../operations/engine-api.js';
import { setHandlesSecrets } from '../operations/connectors.js';
import { HttpApi } from './http-api.js';
import { routeRequest, type RouteTargets } from './routes.js';
import { UiAccess } from './ui-access.js';
import { AuditLog } from '../audit/audit-log.js';
import { AuthorizationServer, type AuthorizationServerSecrets } from '../auth/authorization-server.js';
import { OidcStore } from '../store/oidc-store.js';
import { TokenIndex } from '../auth/token-index.js';
import type { Effects } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { sendText } from '../http/http-io.js';
import { startLoopbackServer, type LoopbackServer } from '../http/loopback-server.js';
import { McpEndpoint } from '../mcp/mcp-endpoint.js';
import { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import { ConnectorStore } from '../store/connector-store.js';
import { upstreamFactory } from '../connectors/runtime/upstream-factory.js';
import { connectionRoots } from '../connectors/sandbox/connection-roots.js';
import { ConnectorOAuth } from '../connectors/oauth/connector-oauth.js';
import { clientMetadataUrlRefusal } from '../connectors/oauth/protocol.js';
import type { TreeLedger } from '../connectors/processes/tree-ledger.js';
import { connectorSecrets } from '../log/known-secrets.js';
import { redactingLogger } from '../log/loggers.js';
import { NO_SEALED_VALUES, type SealedValues } from '../secrets/sealed-values.js';
import { AlwaysAllowed } from '../store/always-allowed.js';
import { ToolStore } from '../store/tool-store.js';
import { Gateway } from '../gateway/gateway.js';
import { Catalog } from '../catalog/catalog.js';
import { defaultCommandResolver } from '../connectors/processes/stdio-launch.js';
import { HeldItems } from '../gateway/held-items.js';
import { FirstSightAnswers } from '../store/first-sight-answers.js';
import { FirstSightTold } from '../store/first-sight-told.js';
import { classifyTool } from '../policy/tool-class.js';
import { scanDefinition } from '../policy/first-sight.js';
import { toolFingerprint } from '../policy/tool-fingerprint.js';
import { RateLimiter } from '../policy/rate-limit.js';
import { RuleStore } from '../store/rule-store.js';
import type { Clock } from '../effects.js';
import { ClientStore } from '../store/client-store.js';
import { GrantStore } from '../store/grant-store.js';
import { RevokedClients } from '../store/revoked-clients.js';
import { openDatabase, type Database } from '../store/database.js';
import { Settings } from '../store/settings-store.js';
import { removeEngineRecord, writeEngineRecord } from './engine-record.js';
import type { EngineOptions } from './engine-options.js';
import { OutboundRoutes } from '../http/outbound-proxy.js';
import {
  claimDataDir,
  engineSandbox,
  explicitLegacyGrants,
  reapLeftoverConnectors,
} from './engine-startup.js';
import type { ConnectorSandbox } from '../connectors/sandbox/connector-sandbox.js';
import { dropGrant, revokeClient, type RevocationContext } from './client-revocation.js';
import { clientUseRecorder } from './client-use.js';
import { changeGrant } from './grant-change.js';
import { registerEngineParts, type EngineParts } from './engine-parts.js';
import { EngineEvents, relayEngineEvents } from './engine-events.js';
import { announceHeldItems } from './held-item-notices.js';
import { loadApiSecret, loadSecrets } from './engine-secrets.js';
import { engineStatus } from './engine-status.js';
import { operationHandlers } from './operation-handlers.js';
import { startSweeps } from './periodic-sweeps.js';
import { introspectToken } from './token-introspection.js';

export { API_SECRET_FILE, ENGINE_FILE } from './engine-record.js';
/** The SQLite database in the data directory: every store, and the activity log. */
export const DATABASE_FILE = 'gatehouse.db';

/**
 * One running Gatehouse: the stores, the authorization server, the MCP endpoint and gateway, the
 * connectors and the local API behind one loopback port. Made by `Engine.start`; every trusted
 * surface drives it through `call` (the contract) and hears it through `subscribe`. Its parts are
 * private: a shell holds only where it listens, `call`, `subscribe` and `stop` (engine-parts.ts).
 */
export class Engine {
  readonly #dataDir: string;
  readonly issuer: string;
  readonly mcpUrl: string;
  readonly port: number;
  readonly #settings: Settings;
  readonly #clients: ClientStore;
  readonly #grants: GrantStore;
  readonly #revokedClients: RevokedClients;
  readonly #audit: AuditLog;
  readonly #tokens: TokenIndex;
  readonly #store: OidcStore;
  readonly #authorization: AuthorizationServer;
  readonly #mcp: McpEndpoint;
  readonly #connectorStore: ConnectorStore;
  readonly #toolStore: ToolStore;
  readonly #alwaysAllowed: AlwaysAllowed;
  readonly #heldItems: HeldItems;
  readonly #rules: RuleStore;
  readonly #connectors: ConnectorManager;
  readonly #sandbox: ConnectorSandbox;
  readonly #connectorOAuth: ConnectorOAuth;
  readonly #gateway: Gateway;
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter;
  readonly #db: Database;
  readonly #auditDb: Database;
  readonly #effects: Effects;
  readonly #version: string;
  /** This run's port came from `--port`, not the port setting. */
  readonly #portFromCommandLine: boolean;
  readonly #startedAt: number;
  readonly #events: EngineEvents;
  readonly #handlers: OperationHandlers;
  readonly #secrets: AuthorizationServerSecrets;
  readonly #api: HttpApi;
  readonly #routes: RouteTargets;
  readonly #revocation: RevocationContext;
  readonly #ui: UiAccess;
  /** The parts above (each described in engine-parts.ts), for the handlers, the status and tests. */
  readonly #parts: EngineParts;
  #stopSweeps: (() => void) | undefined;
  #server: LoopbackServer | undefined;
  #stopped = false;
  readonly #outbound: OutboundRoutes;

  private constructor(
    options: EngineOptions,
    db: Database,
    auditDb: Database,
    port: number,
    apiSecret: string,
    secrets: AuthorizationServerSecrets,
    trees: TreeLedger,
  ) {
    // Whatever the shell's logger does with a line, the connectors' stored secrets never reach it.
    let knownSecrets: () => SealedValues = () => NO_SEALED_VALUES;
    const logger = redactingLogger(options.effects.logger, () => knownSecrets());
    // Remote connectors, their OAuth servers and the registry are reached the way the machine's proxy
    // settings say (docs/decisions.md, "Outbound HTTP through the machine's proxy").
    this.#outbound = new OutboundRoutes({ resolve: options.effects.proxy, logger });
    const effects: Effects = {
      ...options.effects,
      fetch: this.#outbound.fetch(options.effects.fetch),
      logger,
    };
    this.#dataDir = options.dataDir;
    this.#db = db;
    this.#effects = effects;
    this.#events = new EngineEvents(effects.logger);
    this.#version = options.version;
    // 0 (a free port) is how tests start an engine, never a user's --port.
    this.#portFromCommandLine = options.port !== undefined && options.port !== 0;
    this.#secrets = secrets;
    this.#startedAt = effects.clock.now();
    this.#clock = effects.clock;
    this.port = port;
    this.issuer = `http://127.0.0.1:${port}`;
    this.mcpUrl = `${this.issuer}/mcp`;
    this.#settings = new Settings(options.preferences);
    this.#clients = new ClientStore(db, effects.clock);
    this.#grants = new GrantStore(db, effects.clock);
    this.#revokedClients = new RevokedClients(db, effects.clock);
    this.#auditDb = auditDb;
    this.#audit = new AuditLog(
      auditDb,
      effects.clock,
      (clientId) => this.#clients.get(clientId)?.name ?? null,
    );
    this.#tokens = new TokenIndex();
    this.#store = new OidcStore({
      db,
      clock: effects.clock,
      random: effects.random,
      tokens: this.#tokens,
      hooks: { isGrantActive: (grantId) => this.#grants.active(grantId) !== undefined },
      vault: effects.vault,
      logger: effects.logger,
    });
    this.#store.loadTokenIndex();
    const sealed = this.#store.sealStoredClientSecrets();
    if (sealed > 0)
      effects.logger.info('sealed client secrets stored in plain text by an earlier version', { sealed });
    this.#authorization = new AuthorizationServer({
      issuer: this.issuer,
      store: this.#store,
      settings: this.#settings,
      clients: this.#clients,
      grants: this.#grants,
      revokedClients: this.#revokedClients,
      audit: this.#audit,
      secrets,
      clock: effects.clock,
      random: effects.random,
      // Client ID Metadata Documents only directly: oidc-provider's check of the connected address
      // (its SSRF guard) would see a proxy's address instead of the document's host.
      fetch: options.effects.fetch,
      logger: effects.logger,
      notifier: effects.notifier,
      isKnownResourcePath: (path) =>
        path === '/mcp' || this.#gateway.hasConnector(path.slice('/mcp/'.length)),
      onGrantRevoked: (grantId, reason) => void dropGrant(this.#revocation, grantId, reason),
      ...(options.refreshReuseGraceMs !== undefined ? { refreshGraceMs: options.refreshReuseGraceMs } : {}),
      ...(options.metadataDocumentFetch ? { metadataDocumentFetch: options.metadataDocumentFetch } : {}),
      ...(options.registrationLimit ? { registrationLimit: options.registrationLimit } : {}),
      ...(options.maxUnusedRegistrations !== undefined
        ? { maxUnusedRegistrations: options.maxUnusedRegistrations }
        : {}),
      ...(options.hostLookup ? { hostLookup: options.hostLookup } : {}),
      ...(options.consentTimeoutMs ? { consentTimeoutMs: options.consentTimeoutMs } : {}),
      ...(options.consentQueue ? { consentQueue: options.consentQueue } : {}),
    });
    this.#connectorStore = new ConnectorStore(db, effects.clock, effects.vault);
    knownSecrets = connectorSecrets(this.#connectorStore, effects.vault);
    this.#toolStore = new ToolStore(db, effects.clock);
    this.#alwaysAllowed = new AlwaysAllowed(db, effects.clock);
    this.#heldItems = new HeldItems(
      new FirstSightAnswers(db, effects.clock),
      new FirstSightTold(db, effects.clock),
    );
    this.#rules = new RuleStore(db);
    if (this.#rules.broken.length > 0) {
      effects.logger.error('saved rules could not be read; every tool call is denied until they are fixed', {
        errors: this.#rules.broken,
      });
    }
    const limits = () => ({
      perMinute: this.#settings.get().rateLimitPerMinute,
      perDay: this.#settings.get().rateLimitPerDay,
    });
    this.#rateLimiter = new RateLimiter(limits());
    this.#settings.onChange(() => this.#rateLimiter.configure(limits()));
    this.#connectorOAuth = new ConnectorOAuth({
      store: this.#connectorStore,
      effects,
      issuer: this.issuer,
      ...(options.upstreamClientMetadataUrl ? { clientMetadataUrl: options.upstreamClientMetadataUrl } : {}),
    });
    this.#sandbox = engineSandbox(
      options,
      effects,
      port,
      () => this.#audit,
      (event) => this.#emit(event),
    );
    this.#connectors = new ConnectorManager({
      store: this.#connectorStore,
      tools: this.#toolStore,
      createUpstream:
        options.createUpstream ??
        upstreamFactory({
          clock: effects.clock,
          logger: effects.logger,
          fetch: this.#outbound.fetch(options.effects.fetch, { streams: true }),
          version: options.version,
          oauthAuthorizer: (name, settings) => this.#connectorOAuth.authorizer(name, settings),
          serverRequests: (connector, method, params, signal) =>
            this.#gateway.forwardServerRequest(connector, method, params, signal),
          trees,
          sandbox: this.#sandbox,
        }),
      onEdited: (name) => this.#connectorOAuth.reset(name, { clearCredentials: false }),
      onRemoved: (name) => this.#connectorOAuth.reset(name, { clearCredentials: true }),
      toolHooks: {
        defaultApproval: (tool) => classifyTool(tool).defaultApproval,
        fingerprint: toolFingerprint,
        // A tool that turns itself from write into read would reach read-only grants: hold it too.
        widens: (pinned, current) =>
          classifyTool(pinned).class === 'write' && classifyTool(current).class === 'read',
        firstSight: (tool) => scanDefinition('tool', tool),
      },
      logger: effects.logger,
    });
    this.#gateway = new Gateway({
      connectors: this.#connectors,
      tools: this.#toolStore,
      alwaysAllowed: this.#alwaysAllowed,
      heldItems: this.#heldItems,
      settings: this.#settings,
      clients: this.#clients,
      audit: this.#audit,
      clock: effects.clock,
      random: effects.random,
      logger: effects.logger,
      notifier: effects.notifier,
      rules: () => this.#rules.compiled(),
      rateLimiter: this.#rateLimiter,
      gatehouseTools: {
        clients: this.#clients,
        settings: this.#settings,
        connectorNames: () => this.#connectors.enabledNames(),
        recentDenials: (clientId, limit) => this.#audit.query({ clientId, decision: 'deny', limit }),
      },
      callTimeoutMs: (name) => {
        const settings = this.#connectorStore.get(name)?.settings;
        return settings?.kind === 'http' ? settings.timeoutSeconds * 1000 : 60_000;
      },
      connectionRoots: (name) =>
        connectionRoots(this.#connectorStore.get(name)?.settings, this.#sandbox.place),
      ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
      ...(options.parkTimeoutMs ? { parkTimeoutMs: options.parkTimeoutMs } : {}),
      sealedValues: () => knownSecrets(),
      handlesSecrets: (name) => this.#connectorStore.get(name)?.handlesSecrets ?? false,
      allowSecrets: (name, approvalId) => setHandlesSecrets(this.#parts, name, true, approvalId),
      sandboxRefusals: this.#sandbox.refusals,
    });
    this.#mcp = new McpEndpoint({
      version: options.version,
      clock: effects.clock,
      random: effects.random,
      logger: effects.logger,
      settings: this.#settings,
      clients: this.#clients,
      grants: this.#grants,
      tokens: this.#tokens,
      audit: this.#audit,
      services: this.#gateway,
      onClientUsed: clientUseRecorder({ clients: this.#clients, emit: (event) => this.#emit(event) }),
      onSessionsChanged: () => this.#emit({ type: 'sessions.changed' }),
      ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}),
      ...(options.maxSessionsPerClient ? { maxSessionsPerClient: options.maxSessionsPerClient } : {}),
      ...(options.maxListenStreamsPerClient
        ? { maxListenStreamsPerClient: options.maxListenStreamsPerClient }
        : {}),
      ...(options.mcpStreamAfterMs !== undefined ? { streamAfterMs: options.mcpStreamAfterMs } : {}),
    });
    this.#ui = new UiAccess(options.uiRoot ?? null, effects.clock, effects.random);
    this.#parts = {
      dataDir: this.#dataDir,
      issuer: this.issuer,
      mcpUrl: this.mcpUrl,
      port,
      clock: this.#clock,
      settings: this.#settings,
      clients: this.#clients,
      grants: this.#grants,
      revokedClients: this.#revokedClients,
      audit: this.#audit,
      tokens: this.#tokens,
      store: this.#store,
      authorization: this.#authorization,
      mcp: this.#mcp,
      connectorStore: this.#connectorStore,
      toolStore: this.#toolStore,
      alwaysAllowed: this.#alwaysAllowed,
      heldItems: this.#heldItems,
      rules: this.#rules,
      connectors: this.#connectors,
      sandbox: this.#sandbox,
      connectorOAuth: this.#connectorOAuth,
      gateway: this.#gateway,
      ui: this.#ui,
      call: (name, input) => this.call(name, input),
      revokeClient: (clientId, reason, cause = 'revoked by you', refuseForMs = null) =>
        revokeClient(this.#revocation, clientId, reason, cause, refuseForMs),
      changeGrant: (clientName, edit) =>
        changeGrant(
          {
            issuer: this.issuer,
            clock: this.#clock,
            grants: this.#grants,
            connectorStore: this.#connectorStore,
            mcp: this.#mcp,
            approvals: this.#gateway.approvals,
            audit: this.#audit,
            emit: (event) => this.#emit(event),
          },
          clientName,
          edit,
        ),
      emit: (event) => this.#emit(event),
      status: () =>
        engineStatus(this.#parts, {
          version: this.#version,
          startedAt: this.#startedAt,
          secretProtection: this.#effects.vault.kind,
          portFromCommandLine: this.#portFromCommandLine,
        }),
      beginConnectorAuthorization: (name) => this.#connectorOAuth.begin(name),
      introspect: (token) => introspectToken(effects.fetch, this.issuer, this.#secrets.introspector, token),
    };
    registerEngineParts(this, this.#parts);
    this.#handlers = operationHandlers(this.#parts, {
      catalog: new Catalog({
        fetch: effects.fetch,
        registryUrl: () => this.#settings.get().registryUrl,
        resolveCommand: options.catalog?.resolveCommand ?? defaultCommandResolver(),
        connectors: () => this.#connectorStore.list(),
        grantPlace: () => this.#sandbox.place,
        ...(options.catalog?.timeoutMs !== undefined ? { timeoutMs: options.catalog.timeoutMs } : {}),
      }),
      ...(options.clientSetup ? { clientSetup: options.clientSetup } : {}),
    });
    this.#api = new HttpApi({
      uiAuthorized: (req) => this.#ui.authorized(req),
      apiSecret,
      handlers: this.#handlers,
      logger: effects.logger,
      subscribe: (listener) => this.subscribe(listener),
    });
    this.#routes = {
      mcpUrl: this.mcpUrl,
      issuer: this.issuer,
      mcp: this.#mcp,
      authorization: this.#authorization,
      api: this.#api,
      ui: this.#ui,
      connectorOAuth: this.#connectorOAuth,
      hasConnector: (name) => this.#gateway.hasConnector(name),
    };
    this.#revocation = {
      grants: this.#grants,
      store: this.#store,
      tokens: this.#tokens,
      rateLimiter: this.#rateLimiter,
      mcp: this.#mcp,
      alwaysAllowed: this.#alwaysAllowed,
      approvals: this.#gateway.approvals,
      revokedClients: this.#revokedClients,
      audit: this.#audit,
      emit: (event) => this.#emit(event),
    };
    relayEngineEvents(
      {
        audit: this.#audit,
        authorization: this.#authorization,
        settings: this.#settings,
        clients: this.#clients,
        gateway: this.#gateway,
        connectors: this.#connectors,
        notifier: effects.notifier,
      },
      (event) => this.#emit(event),
    );
    announceHeldItems({
      connectors: this.#connectors,
      heldItems: this.#heldItems,
      audit: this.#audit,
      notifier: effects.notifier,
    });
  }

  /** Opens the data directory and database, binds the port, and starts serving. */
  static async start(options: EngineOptions): Promise<Engine> {
    const metadataUrlRefusal =
      options.upstreamClientMetadataUrl === undefined
        ? undefined
        : clientMetadataUrlRefusal(options.upstreamClientMetadataUrl);
    if (metadataUrlRefusal) throw new GatehouseError('bad_request', metadataUrlRefusal);
    claimDataDir(options.dataDir);
    const db = openDatabase(join(options.dataDir, DATABASE_FILE));
    const auditDb = openDatabase(join(options.dataDir, DATABASE_FILE), 'normal');
    let engine: Engine | undefined;
    let server: LoopbackServer | undefined;
    try {
      const port = options.port ?? new Settings(options.preferences).get().port;
      const secrets = loadSecrets(db, options.effects);
      const apiSecret = loadApiSecret(options.dataDir, options.effects);
      // Bind first: the issuer URL embeds the port, and port 0 (tests) is only known once bound.
      server = await startLoopbackServer(
        port,
        async (req, res) => {
          if (engine) return routeRequest(engine.#routes, req, res);
          sendText(res, 503, 'Gatehouse is starting; try again in a moment.\n');
        },
        options.effects.logger,
        {
          onRefused: (reason, req) =>
            engine &&
            engine.#audit.record({
              type: 'http.request_refused',
              decision: 'deny',
              reason,
              detail: { method: req.method, path: req.url?.split('?')[0] },
            }),
          ...(options.httpTimeouts ? { timeouts: options.httpTimeouts } : {}),
        },
      );
      const trees = await reapLeftoverConnectors(
        options.dataDir,
        options.effects.logger,
        options.effects.clock,
      );
      engine = new Engine(options, db, auditDb, server.port, apiSecret, secrets, trees);
      engine.#begin(server);
      return engine;
    } catch (error) {
      await server?.close();
      db.close();
      auditDb.close();
      throw error;
    }
  }

  /**
   * Calls a contract operation (validating its input) — the path every trusted surface takes; the
   * app's window by default (the HTTP API names the command line or the browser).
   */
  async call<N extends OperationName>(
    name: N,
    input?: OperationInput<N>,
    surface?: Surface,
  ): Promise<OperationOutput<N>> {
    return (await dispatch(this.#handlers, name, input ?? {}, surface)) as OperationOutput<N>;
  }

  /** Hears every engine event (SSE, IPC, the tray); returns the function that stops listening. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** Stops serving and closes everything, in order: streams, sessions, connectors, the port, storage. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopSweeps?.();
    this.#api.closeStreams();
    await this.#mcp.closeAll();
    this.#gateway.close();
    await this.#connectors.stopAll();
    await this.#outbound.close();
    await this.#sandbox.close();
    await this.#authorization.close();
    await this.#server?.close();
    this.#clients.flushLastUsed();
    this.#audit.close();
    this.#db.close();
    this.#auditDb.close();
    removeEngineRecord(this.#dataDir);
  }

  #begin(server: LoopbackServer): void {
    this.#server = server;
    const port = server.port;
    writeEngineRecord(this.#dataDir, {
      pid: process.pid,
      port,
      version: this.#version,
      startedAt: this.#startedAt,
    });
    this.#stopSweeps = startSweeps({
      clients: this.#clients,
      store: this.#store,
      mcp: this.#mcp,
      audit: this.#audit,
      settings: this.#settings,
      logger: this.#effects.logger,
    });
    explicitLegacyGrants(this.#connectorStore, this.#sandbox.place, this.#audit);
    // What an earlier Gatehouse left of its sandboxes goes before a server starts.
    const reaped = this.#sandbox.reapLeftovers(this.#connectorStore.list().map((record) => record.name));
    if (reaped.length > 0)
      this.#effects.logger.info('removed what earlier sandboxes left', { removed: reaped });
    this.#connectors.startAll();
    this.#audit.record({
      type: 'engine.started',
      decision: 'info',
      reason: `Gatehouse ${this.#version} listening on 127.0.0.1:${port}`,
    });
  }

  #emit(event: EngineEvent): void {
    this.#events.emit(event);
  }
}
