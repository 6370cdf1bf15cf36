// A 2025-era session's tools/call answered below the SDK's transport: the request goes
// straight to the session server's Protocol, as the SDK's handlePostRequest hands it over, and the
// answer is written here — its response as one application/json body, or, the moment anything else
// concerns the call (progress, a log message, a sampling or elicitation request) or it runs past the
// hold, the SSE stream the SDK would have made, on the SDK's own stream tables (event ids, priming
// event, resumption, keep-alive). No web Request, Response or ReadableStream is made for the call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  type AuthInfo,
  type JSONRPCMessage,
  type RequestId,
  type Server,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { requestView, responseJson } from './exchange.js';
import { writeJsonBody } from './sse-relay.js';
import type { PlainToolCall, SessionTransport } from './session-transport.js';
import { handlerControllers, requestDispatch } from '../sdk/server-internals.js';
import { joinRequestStream, type JoinedStream } from '../sdk/session-streams.js';
import { RESUMABLE_REVISION, SSE_HEADERS } from '../sdk/wire-constants.js';

/** How a call's answer is going: held for one JSON body, streaming, its client gone, or over. */
type State = 'held' | 'streaming' | 'gone' | 'done';

/**
 * Answers one plain tools/call on an initialized session (SessionTransport.route said `direct`):
 * resolves when its answer is written, or when it ended without one (cancelled, session closed). A
 * client that goes away does not cancel the call (a 2025-era disconnect is not a cancellation).
 */
export function answerToolCall(
  transport: SessionTransport,
  server: Server,
  req: IncomingMessage,
  res: ServerResponse,
  request: PlainToolCall,
  authInfo: AuthInfo,
  streamAfterMs: number,
): Promise<void> {
  const answer = new CallAnswer(transport, req, res, request.id);
  return answer.start(server, request, authInfo, streamAfterMs);
}

class CallAnswer {
  readonly #transport: SessionTransport;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #id: RequestId;
  readonly #release: () => void;
  #state: State = 'held';
  #holds: Holds | undefined;
  /** The call's SSE stream on the SDK's tables, once it streams. */
  #stream: JoinedStream | undefined;
  #finish!: () => void;
  readonly #finished = new Promise<void>((resolve) => (this.#finish = resolve));

  constructor(transport: SessionTransport, req: IncomingMessage, res: ServerResponse, id: RequestId) {
    this.#transport = transport;
    this.#req = req;
    this.#res = res;
    this.#id = id;
    this.#release = transport.answerBelow(id, (message, options) => this.#take(message, options));
  }

  start(server: Server, request: PlainToolCall, authInfo: AuthInfo, streamAfterMs: number): Promise<void> {
    if (streamAfterMs > 0) {
      this.#holds = holdsOf(streamAfterMs);
      this.#holds.add(this);
    } else this.#open();
    const version = this.#req.headers['mcp-protocol-version'];
    // Exactly the extra handlePostRequest passes with a request (through the Protocol's onmessage,
    // whose checks this request passes for certain); the two stream closers only to a client that can
    // resume (every session has an event store).
    const resumable = typeof version === 'string' && version >= RESUMABLE_REVISION;
    const transport = this.#transport;
    requestDispatch(server)!(request, {
      authInfo,
      request: requestView(this.#req),
      ...(resumable
        ? {
            closeSSEStream: () => transport.closeSSEStream(request.id),
            closeStandaloneSSEStream: () => transport.closeStandaloneSSEStream(),
          }
        : {}),
    });
    if (this.#state !== 'done') {
      // The Protocol runs the handler under this controller: notifications/cancelled and the session's
      // close abort it, and then no response will come.
      const signal = handlerControllers(server)?.get(request.id)?.signal;
      if (signal) signal.addEventListener('abort', () => this.#ended(), { once: true });
      else this.#ended(); // Not dispatched (no response will come either): end now, not at hang-up.
    }
    return this.#finished;
  }

  #take(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const response = !('method' in message);
    if (this.#state === 'held') {
      if (response) {
        this.#json(message);
        return Promise.resolve();
      }
      // Something besides the response: the answer becomes the SSE stream, this message its first event.
      if (this.#res.destroyed) this.#state = 'gone';
      else this.#open();
    }
    if (this.#state === 'streaming') {
      const sent = this.#stream!.opened.then(() => this.#transport.sendOnStream(message, options));
      if (response) void sent.then(this.#done, this.#done);
      return sent;
    }
    // The client went away before its stream opened: the call goes on, but nothing can reach it.
    if (response) this.#done();
    else if ('id' in message) {
      return Promise.reject(new Error(`The client's connection for tool call ${String(this.#id)} is gone.`));
    }
    return Promise.resolve();
  }

  /** The response as one JSON body (Streamable HTTP lets a server answer a POST so). */
  #json(message: JSONRPCMessage): void {
    this.#done();
    const res = this.#res;
    if (res.destroyed || res.writableEnded) return;
    writeJsonBody(res, 200, responseJson(message), this.#transport.sessionId);
  }

  /** The hold ran out (Holds). */
  timeUp(): void {
    if (this.#state !== 'held') return;
    if (this.#res.destroyed) this.#state = 'gone';
    else this.#open();
  }

  /**
   * Opens the call's SSE stream as the SDK's handlePostRequest does, on the SDK's own tables: from
   * here on its send stores each message in the session's event store and writes it with its id, a
   * client that reconnects with Last-Event-ID is replayed what it missed and then the rest, and the
   * stream ends after the response.
   */
  #open(): void {
    this.#state = 'streaming';
    this.#holds?.delete(this);
    const header = this.#req.headers['mcp-protocol-version'];
    const version = typeof header === 'string' ? header : DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
    const transport = this.#transport;
    this.#stream = joinRequestStream(
      transport,
      this.#id,
      this.#res,
      { 'mcp-session-id': transport.sessionId! },
      version,
      (error) => transport.onerror?.(error),
    );
  }

  /** The call ended without a response (cancelled, or its session closed): its answer ends too. */
  #ended(): void {
    if (this.#state === 'held') {
      const res = this.#res;
      if (!res.destroyed && !res.writableEnded) {
        // The answer the SDK's transport gives a request whose stream closes: an SSE stream, no events.
        res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': this.#transport.sessionId });
        res.end();
      }
    } else if (this.#state === 'streaming') this.#stream!.end();
    this.#done();
  }

  readonly #done = (): void => {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#holds?.delete(this);
    this.#release();
    this.#finish();
  };
}

/**
 * The answers being held, with one timer for all of them instead of one per call: they all hold for
 * the same time, so the oldest is always due first, and the timer runs only while one is held.
 */
class Holds {
  readonly #ms: number;
  /** Each held answer with the time (performance.now) its hold runs out; oldest first. */
  readonly #due = new Map<CallAnswer, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  add(answer: CallAnswer): void {
    this.#due.set(answer, performance.now() + this.#ms);
    this.#timer ??= setTimeout(() => this.#check(), this.#ms);
  }

  delete(answer: CallAnswer): void {
    this.#due.delete(answer);
  }

  #check(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const [answer, due] of this.#due) {
      // Timers may fire a fraction of a millisecond before performance.now() says they are due.
      if (due > now + 1) {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#check(), due - now);
        return;
      }
      this.#due.delete(answer);
      answer.timeUp();
    }
  }
}

const holds = new Map<number, Holds>();

function holdsOf(ms: number): Holds {
  let found = holds.get(ms);
  if (!found) holds.set(ms, (found = new Holds(ms)));
  return found;
}
