// Node's HTTP exchange and the SDK's web-standard Streamable HTTP transport, for what goes through
// the SDK: `requestView` (what the transport reads of a web Request, read from Node's request),
// `sendResponse` (a web Response written to Node's response), and `exchange()`, which hands a 2025-era
// session's POST to its `ExchangeTransport`. The SDK answers a POST that carries requests with an SSE
// stream; `exchange()` holds it back (sse-relay.ts), so that requests answered with nothing but their
// responses go out as one `application/json` body, and the stream goes out as it is the moment anything
// else is sent for them or after STREAM_AFTER_MS. A plain tools/call does not come here: the one
// response writer answers it (session-tool-call.ts). `serializeOnce` and `responseJson` give a cached
// result's JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type JSONRPCMessage,
  type RequestId,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { pipe, relayHeld } from './sse-relay.js';
import { hookSseEvents } from '../sdk/session-streams.js';

/** How long a call's answer may be held back before its SSE stream is opened anyway. */
export const STREAM_AFTER_MS = 250;

/** JSON text of results marked with serializeOnce, made on first send. */
const serialized = new WeakMap<object, Buffer | null>();

/**
 * Marks a result object whose JSON may be made once and reused for every response that carries this
 * very object (the gateway's cached tools/list: 5,000 tools are 2.5 MB, 10 ms of JSON.stringify). The
 * object must not change afterwards; the gateway builds a new one whenever its list changes.
 */
export function serializeOnce<T extends object>(result: T): T {
  if (!serialized.has(result)) serialized.set(result, null);
  return result;
}

/**
 * The SDK's transport, telling Gatehouse when a request's handler sends something on the request's
 * stream that is not its response (a notification or a server-to-client request), and writing
 * responses whose result was marked with serializeOnce from their cached JSON.
 */
export class ExchangeTransport extends WebStandardStreamableHTTPServerTransport {
  readonly #streaming = new Map<RequestId, () => void>();

  constructor(...args: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>) {
    super(...args);
    // Where the SDK turns a message into SSE bytes (session-streams.ts). If a later SDK stops having
    // that step, responses are serialized as usual — slower, not wrong — and the pins test says so.
    hookSseEvents(this, (write, controller, encoder, message, eventId) => {
      const bytes = cachedResponse(message, eventId);
      if (!bytes) return write(controller, encoder, message, eventId);
      try {
        controller.enqueue(bytes);
        return true;
      } catch (error) {
        this.onerror?.(error as Error);
        return false;
      }
    });
  }

  override async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const related = options?.relatedRequestId;
    // Something besides the response goes on the request's stream: it is answered as SSE.
    if (related !== undefined && 'method' in message) this.#streaming.get(related)?.();
    return super.send(message, options);
  }

  /** Calls `onStreaming` when any of `ids` gets a message other than its response; returns the undo. */
  watch(ids: RequestId[], onStreaming: () => void): () => void {
    for (const id of ids) this.#streaming.set(id, onStreaming);
    return () => {
      for (const id of ids) if (this.#streaming.get(id) === onStreaming) this.#streaming.delete(id);
    };
  }
}

/** How an exchange holds back its answer and how the transport sees the request (tests change both). */
export interface ExchangeOptions {
  /** How long an answer may be held back before its stream opens (default STREAM_AFTER_MS; 0: never held). */
  streamAfterMs?: number;
  /** How the transport sees the request (default requestView; tests pass a stricter one). */
  view?: (req: IncomingMessage) => Request;
}

/**
 * Hands one HTTP exchange to the transport and writes its Response to `res`. Headers are written
 * straight from the web Response (the SDK's Node wrapper goes through @hono/node-server, which waits
 * a timer tick after a stream's first chunk before writing anything).
 */
