// The Gatehouse side of the bridge: an MCP Streamable HTTP client (MCP transports, 2025-11-25) that
// relays messages unchanged. Whatever the stdio client sends is POSTed as is; whatever Gatehouse
// answers — JSON, or an SSE stream of responses, notifications and server-to-client requests — and
// whatever arrives on the standalone GET stream goes back as is. The relay only reads what the
// transport itself needs: the session id, the negotiated protocol version, and which requests are
// still unanswered. A session Gatehouse has ended (idle, revoked, restarted) is reopened with the
// client's own initialize request, out of the client's sight.
import {
  BRIDGE_JSONRPC_ERROR,
  BridgeError,
  describeFailure,
  isConnectionFailure,
  notRunning,
} from './bridge-error.js';
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

  constructor(options: HttpRelayOptions) {
    this.#options = options;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Relays one message (or batch) from the client. Resolves once Gatehouse has taken it. */
  dispatch(message: unknown): Promise<void> {
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
    const forClient = items.filter((item) => {
      if (!isResponse(item)) return true;
      pending?.delete(item.id);
      if (item.id === this.#initializeRequest?.id) {
        const version = (item.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        if (typeof version === 'string') this.#protocolVersion = version;
      }
      return !this.#internal.delete(item.id);
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
