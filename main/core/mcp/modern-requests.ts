// 2026-07-28 requests on /mcp and /mcp/<connector>: no session, a `_meta` envelope on every request.
// The SDK's entry (createMcpHandler, modern only: 2025-era traffic never reaches it) validates each
// one — envelope (-32602), header/body agreement (-32020), revision (-32022 with the supported list),
// methods the revision removed (HTTP 404, -32601) — and serves it on a fresh server instance that
// the gateway fills in, with the capabilities this caller's grant shows it. A tools/call's
// `Mcp-Param-*` headers are checked against its arguments here first (param-headers.ts). A
// clear-cut tools/call, which the SDK's classifier accepts, skips the entry's web Request/Response
// machinery (sdk/response-writer.ts), on an instance an earlier call of the same client left idle when
// there is one (tool-call-pool.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMcpHandler,
  type AuthInfo,
  type McpHttpHandler,
  type RequestId,
  type ServerCapabilities,
} from '@modelcontextprotocol/server';
import { RelayServer } from './relay-server.js';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Logger } from '../effects.js';
import type { Caller } from './bearer-check.js';
import { requestView, responseJson, sendResponse } from './web-exchange.js';
import { paramHeaderMismatch } from './param-headers.js';
import { clearCutToolCall, type ClearCutToolCall } from './clear-cut-call.js';
import { ResponseWriter, statelessStream } from '../sdk/response-writer.js';
import { ToolCallLine, ToolCallPool, toolCallKey } from './tool-call-pool.js';
import { sendJson } from '../http/http-io.js';
import { callerOf, type McpScope, type SessionServices } from './session-services.js';

/** What the endpoint hands a 2026-07-28 request: who calls, where. */
export interface ModernCall {
  caller: Caller;
  scope: McpScope;
  authInfo: AuthInfo;
}

/**
 * Serves 2026-07-28 requests through the SDK's modern handler, each on a fresh server instance, and
 * counts each client's requests in flight.
 */
export class ModernRequests {
  readonly #services: SessionServices;
  readonly #version: string;
  readonly #handler: McpHttpHandler;
  /** Requests in flight per client (its live connections, with its listen streams). */
  readonly #inFlight = new Map<string, number>();
  /** The instances serving a tools/call through a response writer now (closed when the engine stops). */
  readonly #serving = new Set<ToolCallLine>();
  /** The tools/call instances between calls. */
  readonly #idle = new ToolCallPool();
  #closed = false;
  readonly #logger: Logger;

