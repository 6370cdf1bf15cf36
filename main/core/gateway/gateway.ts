// The gateway: what each MCP session serves. On /mcp it aggregates every connector the client's grant
// allows (tools as <connector>__<tool>, prompts likewise, resources by URI), on /mcp/<connector> one
// connector under its own names. Every tools/call goes through the same pipeline: rate limit →
// decision (ceiling ∩ grant ∩ toggles ∩ rules) → approval when asked → upstream → audit.
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type LoggingLevel,
  type Prompt,
  type RequestId,
  type Resource,
  type Server,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock, Logger, Notifier, Random } from '../effects.js';
import type { ClientRegistry } from '../registry/client-registry.js';
import type { Settings } from '../store/settings.js';
import type { ConnectorManager } from '../connectors/connector-manager.js';
import type { AlwaysAllowed, ToolStore } from '../connectors/tool-store.js';
import type { UpstreamCatalog } from '../connectors/upstream.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import { classifyTool } from '../policy/tool-class.js';
import { decideToolCall, decideToolListing, type ToolDecisionInput } from '../policy/tool-decision.js';
import type { CompiledRule } from '../policy/rules.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import { redactArguments, redactText } from '../policy/redaction.js';
import { effectiveAccess } from '../policy/effective-access.js';
import type { Caller } from '../mcp/bearer-check.js';
import { callGatehouseTool, gatehouseTools, type GatehouseToolContext } from '../mcp/gatehouse-tools.js';
import { serializeOnce } from '../mcp/exchange.js';
import type { McpScope, SessionContext, SessionServices, ListKind } from '../mcp/session-services.js';
import { buildCatalogView, type CatalogView } from './catalog-view.js';

export const APPROVAL_TIMEOUT_MS = 2 * 60_000;
/** Cached tools/list results kept at once (one per caller and scope in use). */
const TOOL_LIST_CACHE = 64;

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

export interface ApprovalRequest {
  clientId: string;
  clientName: string;
  connector: string;
  tool: string;
  exposedName: string;
  /** Redacted: this is what the user sees. */
  arguments: unknown;
  reason: string;
  /** False when a rule asks: a rule may depend on arguments, so "always" cannot answer it. */
  canAlways: boolean;
}

export type ApprovalDecision = 'once' | 'always' | 'deny' | 'timed-out';

export interface GatewayOptions {
  connectors: ConnectorManager;
  tools: ToolStore;
  alwaysAllowed: AlwaysAllowed;
  settings: Settings;
  clients: ClientRegistry;
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

interface LiveSession {
  server: Server;
  scope: McpScope;
  /** Lowest level of log messages forwarded (logging/setLevel). */
  logLevel: LoggingLevel;
  /** The client's requests in flight to each connector: server→client traffic is routed by them. */
  inFlight: Map<string, RequestId[]>;
  /** Resources this session subscribed to, as connector + upstream URI keys. */
  subscriptions: Set<string>;
}

const LOG_LEVELS: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

export class Gateway implements SessionServices {
  readonly approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
  readonly #options: GatewayOptions;
  readonly #sessions = new Set<LiveSession>();
  readonly #listListeners = new Set<(connector: string, lists: ListKind[]) => void>();
  /** Sessions subscribed to each upstream resource (connector + URI): one upstream subscription each. */
  readonly #subscribers = new Map<string, Set<LiveSession>>();
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
  }

  // ---- SessionServices ----------------------------------------------------------------------------

  capabilities(scope: McpScope): ServerCapabilities {
    const base: ServerCapabilities = {
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
      logging: {},
    };
    if (scope.connector) {
      const upstreamCapabilities = this.#options.connectors
        .upstream(scope.connector)
        ?.client()
        ?.getServerCapabilities();
      if (upstreamCapabilities?.completions) base.completions = {};
    }
    return base;
  }

  instructions(scope: McpScope): string {
    return scope.connector
      ? `Gatehouse serves the ${scope.connector} connector here, under the user's policy.`
      : "Gatehouse is the user's gate to their MCP connectors: tools are named <connector>__<tool>. Call gatehouse__list_my_permissions to see what this client may use.";
  }

