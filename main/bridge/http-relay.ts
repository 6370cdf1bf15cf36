// The Gatehouse side of the bridge: an MCP Streamable HTTP client that relays messages unchanged, for
// stdio clients of either era. Whatever the stdio client sends is POSTed as is; whatever Gatehouse
// answers — JSON, or an SSE stream of responses, notifications and server-to-client requests — goes
// back as is. The relay only reads what the transport itself needs.
//
// 2025 era (the client opens with `initialize`): the session id, the negotiated protocol version,
// the standalone GET stream, resumption with Last-Event-ID, and a session Gatehouse has ended (idle,
// revoked, restarted) reopened with the client's own initialize request, out of the client's sight.
//
// 2026-07-28 era (every request carries its revision in `_meta`; there is no initialize and no
// session): each request is its own POST with the request metadata headers (request-headers.ts);
// `subscriptions/listen` is one such request whose SSE answer stays open; a `notifications/cancelled`
// from the client closes the cancelled request's stream, which is how this era cancels over HTTP.
import {
  BRIDGE_JSONRPC_ERROR,
  BridgeError,
  describeFailure,
  isConnectionFailure,
  notRunning,
} from './bridge-error.js';
import { modernRequestHeaders, modernVersion, ToolHeaders } from './request-headers.js';
import { readSse } from './sse-reader.js';
import {
  errorResponse,
  isRequest,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
} from './stdio-channel.js';

type Fetch = typeof globalThis.fetch;

export interface HttpRelayOptions {
  url: URL;
  /** Fetch with Gatehouse's authorization attached (401s already handled). */
  fetch: Fetch;
  /** Hands a message from Gatehouse to the stdio client. */
  deliver(message: unknown): void;
  log(line: string): void;
  /** Gatehouse could not be reached: wait for it (starting it if possible); rejects if it stays away. */
  reconnect(): Promise<void>;
}

interface PostOptions {
  initialize: boolean;
  retriedConnection?: boolean;
  retriedSession?: boolean;
}

const MAX_RESUMES = 5;
const DELETE_TIMEOUT_MS = 2_000;

export class HttpRelay {
  readonly #options: HttpRelayOptions;
  readonly #closing = new AbortController();
  readonly #streams = new Set<Promise<void>>();
  /** Ids of requests the relay sent itself (re-initialization): their answers are not the client's. */
  readonly #internal = new Set<JsonRpcId>();
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #initializeRequest: JsonRpcMessage | undefined;
  /** Every message after initialize waits for its answer's headers: they carry the session id. */
  #initialized: Promise<void> = Promise.resolve();
  #listeningSession: string | undefined;
  #reinitialization: Promise<void> | undefined;
  #reinitializations = 0;
  /** 2026-era requests in flight: a cancellation from the client aborts the request's POST. */
  readonly #modernInFlight = new Map<JsonRpcId, AbortController>();
  /** The revision of the client's 2026-era requests, once it has sent one. */
  #modernVersion: string | undefined;
  /** What tools/list results said about `Mcp-Param-*` headers. */
  readonly #tools = new ToolHeaders();
  /** Ids of tools/list requests whose results are still to come. */
  readonly #toolLists = new Set<JsonRpcId>();

