// The gateway: what each MCP server instance serves, in either era. On /mcp it aggregates every
// connector the client's grant allows (tools as <connector>__<tool>, prompts likewise, resources by
// URI), on /mcp/<connector> one connector under its own names. The handlers are the same for a
// 2025-era session and a 2026-07-28 request; tools/call runs through one pipeline (tool-calls.ts).
import {
  isInputRequiredResult,
  LOG_LEVEL_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  type LoggingLevel,
  type Prompt,
  type Resource,
  type ResourceTemplateType,
  type CallToolResult,
  type InputRequiredResult,
  type Server,
  type ServerCapabilities,
  type ServerContext,
  type ServerOptions,
  type Tool,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock, Logger, Notifier, Random } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';
import type { ConnectorManager } from '../connectors/connector-manager.js';
import type { AlwaysAllowed, ToolStore } from '../store/tool-store.js';
import { TASKS_EXTENSION } from '../connectors/task-results.js';
import type { UpstreamCatalog } from '../connectors/upstream.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import { classifyTool } from '../policy/tool-class.js';
import { decideToolListing, type ToolDecisionInput } from '../policy/tool-decision.js';
import type { CompiledRule } from '../policy/rules.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import { effectiveAccess } from '../policy/effective-access.js';
import type { Caller } from '../mcp/bearer-check.js';
import { gatehouseTools, type GatehouseToolContext } from '../mcp/gatehouse-tools.js';
import { serializeOnce } from '../mcp/exchange.js';
import type { McpScope, SessionContext, SessionServices, ListKind } from '../mcp/session-services.js';
import { buildCatalogView, type CatalogView } from './catalog-view.js';
import {
  argumentsDigest,
  continuedState,
  createCallStateCodec,
  inputRound,
  retryFields,
  type CallStateCodec,
} from './call-state.js';
import { showContentUris, showUris } from './shown-uris.js';
import {
  envelopeField,
  forwardedEnvelope,
  singleInFlight,
  wantsLog,
  type LiveSession,
} from './live-session.js';
import type { ParkedCall } from './parked-calls.js';
import { RelayedTasks } from './relayed-tasks.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import { APPROVAL_TIMEOUT_MS, ToolCalls, type ApprovalDecision, type ApprovalRequest } from './tool-calls.js';

export { type ApprovalDecision, type ApprovalRequest };

/** Cached tools/list results kept at once (one per caller and scope in use). */
const TOOL_LIST_CACHE = 64;

/**
 * How long a 2026-07-28 client may keep a list or the discover result (SEP-2549). Every one depends
 * on the caller's grant, hence private; changes reach open subscriptions/listen streams at once, and
 * a client without one sees them within this.
 */
const LIST_TTL_MS = 5_000;

/** What a cached tools/list result was made from; any difference makes a new one. */
interface ToolListStamp {
  view: CatalogView;
  settings: unknown;
  rules: readonly CompiledRule[];
  tools: number;
  enabled: string;
}

const sameStamp = (a: ToolListStamp, b: ToolListStamp): boolean =>
  a.view === b.view &&
  a.settings === b.settings &&
  a.rules === b.rules &&
  a.tools === b.tools &&
  a.enabled === b.enabled;

export interface GatewayOptions {
  connectors: ConnectorManager;
  tools: ToolStore;
  alwaysAllowed: AlwaysAllowed;
  settings: Settings;
  clients: ClientStore;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  logger: Logger;
  notifier: Notifier;
  rules(): readonly CompiledRule[];
  rateLimiter: RateLimiter;
  gatehouseTools: GatehouseToolContext;
  /** Per-connector timeout for a forwarded request, in ms (HTTP connectors configure it). */
  callTimeoutMs(connector: string): number;
  approvalTimeoutMs?: number;
}