  hasConnector(name: string): boolean {
    return this.#options.connectors.enabledNames().includes(name);
  }

  onListChanged(listener: (connector: string, lists: ListKind[]) => void): () => void {
    this.#listListeners.add(listener);
    return () => this.#listListeners.delete(listener);
  }

  install(server: Server, context: SessionContext): void {
    const session: LiveSession = {
      server,
      scope: context.scope,
      logLevel: 'info',
      inFlight: new Map(),
      subscriptions: new Set(),
    };
    this.#sessions.add(session);
    const previousOnClose = server.onclose;
    server.onclose = () => {
      this.#sessions.delete(session);
      for (const key of [...session.subscriptions]) void this.#unsubscribe(session, key);
      previousOnClose?.();
    };
    const caller = (authInfo: Parameters<SessionContext['callerOf']>[0]): Caller => {
      const found = context.callerOf(authInfo);
      if (!found)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidRequest,
          'gatehouse: this request carries no Gatehouse identity.',
        );
      return found;
    };
    server.setRequestHandler('tools/list', async (_request, ctx) =>
      this.#toolsListResult(caller(ctx.http?.authInfo), context.scope),
    );
    server.setRequestHandler('tools/call', async (request, ctx) =>
      this.#callTool(
        session,
        caller(ctx.http?.authInfo),
        request.params.name,
        request.params.arguments ?? {},
        {
          requestId: ctx.mcpReq.id,
          signal: ctx.mcpReq.signal,
          progressToken: request.params._meta?.progressToken,
          sendProgress: (params) => ctx.mcpReq.notify({ method: 'notifications/progress', params } as never),
        },
      ),
    );
    server.setRequestHandler('prompts/list', async (_request, ctx) => ({
      prompts: this.#listPrompts(caller(ctx.http?.authInfo), context.scope),
    }));
    server.setRequestHandler('prompts/get', async (request, ctx) => {
      const who = caller(ctx.http?.authInfo);
      const route = this.#routePrompt(who, context.scope, request.params.name);
      return this.#upstreamClient(route.connector).getPrompt(
        { ...request.params, name: route.original },
        { signal: ctx.mcpReq.signal, timeout: this.#options.callTimeoutMs(route.connector) },
      );
    });
    server.setRequestHandler('resources/list', async (_request, ctx) => ({
      resources: this.#listResources(caller(ctx.http?.authInfo), context.scope),
    }));
    server.setRequestHandler('resources/templates/list', async (_request, ctx) => ({
      resourceTemplates: this.#visibleConnectors(caller(ctx.http?.authInfo), context.scope).flatMap(
        (connector) => this.#catalog(connector).resourceTemplates,
      ),
    }));
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const who = caller(ctx.http?.authInfo);
      const route = this.#routeResource(who, context.scope, request.params.uri);
      const result = await this.#upstreamClient(route.connector).readResource(
        { ...request.params, uri: route.uri },
        { signal: ctx.mcpReq.signal, timeout: this.#options.callTimeoutMs(route.connector) },
      );
      this.#options.audit.record({
        type: 'resource.read',
        clientId: who.clientId,
        connector: route.connector,
        decision: 'allow',
        reason: `Read ${route.uri}`,
        detail: { uri: route.uri },
      });
      return result;
    });
    server.setRequestHandler('logging/setLevel', async (request) => {
      session.logLevel = request.params.level;
      return {};
    });
    server.setRequestHandler('resources/subscribe', async (request, ctx) => {
      const route = this.#routeResource(caller(ctx.http?.authInfo), context.scope, request.params.uri);
      if (!this.#upstreamClient(route.connector).getServerCapabilities()?.resources?.subscribe) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `gatehouse: ${route.connector} does not offer resource subscriptions.`,
        );
      }
      await this.#subscribe(session, subscriptionKey(route.connector, route.uri), ctx.mcpReq.signal);
      return {};
    });
    server.setRequestHandler('resources/unsubscribe', async (request, ctx) => {
      const route = this.#routeResource(caller(ctx.http?.authInfo), context.scope, request.params.uri);
      await this.#unsubscribe(session, subscriptionKey(route.connector, route.uri));
      return {};
    });
    // The SDK refuses a completion handler on a server that does not declare completions.
    if (context.scope.connector && this.capabilities(context.scope).completions) {
      const connector = context.scope.connector;
      server.setRequestHandler('completion/complete', async (request, ctx) => {
        caller(ctx.http?.authInfo);
        return this.#upstreamClient(connector).complete(request.params, {
          signal: ctx.mcpReq.signal,
          timeout: this.#options.callTimeoutMs(connector),
        });
      });
    }
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

  // ---- Calling ------------------------------------------------------------------------------------

  async #callTool(
    session: LiveSession,
    caller: Caller,
    name: string,
    args: Record<string, unknown>,
    io: {
      requestId: RequestId;
      signal: AbortSignal;
      progressToken: string | number | undefined;
      sendProgress(params: Record<string, unknown>): Promise<void>;
    },
  ): Promise<CallToolResult> {
    const { scope } = session;
    const started = this.#options.clock.now();
    if (scope.connector === null) {
      const own = callGatehouseTool(name, caller, this.#options.gatehouseTools, args);
      if (own) return own;
    }
    const route = this.#routeTool(scope, name);
    // A connector outside the grant does not exist for this client: not even its name is confirmed.
    const granted =
      caller.grant.connectors === '*' ||
      (route !== undefined && caller.grant.connectors.includes(route.connector));
    if (!route || !granted) return refusal(`gatehouse: there is no tool named ${name} for this client.`);
    const { connector, tool } = route;
    const exposedName = scope.connector ? tool.name : name;
    let redactedArgs: unknown;
    const redacted = () => (redactedArgs ??= redactArguments(args));
    // The activity log speaks to the user: without the "gatehouse: " the client's sentence carries,
    // and naming the user's own answer when an approval decided.
    const audit = (decision: 'allow' | 'deny', reason: string, detail: Record<string, unknown>) =>
      this.#options.audit.record({
        type: 'tool.call',
        clientId: caller.clientId,
        connector,
        tool: tool.name,
        decision,
        reason: logReason(decision, reason, detail.approval as ApprovalDecision | undefined),
        detail: {
          arguments: redacted(),
          exposedName,
          durationMs: this.#options.clock.now() - started,
          ...detail,
        },
      });

    const limit = this.#options.rateLimiter.take(caller.digest, this.#options.clock.now());
    if (!limit.ok) {
      audit('deny', limit.message, { decidedBy: 'rate-limit', outcome: 'refused' });
      return refusal(limit.message);
    }
    const input = this.#decisionInput(caller, connector, tool, exposedName);
    if (!input) return refusal(`gatehouse: there is no tool named ${name} for this client.`);
    let verdict = decideToolCall({ ...input, arguments: args });
    let approval: ApprovalDecision | undefined;
    if (verdict.decision === 'ask') {
      approval = await this.#askUser(
        caller,
        input,
        redacted(),
        verdict.reason,
        verdict.decidedBy === 'approval-setting',
        io.signal,
      );
      if (approval === 'always') this.#options.alwaysAllowed.add(caller.clientId, connector, tool.name);
      if (approval === 'deny' || approval === 'timed-out') {
        const reason =
          approval === 'deny'
            ? `gatehouse: the user denied this call to ${exposedName}`
            : `gatehouse: nobody approved this call to ${exposedName} within ${Math.round((this.#options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MS) / 1000)} seconds, so it was denied`;
        verdict = { decision: 'deny', decidedBy: verdict.decidedBy, reason };
      }
    }
    if (verdict.decision === 'deny') {
      audit('deny', verdict.reason, {
        decidedBy: verdict.decidedBy,
        outcome: 'refused',
        ...(approval ? { approval } : {}),
      });
      return refusal(verdict.reason);
    }

    const client = this.#options.connectors.upstream(connector)?.client();
    if (!client) {
      const status = this.#options.connectors.upstream(connector)?.status();
      const reason = `gatehouse: connector ${connector} is not connected${status?.lastError ? ` (${status.lastError})` : ''}; try again shortly.`;
      audit('allow', verdict.reason, {
        decidedBy: verdict.decidedBy,
        outcome: 'unavailable',
        error: redactText(reason),
      });
      return refusal(reason);
    }
    session.inFlight.set(connector, [...(session.inFlight.get(connector) ?? []), io.requestId]);
    let progressSent: Promise<void> = Promise.resolve();
    try {
      const result = (await client.callTool(
        {
          name: tool.name,
          arguments: args,
          ...(io.progressToken !== undefined ? { _meta: { progressToken: io.progressToken } } : {}),
        },
        {
          // Gatehouse forwards what the upstream answers; the client checks it against the output
          // schema it was given. The definition also spares the SDK a cache lookup per call.
          toolDefinition: withoutOutputSchema(tool),
          signal: io.signal,
          timeout: this.#options.callTimeoutMs(connector),
          resetTimeoutOnProgress: true,
          ...(io.progressToken !== undefined
            ? {
                onprogress: (progress: Record<string, unknown>) => {
                  progressSent = progressSent
                    .then(() => io.sendProgress({ progressToken: io.progressToken, ...progress }))
                    .catch(() => undefined);
                },
              }
            : {}),
        },
      )) as CallToolResult;
      // Every progress notification reaches the client before the result does.
      if (io.progressToken !== undefined) await progressSent;
      // Recorded once the result is on its way: the time stands, the writing waits a turn.
      const durationMs = this.#options.clock.now() - started;
      setImmediate(() =>
        audit('allow', verdict.reason, {
          decidedBy: verdict.decidedBy,
          outcome: result.isError ? 'tool-error' : 'ok',
          ...(approval ? { approval } : {}),
          durationMs,
        }),
      );
      return result;
    } catch (error) {
      const message = redactText((error as Error).message);
      audit('allow', verdict.reason, {
        decidedBy: verdict.decidedBy,
        outcome: io.signal.aborted ? 'cancelled' : 'error',
        error: message,
        ...(approval ? { approval } : {}),
      });
      // The upstream's own protocol errors reach the client as they are; a timeout or a dropped
      // connection (the SDK's local errors) becomes a tool result the model can read.
      if (error instanceof ProtocolError) throw error;
      return refusal(`gatehouse: ${connector} did not complete the call: ${message}`);
    } finally {
      const left = (session.inFlight.get(connector) ?? []).filter((id) => id !== io.requestId);
      if (left.length > 0) session.inFlight.set(connector, left);
      else session.inFlight.delete(connector);
    }
  }

  async #askUser(
    caller: Caller,
    input: ToolDecisionInput,
    redacted: unknown,
    reason: string,
    canAlways: boolean,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const id = this.#options.random.bytes(9).toString('base64url');
    const request: ApprovalRequest = {
      clientId: caller.clientId,
      clientName: input.client.name,
      connector: input.connector.name,
      tool: input.tool.name,
      exposedName: input.tool.exposedName,
      arguments: redacted,
      reason,
      canAlways,
    };
    try {
      this.approvals.raise(id, request);
    } catch {
      return 'deny';
    }
    this.#options.notifier.notify({
      kind: 'approval',
      title: `${request.clientName} wants to run ${request.exposedName}`,
      body: 'Open Gatehouse to allow or deny this call.',
    });
    const cancelled = new Promise<ApprovalDecision>((resolve) =>
      signal.addEventListener('abort', () => resolve('deny'), { once: true }),
    );
    try {
      return await Promise.race([this.approvals.wait(id), cancelled]);
    } finally {
      this.approvals.forget(id);
    }
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

  #upstreamClient(connector: string) {
    const client = this.#options.connectors.upstream(connector)?.client();
    if (!client)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `gatehouse: connector ${connector} is not connected; try again shortly.`,
      );
    return client;
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

  #listChanged(connector: string, lists: ListKind[]): void {
    this.#view = undefined;
    for (const listener of this.#listListeners) listener(connector, lists);
  }

  #forwardNotification(connector: string, method: string, params: unknown): void {
    if (method === 'notifications/resources/updated') {
      const uri = (params as { uri: string }).uri;
      for (const session of this.#subscribers.get(subscriptionKey(connector, uri)) ?? []) {
        const shown = session.scope.connector
          ? uri
          : (this.#catalogView().resourceTable.exposedUri(connector, uri) ?? uri);
        void session.server.sendResourceUpdated({ ...(params as object), uri: shown }).catch(() => undefined);
      }
      return;
    }
    if (method !== 'notifications/message') return;
    for (const session of this.#sessionsSeeing(connector)) {
      const level = (params as { level?: LoggingLevel }).level ?? 'info';
      if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(session.logLevel)) continue;
      const message = params as { logger?: string };
      const logged = { ...message, logger: message.logger ? `${connector}/${message.logger}` : connector };
      // On the stream of the call that caused it, when there is exactly one; else the session's own.
      const related = singleInFlight(session, connector);
      void session.server
        .notification(
          { method: 'notifications/message', params: logged } as never,
          related === undefined ? undefined : { relatedRequestId: related },
        )
        .catch(() => undefined);
    }
  }

  async #subscribe(session: LiveSession, key: string, signal: AbortSignal): Promise<void> {
    if (session.subscriptions.has(key)) return;
    let subscribers = this.#subscribers.get(key);
    if (!subscribers) {
      const [connector, uri] = splitSubscriptionKey(key);
      await this.#upstreamClient(connector).subscribeResource({ uri }, { signal });
      subscribers = this.#subscribers.get(key) ?? new Set();
      this.#subscribers.set(key, subscribers);
    }
    subscribers.add(session);
    session.subscriptions.add(key);
  }

  async #unsubscribe(session: LiveSession, key: string): Promise<void> {
    session.subscriptions.delete(key);
    const subscribers = this.#subscribers.get(key);
    if (!subscribers?.delete(session) || subscribers.size > 0) return;
    this.#subscribers.delete(key);
    const [connector, uri] = splitSubscriptionKey(key);
    await this.#options.connectors
      .upstream(connector)
      ?.client()
      ?.unsubscribeResource({ uri })
      .catch(() => undefined);
  }

  /**
   * An upstream asks its client (Gatehouse) for sampling, elicitation or roots. One upstream
   * connection serves every client, so the request goes to the one session with a call in flight to
   * that connector; with none or several, Gatehouse cannot tell whose it is and refuses.
   */
  async forwardServerRequest(
    connector: string,
    method: string,
    params: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    const candidates = [...this.#sessionsSeeing(connector)].filter((session) =>
      session.inFlight.has(connector),
    );
    if (candidates.length !== 1) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        candidates.length === 0
          ? `gatehouse: ${method} from ${connector} arrived outside any client's tool call`
          : `gatehouse: ${method} from ${connector} could belong to several clients' calls; Gatehouse will not guess`,
      );
    }
    const session = candidates[0]!;
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
  }
}

function logReason(
  decision: 'allow' | 'deny',
  reason: string,
  approval: ApprovalDecision | undefined,
): string {
  if (decision === 'allow' && approval === 'once') return 'You allowed this call once.';
  if (decision === 'allow' && approval === 'always')
    return 'You allowed this tool for this client from now on.';
  const text = reason.startsWith('gatehouse: ') ? reason.slice('gatehouse: '.length) : reason;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function subscriptionKey(connector: string, uri: string): string {
  return `${connector}\u0000${uri}`;
}

function splitSubscriptionKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** The client's one request in flight to a connector, if there is exactly one. */
function singleInFlight(session: LiveSession, connector: string): RequestId | undefined {
  const ids = session.inFlight.get(connector);
  return ids?.length === 1 ? ids[0] : undefined;
}

function refusal(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

const forwardDefinitions = new WeakMap<Tool, Tool>();

/** The tool as Gatehouse calls it upstream: its input schema (for SEP-2243 headers), no output check. */
function withoutOutputSchema(tool: Tool): Tool {
  let definition = forwardDefinitions.get(tool);
  if (!definition) {
    const { outputSchema: _ignored, ...rest } = tool;
    definition = rest;
    forwardDefinitions.set(tool, definition);
  }
  return definition;
}
