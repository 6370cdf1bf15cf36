// A remote MCP server over Streamable HTTP or legacy HTTP+SSE. 'auto' follows the spec's backwards
// compatibility rule (MCP transports, Backwards Compatibility): POST initialize first, and when that
// answers 4xx, GET the same URL expecting an SSE stream with an `endpoint` event. Credentials go on
// through a fetch wrapper (the authorizer, plus the connector's extra headers); a 401 asks the
// authorizer once for fresh credentials. Secrets never reach a status line, a log or an event.
import {
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
  type FetchLike,
  type Transport,
} from '@modelcontextprotocol/client';
import { linkAbort, whenRead } from './abort-link.js';
import { capAnswers, failRequestsOnOversizedAnswers, type AnswerCapHooks } from './answer-cap.js';
import type { Fetch } from '../../effects.js';
import { OutboundProxyError, OutboundRoutes } from '../../http/outbound-proxy.js';
import type { HttpSettings } from '../../api/connector-config.js';
import type { UpstreamAuthorizer } from './upstream-auth.js';
import { UpstreamRuntime, type UpstreamDeps, type UpstreamOptions } from './upstream-base.js';
import { failRequestsInFlight } from './upstream-client.js';
import {
  UpstreamFailure,
  type ConnectContext,
  type Connection,
  type Transporter,
} from './upstream-transporter.js';
import type { Upstream } from './upstream.js';
import { causesOf } from '../../errors.js';

/**
 * Requests to a remote connector carry no body timeout: Node's fetch gives every response body a
 * 300 s timeout, and while any such timer is armed undici wakes the process twice a second — for as
 * long as an idle SSE stream (the standalone GET of Streamable HTTP, legacy SSE's stream) stays open
 * (idle CPU). A quiet stream is normal; a dead server is the 30 s ping's to notice, and a
 * request's own deadline is the timer below. The engine hands in such a fetch, routed through the
 * machine's proxy (`OutboundRoutes`, `streams`); one pool per route for all of a connector's requests,
 * so the stream and the calls share connections and keep their order. This one serves an upstream
 * made without the engine's fetch.
 */
let directStreamsFetch: Fetch | undefined;

/** What an HTTP upstream is made from: settings, the authorizer for its credentials, effects. */
export interface HttpUpstreamInput {
  name: string;
  settings: HttpSettings;
  authorizer: UpstreamAuthorizer;
  deps: UpstreamDeps & { fetch?: Fetch };
  /**
   * Defaults here: requests Gatehouse makes time out after `timeoutSeconds`; pings every 30 s, since
   * an idle HTTP connection has no other way to notice that the server went away.
   */
  options?: UpstreamOptions;
}

type HttpTransportKind = 'streamable-http' | 'sse';

/** The fetch for one request outlived `timeoutSeconds` before the server answered. */
class RequestTimeoutError extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeoutError';
  }
}

/** The URL as it may be shown: no user info, no query (either may carry a key). */
function displayUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

/** The network-level reason inside a fetch failure (undici puts it in `cause`), if there is one. */
function networkReason(error: unknown): string | null {
  for (const e of causesOf(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes[code]) return networkCodes[code];
    if (e instanceof TypeError && /fetch failed|terminated|network/i.test(e.message) && !(e as Error).cause) {
      return 'the connection failed';
    }
  }
  return null;
}

/** Codes of a connection that closed under a request already under way (not one that never opened). */
const cutCodes = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/** Whether a failure is a connection closed under its request (undici puts the code in `cause`). */
function cutUnderRequest(error: unknown): boolean {
  return causesOf(error).some((e) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && cutCodes.has(code);
  });
}

/** The proxy's refusal somewhere in a failure's causes: it says more than "connection refused". */
function proxyError(error: unknown): OutboundProxyError | null {
  return (causesOf(error).find((e) => e instanceof OutboundProxyError) as OutboundProxyError) ?? null;
}

function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof SdkHttpError) return error.status;
  if (error instanceof SseError) return error.code;
  return undefined;
}