export class Gateway implements SessionServices {
  readonly approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
  readonly #options: GatewayOptions;
  readonly #sessions = new Set<LiveSession>();
  readonly #listListeners = new Set<(connector: string | null, lists: ListKind[]) => void>();
  readonly #resources: ResourceSubscriptions;
  readonly #tasks: RelayedTasks;
  readonly #codec: CallStateCodec = createCallStateCodec();
  readonly #parked = new Map<string, ParkedCall>();
  readonly #calls: ToolCalls;
  #view: CatalogView | undefined;
  readonly #toolLists = new Map<string, { stamp: ToolListStamp; result: { tools: Tool[] } }>();

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.approvals = new PendingDecisions<ApprovalRequest, ApprovalDecision>({
      clock: options.clock,
      timeoutMs: options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MS,
      onTimeout: 'timed-out',
      maxPending: 100,
      what: 'approval request',
    });
    this.#resources = new ResourceSubscriptions(
      {
        subscribe: async (connector, uri, signal) => {
          const upstream = options.connectors.upstream(connector);
          if (!upstream?.client())
            throw new ProtocolError(
              ProtocolErrorCode.InternalError,
              `gatehouse: connector ${connector} is not connected; try again shortly.`,
            );
          await upstream.subscribeResource(uri, signal);
        },
        unsubscribe: async (connector, uri) => {
          await options.connectors.upstream(connector)?.unsubscribeResource(uri);
        },
      },
      options.logger,
    );
    this.#tasks = new RelayedTasks({
      clock: options.clock,
      random: options.random,
      upstream: (connector) => options.connectors.upstream(connector),
      callTimeoutMs: options.callTimeoutMs,
      reaches: (caller, scope, connector) => this.#visibleConnectors(caller, scope).includes(connector),
      showResult: (scope, connector, result) => this.#showResult(scope, connector, result),
    });
    this.#calls = new ToolCalls({
      audit: options.audit,
      clock: options.clock,
      random: options.random,
      notifier: options.notifier,
      rateLimiter: options.rateLimiter,
      alwaysAllowed: options.alwaysAllowed,
      gatehouseTools: options.gatehouseTools,
      approvals: this.approvals,
      approvalTimeoutMs: options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MS,
      codec: this.#codec,
      upstream: (connector) => options.connectors.upstream(connector),
      callTimeoutMs: options.callTimeoutMs,
      route: (scope, name) => this.#routeTool(scope, name),
      decisionInput: (caller, connector, tool, exposedName) =>
        this.#decisionInput(caller, connector, tool, exposedName),
      parked: this.#parked,
      showResult: (scope, connector, result) => this.#showResult(scope, connector, result),
      taskCreated: (caller, connector, task) => this.#tasks.created(caller, connector, task),
    });
    options.connectors.on((event) => {
      if (event.type === 'catalog') {
        this.#view = undefined;
        this.#listChanged(event.connector, event.changed);
      } else if (event.type === 'status') {
        // A connector that connects or drops changes what can be listed.
        this.#view = undefined;
      } else if (event.type === 'notification') {
        this.#forwardNotification(event.connector, event.method, event.params);
      }
    });
    options.tools.onChange((connector) => {
      this.#listChanged(connector, ['tools']);
    });
    // The access ceiling decides what every client sees: their lists changed (and cached ones expire).
    let ceiling = options.settings.get().accessCeiling;
    options.settings.onChange((settings) => {
      if (settings.accessCeiling === ceiling) return;
      ceiling = settings.accessCeiling;
      this.#listChanged(null, ['tools', 'resources', 'prompts']);
    });
  }

  // ---- SessionServices ----------------------------------------------------------------------------

  capabilities(scope: McpScope, caller?: Caller): ServerCapabilities {
    // A 2025-era session keeps the capabilities it was opened with, so they are the widest: what it
    // may not use is refused per request. A 2026-07-28 caller is told what its grant shows it now.
    if (!caller) {
      const base: ServerCapabilities = {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
      };
      if (scope.connector && this.#upstreamCapabilities(scope.connector)?.completions) base.completions = {};
      return base;
    }
    const visible = this.#visibleConnectors(caller, scope).map((name) => this.#upstreamCapabilities(name));
    const capabilities: ServerCapabilities = { logging: {} };
    if (scope.connector === null || visible.some((c) => c?.tools)) capabilities.tools = { listChanged: true };
    if (visible.some((c) => c?.prompts)) capabilities.prompts = { listChanged: true };
    if (visible.some((c) => c?.resources)) {
      capabilities.resources = {
        listChanged: true,
        ...(visible.some((c) => c?.resources?.subscribe) ? { subscribe: true } : {}),
      };
    }
    if (scope.connector && visible[0]?.completions) capabilities.completions = {};
    // The tasks extension, relayed to the connectors that offer it (relayed-tasks.ts).
    if (visible.some((c) => c?.extensions?.[TASKS_EXTENSION] !== undefined))
      capabilities.extensions = { [TASKS_EXTENSION]: {} };
    return capabilities;
  }

  instructions(scope: McpScope): string {
    return scope.connector
      ? `Gatehouse serves the ${scope.connector} connector here, under the user's policy.`
      : "Gatehouse is the user's gate to their MCP connectors: tools are named <connector>__<tool>. Call gatehouse__list_my_permissions to see what this client may use.";
  }

  serverOptions(era: 'legacy' | 'modern'): Pick<ServerOptions, 'requestState' | 'cacheHints'> {
    const requestState = { verify: this.#codec.verify };
    if (era === 'legacy') return { requestState };
    const hint = { ttlMs: LIST_TTL_MS, cacheScope: 'private' as const };
    return {
      requestState,
      cacheHints: {
        'server/discover': hint,
        'tools/list': hint,
        'prompts/list': hint,
        'resources/list': hint,
        'resources/templates/list': hint,
      },
    };
  }

  hasConnector(name: string): boolean {
    return this.#options.connectors.enabledNames().includes(name);
  }

  toolInputSchema(scope: McpScope, caller: Caller, name: string): Tool['inputSchema'] | undefined {
    const route = this.#routeTool(scope, name);
    return route && this.#visibleConnectors(caller, scope).includes(route.connector)
      ? route.tool.inputSchema
      : undefined;
  }

  onListChanged(listener: (connector: string | null, lists: ListKind[]) => void): () => void {
    this.#listListeners.add(listener);
    return () => this.#listListeners.delete(listener);
  }

  install(server: Server, context: SessionContext): void {
    const session: LiveSession = {
      server,
      scope: context.scope,
      era: context.era,
      logLevel: context.era === 'legacy' ? 'info' : 'none',
      inFlight: new Map(),
      subscriptions: new Map(),
    };
    this.#sessions.add(session);
    const previousOnClose = server.onclose;
    server.onclose = () => {
      this.#sessions.delete(session);
      for (const release of session.subscriptions.values()) void release();
      session.subscriptions.clear();
      previousOnClose?.();
    };
    const caller = (ctx: ServerContext): Caller => {
      const found = context.callerOf(ctx.http?.authInfo);
      if (!found)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidRequest,
          'gatehouse: this request carries no Gatehouse identity.',
        );
      return found;
    };
    const { scope } = context;
    // The SDK takes a handler only for a declared capability; a 2026-07-28 caller may not have all.
    const declared = server.getCapabilities();
    if (declared.tools) this.#installTools(server, session, caller);
    if (declared.prompts) this.#installPrompts(server, session, caller);
    if (declared.resources) this.#installResources(server, session, caller);
    if (declared.extensions?.[TASKS_EXTENSION] !== undefined) this.#tasks.install(server, session, caller);
    if (context.era === 'legacy') {
      server.setRequestHandler('logging/setLevel', async (request) => {
        session.logLevel = request.params.level;
        return {};
      });
    }
    // The SDK refuses a completion handler on a server that does not declare completions.
    if (scope.connector && declared.completions) {
      const connector = scope.connector;
      server.setRequestHandler('completion/complete', async (request, ctx) => {
        caller(ctx);
        return this.#upstreamClient(connector).complete(request.params, {
          signal: ctx.mcpReq.signal,
          timeout: this.#options.callTimeoutMs(connector),
        });
      });
    }
  }

  #installTools(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    const { scope } = session;
    server.setRequestHandler('tools/list', async (_request, ctx) =>
      this.#toolsListResult(caller(ctx), scope),
    );
    server.setRequestHandler('tools/call', async (request, ctx) => {
      if (session.era === 'modern') {
        const level = envelopeField(ctx, LOG_LEVEL_META_KEY);
        session.logLevel = typeof level === 'string' ? (level as LoggingLevel) : 'none';
      }
      return this.#calls.call(session, caller(ctx), request.params.name, request.params.arguments ?? {}, ctx);
    });
  }

  #installPrompts(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    const { scope } = session;
    server.setRequestHandler('prompts/list', async (_request, ctx) => ({
      prompts: this.#listPrompts(caller(ctx), scope),
    }));
    server.setRequestHandler('prompts/get', async (request, ctx) => {
      const route = this.#routePrompt(caller(ctx), scope, request.params.name);
      const { connector } = route;
      const result = await this.#withInputRounds(
        ctx,
        connector,
        route.original,
        request.params.arguments,
        request.params.name,
        (retry) =>
          this.#upstreamClient(connector).getPrompt(
            {
              ...request.params,
              name: route.original,
              _meta: { ...request.params._meta, ...this.#envelopeFor(session, ctx, connector) },
              ...retry,
            },
            {
              signal: ctx.mcpReq.signal,
              timeout: this.#options.callTimeoutMs(connector),
              allowInputRequired: true,
            },
          ),
      );
      if (scope.connector !== null || isInputRequiredResult(result)) return result;
      return {
        ...result,
        messages: result.messages.map((message) => {
          const [content] = showContentUris([message.content], (uri) => this.#shown(connector, uri));
          return content === message.content ? message : { ...message, content: content! };
        }),
      };
    });
  }

  #installResources(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    const { scope } = session;
    server.setRequestHandler('resources/list', async (_request, ctx) => ({
      resources: this.#listResources(caller(ctx), scope),
    }));
    server.setRequestHandler('resources/templates/list', async (_request, ctx) => ({
      resourceTemplates: this.#listResourceTemplates(caller(ctx), scope),
    }));
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const who = caller(ctx);
      const route = this.#routeResource(who, scope, request.params.uri);
      const result = await this.#withInputRounds(
        ctx,
        route.connector,
        route.uri,
        route.uri,
        request.params.uri,
        (retry) =>
          this.#upstreamClient(route.connector).readResource(
            {
              ...request.params,
              uri: route.uri,
              _meta: { ...request.params._meta, ...this.#envelopeFor(session, ctx, route.connector) },
              ...retry,
            },
            {
              signal: ctx.mcpReq.signal,
              timeout: this.#options.callTimeoutMs(route.connector),
              allowInputRequired: true,
              // Each client is asked for itself: Gatehouse's one upstream client caches nothing.
              cacheMode: 'bypass',
            },
          ),
      );
      if (isInputRequiredResult(result)) return result;
      this.#options.audit.record({
        type: 'resource.read',
        clientId: who.clientId,
        connector: route.connector,
        decision: 'allow',
        reason: `Read ${route.uri}`,
        detail: { uri: route.uri },
      });
      if (scope.connector !== null) return result;
      // The resource read comes back as the client asked for it; others it names as it would.
      const shown = (uri: string) =>
        uri === route.uri ? request.params.uri : this.#shown(route.connector, uri);
      return { ...result, contents: showUris(result.contents, shown) };
    });
    if (session.era === 'legacy') {
      server.setRequestHandler('resources/subscribe', async (request, ctx) => {
        const route = this.#routeResource(caller(ctx), scope, request.params.uri);
        const key = `${route.connector}\u0000${route.uri}`;
        if (session.subscriptions.has(key)) return {};
        this.#assertSubscribable(route.connector);
        const shown = request.params.uri;
        const release = await this.#resources.add(
          route.connector,
          route.uri,
          (params) => void server.sendResourceUpdated({ ...params, uri: shown }).catch(() => undefined),
          ctx.mcpReq.signal,
        );
        session.subscriptions.set(key, release);
        return {};
      });
      server.setRequestHandler('resources/unsubscribe', async (request, ctx) => {
        const route = this.#routeResource(caller(ctx), scope, request.params.uri);
        const key = `${route.connector}\u0000${route.uri}`;
        const release = session.subscriptions.get(key);
        session.subscriptions.delete(key);
        await release?.();
        return {};
      });
    }
  }

  /**
   * A 2026-07-28 subscriptions/listen stream wants notifications/resources/updated for `uris` (as the
   * client knows them): each one this caller can reach is subscribed upstream, and `onUpdate` hears
   * it by the same URI. Resolves to the function that releases them all.
   */
  async watchResources(
    scope: McpScope,
    caller: Caller,
    uris: readonly string[],
    onUpdate: (uri: string) => void,
  ): Promise<() => Promise<void>> {
    const releases: Array<() => Promise<void>> = [];
    for (const uri of new Set(uris)) {
      let route: { connector: string; uri: string };
      try {
        route = this.#routeResource(caller, scope, uri);
        this.#assertSubscribable(route.connector);
      } catch {
        continue; // Nothing will ever be said about a resource this caller cannot reach.
      }
      try {
        releases.push(await this.#resources.add(route.connector, route.uri, () => onUpdate(uri)));
      } catch (error) {
        this.#options.logger.warn('an upstream refused a resource subscription', {
          connector: route.connector,
          error: (error as Error).message,
        });
      }
    }
    return async () => {
      await Promise.all(releases.map((release) => release()));
    };
  }

  // ---- Listing ------------------------------------------------------------------------------------

  /** The name a tool has on /mcp (for the Tools page). */
  exposedToolName(connector: string, tool: string): string {
    return this.#catalogView().toolNames.exposedName(connector, tool) ?? `${connector}__${tool}`;
  }

  /**
   * The tools/list result for a caller, made once per caller and state of everything it depends on
   * (catalog, tool settings, rules, settings, enabled connectors, the caller's grant and scopes) and
   * reused until one of them changes; its JSON is made once too (serializeOnce). A client lists on
   * every tools/list_changed, so with 5,000 tools this is most of their answer time.
   */
  #toolsListResult(caller: Caller, scope: McpScope): { tools: Tool[] } {
    const { grant } = caller;
    const key = [
      scope.connector ?? '',
      caller.clientId,
      this.#options.clients.get(caller.clientId)?.name ?? '',
      grant.grantId,
      grant.access,
      grant.connectors === '*' ? '*' : grant.connectors.join(','),
      [...caller.scopes].join(' '),
    ].join('\u0000');
    const stamp: ToolListStamp = {
      view: this.#catalogView(),
      settings: this.#options.settings.get(),
      rules: this.#options.rules(),
      tools: this.#options.tools.version,
      enabled: this.#options.connectors.enabledNames().join(','),
    };
    const cached = this.#toolLists.get(key);
    if (cached && sameStamp(cached.stamp, stamp)) return cached.result;
    const result = serializeOnce({ tools: this.listTools(caller, scope) });
    if (this.#toolLists.size >= TOOL_LIST_CACHE) this.#toolLists.clear();
    this.#toolLists.set(key, { stamp, result });
    return result;
  }

  /** The tools a caller sees in a scope, after every policy check. */
  listTools(caller: Caller, scope: McpScope): Tool[] {
    const view = this.#catalogView();
    const visible: Tool[] = scope.connector === null ? [...gatehouseTools] : [];
    const allowed = new Set(this.#visibleConnectors(caller, scope));
    // What is the same for every tool of this list is looked up once (5,000 tools in one list).
    const common = this.#commonInput(caller);
    for (const entry of view.tools) {
      if (!allowed.has(entry.connector)) continue;
      const exposed = scope.connector ? entry.item.name : entry.exposed;
      const input = this.#decisionInput(caller, entry.connector, entry.item, exposed, common, true);
      if (!input || !decideToolListing(input).visible) continue;
      visible.push(scope.connector ? entry.item : { ...entry.item, name: entry.exposed });
    }
    return visible;
  }

  #listPrompts(caller: Caller, scope: McpScope): Prompt[] {
    const allowed = new Set(this.#visibleConnectors(caller, scope));
    return this.#catalogView()
      .prompts.filter((entry) => allowed.has(entry.connector))
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, name: entry.exposed }));
  }

  #listResources(caller: Caller, scope: McpScope): Resource[] {
    const allowed = new Set(this.#visibleConnectors(caller, scope));
    return this.#catalogView()
      .resources.filter((entry) => allowed.has(entry.connector))
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, uri: entry.exposed }));
  }

  #listResourceTemplates(caller: Caller, scope: McpScope): ResourceTemplateType[] {
    const allowed = new Set(this.#visibleConnectors(caller, scope));
    return this.#catalogView()
      .resourceTemplates.filter((entry) => allowed.has(entry.connector))
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, uriTemplate: entry.exposed }));
  }

  /** Connectors in scope that this caller may use at all (grant, enabled, ceiling not off). */
  #visibleConnectors(caller: Caller, scope: McpScope): string[] {
    if (
      effectiveAccess(this.#options.settings.get().accessCeiling, caller.grant.access, caller.scopes) ===
      'none'
    )
      return [];
    const grant = caller.grant.connectors;
    const enabled = this.#options.connectors.enabledNames();
    return enabled.filter(
      (name) =>
        (scope.connector === null || scope.connector === name) && (grant === '*' || grant.includes(name)),
    );
  }

  #commonInput(caller: Caller): Pick<ToolDecisionInput, 'ceiling' | 'client' | 'rules'> {
    return {
      ceiling: this.#options.settings.get().accessCeiling,
      client: {
        id: caller.clientId,
        name: this.#options.clients.get(caller.clientId)?.name ?? caller.clientId,
        access: caller.grant.access,
        connectors: caller.grant.connectors,
        tokenScopes: caller.scopes,
      },
      rules: this.#options.rules(),
    };
  }

  #decisionInput(
    caller: Caller,
    connector: string,
    tool: Tool,
    exposedName: string,
    common: Pick<ToolDecisionInput, 'ceiling' | 'client' | 'rules'> = this.#commonInput(caller),
    connectorEnabled: boolean = this.hasConnector(connector),
  ): ToolDecisionInput | undefined {
    const state = this.#options.tools.get(connector, tool.name);
    if (!state) return undefined;
    return {
      ...common,
      connector: { name: connector, enabled: connectorEnabled },
      tool: {
        name: tool.name,
        exposedName,
        class: classifyTool(state.held ?? tool, state.classOverride).class,
        enabled: state.enabled,
        held: state.held !== null,
        approval: state.approval,
        alwaysAllowedForClient: this.#options.alwaysAllowed.has(caller.clientId, connector, tool.name),
      },
    };
  }

  // ---- Routing ------------------------------------------------------------------------------------

  #routeTool(scope: McpScope, name: string): { connector: string; tool: Tool } | undefined {
    if (scope.connector) {
      const tool = this.#catalog(scope.connector).tools.find((t) => t.name === name);
      return tool ? { connector: scope.connector, tool } : undefined;
    }
    const owner = this.#catalogView().toolNames.byExposed.get(name);
    if (!owner) return undefined;
    const tool = this.#catalog(owner.connector).tools.find((t) => t.name === owner.original);
    return tool ? { connector: owner.connector, tool } : undefined;
  }

  #routePrompt(caller: Caller, scope: McpScope, name: string): { connector: string; original: string } {
    const route = scope.connector
      ? { connector: scope.connector, original: name }
      : this.#catalogView().promptNames.byExposed.get(name);
    if (!route || !this.#visibleConnectors(caller, scope).includes(route.connector)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `gatehouse: there is no prompt named ${name} for this client.`,
      );
    }
    return route;
  }

  #routeResource(caller: Caller, scope: McpScope, uri: string): { connector: string; uri: string } {
    const route = scope.connector
      ? ({ kind: 'routed', connector: scope.connector, uri } as const)
      : this.#catalogView().resourceTable.resolve(uri);
    if (route.kind === 'ambiguous') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `gatehouse: ${uri} could belong to ${route.connectors.join(' or ')}; use gatehouse://<connector>/<uri> to choose.`,
      );
    }
    if (route.kind !== 'routed' || !this.#visibleConnectors(caller, scope).includes(route.connector)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `gatehouse: no connector available to this client serves ${uri}.`,
      );
    }
    return { connector: route.connector, uri: route.uri };
  }

  /**
   * A prompts/get or resources/read on a 2026-07-28 upstream may answer InputRequiredResult: it goes
   * to the client with Gatehouse's sealed state, and the client's retry back to the upstream with its
   * answers (the same rounds as tools/call, tool-calls.ts).
   */
  async #withInputRounds<R extends object>(
    ctx: ServerContext,
    connector: string,
    target: string,
    args: unknown,
    shown: string,
    send: (retry: { inputResponses?: Record<string, unknown>; requestState?: string }) => Promise<R>,
  ): Promise<R | InputRequiredResult> {
    const state = continuedState(ctx, connector, target, args, shown);
    const result = await send(retryFields(ctx, state));
    if (!isInputRequiredResult(result)) return result;
    return inputRound(this.#codec, ctx, result.inputRequests ?? {}, {
      connector,
      target,
      args: argumentsDigest(args),
      ...(result.requestState !== undefined ? { upstream: result.requestState } : {}),
    });
  }

  #envelopeFor(session: LiveSession, ctx: ServerContext, connector: string): Record<string, unknown> {
    return forwardedEnvelope(session, ctx, this.#options.connectors.upstream(connector)?.era() ?? null);
  }

  /** A connector's resource URI as a client of /mcp is shown it. */
  #shown(connector: string, uri: string): string {
    return this.#catalogView().resourceTable.shownUri(connector, uri);
  }

  #assertSubscribable(connector: string): void {
    if (!this.#upstreamCapabilities(connector)?.resources?.subscribe) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `gatehouse: ${connector} does not offer resource subscriptions.`,
      );
    }
  }

  #upstreamClient(connector: string) {
    const client = this.#options.connectors.upstream(connector)?.client();
    if (!client)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `gatehouse: connector ${connector} is not connected; try again shortly.`,
      );
    return client;
  }

  #upstreamCapabilities(connector: string): ServerCapabilities | undefined {
    return this.#options.connectors.upstream(connector)?.capabilities();
  }

  #catalog(connector: string): UpstreamCatalog {
    return this.#options.connectors.catalog(connector);
  }

  #catalogView(): CatalogView {
    if (!this.#view) {
      const catalogs = new Map<string, UpstreamCatalog>();
      for (const name of this.#options.connectors.enabledNames()) catalogs.set(name, this.#catalog(name));
      this.#view = buildCatalogView(
        catalogs,
        gatehouseTools.map((tool) => tool.name),
      );
    }
    return this.#view;
  }

  // ---- Notifications and server→client requests ---------------------------------------------------

  /** A connector's tool result with its resource URIs in the form the client uses (shown-uris.ts). */
  #showResult(scope: McpScope, connector: string, result: CallToolResult): CallToolResult {
    if (scope.connector !== null || !result.content) return result;
    return withContent(
      result,
      showContentUris(result.content, (uri) => this.#shown(connector, uri)),
    );
  }

  #listChanged(connector: string | null, lists: ListKind[]): void {
    this.#view = undefined;
    for (const listener of this.#listListeners) listener(connector, lists);
  }

  #forwardNotification(connector: string, method: string, params: unknown): void {
    if (method === 'notifications/resources/updated') {
      this.#resources.updated(connector, params as Record<string, unknown> & { uri: string });
      return;
    }
    if (method !== 'notifications/message') return;
    const message = params as { level?: LoggingLevel; logger?: string };
    const level = message.level ?? 'info';
    const logged = { ...message, logger: message.logger ? `${connector}/${message.logger}` : connector };
    for (const session of this.#sessionsSeeing(connector)) {
      if (!wantsLog(session, level)) continue;
      // On the stream of the call that caused it, when there is exactly one; else the session's own
      // (a 2026-07-28 request has no stream of its own beyond its call's).
      const related = singleInFlight(session, connector);
      if (related === undefined && session.era === 'modern') continue;
      void session.server
        .notification(
          { method: 'notifications/message', params: logged } as never,
          related === undefined ? undefined : { relatedRequestId: related },
        )
        .catch(() => undefined);
    }
  }

  /**
   * An upstream asks its client (Gatehouse) for sampling, elicitation or roots. One upstream
   * connection serves every client, so the request goes to the one client with a call in flight to
   * that connector; with none or several, Gatehouse cannot tell whose it is and refuses. A 2025-era
   * session gets it as a server→client request; a 2026-07-28 client gets it with its call's
   * InputRequiredResult (the call waits, parked, for the answers).
   */
  async forwardServerRequest(
    connector: string,
    method: string,
    params: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    const sessions = [...this.#sessionsSeeing(connector)].filter(
      (session) => session.era === 'legacy' && session.inFlight.has(connector),
    );
    const parked = [...this.#parked.values()].filter(
      (call) => call.connector === connector && !call.awaitingClient,
    );
    if (sessions.length + parked.length !== 1) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        sessions.length + parked.length === 0
          ? `gatehouse: ${method} from ${connector} arrived outside any client's tool call`
          : `gatehouse: ${method} from ${connector} could belong to several clients' calls; Gatehouse will not guess`,
      );
    }
    const call = parked[0];
    if (call) return call.ask(method, params, signal);
    const session = sessions[0]!;
    const related = singleInFlight(session, connector);
    // Sent on the stream of the call that caused it, so a client with no standalone stream gets it.
    return session.server.request({ method, params } as never, {
      signal,
      ...(related === undefined ? {} : { relatedRequestId: related }),
    });
  }

  *#sessionsSeeing(connector: string): Iterable<LiveSession> {
    for (const session of this.#sessions) {
      if (session.scope.connector === null || session.scope.connector === connector) yield session;
    }
  }

  close(): void {
    this.approvals.close();
    for (const call of [...this.#parked.values()]) call.cancel('Gatehouse is shutting down');
  }
}

function withContent(result: CallToolResult, content: CallToolResult['content']): CallToolResult {
  return content === result.content ? result : { ...result, content };
}
