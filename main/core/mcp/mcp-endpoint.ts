// The MCP endpoint at /mcp and /mcp/<connector>, both protocol eras on the same URL (MCP TypeScript
// SDK v2). Every request passes the same gate: pause, scope, bearer check (token, audience, grant,
// scope). Then its era decides: a 2025-era request belongs to a session (bound to the client and path
// that opened it, resumable, closed on DELETE, revoke and idleness, a bounded number per client);
// a 2026-07-28 request is served on its own (modern-requests.ts), and subscriptions/listen opens a
// stream (listen-streams.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest, isLegacyRequest, type AuthInfo } from '@modelcontextprotocol/server';
import { RelayServer } from './relay-server.js';
import type { AuditLog } from '../audit/audit-log.js';
import { randomUuid, type Clock, type Logger, type Random } from '../effects.js';
import { BodyError, readJson, sendJson } from '../http/http-io.js';
import { JsonRpcCode, jsonRpcError } from '../json-rpc-errors.js';
import { SETUP_MARKER_HEADER, type SetupClientName } from '../api/client-setup-contract.js';
import { isSetupClient, type ClientStore } from '../store/client-store.js';
import type { GrantStore } from '../store/grant-store.js';
import type { Settings } from '../store/settings-store.js';
import { BearerCheck, requestResource, type Caller } from './bearer-check.js';
import { bearerChallenge } from './protected-resource.js';
import { exchange, requestView, type ExchangeOptions } from './web-exchange.js';
import { ListenStreams } from './listen-streams.js';
import { ModernRequests, serverInfo, type ModernCall } from './modern-requests.js';
import { plainRequestEra } from './request-era.js';
import { SessionEventStore } from './session-event-store.js';
import { answerOnSession, isIdle, type McpSession } from './session-tool-call.js';
import { SessionTransport } from './session-transport.js';
import { callerOf, type ListKind, type McpScope, type SessionServices } from './session-services.js';
import type { TokenIndex } from '../auth/token-index.js';

/** Node's lower-case name for the marker a Gatehouse-written client entry sends. */
const MARKER_HEADER = SETUP_MARKER_HEADER.toLowerCase();

const MCP_BODY_LIMIT = 4 * 1024 * 1024;
const SESSION_IDLE_MS = 30 * 60_000;
/**
 * A session whose stream (GET) closed and that sent nothing since is taken as gone after this long:
 * its client exited without DELETE. A live client reopens its stream within seconds (the SDK retries).
 */
const SESSION_GONE_MS = 2 * 60_000;
/** 2025-era sessions one client may hold; the least recently used idle one makes room for a new one. */
const MAX_SESSIONS_PER_CLIENT = 32;

/** What the MCP endpoint checks callers with, reports to, and serves through. */
export interface McpEndpointOptions {
  version: string;
  clock: Clock;
  /** Draws the 2025-era session ids. */
  random: Random;
  logger: Logger;
  settings: Settings;
  clients: ClientStore;
  grants: GrantStore;
  tokens: TokenIndex;
  audit: AuditLog;
  services: SessionServices;
  /**
   * Called with each authenticated request's client (for last-used), and the app whose
   * Gatehouse-written entry it came through when the request says so (SETUP_MARKER_HEADER).
   */
  onClientUsed(clientId: string, at: number, setupClient?: SetupClientName): void;
  /** Called when a session or a listen stream opens or closes ("connected now" changes). */
  onSessionsChanged(): void;
  sessionIdleMs?: number;
  /** Close a session this long after its stream closed, when it sent nothing since (default 2 min). */
  sessionGoneMs?: number;
  maxSessionsPerClient?: number;
  maxListenStreamsPerClient?: number;
  /** See sdk/response-writer.ts: how long a call's answer may be held to go out as one JSON body (0: never). */
  streamAfterMs?: number;
}

/**
 * The MCP endpoint: the gate every request passes, the 2025-era sessions and the 2026-07-28 requests
 * behind it.
 */
export class McpEndpoint {
  readonly #options: McpEndpointOptions;
  readonly #bearer: BearerCheck;
  readonly #sessions = new Map<string, McpSession>();
  readonly #idleMs: number;
  readonly #goneMs: number;
  readonly #maxSessions: number;
  readonly #exchangeOptions: ExchangeOptions;
  readonly #modern: ModernRequests;
  readonly #listen: ListenStreams;

