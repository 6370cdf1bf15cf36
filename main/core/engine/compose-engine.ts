// One engine's composition: every part made once from the engine's options and effects, each handed
// the parts it works with, as the plain object the Engine keeps (EngineParts, engine-parts.ts).
// Parts that need a part made later reach it through a closure, called only once the engine runs.
// Nothing here starts a timer, a connector or the port: the Engine's start and stop do (engine.ts).
import type { EngineEvent, OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import { AuditLog } from '../audit/audit-log.js';
import { AuthorizationServer, type AuthorizationServerSecrets } from '../auth/authorization-server.js';
import { TokenIndex } from '../auth/token-index.js';
import { Catalog } from '../catalog/catalog.js';
import { ConnectorOAuth } from '../connectors/oauth/connector-oauth.js';
import { defaultCommandResolver } from '../connectors/processes/stdio-launch.js';
import type { TreeLedger } from '../connectors/processes/tree-ledger.js';
import { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import { upstreamFactory } from '../connectors/runtime/upstream-factory.js';
import { connectionRoots } from '../connectors/sandbox/connection-roots.js';
import type { Effects } from '../effects.js';
import { Gateway } from '../gateway/gateway.js';
import { HeldItems, heldItemCandidates } from '../gateway/held-items.js';
import { OutboundRoutes } from '../http/outbound-proxy.js';
import { connectorSecrets } from '../log/known-secrets.js';
import { redactingLogger } from '../log/loggers.js';
import { McpEndpoint } from '../mcp/mcp-endpoint.js';
import { setHandlesSecrets } from '../operations/connectors.js';
import { dispatch, type Surface } from '../operations/engine-api.js';
import { RateLimiter } from '../policy/rate-limit.js';
import { classifyTool } from '../policy/tool-class.js';
import { FirstSightLoader } from '../policy/first-sight-loader.js';
import { FIRST_SIGHT_STAMP } from '../policy/first-sight-stamp.js';
import { toolFingerprint } from '../policy/tool-fingerprint.js';
import { NO_SEALED_VALUES, type SealedValues } from '../secrets/sealed-values.js';
import { AlwaysAllowed } from '../store/always-allowed.js';
import { ClientStore } from '../store/client-store.js';
import { ConnectorStore } from '../store/connector-store.js';
import type { Database } from '../store/database.js';
import { FirstSightAnswers } from '../store/first-sight-answers.js';
import { FirstSightTold } from '../store/first-sight-told.js';
import { FirstSightClean } from '../store/first-sight-clean.js';
import { GrantStore } from '../store/grant-store.js';
import { OidcStore } from '../store/oidc-store.js';
import { RevokedClients } from '../store/revoked-clients.js';
import { RuleStore } from '../store/rule-store.js';
import { Settings } from '../store/settings-store.js';
import { ToolStore } from '../store/tool-store.js';
import { dropGrant, revokeClient } from './client-revocation.js';
import { clientUseRecorder } from './client-use.js';
import { EngineEvents, relayEngineEvents } from './engine-events.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineParts } from './engine-parts.js';
import { engineSandbox } from './engine-startup.js';
import { engineStatus } from './engine-status.js';
import { changeGrant } from './grant-change.js';
import { announceHeldItems } from './held-item-notices.js';
import { HttpApi } from './http-api.js';
import { operationHandlers } from './operation-handlers.js';
import { introspectToken } from './token-introspection.js';
import { UiAccess } from './ui-access.js';

/** What an engine is composed from: its options, and what `Engine.start` opened and bound first. */
export interface EngineFoundation {
  readonly options: EngineOptions;
  readonly database: Database;
  /** The second connection to the same database, the one the activity log writes through. */
  readonly auditDatabase: Database;
  /** The bound port: the issuer URL embeds it, and port 0 (tests) is only known once bound. */
  readonly port: number;
  /** What the local API's callers show (engine-secrets.ts). */
  readonly apiSecret: string;
  readonly secrets: AuthorizationServerSecrets;
  /** The ledger this run records its stdio connector trees in (engine-startup.ts). */
  readonly trees: TreeLedger;
}

/** Makes every part of one engine, once, wired to the others. */
export function composeEngine(foundation: EngineFoundation): EngineParts {
  const { options, database, auditDatabase, port, secrets } = foundation;
  // Whatever the shell's logger does with a line, the connectors' stored secrets never reach it.
  let knownSecrets: () => SealedValues = () => NO_SEALED_VALUES;
  const logger = redactingLogger(options.effects.logger, () => knownSecrets());
  // Remote connectors, their OAuth servers and the registry are reached the way the machine's proxy
  // settings say (docs/decisions.md, "Outbound HTTP: the OS's roots and the machine's proxy").
  const outbound = new OutboundRoutes({ resolve: options.effects.proxy, logger });
  const effects: Effects = { ...options.effects, fetch: outbound.fetch(options.effects.fetch), logger };
  const { clock, random } = effects;
  const startedAt = clock.now();
  const events = new EngineEvents(logger);
  const emit = (event: EngineEvent): void => events.emit(event);
  const issuer = `http://127.0.0.1:${port}`;
  const settings = new Settings(options.preferences);
  const clients = new ClientStore(database, clock);
  const grants = new GrantStore(database, clock);
  const revokedClients = new RevokedClients(database, clock);
  const audit = new AuditLog(auditDatabase, clock, (clientId) => clients.get(clientId)?.name ?? null);
  const tokens = new TokenIndex();
  const oidcStore = new OidcStore({
    db: database,
    clock,
    random,
    tokens,
    hooks: { isGrantActive: (grantId) => grants.active(grantId) !== undefined },
    vault: effects.vault,
    logger,
  });
  oidcStore.loadTokenIndex();
  const sealed = oidcStore.sealStoredClientSecrets();
  if (sealed > 0) logger.info('sealed client secrets stored in plain text by an earlier version', { sealed });
  const authorization = new AuthorizationServer({
    issuer,
    store: oidcStore,
    settings,
    clients,
    grants,
    revokedClients,
    audit,
    secrets,
    clock,
    random,
    // Client ID Metadata Documents only directly: oidc-provider's check of the connected address
    // (its SSRF guard) would see a proxy's address instead of the document's host.
    fetch: options.effects.fetch,
    logger,
    notifier: effects.notifier,
    isKnownResourcePath: (path) => path === '/mcp' || gateway.hasConnector(path.slice('/mcp/'.length)),
    onGrantRevoked: (grantId, reason) => void dropGrant(parts, grantId, reason),
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
  const connectorStore = new ConnectorStore(database, clock, effects.vault);
  knownSecrets = connectorSecrets(connectorStore, effects.vault);
  const toolStore = new ToolStore(database, clock);
  const alwaysAllowed = new AlwaysAllowed(database, clock);
  // First sight loads when a listing first brings something to judge, never at start.
  const firstSight = new FirstSightLoader(options.loadFirstSight);
  const heldItems = new HeldItems({
    answers: new FirstSightAnswers(database, clock),
    told: new FirstSightTold(database, clock),
    clean: new FirstSightClean(database, clock, FIRST_SIGHT_STAMP),
    firstSight,
    logger,
  });
  const rules = new RuleStore(database);
  if (rules.broken.length > 0) {
    logger.error('saved rules could not be read; every tool call is denied until they are fixed', {
      errors: rules.broken,
    });
  }
  const limits = () => ({
    perMinute: settings.get().rateLimitPerMinute,
    perDay: settings.get().rateLimitPerDay,
  });
  const rateLimiter = new RateLimiter(limits());
  settings.onChange(() => rateLimiter.configure(limits()));
  const connectorOAuth = new ConnectorOAuth({
    store: connectorStore,
    effects,
    issuer,
    ...(options.upstreamClientMetadataUrl ? { clientMetadataUrl: options.upstreamClientMetadataUrl } : {}),
  });
  const sandbox = engineSandbox(
    options,
    effects,
    port,
    () => audit,
    emit,
    (url) => outbound.route(url),
  );
  const connectors: ConnectorManager = new ConnectorManager({
    store: connectorStore,
    tools: toolStore,
    createUpstream:
      options.createUpstream ??
      upstreamFactory({
        clock,
        logger,
        fetch: outbound.fetch(options.effects.fetch, { streams: true }),
        version: options.version,
        oauthAuthorizer: (name, connector) => connectorOAuth.authorizer(name, connector),
        serverRequests: (connector, method, params, signal) =>
          gateway.forwardServerRequest(connector, method, params, signal),
        trees: foundation.trees,
        sandbox,
      }),
    onEdited: (name) => connectorOAuth.reset(name, { clearCredentials: false }),
    onRemoved: (name) => connectorOAuth.reset(name, { clearCredentials: true }),
    toolHooks: {
      defaultApproval: (tool) => classifyTool(tool).defaultApproval,
      fingerprint: toolFingerprint,
      // A tool that turns itself from write into read would reach read-only grants: hold it too.
      widens: (pinned, current) =>
        classifyTool(pinned).class === 'write' && classifyTool(current).class === 'read',
      firstSight: () => firstSight.listing('tool'),
    },
    firstSight,
    itemsToJudge: (name, offering, instructions) =>
      heldItems.toJudge(name, heldItemCandidates(offering, heldItems.instructionsItem(name, instructions))),
    listed: (name, lists) => heldItems.listed(name, lists),
    // Every removal, the user's or a connector taken back because it did not start: what the user
    // granted or answered about it goes with it (its scratch folder and the sandbox's record of it,
    // its "always allow" answers, first sight's memory), so one added later under the same name has
    // only what the user grants that one (docs/architecture.md, "Removing a connector").
    removed: (name) => {
      heldItems.forget(name);
      alwaysAllowed.forget({ connector: name });
      sandbox.forget(name);
    },
    logger,
  });
  const gateway: Gateway = new Gateway({
    connectors,
    tools: toolStore,
    alwaysAllowed,
    heldItems,
    settings,
    clients,
    audit,
    clock,
    random,
    logger,
    notifier: effects.notifier,
    rules: () => rules.compiled(),
    rateLimiter,
    gatehouseTools: {
      clients,
      settings,
      connectorNames: () => connectors.enabledNames(),
      recentDenials: (clientId, limit) => audit.query({ clientId, decision: 'deny', limit }),
    },
    callTimeoutMs: (name) => {
      const connector = connectorStore.get(name)?.settings;
      return connector?.kind === 'http' ? connector.timeoutSeconds * 1000 : 60_000;
    },
    connectionRoots: (name) => connectionRoots(connectorStore.get(name)?.settings, sandbox.place),
    ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
    ...(options.parkTimeoutMs ? { parkTimeoutMs: options.parkTimeoutMs } : {}),
    sealedValues: () => knownSecrets(),
    handlesSecrets: (name) => connectorStore.get(name)?.handlesSecrets ?? false,
    allowSecrets: (name, approvalId) => setHandlesSecrets(parts, name, true, approvalId),
    sandboxRefusals: sandbox.refusals,
  });
  const mcp = new McpEndpoint({
    version: options.version,
    clock,
    random,
    logger,
    settings,
    clients,
    grants,
    tokens,
    audit,
    services: gateway,
    onClientUsed: clientUseRecorder({ clients, emit }),
    onSessionsChanged: () => emit({ type: 'sessions.changed' }),
    ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}),
    ...(options.maxSessionsPerClient ? { maxSessionsPerClient: options.maxSessionsPerClient } : {}),
    ...(options.maxListenStreamsPerClient
      ? { maxListenStreamsPerClient: options.maxListenStreamsPerClient }
      : {}),
    ...(options.mcpStreamAfterMs !== undefined ? { streamAfterMs: options.mcpStreamAfterMs } : {}),
  });
  const ui = new UiAccess(options.uiRoot ?? null, clock, random);
  const parts: EngineParts = {
    dataDir: options.dataDir,
    issuer,
    mcpUrl: `${issuer}/mcp`,
    port,
    version: options.version,
    startedAt,
    clock,
    logger,
    notifier: effects.notifier,
    database,
    auditDatabase,
    outbound,
    settings,
    clients,
    grants,
    revokedClients,
    audit,
    tokens,
    oidcStore,
    authorization,
    mcp,
    connectorStore,
    toolStore,
    alwaysAllowed,
    heldItems,
    firstSight,
    rules,
    rateLimiter,
    connectors,
    sandbox,
    connectorOAuth,
    gateway,
    ui,
    api: new HttpApi({
      uiAuthorized: (req) => ui.authorized(req),
      apiSecret: foundation.apiSecret,
      dispatch: (name, input, surface) => dispatch(handlers, name, input, surface),
      logger,
      subscribe: (listener) => events.subscribe(listener),
    }),
    call: async <N extends OperationName>(name: N, input?: OperationInput<N>, surface?: Surface) =>
      (await dispatch(handlers, name, input ?? {}, surface)) as OperationOutput<N>,
    subscribe: (listener) => events.subscribe(listener),
    revokeClient: (clientId, reason, cause = 'revoked by you', refuseForMs = null) =>
      revokeClient(parts, clientId, reason, cause, refuseForMs),
    changeGrant: (clientName, edit) => changeGrant(parts, clientName, edit),
    emit,
    status: () =>
      engineStatus(parts, {
        version: options.version,
        startedAt,
        secretProtection: effects.vault.kind,
        // 0 (a free port) is how tests start an engine, never a user's --port.
        portFromCommandLine: options.port !== undefined && options.port !== 0,
      }),
    beginConnectorAuthorization: (name) => connectorOAuth.begin(name),
    introspect: (token) => introspectToken(effects.fetch, issuer, secrets.introspector, token),
  };
  const handlers = operationHandlers(parts, {
    catalog: new Catalog({
      fetch: effects.fetch,
      registryUrl: () => settings.get().registryUrl,
      resolveCommand: options.catalog?.resolveCommand ?? defaultCommandResolver(),
      connectors: () => connectorStore.list(),
      grantPlace: () => sandbox.place,
      ...(options.catalog?.timeoutMs !== undefined ? { timeoutMs: options.catalog.timeoutMs } : {}),
    }),
    ...(options.clientSetup ? { clientSetup: options.clientSetup } : {}),
  });
  relayEngineEvents(parts, emit);
  announceHeldItems(parts);
  return parts;
}
