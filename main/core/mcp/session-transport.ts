// The transport of a 2025-era session: the SDK's web-standard Streamable HTTP transport (through
// ExchangeTransport), plus a way below it for the request that dominates a session's traffic, a plain
// tools/call. Which POSTs may take that way is decided here, by the same checks the SDK's
// handlePostRequest makes; the call's answer is written by session-tool-call.ts.
import type { IncomingMessage } from 'node:http';
import {
  isJsonContentType,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
  type ScopeChallengeHandler,
  type Server,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { ExchangeTransport } from './web-exchange.js';
import { isPlainRequest } from './request-era.js';
import { handlerControllers, requestDispatch } from '../sdk/server-internals.js';
import { hasRequestStreams } from '../sdk/session-streams.js';

/** Where the messages of a call answered below the SDK go: its response and anything related to it. */
export type CallSink = (message: JSONRPCMessage, options?: TransportSendOptions) => Promise<void>;

/** A plain tools/call request, as the SDK's strict JSON-RPC schema accepts it. */
export type PlainToolCall = JSONRPCRequest & { method: 'tools/call'; params: Record<string, unknown> };

/** What a POST on a session is: a call for the way below the SDK, a reused id, or the SDK's to answer. */
export type SessionPost =
  { kind: 'direct'; request: PlainToolCall } | { kind: 'reused'; id: RequestId } | undefined;

/**
 * A 2025-era session's transport. Messages of the calls answered below the SDK (`answerBelow`) go to
 * their sinks instead of the SDK's send, which has no stream for them; everything else is the SDK's.
 */
export class SessionTransport extends ExchangeTransport {
  readonly #sinks = new Map<RequestId, CallSink>();
  #versions: readonly string[] | undefined;
  #closed = false;
  #scopeChallenges = false;
  readonly #streams: boolean = hasRequestStreams(this);

  override setSupportedProtocolVersions(versions: string[]): void {
    this.#versions = versions;
    super.setSupportedProtocolVersions(versions);
  }

  override setScopeChallengeResolver(resolver: ScopeChallengeHandler): void {
    // handlePostRequest would ask it before each request; the way below the SDK does not, so a
    // transport with one never takes that way (Gatehouse's RelayServer sets none: McpServer does).
    this.#scopeChallenges = true;
    super.setScopeChallengeResolver(resolver);
  }

  override async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.#sinks.size > 0) {
      const id = 'method' in message ? options?.relatedRequestId : (message as { id?: RequestId }).id;
      const sink = id === undefined ? undefined : this.#sinks.get(id);
      if (sink) return sink(message, options);
    }
    return super.send(message, options);
  }

  /** The SDK's own send, for a call below it that now streams on the SDK's tables. */
  sendOnStream(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return super.send(message, options);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    return super.close();
  }

  /** Routes the messages of call `id` to `sink` until the returned undo runs. */
  answerBelow(id: RequestId, sink: CallSink): () => void {
    this.#sinks.set(id, sink);
    return () => {
      if (this.#sinks.get(id) === sink) this.#sinks.delete(id);
    };
  }

  /**
   * What to do with a POST on this (initialized) session: `direct` for a plain tools/call whose
   * headers pass every check of the SDK's handlePostRequest (so the SDK would serve it exactly so);
   * `reused` for a request whose id is already in flight in the session (on the way below the SDK, or
   * as a tools/call on its way there); undefined for anything else, which the SDK's transport answers.
   */
  route(req: IncomingMessage, body: unknown, server: Server): SessionPost {
    const request = plainToolCall(body);
    const running = request && this.#mayAnswerBelow(req) ? handlerControllers(server) : undefined;
    if (request && running && requestDispatch(server)) {
      if (this.#sinks.has(request.id) || running.has(request.id)) return { kind: 'reused', id: request.id };
      return { kind: 'direct', request };
    }
    return this.#sinks.size > 0 ? this.#reused(body) : undefined;
  }

  #mayAnswerBelow(req: IncomingMessage): boolean {
    return (
      !this.#closed &&
      !this.#scopeChallenges &&
      this.#streams &&
      this.onmessage !== undefined &&
      req.headers['mcp-session-id'] === this.sessionId &&
      this.#headersPass(req)
    );
  }

  /** The SDK's checks of a POST's headers (handlePostRequest, validateProtocolVersion), never looser. */
  #headersPass(req: IncomingMessage): boolean {
    const accept = req.headers.accept;
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return false;
    const type = req.headers['content-type'];
    if (type === undefined || !isJsonContentType(type)) return false;
    const version = req.headers['mcp-protocol-version'];
    return version === undefined || (typeof version === 'string' && !!this.#versions?.includes(version));
  }

  /** The first request in `body` whose id a call below the SDK is answering now. */
  #reused(body: unknown): SessionPost {
    for (const message of Array.isArray(body) ? (body as unknown[]) : [body]) {
      if (message === null || typeof message !== 'object' || !('method' in message)) continue;
      const id = (message as { id?: unknown }).id;
      if ((typeof id === 'string' || typeof id === 'number') && this.#sinks.has(id))
        return { kind: 'reused', id };
    }
    return undefined;
  }
}

/** `body` if it is one plain tools/call request (params an object), else undefined. */
function plainToolCall(body: unknown): PlainToolCall | undefined {
  if (!isPlainRequest(body) || body.method !== 'tools/call' || body.params === undefined) return undefined;
  return body as PlainToolCall;
}