export async function exchange(
  transport: ExchangeTransport,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  authInfo: AuthInfo,
  options: ExchangeOptions = {},
): Promise<void> {
  const streamAfterMs = options.streamAfterMs ?? STREAM_AFTER_MS;
  const request = (options.view ?? requestView)(req);
  const ids = streamAfterMs > 0 && req.method === 'POST' && acceptsJson(req) ? requestIds(body) : [];
  // Watch before the transport sees the body: its handlers may send from their first tick, before
  // the relay below has started (it then opens the stream at once).
  let streamWanted = false;
  let openStream: (() => void) | undefined;
  const unwatch = ids.length
    ? transport.watch(ids, () => {
        streamWanted = true;
        openStream?.();
      })
    : undefined;
  try {
    const response = await transport.handleRequest(request, { parsedBody: body, authInfo });
    const sse = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    if (!response.body) {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end();
      return;
    }
    if (!sse || !unwatch) {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      await pipe(response.body.getReader(), res);
      return;
    }
    await relayHeld(response, res, streamAfterMs, ids.length, (open) => {
      openStream = open;
      if (streamWanted) open();
    });
  } finally {
    unwatch?.();
  }
}

/** A response's JSON: from the cached JSON of a serializeOnce result, or made now. */
export function responseJson(message: JSONRPCMessage): Buffer {
  if ('result' in message && 'id' in message && Object.keys(message).length === 3) {
    const json = cachedJson(message.result);
    if (json) {
      return Buffer.concat([
        Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`),
        json,
        CLOSE_BRACE,
      ]);
    }
  }
  return Buffer.from(JSON.stringify(message));
}

const CLOSE_BRACE = Buffer.from('}');

/** The JSON of a result marked with serializeOnce (made on first use); undefined for any other. */
function cachedJson(result: object): Buffer | undefined {
  if (!serialized.has(result)) return undefined;
  let json = serialized.get(result);
  if (!json) {
    json = Buffer.from(JSON.stringify(result));
    serialized.set(result, json);
  }
  return json;
}

/** The SSE event for a response whose result was marked with serializeOnce; undefined otherwise. */
function cachedResponse(message: JSONRPCMessage, eventId: string | undefined): Buffer | undefined {
  if (!('result' in message) || !('id' in message)) return undefined;
  const json = Object.keys(message).length === 3 ? cachedJson(message.result) : undefined;
  if (!json) return undefined;
  const head = `event: message\n${eventId ? `id: ${eventId}\n` : ''}data: {"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`;
  return Buffer.concat([Buffer.from(head), json, Buffer.from('}\n\n')]);
}

/**
 * What the SDK's transport reads of a web Request — method, url and headers (`get`,
 * `entries`) — read straight from Node's request instead of copying it into undici's Headers and
 * Request on every call. The body never goes through it: the endpoint always hands the transport
 * the parsed body (an empty POST is refused before it gets here). test/core/mcp/web-exchange.test.ts runs the
 * SDK's transport on a view that fails on any other property, so an SDK that reads more shows up
 * there, not in production.
 */
export function requestView(req: IncomingMessage, signal?: AbortSignal): Request {
  const headers = {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    *entries(): IterableIterator<[string, string]> {
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) yield [name, Array.isArray(value) ? value.join(', ') : value];
      }
    },
  };
  const view = {
    method: req.method ?? 'GET',
    url: `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/mcp'}`,
    headers,
    // The 2026-07-28 entry cancels a request when its client goes away; a 2025-era session has its own.
    ...(signal ? { signal } : {}),
  };
  return view as unknown as Request;
}

/**
 * Writes a web Response to Node's response: a JSON body (the 2026-07-28 entry answers most calls with
 * one) in a single write with its length, a stream as it comes.
 */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers = Object.fromEntries(response.headers);
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, 'content-length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  await pipe(response.body.getReader(), res);
}

/** The ids of the requests in a POST body (one message or a batch). */
function requestIds(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  const ids: RequestId[] = [];
  for (const message of messages) {
    if (message && typeof message === 'object' && 'method' in message && 'id' in message) {
      const id = (message as { id: unknown }).id;
      if (typeof id === 'string' || typeof id === 'number') ids.push(id);
    }
  }
  return ids;
}

/** Whether the client said it takes a JSON answer (the transport requires both types on POST). */
function acceptsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') || accept.includes('*/*');
}
