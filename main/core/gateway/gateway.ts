// The gateway: what each MCP server instance serves, in either era. On /mcp it aggregates every
// connector the client's grant allows (tools as <connector>__<tool>, prompts likewise, resources by
// URI), on /mcp/<connector> one connector under its own names. The handlers are the same for a
// 2025-era session and a 2026-07-28 request. This file coordinates: what each caller sees is
// offering-lists.ts, names go to connectors by routing.ts, tools/call runs through tool-calls.ts,
// prompts and resources through prompt-handlers.ts and resource-handlers.ts, and what upstreams say
// back through upstream-traffic.ts.
import type { RefusalSource } from './sandbox-marks.js';
import {
  ProtocolError,
  type CallToolResult,
  type Server,
  type ServerCapabilities,
  type ServerContext,
  type ServerOptions,
  type Tool,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock, Logger, Notifier, Random } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { AlwaysAllowed } from '../store/always-allowed.js';
import type { ToolStore } from '../store/tool-store.js';
import { TASKS_EXTENSION } from '../connectors/runtime/task-results.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import type { CompiledRule } from '../policy/rules.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { GatehouseToolContext } from './gatehouse-tools.js';
import { TOOL_CALL_PARAMS, type RelayServer } from '../mcp/relay-server.js';
import type { McpScope, SessionContext, SessionServices, ListKind } from '../mcp/session-services.js';
import { clientRendersApps, OpenedApps, routeToolCall } from './app-tools.js';
import { createCallStateCodec, type CallStateCodec } from './call-state.js';
import type { HeldItems } from './held-items.js';
import { OfferingLists, refuseCursor, runsOnlyAsTask } from './offering-lists.js';
import { installCompletion } from './completion-handler.js';
import { withoutUpstreamServerInfo } from './forwarding.js';
import { showContentUris } from './shown-uris.js';
import { takeRequestLogLevel, type LiveSession } from './live-session.js';
import type { ParkedCall } from './parked-calls.js';
import { installPrompts, type PromptContext } from './prompt-handlers.js';
import { RelayedTasks } from './relayed-tasks.js';
import { installResources, watchResources, type ResourceContext } from './resource-handlers.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import { APPROVAL_TIMEOUT_MS, type ApprovalDecision, type ApprovalRequest } from './tool-approval.js';
import { auditReplay } from './tool-call-checks.js';
import { ToolCalls } from './tool-calls.js';
import { MessageSecrets } from './message-secrets.js';
import { UpstreamTraffic } from './upstream-traffic.js';
import { ServerAnnouncements } from './server-announcements.js';

export { type ApprovalDecision, type ApprovalRequest };

/** The engine parts the gateway serves from: connectors, stores, policy, effects. */
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
  /** The user's rules, compiled (the rule store's current ones). */
  rules(): readonly CompiledRule[];
  rateLimiter: RateLimiter;
  gatehouseTools: GatehouseToolContext;
  /** Per-connector timeout for a forwarded request, in ms (HTTP connectors configure it). */
  callTimeoutMs(connector: string): number;
  /** How long a tool call waits for the user's approval (default APPROVAL_TIMEOUT_MS). */
  approvalTimeoutMs?: number;
  /** How long a call parked for a 2026-07-28 client waits for its retry (default PARK_TIMEOUT_MS). */
  parkTimeoutMs?: number;
  /** Prompts, resources and templates held on first sight. */
  heldItems: HeldItems;
  /** The values Gatehouse keeps sealed for its connectors (log/known-secrets.ts). */
  sealedValues(): SealedValues;
  /** Whether the user marked the connector as handling secrets on purpose. */
  handlesSecrets(connector: string): boolean;
  /** "Always allow for this connector", answering a call held for secret material. */
  allowSecrets(connector: string, approvalId: string): void;
  /** The roots of a connector's connection itself (connectors/sandbox/connection-roots.ts); none by default. */
  connectionRoots?(connector: string): Array<{ uri: string; name?: string }>;
  /** What the sandbox refuses local servers: marked on the calls it happened during. */
  sandboxRefusals?: RefusalSource;
}

