// The Gatehouse side of the bridge: an MCP Streamable HTTP client that relays messages unchanged, for
// stdio clients of either era. Whatever the stdio client sends is POSTed as is; whatever Gatehouse
// answers — JSON, or an SSE stream of responses, notifications and server-to-client requests — goes
// back as is. The relay only reads what the transport itself needs.
//
// A request that names a 2026-07-28 revision in `_meta` goes the per-request way (request-relay.ts);
// everything else rides the 2025 session opened by the client's `initialize` (session-relay.ts). What
// both share — closing, tracked streams, answers on their way to the client — is relay-link.ts.
import { RelayLink, type HttpRelayOptions } from './relay-link.js';
import { RequestRelay } from './request-relay.js';
import { modernVersion } from './request-headers.js';
import { SessionRelay } from './session-relay.js';
import { isRequest, type JsonRpcMessage } from './stdio-channel.js';

const DELETE_TIMEOUT_MS = 2_000;

/** Relays one stdio client's JSON-RPC messages to Gatehouse over Streamable HTTP, in either era. */
export class HttpRelay {
  readonly #link: RelayLink;
  readonly #session: SessionRelay;
  readonly #requests: RequestRelay;

  constructor(options: HttpRelayOptions) {
    this.#link = new RelayLink(options, {
      note: (response) => this.#session.noteResponse(response),
      rewrite: (response) => this.#requests.rewriteResponse(response),
    });
    this.#session = new SessionRelay(this.#link);
    this.#requests = new RequestRelay(this.#link);
  }

  /** The 2025-era session Gatehouse gave this client, once it has one. */
  get sessionId(): string | undefined {
    return this.#session.sessionId;
  }

  /** Relays one message (or batch) from the client. Resolves once Gatehouse has taken it. */
  dispatch(message: unknown): Promise<void> {
    const version = isRequest(message) ? modernVersion(message) : undefined;
    if (version && isRequest(message)) return this.#requests.send(message, version);
    if (this.#requests.inUse && (message as JsonRpcMessage | null)?.method === 'notifications/cancelled') {
      // The 2026 era cancels a request on HTTP by closing its stream, not with a notification.
      this.#requests.cancel(
        ((message as JsonRpcMessage).params as { requestId?: unknown } | undefined)?.requestId,
      );
      return Promise.resolve();
    }
    return this.#session.send(message);
  }

  /** Ends the session (DELETE, best effort) and every stream. */
  async close(): Promise<void> {
    if (this.#link.closed) return;
    this.#link.abort();
    await this.#session.end(DELETE_TIMEOUT_MS);
    await this.#link.drain(DELETE_TIMEOUT_MS);
  }
}