  constructor(options: McpEndpointOptions) {
    this.#options = options;
    this.#bearer = new BearerCheck(options.tokens, options.grants, options.clock);
    this.#idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
    this.#goneMs = options.sessionGoneMs ?? SESSION_GONE_MS;
    this.#maxSessions = options.maxSessionsPerClient ?? MAX_SESSIONS_PER_CLIENT;
    this.#exchangeOptions =
      options.streamAfterMs !== undefined ? { streamAfterMs: options.streamAfterMs } : {};
    this.#modern = new ModernRequests({
      services: options.services,
      version: options.version,
      logger: options.logger,
    });
    this.#listen = new ListenStreams({
      services: options.services,
      requests: this.#modern,
      logger: options.logger,
      ...(options.maxListenStreamsPerClient ? { maxPerClient: options.maxListenStreamsPerClient } : {}),
      onChange: () => options.onSessionsChanged(),
    });
    options.services.onListChanged((connector, lists) => this.#listChanged(connector, lists));
  }

  /** Open 2025-era sessions. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Open subscriptions/listen streams (2026-07-28). */
  get listenStreamCount(): number {
    return this.#listen.size;
  }

  /** A client's open 2025-era sessions. */
  sessionsOf(clientId: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.clientId === clientId) count++;
    return count;
  }

  /** A 2026-07-28 client's live connections: its listen streams and its requests in flight. */
  connectionsOf(clientId: string): number {
    return this.#listen.countOf(clientId) + this.#modern.inFlightOf(clientId);
  }

  /** Client ids with an open session or live connection ("connected now"). */
  connectedClients(): Set<string> {
    return new Set([
      ...[...this.#sessions.values()].map((session) => session.clientId),
      ...this.#listen.clients(),
      ...this.#modern.clients(),
    ]);
  }

  /**
   * Answers a request on /mcp or /mcp/<connector> (`path`): the gate first, then its session or its
   * 2026-07-28 handler.
   */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const origin = `http://${req.headers.host}`;
    if (this.#options.settings.get().paused) {
      this.#options.audit.record({
        type: 'mcp.request_denied',
        decision: 'deny',
        reason: 'All access is paused',
        detail: { path, status: 503 },
      });
      sendJson(
        res,
        503,
        jsonRpcError(
          null,
          JsonRpcCode.ServerError,
          'Gatehouse has paused all access. The user can resume it from the Gatehouse tray menu or window.',
        ),
        { 'retry-after': '60' },
      );
      return;
    }
    const scope = this.#scopeOf(path);
    if (!scope) {
      sendJson(
        res,
        404,
        jsonRpcError(
          null,
          JsonRpcCode.MethodNotFound,
          `There is no MCP endpoint at ${path}: use /mcp, or /mcp/<connector> for an enabled connector.`,
        ),
      );
      return;
    }
    const verdict = this.#bearer.check(req.headers.authorization, requestResource(req, path));
    if (!verdict.ok) {
      this.#options.audit.record({
        type: 'mcp.request_denied',
        clientId: verdict.clientId ?? null,
        decision: 'deny',
        reason:
          verdict.reason ??
          (verdict.error ? verdict.description : 'No access token: challenged to authorize'),
        detail: { path, status: verdict.status, ...(verdict.error ? { error: verdict.error } : {}) },
      });
      sendJson(
        res,
        verdict.status,
        { error: verdict.error ?? 'unauthorized', error_description: verdict.description },
        {
          'www-authenticate': bearerChallenge(origin, path, verdict),
        },
      );
      return;
    }
    const caller = verdict.caller;
    const now = this.#options.clock.now();
    const marker = req.headers[MARKER_HEADER];
    this.#options.onClientUsed(
      caller.clientId,
      now,
      marker !== undefined && isSetupClient(marker) ? marker : undefined,
    );

    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJson(req, MCP_BODY_LIMIT);
      } catch (error) {
        const status = error instanceof BodyError ? error.status : 400;
        const code = error instanceof BodyError ? error.jsonRpcCode : JsonRpcCode.ParseError;
        sendJson(res, status, jsonRpcError(null, code, (error as Error).message));
        return;
      }
      if (body === undefined) {
        sendJson(
          res,
          400,
          jsonRpcError(null, JsonRpcCode.ParseError, 'The request body is empty: POST one JSON-RPC message.'),
        );
        return;
      }
    }

    const authInfo: AuthInfo = {
      token: caller.token,
      clientId: caller.clientId,
      scopes: [...caller.scopes],
      expiresAt: caller.expiresAt,
      extra: { caller, scope },
    };
    // A request without the 2026-07-28 envelope is 2025-era traffic: it belongs to a session. A plain
    // request is told apart without zod (request-era.ts); anything else asks the SDK's classifier.
    if (req.method !== 'POST' || (await this.#isLegacy(req, body))) {
      await this.#legacy(req, res, body, caller, scope, authInfo, now);
      return;
    }
    const call: ModernCall = { caller, scope, authInfo };
    if (isListen(body)) await this.#listen.serve(req, res, body, call);
    else await this.#modern.serve(req, res, body, call);
  }

  async #isLegacy(req: IncomingMessage, body: unknown): Promise<boolean> {
    const era = plainRequestEra(req.headers, body);
    return era !== undefined ? era === 'legacy' : isLegacyRequest(requestView(req), body);
  }

  async #legacy(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: Caller,
    scope: McpScope,
    authInfo: AuthInfo,
    now: number,
  ): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.#sessions.get(sessionId);
      // A session belongs to the client that opened it, on the path it was opened on; to anyone
      // else it does not exist.
      if (!session || session.clientId !== caller.clientId || session.scope.connector !== scope.connector) {
        sendJson(
          res,
          404,
          jsonRpcError(null, JsonRpcCode.SessionNotFound, 'Session not found: initialize a new session.'),
        );
        return;
      }
      session.lastActivityAt = now;
      if (req.method === 'GET') this.#trackStream(session, res);
      else session.streamClosedAt = null;
      session.busy++;
      try {
        await answerOnSession(session, req, res, body, authInfo, this.#exchangeOptions);
      } finally {
        session.busy--;
        session.lastActivityAt = this.#options.clock.now();
      }
      return;
    }
    if (req.method !== 'POST' || !containsInitialize(body)) {
      sendJson(
        res,
        400,
        jsonRpcError(
          null,
          JsonRpcCode.InvalidRequest,
          'No session: send an initialize request first (without Mcp-Session-Id).',
        ),
      );
      return;
    }
    if (!(await this.#makeRoom(caller.clientId))) {
      this.#options.audit.record({
        type: 'mcp.request_denied',
        clientId: caller.clientId,
        decision: 'deny',
        reason: `Session limit reached (${this.#maxSessions} open sessions, all busy)`,
        detail: { status: 429 },
      });
      sendJson(
        res,
        429,
        jsonRpcError(
          null,
          JsonRpcCode.ServerError,
          `This client already has ${this.#maxSessions} open MCP sessions and every one is in use; end one (DELETE its session) or wait for one to finish before opening another.`,
        ),
        { 'retry-after': '5' },
      );
      return;
    }
    const session = await this.#openSession(caller, scope);
    await exchange(session.transport, req, res, body, authInfo, this.#exchangeOptions);
  }

  /**
   * Closes every session and listen stream of a client at once (revoke); returns how many. Its idle
   * 2026-07-28 tools/call instances end too (not counted: the client never saw them as anything).
   */
  async closeSessionsOf(clientId: string): Promise<number> {
    const sessions = [...this.#sessions.values()].filter((session) => session.clientId === clientId);
    const [, streams] = await Promise.all([
      Promise.all(sessions.map((session) => this.#close(session))),
      this.#listen.closeOf(clientId),
      this.#modern.closeIdleOf(clientId),
    ]);
    return sessions.length + streams;
  }

  /**
   * Closes sessions with no request and no open stream for the idle window, and sooner the ones whose
   * client is gone: its stream closed and nothing came since (`sessionGoneMs`).
   */
  async closeIdleSessions(): Promise<number> {
    const now = this.#options.clock.now();
    const idle = [...this.#sessions.values()].filter(
      (session) =>
        isIdle(session) &&
        (session.lastActivityAt < now - this.#idleMs ||
          (session.streamClosedAt !== null && session.streamClosedAt <= now - this.#goneMs)),
    );
    await Promise.all(idle.map((session) => this.#close(session)));
    return idle.length;
  }

  /** Ends every 2025-era session (its clients open a new one with their next initialize). */
  async closeSessions(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((session) => this.#close(session)));
  }

  /** Ends everything for good (the engine stops): sessions, listen streams, and the 2026-07-28 entry. */
  async closeAll(): Promise<void> {
    await Promise.all([this.closeSessions(), this.#listen.closeAll(), this.#modern.close()]);
  }

  /**
   * Below the per-client cap there is room; at it, the least recently used idle session of the
   * client is closed to make room. False when every one is busy.
   */
  async #makeRoom(clientId: string): Promise<boolean> {
    const own = [...this.#sessions.values()].filter((session) => session.clientId === clientId);
    if (own.length < this.#maxSessions) return true;
    const idle = own.filter(isIdle).sort((a, b) => a.lastActivityAt - b.lastActivityAt);
    const oldest = idle[0];
    if (!oldest) return false;
    this.#options.logger.info('closing the least recently used MCP session to make room', {
      clientId,
      sessions: own.length,
    });
    await this.#close(oldest);
    return true;
  }

  async #openSession(caller: Caller, scope: McpScope): Promise<McpSession> {
    const { services } = this.#options;
    const server = new RelayServer(serverInfo(scope, this.#options.version), {
      capabilities: services.capabilities(scope),
      instructions: services.instructions(scope),
      ...services.serverOptions('legacy'),
    });
    const session: McpSession = {
      id: '',
      clientId: caller.clientId,
      scope,
      initialized: false,
      server,
      transport: new SessionTransport({
        sessionIdGenerator: () => randomUuid(this.#options.random),
        eventStore: new SessionEventStore(),
        retryInterval: 2_000,
        onsessioninitialized: (id) => {
          session.id = id;
          this.#sessions.set(id, session);
          this.#options.onSessionsChanged();
        },
        onsessionclosed: (id) => {
          if (this.#sessions.delete(id)) this.#options.onSessionsChanged();
        },
      }),
      lastActivityAt: this.#options.clock.now(),
      openStreams: 0,
      streamClosedAt: null,
      busy: 0,
    };
    session.transport.onclose = () => {
      if (session.id && this.#sessions.delete(session.id)) this.#options.onSessionsChanged();
    };
    server.oninitialized = () => {
      session.initialized = true;
    };
    services.install(server, { scope, era: 'legacy', callerOf });
    await server.connect(session.transport);
    return session;
  }

  /**
   * The user changed a client's grant: its sessions and listen streams hear at once that their lists
   * changed (what they may list and call is decided from the grant on their next request).
   */
  grantChanged(clientId: string): void {
    this.#listen.listsChangedFor(clientId);
    for (const session of this.#sessions.values())
      if (session.clientId === clientId) this.#notifyLists(session, ['tools', 'resources', 'prompts']);
  }

  /** Tells every initialized session and listen stream that can see `connector` that its lists changed. */
  #listChanged(connector: string | null, lists: ListKind[]): void {
    this.#listen.listChanged(connector, lists);
    for (const session of this.#sessions.values()) {
      if (connector !== null && session.scope.connector !== null && session.scope.connector !== connector)
        continue;
      this.#notifyLists(session, lists);
    }
  }

  #notifyLists(session: McpSession, lists: ListKind[]): void {
    if (!session.initialized) return;
    const sends = lists.map((list) =>
      list === 'tools'
        ? session.server.sendToolListChanged()
        : list === 'resources'
          ? session.server.sendResourceListChanged()
          : session.server.sendPromptListChanged(),
    );
    Promise.all(sends).catch((error: unknown) => {
      this.#options.logger.warn('could not notify a session of a list change', {
        error: (error as Error).message,
      });
    });
  }

  #scopeOf(path: string): McpScope | undefined {
    if (path === '/mcp') return { connector: null };
    const name = /^\/mcp\/([a-z0-9][a-z0-9_-]{0,31})$/.exec(path)?.[1];
    return name && this.#options.services.hasConnector(name) ? { connector: name } : undefined;
  }

  #trackStream(session: McpSession, res: ServerResponse): void {
    session.openStreams++;
    session.streamClosedAt = null;
    res.once('close', () => {
      session.openStreams--;
      session.lastActivityAt = this.#options.clock.now();
      if (session.openStreams > 0) return;
      session.streamClosedAt = session.lastActivityAt;
      // Look again once the grace has passed, so the count drops without waiting for the next sweep.
      setTimeout(() => void this.closeIdleSessions(), this.#goneMs + 1_000).unref();
    });
  }

  async #close(session: McpSession): Promise<void> {
    if (this.#sessions.delete(session.id)) this.#options.onSessionsChanged();
    try {
      await session.transport.close();
      await session.server.close();
    } catch (error) {
      this.#options.logger.warn('closing an MCP session failed', { error: (error as Error).message });
    }
  }
}

function isListen(body: unknown): boolean {
  return (body as { method?: unknown } | null)?.method === 'subscriptions/listen';
}

function containsInitialize(body: unknown): boolean {
  return Array.isArray(body)
    ? body.some((message) => isInitializeRequest(message))
    : isInitializeRequest(body);
}
