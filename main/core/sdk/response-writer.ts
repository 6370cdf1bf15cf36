// The answer to one JSON-RPC request on one HTTP exchange, for both eras: a Transport (the SDK's
// public interface) that decides once whether the answer is one `application/json` body or an SSE
// stream. The response alone, sent first, is one JSON body written in a single write (a cached
// serializeOnce result from its cached bytes). Anything else for the request first (progress, a log
// message, a sampling or elicitation request), or the hold running out, opens the stream, and
// everything from then on goes on it, the response last. Streamable HTTP lets a server give either
// answer to a client that accepts both; docs/sdk-seam.md ("JSON unless the answer needs a stream")
// says which SDK option would make this the SDK's own.
//
// Where the stream goes is the era's (`AnswerStream`): a 2025-era session's request joins the SDK
// transport's own stream (session-streams.ts: event ids in the session's event store, priming event,
// Last-Event-ID resumption, keep-alive); a 2026-07-28 request's is plain SSE frames, as the SDK's
// per-request transport writes them.
import type { ServerResponse } from 'node:http';
import {
  ProtocolErrorCode,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { RequestDispatch } from './server-internals.js';
import { joinRequestStream, type JoinedStream } from './session-streams.js';
import { KEEP_ALIVE_MS, LADDER_STATUS, SSE_HEADERS } from './wire-constants.js';

/** A response's JSON bytes (the endpoint's `responseJson`: a serializeOnce result's cached bytes). */
export type ResponseJson = (message: JSONRPCMessage) => Buffer;

/** Where a request's answer streams, once it does: the era's kind of SSE stream. */
export interface AnswerStream {
  /** Headers every answer carries (a session's id). */
  readonly headers: Record<string, string>;
  /** Whether an error sent while the request is being dispatched is the ladder's (2026-07-28). */
  readonly ladder: boolean;
  /** Opens the stream on `res` for request `id`. */
  open(res: ServerResponse, id: RequestId): void;
  /** Writes one message on the open stream; resolves once written (or stored). */
  write(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void>;
  /** Ends the stream after the response was written on it. */
  finish(res: ServerResponse): void;
  /** Ends the open stream: the request ended without a response. */
  drop(): void;
  /** The answer to a request that ended without a response before anything was sent. */
  unanswered(res: ServerResponse): void;
}

/** How the answer is going: held for one JSON body, streaming, its client gone, or over. */
type State = 'held' | 'streaming' | 'gone' | 'done';

/**
 * One request's answer. Hand the request in with `serve`; the protocol's messages for it come to
 * `send`. `end` (the request ended without a response: cancelled, its session closed) and `close`
 * (the exchange is given up: the client went away, the engine stops; `onclose` runs) end it early.
 */
export class ResponseWriter implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly #res: ServerResponse;
  readonly #stream: AnswerStream;
  readonly #json: ResponseJson;
  #id: RequestId | undefined;
  #state: State = 'held';
  #finished = false;
  /** True while the protocol takes the request in: an error sent then is the ladder's, not in-band. */
  #dispatching = false;
  #hold: ReturnType<typeof setTimeout> | undefined;
  #settle!: () => void;
  /** Settles when the answer is over: written, or ended without a response. */
  readonly done = new Promise<void>((resolve) => (this.#settle = resolve));

  constructor(res: ServerResponse, stream: AnswerStream, json: ResponseJson) {
    this.#res = res;
    this.#stream = stream;
    this.#json = json;
  }

  async start(): Promise<void> {}

  /** Whether the answer is still to come: neither written nor ended. */
  get open(): boolean {
    return this.#state === 'held' || this.#state === 'streaming' || this.#state === 'gone';
  }

  /** Whether the response was written (or, its client gone, reached the answer). */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Hands `request` to the protocol — through `dispatch` (one step past its message checks) when
   * given, else the connected protocol's `onmessage` — and resolves when the answer is over. With
   * `streamAfterMs` the stream opens once the call has run that long; without, only when a message
   * other than the response comes first.
   */
  serve(
    request: JSONRPCRequest,
    extra: MessageExtraInfo,
    dispatch?: RequestDispatch,
    streamAfterMs?: number,
  ): Promise<void> {
    this.#id = request.id;
    if (streamAfterMs !== undefined) {
      if (streamAfterMs > 0) this.#hold = setTimeout(() => this.#timeUp(), streamAfterMs);
      else this.#openStream();
    }
    this.#dispatching = true;
    try {
      if (dispatch) dispatch(request, extra);
      else if (this.onmessage) this.onmessage(request, extra);
      else throw new Error('serve() with neither a dispatch nor a connected protocol');
    } finally {
      this.#dispatching = false;
    }
    return this.done;
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (!this.open) return Promise.resolve();
    const response = 'id' in message && ('result' in message || 'error' in message);
    const related = response ? message.id : options?.relatedRequestId;
    if (this.#id === undefined || related !== this.#id) {
      // Nothing for another request goes on this answer (the SDK's per-request transport drops it).
      if (response)
        this.onerror?.(new Error(`Received a response for an unknown request id: ${String(message.id)}`));
      return Promise.resolve();
    }
    if (this.#state === 'held') {
      if (response) {
        this.#writeJson(message);
        return Promise.resolve();
      }
      // Something besides the response: the answer becomes the stream, this message its first event.
      this.#openStream();
    }
    if (this.#state === 'streaming') {
      const sent = this.#stream.write(message, options);
      if (response) {
        this.#finished = true;
        void sent.then(
          () => this.#over(() => this.#stream.finish(this.#res)),
          () => this.#over(),
        );
      }
      return sent;
    }
    // The client went away before its stream opened: the call goes on, but nothing can reach it.
    if (response) {
      this.#finished = true;
      this.#over();
    } else if ('id' in message) {
      return Promise.reject(new Error(`The client's connection for request ${String(this.#id)} is gone.`));
    }
    return Promise.resolve();
  }

  /** The request ended without a response (cancelled, its session closed): the answer ends too. */
  end(): void {
    if (this.#state === 'held') this.#stream.unanswered(this.#res);
    else if (this.#state === 'streaming') this.#stream.drop();
    this.#over();
  }

  /** Gives the answer up before its response (the client went away, the engine stops). */
  async close(): Promise<void> {
    if (!this.open) return;
    this.end();
    this.onclose?.();
  }

  #writeJson(message: JSONRPCMessage): void {
    this.#finished = true;
    const res = this.#res;
    if (!res.destroyed && !res.writableEnded) {
      const json = this.#json(message);
      const code = 'error' in message ? message.error.code : undefined;
      const ladder =
        this.#stream.ladder &&
        code !== undefined &&
        (this.#dispatching || code === ProtocolErrorCode.MissingRequiredClientCapability)
          ? LADDER_STATUS.get(code)
          : undefined;
      res.writeHead(ladder ?? 200, {
        'content-type': 'application/json',
        ...this.#stream.headers,
        'content-length': json.length,
      });
      res.end(json);
    }
    this.#over();
  }

  #timeUp(): void {
    if (this.#state === 'held') this.#openStream();
  }

  #openStream(): void {
    clearTimeout(this.#hold);
    if (this.#res.destroyed) {
      this.#state = 'gone';
      return;
    }
    this.#state = 'streaming';
    this.#stream.open(this.#res, this.#id!);
  }

  #over(last?: () => void): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    clearTimeout(this.#hold);
    last?.();
    this.#settle();
  }
}

/**
 * A 2026-07-28 request's stream: SSE frames without ids (the revision has no resumption), the SDK
 * per-request transport's headers and keep-alive; a request given up unanswered gets 499, no body.
 */
export function statelessStream(): AnswerStream {
  let res: ServerResponse | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(keepAlive);
    if (res && !res.writableEnded) res.end();
  };
  return {
    headers: {},
    ladder: true,
    open(target) {
      res = target;
      res.writeHead(200, SSE_HEADERS);
      keepAlive = setInterval(() => res!.write(': keepalive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
    },
    write(message) {
      res!.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
      return Promise.resolve();
    },
    finish: stop,
    drop: stop,
    unanswered(target) {
      if (!target.destroyed) target.writeHead(499).end();
    },
  };
}

/** What a 2025-era session's request stream needs of the session's transport. */
export interface SessionStreamHost {
  /** The SDK transport (its stream tables are joined). */
  readonly transport: object;
  readonly sessionId: string;
  /** The SDK transport's own send, which writes and stores a message on the request's stream. */
  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void>;
  onerror(error: Error): void;
}

/**
 * A 2025-era session's request stream: the SDK transport's own (`joinRequestStream`), primed for
 * `version`; the SDK's send stores each event and ends the stream after the response. A request that
 * ends unanswered before anything was sent gets what the SDK answers then: an SSE stream, no events.
 */
export function sessionStream(host: SessionStreamHost, version: string): AnswerStream {
  const headers = { 'mcp-session-id': host.sessionId };
  let joined: JoinedStream | undefined;
  return {
    headers: { 'cache-control': 'no-store', ...headers },
    ladder: false,
    open(res, id) {
      joined = joinRequestStream(host.transport, id, res, headers, version, (error) => host.onerror(error));
    },
    write(message, options) {
      return joined!.opened.then(() => host.send(message, options));
    },
    finish: () => undefined,
    drop: () => joined?.end(),
    unanswered(res) {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(200, { ...SSE_HEADERS, ...headers });
      res.end();
    },
  };
}