/**
 * The `SessionServices` of every MCP server instance the endpoint makes (mcp/session-services.ts),
 * and what the engine asks of MCP traffic: pending approvals, a tool's exposed name, and the
 * server→client requests upstreams make.
 */
export class Gateway implements SessionServices {
  /** Tool calls waiting for the user to allow or deny them (the window's approvals). */
  readonly approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
  readonly #listListeners = new Set<(connector: string | null, lists: ListKind[]) => void>();
  readonly #lists: OfferingLists;
  readonly #forward: PromptContext & ResourceContext;
  readonly #traffic: UpstreamTraffic;
  readonly #tasks: RelayedTasks;
  readonly #codec: CallStateCodec;
  readonly #parked = new Map<string, ParkedCall<object>>();
  readonly #calls: ToolCalls;
  readonly #opened = new OpenedApps();
  /** Secret material in what upstreams send clients besides their answers (logs, progress, requests). */
  readonly #messageSecrets: MessageSecrets;
  /** What each server instance announces: capabilities, instructions, server options. */
  readonly #announced: ServerAnnouncements;

  constructor(options: GatewayOptions) {
    this.#messageSecrets = new MessageSecrets(options);
    this.#codec = createCallStateCodec({
      random: options.random,
      onReplay: (state, ctx) => auditReplay(options.audit, state, ctx),
    });
    this.approvals = new PendingDecisions<ApprovalRequest, ApprovalDecision>({
      clock: options.clock,
      timeoutMs: options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MS,
      onTimeout: 'timed-out',
      maxPending: 100,
      what: 'approval request',
    });
    this.#lists = new OfferingLists(options);
    this.#announced = new ServerAnnouncements({
      connectors: options.connectors,
      heldItems: options.heldItems,
      lists: this.#lists,
      codec: this.#codec,
    });
    const upstream = (connector: string) => options.connectors.upstream(connector);
    const subscriptions = new ResourceSubscriptions(
      {
        subscribe: async (connector, uri, signal) => {
          const found = upstream(connector);
          if (!found?.client())
            throw new ProtocolError(
              JsonRpcCode.InternalError,
              `gatehouse: connector ${connector} is not connected; try again shortly.`,
            );
          await found.subscribeResource(uri, signal);
        },
        unsubscribe: async (connector, uri) => {
          await upstream(connector)?.unsubscribeResource(uri);
        },
      },
      options.logger,
    );
    this.#forward = {
      lists: this.#lists,
      codec: this.#codec,
      upstream,
      callTimeoutMs: options.callTimeoutMs,
      audit: options.audit,
      subscriptions,
      logger: options.logger,
      opened: this.#opened,
      sealedValues: options.sealedValues,
      handlesSecrets: options.handlesSecrets,
      messageSecrets: this.#messageSecrets,
      parked: this.#parked,
      random: options.random,
      ...(options.parkTimeoutMs !== undefined ? { parkTimeoutMs: options.parkTimeoutMs } : {}),
      logsSent: (session, connector, upstream) => this.#traffic.logsSent(session, connector, upstream),
    };
    this.#traffic = new UpstreamTraffic({
      subscriptions,
      parked: this.#parked,
      connectionRoots: (connector) => options.connectionRoots?.(connector) ?? [],
    });
    this.#tasks = new RelayedTasks({
      audit: options.audit,
      sealedValues: options.sealedValues,
      handlesSecrets: options.handlesSecrets,
      clock: options.clock,
      random: options.random,
      upstream,
      callTimeoutMs: options.callTimeoutMs,
      reaches: (caller, scope, connector) => this.#lists.visibleConnectors(caller, scope).includes(connector),
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
      sealedValues: options.sealedValues,
      handlesSecrets: options.handlesSecrets,
      allowSecrets: options.allowSecrets,
      messageSecrets: this.#messageSecrets,
      codec: this.#codec,
      upstream,
      callTimeoutMs: options.callTimeoutMs,
      route: ({ session, caller, name, ctx }) => {
        const route = routeToolCall(
          { lists: this.#lists, opened: this.#opened },
          caller,
          session.scope,
          name,
          clientRendersApps(session, ctx),
        );
        return route && 'tool' in route && runsOnlyAsTask(route.tool)
          ? {
              refused: `gatehouse: ${name} runs only as a task (execution.taskSupport "required", MCP 2025-11-25), which Gatehouse does not relay, so it is not offered to clients.`,
            }
          : route;
      },
      unconnectedOwner: ({ session, caller, name }) =>
        this.#lists
          .visibleConnectors(caller, session.scope)
          .filter((connector) => !upstream(connector)?.client())
          .find(
            (connector) =>
              session.scope.connector === connector ||
              name.startsWith(`${connector}__`) ||
              options.tools.get(connector, name) !== undefined,
          ),
      decisionInput: (caller, connector, tool, exposedName) =>
        this.#lists.decisionInput(caller, connector, tool, exposedName),
      parked: this.#parked,
      ...(options.parkTimeoutMs !== undefined ? { parkTimeoutMs: options.parkTimeoutMs } : {}),
      ...(options.sandboxRefusals ? { sandboxRefusals: options.sandboxRefusals } : {}),
      showResult: (scope, connector, result) => this.#showResult(scope, connector, result),
      taskCreated: (caller, connector, task) => this.#tasks.created(caller, connector, task),
      logsSent: (session, connector, upstream, since) =>
        this.#traffic.logsSent(session, connector, upstream, since),
    });
    options.connectors.on((event) => {
      if (event.type === 'offering') {
        this.#lists.invalidate();
        this.#listChanged(event.connector, event.changed);
      } else if (event.type === 'status') {
        // A connector that connects or drops changes what can be listed.
        this.#lists.invalidate();
      } else if (event.type === 'notification') {
        this.#traffic.notification(
          event.connector,
          event.method,
          this.#messageSecrets.inspect(event.connector, event.method, event.params),
        );
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
    return this.#announced.capabilities(scope, caller);
  }

  toolCallCapabilities(scope: McpScope, caller: Caller): ServerCapabilities {
    return this.#announced.toolCallCapabilities(scope, caller);
  }

  /** Gatehouse's sentence, and on /mcp/<connector> the connector's own instructions (server-announcements.ts). */
  instructions(scope: McpScope, caller?: Caller): string {
    return this.#announced.instructions(scope, caller);
  }

  serverOptions(era: 'legacy' | 'modern'): Pick<ServerOptions, 'requestState' | 'cacheHints'> {
    return this.#announced.serverOptions(era);
  }

  hasConnector(name: string): boolean {
    return this.#lists.hasConnector(name);
  }

  toolInputSchema(scope: McpScope, caller: Caller, name: string): Tool['inputSchema'] | undefined {
    // As a call from a client that renders apps would route (app-tools.ts): a header is checked
    // against the schema of the tool the call reaches.
    const route = routeToolCall({ lists: this.#lists, opened: this.#opened }, caller, scope, name, true);
    return route && 'tool' in route && this.#lists.visibleConnectors(caller, scope).includes(route.connector)
      ? route.tool.inputSchema
      : undefined;
  }

  onListChanged(listener: (connector: string | null, lists: ListKind[]) => void): () => void {
    this.#listListeners.add(listener);
    return () => this.#listListeners.delete(listener);
  }

  install(server: RelayServer, context: SessionContext): void {
    const session: LiveSession = {
      server,
      scope: context.scope,
      era: context.era,
      logLevel: context.era === 'legacy' ? 'info' : 'none',
      inFlight: new Map(),
      subscriptions: new Map(),
    };
    const removeSession = this.#traffic.add(session);
    const previousOnClose = server.onclose;
    server.onclose = () => {
      removeSession();
      for (const release of session.subscriptions.values()) void release();
      session.subscriptions.clear();
      previousOnClose?.();
    };
    const caller = (ctx: ServerContext): Caller => {
      const found = context.callerOf(ctx.http?.authInfo);
      if (!found)
        throw new ProtocolError(
          JsonRpcCode.InvalidRequest,
          'gatehouse: this request carries no Gatehouse identity.',
        );
      return found;
    };
    // The SDK takes a handler only for a declared capability; a 2026-07-28 caller may not have all.
    const declared = server.getCapabilities();
    if (context.only === 'tools/call') {
      if (declared.tools) this.#installToolCall(server, session, caller);
      return;
    }
    // The answer to initialize or server/discover carries the instructions its caller may read.
    server.instructionsFor = (ctx) => this.instructions(context.scope, context.callerOf(ctx.http?.authInfo));
    if (declared.tools) this.#installTools(server, session, caller);
    if (declared.prompts) installPrompts(server, session, caller, this.#forward);
    if (declared.resources) installResources(server, session, caller, this.#forward);
    if (declared.extensions?.[TASKS_EXTENSION] !== undefined) this.#tasks.install(server, session, caller);
    if (context.era === 'legacy') {
      server.setRequestHandler('logging/setLevel', async (request) => {
        session.logLevel = request.params.level;
        return {};
      });
    }
    // The SDK refuses a completion handler on a server that does not declare completions.
    if (declared.completions) installCompletion(server, session, caller, this.#forward);
  }

  #installTools(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    const { scope } = session;
    server.setRequestHandler('tools/list', async (request, ctx) => {
      refuseCursor(request.params);
      return this.#lists.toolsListResult(caller(ctx), scope, clientRendersApps(session, ctx));
    });
    this.#installToolCall(server, session, caller);
  }

  #installToolCall(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    // The tools/call wrapper validates the request (relay-server.ts); TOOL_CALL_PARAMS passes the
    // params on rather than parsing them again.
    server.setRequestHandler('tools/call', { params: TOOL_CALL_PARAMS }, async (params, ctx) => {
      takeRequestLogLevel(session, ctx);
      return this.#calls.call(session, caller(ctx), params.name, params.arguments ?? {}, ctx);
    });
  }

  /**
   * A 2026-07-28 subscriptions/listen stream wants notifications/resources/updated for `uris` (as the
   * client knows them); resolves to the function that releases them (resource-handlers.ts).
   */
  watchResources(
    scope: McpScope,
    caller: Caller,
    uris: readonly string[],
    onUpdate: (uri: string) => void,
  ): Promise<() => Promise<void>> {
    return watchResources(this.#forward, scope, caller, uris, onUpdate);
  }

  /** The name a tool has on /mcp (for the Tools page). */
  exposedToolName(connector: string, tool: string): string {
    return this.#lists.exposedToolName(connector, tool);
  }

  /** The tools a caller sees in a scope, after every policy check. */
  listTools(caller: Caller, scope: McpScope): Tool[] {
    return this.#lists.listTools(caller, scope);
  }

  /**
   * An upstream asks its client (Gatehouse) for sampling, elicitation or roots: it goes to the one
   * client whose call it belongs to, or is refused (upstream-traffic.ts).
   */
  forwardServerRequest(
    connector: string,
    method: string,
    params: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    return this.#traffic.request(
      connector,
      method,
      this.#messageSecrets.inspect(connector, method, params),
      signal,
    );
  }

  /** A connector's tool result with its resource URIs in the form the client uses (shown-uris.ts). */
  #showResult(scope: McpScope, connector: string, upstream: CallToolResult): CallToolResult {
    const result = withoutUpstreamServerInfo(upstream);
    if (scope.connector !== null || !result.content) return result;
    return withContent(
      result,
      showContentUris(result.content, (uri) => this.#lists.shownUri(connector, uri)),
    );
  }

  /** The user answered a prompt, resource or template held on first sight: clients' lists changed. */
  heldItemAnswered(connector: string): void {
    this.#listChanged(connector, ['prompts', 'resources']);
  }

  #listChanged(connector: string | null, lists: ListKind[]): void {
    this.#lists.invalidate();
    for (const listener of this.#listListeners) listener(connector, lists);
  }

  /** Ends what is waiting: pending approvals are closed, parked calls cancelled. */
  close(): void {
    this.approvals.close();
    for (const call of [...this.#parked.values()]) call.cancel('Gatehouse is shutting down');
    this.#messageSecrets.close();
  }
}

function withContent(result: CallToolResult, content: CallToolResult['content']): CallToolResult {
  return content === result.content ? result : { ...result, content };
}