  constructor(options: HttpRelayOptions) {
    this.#options = options;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Relays one message (or batch) from the client. Resolves once Gatehouse has taken it. */
  dispatch(message: unknown): Promise<void> {
    const version = isRequest(message) ? modernVersion(message) : undefined;
    if (version && isRequest(message)) {
      this.#modernVersion = version;
      return this.#sendModern(message, version);
    }
    if (this.#modernVersion && (message as JsonRpcMessage | null)?.method === 'notifications/cancelled') {
      // The 2026 era cancels a request on HTTP by closing its stream, not with a notification.
      const requestId = ((message as JsonRpcMessage).params as { requestId?: unknown } | undefined)
        ?.requestId;
      this.#modernInFlight.get(requestId as JsonRpcId)?.abort();
      return Promise.resolve();
    }
    const items = Array.isArray(message) ? (message as unknown[]) : [message];
    const initialize = items.find((item) => isRequest(item) && item.method === 'initialize');
    if (initialize) {
      this.#initializeRequest = initialize as JsonRpcMessage;
      this.#sessionId = undefined;
      this.#protocolVersion = undefined;
      const sent = this.#send(message, items, true);
      this.#initialized = sent;
      return sent;
    }
    return this.#initialized.then(() => this.#send(message, items, false));
  }

  /** Ends the session (DELETE, best effort) and every stream. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    const session = this.#sessionId;
    if (session) {
      const deleted = this.#options
        .fetch(this.#options.url, {
          method: 'DELETE',
          headers: this.#headers({}, true),
          signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
        })
        .then((response) => response.body?.cancel())
        .catch(() => undefined);
      await atMost(DELETE_TIMEOUT_MS, deleted);
    }
    await atMost(DELETE_TIMEOUT_MS, Promise.allSettled([...this.#streams]));
  }

  /** One 2026-era request: its own POST, its own answer (JSON, or a stream that may stay open). */
  async #sendModern(
    request: JsonRpcMessage & { id: JsonRpcId; method: string },
    version: string,
  ): Promise<void> {
    const cancel = new AbortController();
    this.#modernInFlight.set(request.id, cancel);
    if (request.method === 'tools/list') this.#toolLists.add(request.id);
    const settled = (): void => {
      if (this.#modernInFlight.get(request.id) === cancel) this.#modernInFlight.delete(request.id);
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
        signal: AbortSignal.any([this.#closing.signal, cancel.signal]),
      });
      if (response.ok && response.body && isEventStream(response)) {
        this.#track(this.#consumeModern(response.body, pending, cancel.signal).finally(settled));
        return;
      }
      const text = await response.text();
      settled();
      // An error the server answers in JSON-RPC (400 with -32020 or -32022, 404 with -32601) goes to
      // the client whole, data included: the client's own recovery reads it.
      let answer: unknown;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = undefined;
      }
      if (isResponse(answer) && answer.id === request.id) {
        this.#receive(answer, pending);
        return;
      }
      const refusal = refusalOf(text, response.status);
      this.#fail(request.id, refusal.code, refusal.message);
    } catch (error) {
      settled();
      this.#toolLists.delete(request.id);
      if (this.#closed || cancel.signal.aborted) return;
      this.#fail(request.id, BRIDGE_JSONRPC_ERROR, describeFailure(error));
    }
  }

  /** A 2026-era answer stream, to its end; the era has no resumption, so a broken one is an error. */
  async #consumeModern(
    body: ReadableStream<Uint8Array>,
    pending: Set<JsonRpcId>,
    cancelled: AbortSignal,
  ): Promise<void> {
    try {
      for await (const event of readSse(body)) {
        if (event.data !== '') this.#receiveText(event.data, pending);
      }
    } catch {
      /* the stream broke, or the client cancelled the request */
    }
    // A cancelled request gets no answer: the client has already given up on it.
    if (this.#closed || cancelled.aborted) return;
    for (const id of pending) {
      this.#fail(id, BRIDGE_JSONRPC_ERROR, 'Gatehouse closed the stream before answering this request.');
    }
  }

  /** POSTs once; when nothing listens, waits for Gatehouse (starting it if possible) and sends again. */
  async #fetchReconnecting(init: RequestInit): Promise<Response> {
    try {
      return await this.#options.fetch(this.#options.url, init);
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
    }
    // The request never reached Gatehouse, so sending it again cannot run anything twice.
    await this.#options.reconnect();
    try {
      return await this.#options.fetch(this.#options.url, init);
    } catch (error) {
      throw isConnectionFailure(error) ? notRunning(error) : error;
    }
  }