/** A remote MCP server as an `Upstream`, over Streamable HTTP or legacy SSE, its credentials added per request. */
export function createHttpUpstream(input: HttpUpstreamInput): Upstream {
  const { name, settings, authorizer, deps } = input;
  const fetchImpl: Fetch =
    deps.fetch ??
    (directStreamsFetch ??= new OutboundRoutes({ logger: deps.logger }).fetch(globalThis.fetch, {
      streams: true,
    }));
  const url = new URL(settings.url);
  // A URL that holds a secret is named by its origin only (the secret is in its path or query).
  const where = settings.secretUrl ? url.origin : displayUrl(settings.url);
  const timeoutMs = settings.timeoutSeconds * 1000;

  const secrets = [
    ...Object.values(settings.headers),
    settings.auth.type === 'bearer' ? settings.auth.token : null,
    settings.auth.type === 'oauth' ? settings.auth.clientSecret : null,
    url.password || null,
    url.search.length > 1 ? url.search.slice(1) : null,
    settings.secretUrl && url.pathname.length > 1 ? url.pathname : null,
  ].filter((value): value is string => typeof value === 'string' && value.length >= 4);
  /** Whatever a server or library put in an error message, our secrets do not leave in it. */
  const redact = (text: string) =>
    secrets
      .reduce((out, secret) => out.split(secret).join('[redacted]'), text)
      .replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');

  // What the last request of the current attempt ran into, below what the SDK reports.
  let lastNetworkError: unknown = null;
  let lastStatus: number | null = null;

  const authHint = () =>
    settings.auth.type === 'bearer'
      ? "Check the connector's bearer token."
      : settings.auth.type === 'oauth'
        ? 'Choose Connect to authorize Gatehouse again.'
        : 'The server needs authorization: give the connector a bearer token or OAuth.';

  const authorizedFetch: FetchLike = async (input, init = {}) => {
    const once = async () => {
      const headers = new Headers(init.headers);
      for (const [header, value] of Object.entries(settings.headers)) {
        if (!headers.has(header)) headers.set(header, value);
      }
      await authorizer.authorize(headers, requestProtocolVersion(headers, init.body));
      // A deadline for the answer to arrive, not for the body: an SSE stream stays open for hours.
      const controller = new AbortController();
      const unlink = linkAbort(init.signal, controller);
      const timer = setTimeout(() => controller.abort(new RequestTimeoutError()), timeoutMs);
      try {
        const response = await fetchImpl(input, { ...init, headers, signal: controller.signal });
        lastStatus = response.ok || response.status === 405 ? null : response.status;
        return whenRead(response, unlink);
      } catch (error) {
        unlink();
        if (!init.signal?.aborted) lastNetworkError = error;
        throw error;
      } finally {
        clearTimeout(timer);
      }
    };
    let response = await once();
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 || (response.status === 403 && /insufficient_scope/i.test(challenge ?? ''))) {
      const retry = await authorizer.unauthorized(challenge);
      if (retry) {
        await response.body?.cancel();
        response = await once();
      }
    }
    return response;
  };

  const describe = (error: unknown): UpstreamFailure => {
    if (error instanceof UpstreamFailure) return error;
    const status = httpStatusOf(error) ?? lastStatus ?? undefined;
    // The authorizer knows what is wrong (never signed in, token refused, reconnect): say that.
    const problem = authorizer.state() === 'action-required' ? authorizer.problem?.() : undefined;
    if (problem) return new UpstreamFailure(problem.message, { retry: false, cause: error });
    // A connector without an authorizer may still carry a token the user gave in a header (a catalog
    // server's API key): a refusal is about that token, not a missing one.
    const givenHeaders = settings.auth.type === 'none' ? Object.keys(settings.headers) : [];
    const refusedToken = (code: number) =>
      `The server at ${where} refused the token you gave (HTTP ${code}; sent in the ${givenHeaders.join(', ')} header${givenHeaders.length > 1 ? 's' : ''}). Check it, or get a new one from the server.`;
    if (authorizer.state() === 'action-required' || status === 401) {
      return new UpstreamFailure(
        givenHeaders.length > 0
          ? refusedToken(401)
          : `The server at ${where} refused Gatehouse's credentials (HTTP 401). ${authHint()}`,
        { retry: false, cause: error },
      );
    }
    if (status === 403) {
      return new UpstreamFailure(
        givenHeaders.length > 0
          ? refusedToken(403)
          : `The server at ${where} refused access (HTTP 403). ${authHint()}`,
        { retry: false, cause: error },
      );
    }
    const timedOut = [error, (error as { cause?: unknown })?.cause, lastNetworkError].some(
      (e) => e instanceof RequestTimeoutError,
    );
    if (timedOut || (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout)) {
      return new UpstreamFailure(
        `The server at ${where} did not answer within ${settings.timeoutSeconds} s.`,
        {
          retry: true,
          cause: error,
        },
      );
    }
    const atProxy = proxyError(error) ?? proxyError(lastNetworkError);
    if (atProxy) return new UpstreamFailure(atProxy.message, { retry: true, cause: error });
    const network = networkReason(error) ?? networkReason(lastNetworkError);
    if (network) {
      return new UpstreamFailure(
        `Cannot reach the server at ${where} (${network}). Check that it is running and that the URL is right.`,
        { retry: true, cause: error },
      );
    }
    if (status !== undefined && status > 0) {
      return new UpstreamFailure(`The server at ${where} answered HTTP ${status}. Check the URL.`, {
        retry: true,
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new UpstreamFailure(`The server at ${where} failed: ${redact(message)}`, {
      retry: true,
      cause: error,
    });
  };

  /**
   * An error after connecting that means the connection is gone (not just one failed request). Without
   * a session (the 2026-07-28 revision, or a stateless server) every request is an exchange of its own:
   * a connection closed under one of them (the server's keep-alive timing, a proxy, a restart) ends
   * that request only, while the others go on; one that cannot be opened again (refused, host gone)
   * is the next request's failure, and that is a drop.
   */
  const isDrop = (error: Error, transport: Transport): boolean =>
    (networkReason(error) !== null &&
      !(
        transport instanceof StreamableHTTPClientTransport &&
        transport.sessionId === undefined &&
        cutUnderRequest(error)
      )) ||
    error instanceof SseError ||
    /Maximum reconnection attempts/.test(error.message) ||
    // Streamable HTTP: 404 on a request with a session id means the session is over; start a new one.
    // Without a session (a stateless server, or the 2026-07-28 revision) it is only that request's.
    (error instanceof SdkHttpError && error.status === 404 && transport.sessionId !== undefined);

  /** A transport whose answers are bounded (answer-cap.ts), each passed cap told to `caps`. */
  const openTransport = (kind: HttpTransportKind, caps: AnswerCapHooks): Transport => {
    const fetch = capAnswers(authorizedFetch, caps);
    return failRequestsOnOversizedAnswers(
      kind === 'sse'
        ? new SSEClientTransport(url, { fetch })
        : new StreamableHTTPClientTransport(url, {
            fetch,
            // The GET stream's own retries; once they are spent the upstream reconnects with its backoff.
            reconnectionOptions: {
              initialReconnectionDelay: 500,
              maxReconnectionDelay: 5000,
              reconnectionDelayGrowFactor: 2,
              maxRetries: 2,
            },
          }),
    );
  };

  async function connectWith(kind: HttpTransportKind, context: ConnectContext): Promise<Connection> {
    context.signal.throwIfAborted();
    const client = context.newClient();
    const transport = openTransport(kind, {
      where,
      requestFailed: (failure) => {
        deps.logger.warn('connector answer passed a cap', { connector: name, reason: failure.message });
        context.warn(failure.message);
      },
      // The stream carries answers (legacy SSE's carries every one): the requests waiting on it
      // fail with the sentence, as a stdio server's are, not with the close's "Connection closed".
      streamFailed: (failure) => {
        failRequestsInFlight(client, failure);
        context.lost(failure.message);
      },
    });
    let connected = false;
    let closing = false;
    transport.onerror = (error) => {
      if (!connected || closing) return;
      if (isDrop(error, transport)) {
        context.lost(describe(error).message);
      } else {
        deps.logger.warn('connector transport error', { connector: name, reason: redact(error.message) });
      }
    };
    transport.onclose = () => {
      if (connected && !closing) context.lost(`The connection to ${where} closed.`);
    };
    const close = async () => {
      closing = true;
      context.signal.removeEventListener('abort', onAbort);
      if (transport instanceof StreamableHTTPClientTransport && connected) {
        // Ending the session is a courtesy (Streamable HTTP, session management); do not wait long for it.
        await Promise.race([
          transport.terminateSession().catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 2000).unref()),
        ]);
      }
      await client.close().catch(() => undefined);
    };
    const onAbort = () => void close();
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect(transport, { timeout: context.initializeTimeoutMs, prior: context.prior });
    } catch (error) {
      await close();
      throw error;
    }
    connected = true;
    return { client, transport: kind, pid: null, close };
  }

  const transporter: Transporter = {
    auth: () => authorizer.state(),
    stderrTail: () => [],
    describe,
    async connect(context) {
      lastNetworkError = null;
      lastStatus = null;
      if (settings.transport !== 'auto') return connectWith(settings.transport, context);
      try {
        return await connectWith('streamable-http', context);
      } catch (error) {
        const status = httpStatusOf(error);
        const fallBack =
          !context.signal.aborted &&
          status !== undefined &&
          status >= 400 &&
          status < 500 &&
          status !== 401 &&
          status !== 403;
        if (!fallBack) throw error;
        deps.logger.info('connector does not speak Streamable HTTP; trying legacy SSE', {
          connector: name,
          status,
        });
        lastStatus = null;
        return connectWith('sse', context);
      }
    },
  };

  const runtime = new UpstreamRuntime(name, transporter, deps, {
    requestTimeoutMs: timeoutMs,
    initializeTimeoutMs: Math.max(30_000, timeoutMs),
    pingIntervalMs: 30_000,
    ...input.options,
  });
  authorizer.onStateChange(() => runtime.authChanged());
  return runtime;
}

/**
 * The MCP version a request to the upstream speaks: its MCP-Protocol-Version header (every request
 * after a 2025 initialize, and every 2026-07-28 one), else the version a 2025 initialize asks for.
 */
function requestProtocolVersion(headers: Headers, body: unknown): string | undefined {
  const header = headers.get('mcp-protocol-version');
  if (header) return header;
  if (typeof body !== 'string' || !body.includes('"initialize"')) return undefined;
  try {
    const message = JSON.parse(body) as { method?: unknown; params?: { protocolVersion?: unknown } };
    const version = message.method === 'initialize' ? message.params?.protocolVersion : undefined;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
