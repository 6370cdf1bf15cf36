// The MCP endpoint (Streamable HTTP, MCP TypeScript SDK v2) at /mcp: pause and bearer checks on
// every request, one SDK server per session, sessions bound to the client that opened them and
// closed on DELETE, on revoke and when idle.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest, Server, type AuthInfo } from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock, Logger } from '../effects.js';
import { BodyError, readJson, sendJson } from '../http/http-io.js';
import type { ClientRegistry } from '../registry/client-registry.js';
import type { GrantStore } from '../registry/grant-store.js';
import type { Settings } from '../store/settings.js';
import { BearerCheck, requestResource, type Caller } from './bearer-check.js';
import { bearerChallenge } from './protected-resource.js';
import { exchange, ExchangeTransport, type ExchangeOptions } from './exchange.js';
import { SessionEventStore } from './session-event-store.js';
import { callerOf, type ListKind, type McpScope, type SessionServices } from './session-services.js';
import type { TokenIndex } from '../auth/token-index.js';

const MCP_BODY_LIMIT = 4 * 1024 * 1024;
export const SESSION_IDLE_MS = 30 * 60_000;

interface McpSession {
  id: string;
  clientId: string;
  scope: McpScope;
  initialized: boolean;
  transport: ExchangeTransport;
  server: Server;
  lastActivityAt: number;
  openStreams: number;
}

export interface McpEndpointOptions {
  version: string;
  clock: Clock;
  logger: Logger;
  settings: Settings;
  clients: ClientRegistry;
  grants: GrantStore;
  tokens: TokenIndex;
  audit: AuditLog;
  services: SessionServices;
  /** Called with each authenticated request's client (for last-used). */
  onClientUsed(clientId: string, at: number): void;
  /** Called when a session opens or closes ("connected now" changes). */
  onSessionsChanged(): void;
  sessionIdleMs?: number;
  /** See exchange.ts: how long a call's answer may be held to go out as one JSON body (0: never). */
  streamAfterMs?: number;
}

export class McpEndpoint {
  readonly #options: McpEndpointOptions;
  readonly #bearer: BearerCheck;
  readonly #sessions = new Map<string, McpSession>();
  readonly #idleMs: number;
  readonly #exchangeOptions: ExchangeOptions;