  async #send(message: unknown, items: unknown[], initialize: boolean): Promise<void> {
    const requests = items.filter(isRequest);
    try {
      await this.#post(
        message,
        requests.map((request) => request.id),
        { initialize },
      );
      if (items.some((item) => (item as JsonRpcMessage | null)?.method === 'notifications/initialized')) {
        this.#listen();
      }
    } catch (error) {
      if (this.#closed) return;
      const text = describeFailure(error);
      if (requests.length === 0) this.#options.log(`A message could not be passed to Gatehouse: ${text}`);
      for (const request of requests) this.#fail(request.id, BRIDGE_JSONRPC_ERROR, text);
    }
  }

  /** POSTs one message; resolves once the answer's headers are in (an SSE answer is read on its own). */
  async #post(body: unknown, ids: JsonRpcId[], options: PostOptions): Promise<void> {
    const session = this.#sessionId;
    let response: Response;
    try {
      response = await this.#options.fetch(this.#options.url, {
        method: 'POST',
        headers: this.#headers(
          { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          !options.initialize,
        ),
        body: JSON.stringify(body),
        signal: this.#closing.signal,
      });
    } catch (error) {
      if (!isConnectionFailure(error) || options.retriedConnection) {
        throw isConnectionFailure(error) ? notRunning(error) : error;
      }
      // Nothing listens (Gatehouse quit or restarts): wait for it, then send again — the request
      // never reached it, so sending again cannot run anything twice.
      await this.#options.reconnect();
      return this.#post(body, ids, { ...options, retriedConnection: true });
    }
    if (options.initialize) {
      const id = response.headers.get('mcp-session-id');
      if (id) this.#sessionId = id;
    }
    if (response.status === 404 && !options.initialize && session && !options.retriedSession) {
      // Only the 2025 era has sessions: this is the one Gatehouse ended.
      await response.body?.cancel();
      await this.#reinitialize(session);
      return this.#post(body, ids, { ...options, retriedSession: true });
    }
    if (response.status === 202) {
      await response.body?.cancel();
      return;
    }
    if (!response.ok) {
      const refusal = refusalOf(await response.text(), response.status);
      if (ids.length === 0) this.#options.log(`Gatehouse refused a notification: ${refusal.message}`);
      for (const id of ids) this.#fail(id, refusal.code, refusal.message);
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && response.body) {
      this.#track(this.#consume(response.body, new Set(ids), undefined, 0));
      return;
    }
    const text = await response.text();
    const pending = new Set(ids);
    if (type.includes('application/json') && text.trim() !== '') {
      try {
        this.#receive(JSON.parse(text), pending);
      } catch {
        this.#options.log('Gatehouse answered with JSON that could not be read.');
      }
    }
    for (const id of pending) this.#fail(id, BRIDGE_JSONRPC_ERROR, 'Gatehouse answered without a response.');
  }

  /** Reads an SSE answer to the end; a stream lost before all answers came is resumed (Last-Event-ID). */
  async #consume(
    body: ReadableStream<Uint8Array>,
    pending: Set<JsonRpcId>,
    lastEventId: string | undefined,
    resumes: number,
  ): Promise<void> {
    let retryMs: number | undefined;
    try {
      for await (const event of readSse(body)) {
        if (event.id !== undefined) lastEventId = event.id;
        if (event.retry !== undefined) retryMs = event.retry;
        if (event.data !== '') this.#receiveText(event.data, pending);
      }
    } catch {
      /* the stream broke; what is still pending is handled below */
    }
    if (this.#closed || pending.size === 0) return;
    if (lastEventId !== undefined && resumes < MAX_RESUMES) {
      await delay(retryMs ?? 500, this.#closing.signal);
      try {
        const response = await this.#options.fetch(this.#options.url, {
          method: 'GET',
          headers: this.#headers({ accept: 'text/event-stream', 'last-event-id': lastEventId }, true),
          signal: this.#closing.signal,
        });
        if (response.ok && response.body && isEventStream(response)) {
          return this.#consume(response.body, pending, lastEventId, resumes + 1);
        }
        await response.body?.cancel();
      } catch {
        /* cannot resume: answered below */
      }
    }
    if (this.#closed) return;
    for (const id of pending) {
      this.#fail(id, BRIDGE_JSONRPC_ERROR, 'Gatehouse closed the connection before answering this request.');
    }
  }

  /** The standalone GET stream: Gatehouse's own notifications and requests (list changes, sampling…). */
  #listen(): void {
    const session = this.#sessionId;
    if (this.#closed || !session || this.#listeningSession === session) return;
    this.#listeningSession = session;
    const signal = this.#closing.signal;
    const loop = async (): Promise<void> => {
      let lastEventId: string | undefined;
      let backoff = 1_000;
      let retryMs: number | undefined;
      while (!this.#closed && this.#sessionId === session) {
        let response: Response;
        try {
          response = await this.#options.fetch(this.#options.url, {
            method: 'GET',
            headers: this.#headers(
              { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
              true,
            ),
            signal,
          });
        } catch (error) {
          // A refusal (consent denied, …) will not change by asking again; a lost connection may.
          if (this.#closed || (error instanceof BridgeError && error.code !== 'engine_not_running')) return;
          await delay(backoff, signal);
          backoff = Math.min(backoff * 2, 30_000);
          continue;
        }
        if (response.status === 405) {
          await response.body?.cancel(); // Gatehouse offers no standalone stream: nothing to listen to.
          return;
        }
        if (response.status === 404) {
          await response.body?.cancel();
          void this.#reinitialize(session).catch(() => undefined);
          return;
        }
        if (!response.ok || !response.body || !isEventStream(response)) {
          await response.body?.cancel();
          await delay(backoff, signal);
          backoff = Math.min(backoff * 2, 30_000);
          continue;
        }
        backoff = 1_000;
        try {
          for await (const event of readSse(response.body)) {
            if (event.id !== undefined) lastEventId = event.id;
            if (event.retry !== undefined) retryMs = event.retry;
            if (event.data !== '') this.#receiveText(event.data, undefined);
          }
        } catch {
          /* dropped: reconnect below */
        }
        await delay(retryMs ?? backoff, signal);
      }
    };
    this.#track(
      loop().finally(() => {
        if (this.#listeningSession === session) this.#listeningSession = undefined;
      }),
    );
  }

  /** Opens a new session with the client's own initialize request, unless another call already has. */
  #reinitialize(staleSession: string): Promise<void> {
    if (this.#sessionId !== staleSession) return this.#reinitialization ?? Promise.resolve();
    this.#reinitialization ??= (async () => {
      const initialize = this.#initializeRequest;
      if (!initialize) {
        throw new BridgeError('upstream_failed', 'Gatehouse ended the MCP session before it was set up.');
      }
      this.#options.log('Gatehouse ended the MCP session; opening a new one.');
      const id = `gatehouse-bridge-reinitialize-${++this.#reinitializations}`;
      this.#internal.add(id);
      this.#sessionId = undefined;
      await this.#post({ ...initialize, id }, [id], { initialize: true });
      await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' }, [], { initialize: false });
      this.#listen();
    })().finally(() => {
      this.#reinitialization = undefined;
    });
    return this.#reinitialization;
  }

  #receiveText(data: string, pending: Set<JsonRpcId> | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.#options.log('Gatehouse sent an event that is not JSON; it was dropped.');
      return;
    }
    this.#receive(parsed, pending);
  }

  /** Passes Gatehouse's message on, noting what the transport needs from it. */
  #receive(parsed: unknown, pending: Set<JsonRpcId> | undefined): void {
    const items = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    const forClient = items
      .filter((item) => {
        if (!isResponse(item)) return true;
        pending?.delete(item.id);
        if (item.id === this.#initializeRequest?.id) {
          const version = (item.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
          if (typeof version === 'string') this.#protocolVersion = version;
        }
        return !this.#internal.delete(item.id);
      })
      .map((item) => {
        if (!isResponse(item) || !this.#toolLists.delete(item.id) || item.result === undefined) return item;
        const result = this.#tools.learn(item.result, (tool, reason) =>
          this.#options.log(`The server's tool "${tool}" was left out: ${reason}.`),
        );
        return result === item.result ? item : { ...item, result };
      });
    if (forClient.length === 0) return;
    this.#options.deliver(Array.isArray(parsed) ? forClient : forClient[0]);
  }

  #fail(id: JsonRpcId, code: number, message: string): void {
    if (this.#internal.delete(id)) {
      this.#options.log(`Opening a new MCP session failed: ${message}`);
      return;
    }
    this.#options.deliver(errorResponse(id, code, message));
  }

  #headers(base: Record<string, string>, inSession: boolean): Record<string, string> {
    return {
      ...base,
      ...(inSession && this.#sessionId ? { 'mcp-session-id': this.#sessionId } : {}),
      ...(inSession && this.#protocolVersion ? { 'mcp-protocol-version': this.#protocolVersion } : {}),
    };
  }

  #track(work: Promise<void>): void {
    this.#streams.add(work);
    void work.finally(() => this.#streams.delete(work));
  }

  get #closed(): boolean {
    return this.#closing.signal.aborted;
  }
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream');
}

/** What to tell the client about an HTTP refusal: Gatehouse's JSON-RPC error, or its OAuth error text. */
function refusalOf(text: string, status: number): { code: number; message: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown } | string;
      error_description?: unknown;
    };
    if (typeof body.error === 'object' && body.error && typeof body.error.message === 'string') {
      return {
        code: typeof body.error.code === 'number' ? body.error.code : BRIDGE_JSONRPC_ERROR,
        message: body.error.message,
      };
    }
    if (typeof body.error_description === 'string') {
      return {
        code: BRIDGE_JSONRPC_ERROR,
        message: `Gatehouse refused the request: ${body.error_description}`,
      };
    }
  } catch {
    /* not JSON */
  }
  return { code: BRIDGE_JSONRPC_ERROR, message: `Gatehouse answered HTTP ${status}.` };
}

/** Waits for `work`, but no longer than `ms` (and leaves no timer behind to hold the process open). */
async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
