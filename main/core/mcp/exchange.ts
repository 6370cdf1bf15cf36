// One HTTP exchange on the MCP endpoint: the SDK's web-standard transport answers every POST that
// carries requests with an SSE stream; Gatehouse relays that stream to the socket, but holds it back
// first. A call that completes with nothing but its response (almost every call) goes out as one
// `application/json` body, written once — the client skips its SSE parser, and the socket sees one
// write instead of four. The moment the request's handler sends anything else on the stream (progress,
// logging, a forwarded sampling or elicitation request), or the call is still running after
// STREAM_AFTER_MS, the held bytes go out as the SSE stream they are (priming event first, so the
// client can resume) and the rest follows as it comes. Both are answers the Streamable HTTP transport
// allows a server to give to a client that accepts both.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type JSONRPCMessage,
  type RequestId,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { pipe, relayHeld, writeJsonAnswer } from './sse-relay.js';
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

/** Takes a response as a message; false when its exchange streams instead (it is then written). */
type TakeAnswer = (message: JSONRPCMessage) => boolean;

/**
 * The SDK's transport, telling Gatehouse when a request's handler sends something on the request's
 * stream that is not its response (a notification or a server-to-client request), and writing
 * responses whose result was marked with serializeOnce from their cached JSON.
 */
export class ExchangeTransport extends WebStandardStreamableHTTPServerTransport {
  readonly #streaming = new Map<RequestId, () => void>();
  /** Requests whose response their exchange takes as a message (answerDirectly). */
  readonly #answers = new Map<RequestId, TakeAnswer>();
  /** Responses on their way through the SDK's send, to be handed over instead of written. */
  readonly #taking = new WeakMap<JSONRPCMessage, TakeAnswer>();
  readonly #closeListeners = new Set<() => void>();

  constructor(...args: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>) {
    super(...args);
    // Where the SDK turns a message into SSE bytes (session-streams.ts). If a later SDK stops having
    // that step, responses are serialized as usual — slower, not wrong — and the pins test says so.
    hookSseEvents(this, (write, controller, encoder, message, eventId) => {
      // A response its exchange takes as it is (see answerDirectly): no SSE event is made of it. The
      // SDK has stored it (resumability) before this point, and closes the stream after it.
      const take = this.#taking.get(message);
      if (take) {
        this.#taking.delete(message);
        if (take(message)) return true;
      }
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
    if (related !== undefined && 'method' in message) {
      // Something besides the response goes on the request's stream: it is answered as SSE.
      this.#answers.delete(related);
      this.#streaming.get(related)?.();
    } else if (('result' in message || 'error' in message) && 'id' in message) {
      const take = message.id === undefined ? undefined : this.#answers.get(message.id);
      if (take) {
        this.#answers.delete(message.id!);
        this.#taking.set(message, take);
      }
    }
    return super.send(message, options);
  }

  /**
   * Hands the response to `id` to `take` instead of writing it as an SSE event, as long as nothing
   * else was sent on its stream first and `take` accepts it (true); returns the undo.
   */
  answerDirectly(id: RequestId, take: TakeAnswer): () => void {
    this.#answers.set(id, take);
    return () => {
      if (this.#answers.get(id) === take) this.#answers.delete(id);
    };
  }

  override async close(): Promise<void> {
    for (const listener of [...this.#closeListeners]) listener();
    return super.close();
  }

  /** Calls `listener` when the transport closes (the session ends); returns the undo. */
  onClosing(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
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
  // One request (not a batch): its response is taken as a message, so it is written as JSON once
  // instead of becoming an SSE event that is read back, split and written.
  const answer = ids.length === 1 && !Array.isArray(body) ? directAnswer(transport, ids[0]!) : undefined;
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
    if (answer) {
      await answerHeld(response, res, streamAfterMs, answer, (open) => {
        openStream = open;
        if (streamWanted) open();
      });
      return;
    }
    await relayHeld(response, res, streamAfterMs, ids.length, (open) => {
      openStream = open;
      if (streamWanted) open();
    });
  } finally {
    unwatch?.();
    answer?.release();
  }
}

/**
 * The response to one request as its exchange receives it. Either the response is taken, or the
 * exchange streams (its hold ran out, something else was sent, the session closed): never both, so a
 * response is never lost between the two.
 */
interface DirectAnswer {
  /** Settles with the response once taken; or with 'open' once the exchange streams instead. */
  readonly outcome: Promise<JSONRPCMessage | 'open'>;
  /** Streams, unless the response was taken already (false then). */
  stream(): boolean;
  release(): void;
}

function directAnswer(transport: ExchangeTransport, id: RequestId): DirectAnswer {
  let state: 'waiting' | 'taken' | 'streaming' = 'waiting';
  let settle!: (outcome: JSONRPCMessage | 'open') => void;
  const outcome = new Promise<JSONRPCMessage | 'open'>((resolve) => (settle = resolve));
  const stream = (): boolean => {
    if (state === 'taken') return false;
    state = 'streaming';
    settle('open');
    return true;
  };
  const unanswer = transport.answerDirectly(id, (message) => {
    if (state !== 'waiting') return false;
    state = 'taken';
    settle(message);
    return true;
  });
  const unclose = transport.onClosing(() => void stream());
  return {
    outcome,
    stream,
    release: () => {
      unanswer();
      unclose();
    },
  };
}

/**
 * Waits, reading nothing, for the response (→ one JSON body), or until the call must stream (→ the
 * stream as the SDK made it: the priming event and everything since are still in it).
 */
async function answerHeld(
  response: Response,
  res: ServerResponse,
  streamAfterMs: number,
  answer: DirectAnswer,
  onOpen: (open: () => void) => void,
): Promise<void> {
  const open = () => void answer.stream();
  const timer = setTimeout(open, streamAfterMs);
  onOpen(open);
  let gone!: () => void;
  const closed = new Promise<'gone'>((resolve) => (gone = () => resolve('gone')));
  res.once('close', gone);
  try {
    const step = await Promise.race([answer.outcome, closed]);
    if (step === 'gone') {
      // The client went away: the SDK's stream is cancelled, as when its bytes were being read.
      await response.body!.cancel().catch(() => undefined);
      return;
    }
    if (step === 'open') {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      await pipe(response.body!.getReader(), res);
      return;
    }
    if (res.destroyed || res.writableEnded) return;
    writeJsonAnswer(res, response, responseJson(step));
  } finally {
    clearTimeout(timer);
    res.off('close', gone);
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
 * the parsed body (an empty POST is refused before it gets here). test/core/mcp/exchange.test.ts runs the
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