  constructor(options: McpEndpointOptions) {
    this.#options = options;
    this.#bearer = new BearerCheck(options.tokens, options.grants, options.clock);
    this.#idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
    this.#exchangeOptions =
      options.streamAfterMs !== undefined ? { streamAfterMs: options.streamAfterMs } : {};
    options.services.onListChanged((connector, lists) => this.#listChanged(connector, lists));
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  sessionsOf(clientId: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.clientId === clientId) count++;
    return count;
  }

  /** Client ids with at least one open session ("connected now"). */
  connectedClients(): Set<string> {
    return new Set([...this.#sessions.values()].map((session) => session.clientId));
  }

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
          -32000,
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
          -32601,
          `There is no MCP endpoint at ${path}: use /mcp, or /mcp/<connector> for an enabled connector.`,
        ),
      );
      return;
    }
    const verdict = this.#bearer.check(req.headers.authorization, requestResource(req, path));
    if (!verdict.ok) {
      this.#options.audit.record({
        type: 'mcp.request_denied',
        decision: 'deny',
        reason: verdict.error ? verdict.description : 'No access token: challenged to authorize',
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
    this.#options.onClientUsed(caller.clientId, now);

    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJson(req, MCP_BODY_LIMIT);
      } catch (error) {
        const status = error instanceof BodyError ? error.status : 400;
        sendJson(res, status, jsonRpcError(-32700, (error as Error).message));
        return;
      }
      if (body === undefined) {
        sendJson(res, 400, jsonRpcError(-32700, 'The request body is empty: POST one JSON-RPC message.'));
        return;
      }
    }

    const authInfo: AuthInfo = {
      token: caller.token,
      clientId: caller.clientId,
      scopes: [...caller.scopes],
      expiresAt: caller.expiresAt,
      extra: { caller },
    };
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.#sessions.get(sessionId);
      // A session belongs to the client that opened it, on the path it was opened on; to anyone
      // else it does not exist.
      if (!session || session.clientId !== caller.clientId || session.scope.connector !== scope.connector) {
        sendJson(res, 404, jsonRpcError(-32001, 'Session not found: initialize a new session.'));
        return;
      }
      session.lastActivityAt = now;
      if (req.method === 'GET') this.#trackStream(session, res);
      await exchange(session.transport, req, res, body, authInfo, this.#exchangeOptions);
      return;
    }
    if (req.method !== 'POST' || !containsInitialize(body)) {
      sendJson(
        res,
        400,
        jsonRpcError(-32600, 'No session: send an initialize request first (without Mcp-Session-Id).'),
      );
      return;
    }
    const session = await this.#openSession(caller, scope);
    await exchange(session.transport, req, res, body, authInfo, this.#exchangeOptions);
  }

  /** Closes every session of a client at once (revoke); returns how many were closed. */
  async closeSessionsOf(clientId: string): Promise<number> {
    const sessions = [...this.#sessions.values()].filter((session) => session.clientId === clientId);
    await Promise.all(sessions.map((session) => this.#close(session)));
    return sessions.length;
  }

  /** Closes sessions with no request and no open stream for the idle window. */
  async closeIdleSessions(): Promise<number> {
    const cutoff = this.#options.clock.now() - this.#idleMs;
    const idle = [...this.#sessions.values()].filter(
      (session) => session.openStreams === 0 && session.lastActivityAt < cutoff,
    );
    await Promise.all(idle.map((session) => this.#close(session)));
    return idle.length;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((session) => this.#close(session)));
  }

  async #openSession(caller: Caller, scope: McpScope): Promise<McpSession> {
    const { services } = this.#options;
    const server = new Server(
      {
        name: scope.connector ? `gatehouse/${scope.connector}` : 'gatehouse',
        title: scope.connector ? `Gatehouse: ${scope.connector}` : 'Gatehouse',
        version: this.#options.version,
      },
      { capabilities: services.capabilities(scope), instructions: services.instructions(scope) },
    );
    const session: McpSession = {
      id: '',
      clientId: caller.clientId,
      scope,
      initialized: false,
      server,
      transport: new ExchangeTransport({
        sessionIdGenerator: () => randomUUID(),
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
    };
    session.transport.onclose = () => {
      if (session.id && this.#sessions.delete(session.id)) this.#options.onSessionsChanged();
    };
    server.oninitialized = () => {
      session.initialized = true;
    };
    services.install(server, { scope, callerOf });
    await server.connect(session.transport);
    return session;
  }

  /** Tells every initialized session that can see `connector` that its lists changed. */
  #listChanged(connector: string, lists: ListKind[]): void {
    for (const session of this.#sessions.values()) {
      if (!session.initialized) continue;
      if (session.scope.connector !== null && session.scope.connector !== connector) continue;
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
  }

  #scopeOf(path: string): McpScope | undefined {
    if (path === '/mcp') return { connector: null };
    const name = /^\/mcp\/([a-z0-9][a-z0-9_-]{0,31})$/.exec(path)?.[1];
    return name && this.#options.services.hasConnector(name) ? { connector: name } : undefined;
  }

  #trackStream(session: McpSession, res: ServerResponse): void {
    session.openStreams++;
    res.once('close', () => {
      session.openStreams--;
      session.lastActivityAt = this.#options.clock.now();
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

function containsInitialize(body: unknown): boolean {
  return Array.isArray(body)
    ? body.some((message) => isInitializeRequest(message))
    : isInitializeRequest(body);
}

function jsonRpcError(code: number, message: string): unknown {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