  constructor(options: { services: SessionServices; version: string; logger: Logger }) {
    this.#services = options.services;
    this.#version = options.version;
    this.#logger = options.logger;
    this.#handler = createMcpHandler(
      (context) => {
        const { caller, scope } = callOf(context.authInfo);
        return this.newServer(scope, caller);
      },
      {
        legacy: 'reject',
        onerror: (error) => {
          // A rejected request is the client's to read; only Gatehouse's own failures are logged.
          if (!error.message.startsWith('Rejected'))
            options.logger.warn('MCP request failed', { error: error.message });
        },
      },
    );
  }

  /** A server instance for one 2026-07-28 request of `caller` (also a listen stream's). */
  newServer(scope: McpScope, caller: Caller): RelayServer {
    const services = this.#services;
    const server = new RelayServer(serverInfo(scope, this.#version), {
      capabilities: services.capabilities(scope, caller),
      instructions: services.instructions(scope),
      ...services.serverOptions('modern'),
    });
    services.install(server, { scope, era: 'modern', callerOf });
    return server;
  }

  /**
   * An instance for clear-cut tools/calls, which it alone will dispatch, one at a time: the
   * capabilities, options and handler such a call reads, none of the rest (instructions, cache hints,
   * the other handlers). Bound to `revision`, connected to its line for life.
   */
  #toolCallLine(scope: McpScope, capabilities: ServerCapabilities, revision: string): Promise<ToolCallLine> {
    const services = this.#services;
    const server = new RelayServer(serverInfo(scope, this.#version), {
      capabilities,
      requestState: services.serverOptions('modern').requestState,
    });
    services.install(server, { scope, era: 'modern', callerOf, only: 'tools/call' });
    server.bindRevision(revision);
    return ToolCallLine.open(server);
  }

  /** Serves one request; a client that goes away cancels it (the revision's cancellation). */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown, call: ModernCall): Promise<void> {
    const mismatch = this.#paramHeaderMismatch(req, body, call);
    if (mismatch) {
      const id = (body as { id?: unknown }).id ?? null;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          error: { code: JsonRpcCode.HeaderMismatch, message: `Header mismatch: ${mismatch}` },
        }),
      );
      return;
    }
    const clientId = call.caller.clientId;
    this.#inFlight.set(clientId, (this.#inFlight.get(clientId) ?? 0) + 1);
    try {
      const toolCall = clearCutToolCall(req, body);
      if (toolCall) await this.#serveToolCall(toolCall, req, res, call);
      else await this.#serveThroughEntry(req, res, body, call);
    } finally {
      const left = (this.#inFlight.get(clientId) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(clientId, left);
      else this.#inFlight.delete(clientId);
    }
  }

  /** Anything but a clear-cut tools/call: the SDK's entry checks it, serves it or answers its error. */
  async #serveThroughEntry(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    call: ModernCall,
  ): Promise<void> {
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const response = await this.#handler.fetch(requestView(req, abort.signal), {
      authInfo: call.authInfo,
      parsedBody: body,
    });
    await sendResponse(response, res);
  }

  /**
   * A tools/call the SDK's classifier accepted, through the one response writer instead of the entry's
   * per-request transport (sdk/response-writer.ts), on an instance bound to its revision: an idle one
   * made for this client, scope and revision with the capabilities this caller's grant shows now, or
   * a fresh one. Answered, the instance goes back to the pool; a call that did not finish (the client
   * went away, the engine stops, an error) ends its instance, which aborts the handler.
   */
  async #serveToolCall(
    toolCall: ClearCutToolCall,
    req: IncomingMessage,
    res: ServerResponse,
    call: ModernCall,
  ): Promise<void> {
    const { scope, caller } = call;
    const capabilities = this.#services.toolCallCapabilities(scope, caller);
    const key = toolCallKey(scope, caller.clientId, toolCall.revision, capabilities);
    const exchange = new ResponseWriter(res, statelessStream(), responseJson);
    res.once('close', () => void exchange.close());
    let line: ToolCallLine | undefined;
    try {
      line = this.#idle.take(key) ?? (await this.#toolCallLine(scope, capabilities, toolCall.revision));
      // The client went away, or the engine stopped, while an instance was being made.
      if (this.#closed || res.destroyed || !exchange.open) {
        await exchange.close();
        return void line.close();
      }
      this.#serving.add(line);
      let finished = false;
      try {
        finished = await line.serve(exchange, toolCall.message, {
          classification: toolCall.classification,
          request: requestView(req),
          authInfo: call.authInfo,
        });
      } finally {
        this.#serving.delete(line);
      }
      if (finished) this.#idle.giveBack(key, line);
    } catch (error) {
      this.#logger.warn('MCP request failed', { error: (error as Error).message });
      await line?.close().catch(() => undefined);
      if (!res.headersSent) sendJson(res, 500, internalError(toolCall.message.id));
    }
  }

  /** A tools/call whose `Mcp-Param-*` headers disagree with its arguments (param-headers.ts). */
  #paramHeaderMismatch(req: IncomingMessage, body: unknown, call: ModernCall): string | undefined {
    const request = body as { method?: unknown; params?: { name?: unknown; arguments?: unknown } } | null;
    if (request?.method !== 'tools/call' || typeof request.params?.name !== 'string') return undefined;
    const schema = this.#services.toolInputSchema(call.scope, call.caller, request.params.name);
    if (!schema) return undefined;
    return paramHeaderMismatch(schema, request.params.arguments, (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    });
  }

  /** A client's 2026-07-28 requests being answered now. */
  inFlightOf(clientId: string): number {
    return this.#inFlight.get(clientId) ?? 0;
  }

  /** The clients with a request being answered now. */
  clients(): Iterable<string> {
    return this.#inFlight.keys();
  }

  /** Ends a revoked client's idle tools/call instances; returns how many. */
  closeIdleOf(clientId: string): Promise<number> {
    return this.#idle.closeOf(clientId);
  }

  /** Ends every request in flight and every idle tools/call instance (the engine stops). */
  async close(): Promise<void> {
    this.#closed = true;
    const serving = [...this.#serving].map((line) => line.close().catch(() => undefined));
    await Promise.all([this.#handler.close(), this.#idle.close(), ...serving]);
  }
}

/** The entry's answer when serving failed on Gatehouse's side (its internalServerErrorResponse). */
function internalError(id: RequestId): unknown {
  return { jsonrpc: '2.0', error: { code: JsonRpcCode.InternalError, message: 'Internal server error' }, id };
}

/** The authInfo the endpoint builds carries the caller and the scope (the factory's only input). */
function callOf(authInfo: AuthInfo | undefined): { caller: Caller; scope: McpScope } {
  const caller = callerOf(authInfo);
  const scope = authInfo?.extra?.scope as McpScope | undefined;
  if (!caller || !scope) throw new Error('an MCP request reached the server without its caller');
  return { caller, scope };
}

/** The `serverInfo` an MCP instance declares for `scope`: Gatehouse, or Gatehouse for one connector. */
export function serverInfo(
  scope: McpScope,
  version: string,
): { name: string; title: string; version: string } {
  return {
    name: scope.connector ? `gatehouse/${scope.connector}` : 'gatehouse',
    title: scope.connector ? `Gatehouse: ${scope.connector}` : 'Gatehouse',
    version,
  };
}
