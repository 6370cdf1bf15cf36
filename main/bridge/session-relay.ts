// The 2025 era of the relay (the client opens with `initialize`): the session id and the negotiated
// protocol version on every request, the standalone GET stream, resumption with Last-Event-ID, and a
// session Gatehouse has ended (idle, revoked, restarted) reopened with the client's own initialize
// request, out of the client's sight (MCP 2025-06-18, Transports: Streamable HTTP).
import { JsonRpcCode } from '../core/json-rpc-errors.js';
import { BridgeError, describeFailure, isConnectionFailure, notRunning } from './bridge-error.js';
import { atMost, isEventStream, refusalOf, type RelayedResponse, type RelayLink } from './relay-link.js';
import { readSse } from './sse-reader.js';
import { isRequest, type JsonRpcId, type JsonRpcMessage } from './stdio-channel.js';

interface PostOptions {
  initialize: boolean;
  retriedConnection?: boolean;
  retriedSession?: boolean;
}

const MAX_RESUMES = 5;

/** The 2025-era half of the relay: one MCP session with Gatehouse, kept open for the client. */
export class SessionRelay {
  readonly #link: RelayLink;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #initializeRequest: JsonRpcMessage | undefined;
  /** Every message after initialize waits for its answer's headers: they carry the session id. */
  #initialized: Promise<void> = Promise.resolve();
  #listeningSession: string | undefined;
  #reinitialization: Promise<void> | undefined;
  #reinitializations = 0;

  constructor(link: RelayLink) {
    this.#link = link;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Relays one message (or batch); an initialize starts a new session, the rest wait for it. */
  send(message: unknown): Promise<void> {
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

  /** Ends the session with a DELETE (best effort, at most `timeoutMs`), when there is one. */
  async end(timeoutMs: number): Promise<void> {
    const session = this.#sessionId;
    if (!session) return;
    const deleted = this.#link.options
      .fetch(this.#link.options.url, {
        method: 'DELETE',
        headers: this.#headers({}, true),
        signal: AbortSignal.timeout(timeoutMs),
      })
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
    await atMost(timeoutMs, deleted);
  }

  /** The answer to the client's initialize carries the protocol version every later request names. */
  noteResponse(response: RelayedResponse): void {
    if (response.id === this.#initializeRequest?.id) {
      const version = (response.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (typeof version === 'string') this.#protocolVersion = version;
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
      if (this.#link.closed) return;
      const text = describeFailure(error);
      if (requests.length === 0)
        this.#link.options.log(`A message could not be passed to Gatehouse: ${text}`);
      for (const request of requests) this.#link.fail(request.id, JsonRpcCode.ServerError, text);
    }
  }

  /** POSTs one message; resolves once the answer's headers are in (an SSE answer is read on its own). */
  async #post(body: unknown, ids: JsonRpcId[], options: PostOptions): Promise<void> {
    const link = this.#link;
    const session = this.#sessionId;
    let response: Response;
    try {
      response = await link.options.fetch(link.options.url, {
        method: 'POST',
        headers: this.#headers(
          { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          !options.initialize,
        ),
        body: JSON.stringify(body),
        signal: link.signal,
      });
    } catch (error) {
      if (!isConnectionFailure(error) || options.retriedConnection) {
        throw isConnectionFailure(error) ? notRunning(error) : error;
      }
      // Nothing listens (Gatehouse quit or restarts): wait for it, then send again — the request
      // never reached it, so sending again cannot run anything twice.
      await link.options.reconnect();
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
      if (ids.length === 0) link.options.log(`Gatehouse refused a notification: ${refusal.message}`);
      for (const id of ids) link.fail(id, refusal.code, refusal.message);
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && response.body) {
      link.track(this.#consume(response.body, new Set(ids), undefined, 0));
      return;
    }
    const text = await response.text();
    const pending = new Set(ids);
    if (type.includes('application/json') && text.trim() !== '') {
      try {
        link.receive(JSON.parse(text), pending);
      } catch {
        link.options.log('Gatehouse answered with JSON that could not be read.');
      }
    }
    for (const id of pending)
      link.fail(id, JsonRpcCode.ServerError, 'Gatehouse answered without a response.');
  }

  /** Reads an SSE answer to the end; a stream lost before all answers came is resumed (Last-Event-ID). */
  async #consume(
    body: ReadableStream<Uint8Array>,
    pending: Set<JsonRpcId>,
    lastEventId: string | undefined,
    resumes: number,
  ): Promise<void> {
    const link = this.#link;
    let retryMs: number | undefined;
    try {
      for await (const event of readSse(body)) {
        if (event.id !== undefined) lastEventId = event.id;
        if (event.retry !== undefined) retryMs = event.retry;
        if (event.data !== '') link.receiveText(event.data, pending);
      }
    } catch {
      /* the stream broke; what is still pending is handled below */
    }
    if (link.closed || pending.size === 0) return;
    if (lastEventId !== undefined && resumes < MAX_RESUMES) {
      await delay(retryMs ?? 500, link.signal);
      try {
        const response = await link.options.fetch(link.options.url, {
          method: 'GET',
          headers: this.#headers({ accept: 'text/event-stream', 'last-event-id': lastEventId }, true),
          signal: link.signal,
        });
        if (response.ok && response.body && isEventStream(response)) {
          return this.#consume(response.body, pending, lastEventId, resumes + 1);
        }
        await response.body?.cancel();
      } catch {
        /* cannot resume: answered below */
      }
    }
    if (link.closed) return;
    for (const id of pending) {
      link.fail(
        id,
        JsonRpcCode.ServerError,
        'Gatehouse closed the connection before answering this request.',
      );
    }
  }

  /** The standalone GET stream: Gatehouse's own notifications and requests (list changes, sampling…). */
  #listen(): void {
    const link = this.#link;
    const session = this.#sessionId;
    if (link.closed || !session || this.#listeningSession === session) return;
    this.#listeningSession = session;
    const signal = link.signal;
    const loop = async (): Promise<void> => {
      let lastEventId: string | undefined;
      let backoff = 1_000;
      let retryMs: number | undefined;
      while (!link.closed && this.#sessionId === session) {
        let response: Response;
        try {
          response = await link.options.fetch(link.options.url, {
            method: 'GET',
            headers: this.#headers(
              { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
              true,
            ),
            signal,
          });
        } catch (error) {
          // A refusal (consent denied, …) will not change by asking again; a lost connection may.
          if (link.closed || (error instanceof BridgeError && error.code !== 'engine_not_running')) return;
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
            if (event.data !== '') link.receiveText(event.data, undefined);
          }
        } catch {
          /* dropped: reconnect below */
        }
        await delay(retryMs ?? backoff, signal);
      }
    };
    link.track(
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
      this.#link.options.log('Gatehouse ended the MCP session; opening a new one.');
      const id = `gatehouse-bridge-reinitialize-${++this.#reinitializations}`;
      this.#link.markInternal(id);
      this.#sessionId = undefined;
      await this.#post({ ...initialize, id }, [id], { initialize: true });
      await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' }, [], { initialize: false });
      this.#listen();
    })().finally(() => {
      this.#reinitialization = undefined;
    });
    return this.#reinitialization;
  }

  #headers(base: Record<string, string>, inSession: boolean): Record<string, string> {
    return {
      ...base,
      ...(inSession && this.#sessionId ? { 'mcp-session-id': this.#sessionId } : {}),
      ...(inSession && this.#protocolVersion ? { 'mcp-protocol-version': this.#protocolVersion } : {}),
    };
  }
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
