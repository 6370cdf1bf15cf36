// The 2026-07-28 era of the relay (every request carries its revision in `_meta`; there is no
// initialize and no session): each request is its own POST with the request metadata headers
// (request-headers.ts); `subscriptions/listen` is one such request whose SSE answer stays open; a
// `notifications/cancelled` from the client closes the cancelled request's stream, which is how this
// era cancels over HTTP.
import { JsonRpcCode } from '../core/json-rpc-errors.js';
import { describeFailure, isConnectionFailure, notRunning } from './bridge-error.js';
import { isEventStream, refusalOf, type RelayedResponse, type RelayLink } from './relay-link.js';
import { modernRequestHeaders, ToolHeaders } from './request-headers.js';
import { readSse } from './sse-reader.js';
import { isResponse, type JsonRpcId, type JsonRpcMessage } from './stdio-channel.js';

/** The 2026-era half of the relay: one POST per request, cancelled by closing its stream. */
export class RequestRelay {
  readonly #link: RelayLink;
  /** Requests in flight: a cancellation from the client aborts the request's POST. */
  readonly #inFlight = new Map<JsonRpcId, AbortController>();
  /** The client has sent a 2026-era request, so its cancellations are this era's. */
  #inUse = false;
  /** What tools/list results said about `Mcp-Param-*` headers. */
  readonly #tools = new ToolHeaders();
  /** Ids of tools/list requests whose results are still to come. */
  readonly #toolLists = new Set<JsonRpcId>();

  constructor(link: RelayLink) {
    this.#link = link;
  }

  /** Whether the client speaks this era (it has sent a request with a 2026 revision). */
  get inUse(): boolean {
    return this.#inUse;
  }

  /** Aborts the POST of a request the client cancelled; the request then gets no answer. */
  cancel(requestId: unknown): void {
    this.#inFlight.get(requestId as JsonRpcId)?.abort();
  }

  /**
   * A tools/list result teaches which arguments travel as `Mcp-Param-*` headers; a tool whose markings
   * break the rules is left out of what the client sees (SEP-2243).
   */
  rewriteResponse(response: RelayedResponse): unknown {
    if (!this.#toolLists.delete(response.id) || response.result === undefined) return response;
    const result = this.#tools.learn(response.result, (tool, reason) =>
      this.#link.options.log(`The server's tool "${tool}" was left out: ${reason}.`),
    );
    return result === response.result ? response : { ...response, result };
  }

  /** One 2026-era request: its own POST, its own answer (JSON, or a stream that may stay open). */
  async send(request: JsonRpcMessage & { id: JsonRpcId; method: string }, version: string): Promise<void> {
    const link = this.#link;
    this.#inUse = true;
    const cancel = new AbortController();
    this.#inFlight.set(request.id, cancel);
    if (request.method === 'tools/list') this.#toolLists.add(request.id);
    const settled = (): void => {
      if (this.#inFlight.get(request.id) === cancel) this.#inFlight.delete(request.id);
    };
    const pending = new Set<JsonRpcId>([request.id]);
    try {
      const response = await this.#fetchReconnecting({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...modernRequestHeaders(request, version, this.#tools),
        },
        body: JSON.stringify(request),
        signal: AbortSignal.any([link.signal, cancel.signal]),
      });
      if (response.ok && response.body && isEventStream(response)) {
        link.track(this.#consume(response.body, pending, cancel.signal).finally(settled));
        return;
      }
      const text = await response.text();
      settled();
      // An error the server answers in JSON-RPC (400 with HeaderMismatch or UnsupportedProtocolVersion, 404 with MethodNotFound) goes to
      // the client whole, data included: the client's own recovery reads it.
      let answer: unknown;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = undefined;
      }
      if (isResponse(answer) && answer.id === request.id) {
        link.receive(answer, pending);
        return;
      }
      const refusal = refusalOf(text, response.status);
      link.fail(request.id, refusal.code, refusal.message);
    } catch (error) {
      settled();
      this.#toolLists.delete(request.id);
      if (link.closed || cancel.signal.aborted) return;
      link.fail(request.id, JsonRpcCode.ServerError, describeFailure(error));
    }
  }

  /** A 2026-era answer stream, to its end; the era has no resumption, so a broken one is an error. */
  async #consume(
    body: ReadableStream<Uint8Array>,
    pending: Set<JsonRpcId>,
    cancelled: AbortSignal,
  ): Promise<void> {
    const link = this.#link;
    try {
      for await (const event of readSse(body)) {
        if (event.data !== '') link.receiveText(event.data, pending);
      }
    } catch {
      /* the stream broke, or the client cancelled the request */
    }
    // A cancelled request gets no answer: the client has already given up on it.
    if (link.closed || cancelled.aborted) return;
    for (const id of pending) {
      link.fail(id, JsonRpcCode.ServerError, 'Gatehouse closed the stream before answering this request.');
    }
  }

  /** POSTs once; when nothing listens, waits for Gatehouse (starting it if possible) and sends again. */
  async #fetchReconnecting(init: RequestInit): Promise<Response> {
    const options = this.#link.options;
    try {
      return await options.fetch(options.url, init);
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
    }
    // The request never reached Gatehouse, so sending it again cannot run anything twice.
    await options.reconnect();
    try {
      return await options.fetch(options.url, init);
    } catch (error) {
      throw isConnectionFailure(error) ? notRunning(error) : error;
    }
  }
}
