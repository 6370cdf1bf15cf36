// A 2025-era session's tools/call answered below the SDK's transport: the request goes straight to
// the session server's Protocol, as the SDK's handlePostRequest hands it over, and its answer is the
// one response writer's (sdk/response-writer.ts): one application/json body, or, the moment anything
// else concerns the call or it runs past the hold, the SSE stream the SDK would have made, on the
// SDK's own stream tables (event ids, priming event, resumption, keep-alive).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  type AuthInfo,
  type Server,
} from '@modelcontextprotocol/server';
import { sendJson } from '../http/http-io.js';
import { JsonRpcCode, jsonRpcError } from '../json-rpc-errors.js';
import type { McpScope } from './session-services.js';
import {
  exchange,
  requestView,
  responseJson,
  STREAM_AFTER_MS,
  type ExchangeOptions,
} from './web-exchange.js';
import type { PlainToolCall, SessionTransport } from './session-transport.js';
import { handlerControllers, requestDispatch } from '../sdk/server-internals.js';
import { ResponseWriter, sessionStream } from '../sdk/response-writer.js';
import { RESUMABLE_REVISION } from '../sdk/wire-constants.js';

/** What a POST on a session is answered on: the session's server and transport, once initialized. */
export interface SessionParts {
  initialized: boolean;
  server: Server;
  transport: SessionTransport;
}

/** A 2025-era session as the endpoint keeps it. */
export interface McpSession extends SessionParts {
  id: string;
  clientId: string;
  scope: McpScope;
  lastActivityAt: number;
  openStreams: number;
  /** When its last stream closed, while no request came since; null otherwise. */
  streamClosedAt: number | null;
  /** Requests being answered right now. */
  busy: number;
}

/** Whether a session has no open stream and no request being answered. */
export function isIdle(session: McpSession): boolean {
  return session.openStreams === 0 && session.busy === 0;
}

/**
 * Answers one POST on a session, by one of two routes: a plain tools/call on an initialized session
 * below the SDK's transport (the one response writer), anything else through the SDK's transport
 * (`exchange`); a request whose id is already in flight on the session gets 400.
 */
export async function answerOnSession(
  session: SessionParts,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  authInfo: AuthInfo,
  options: ExchangeOptions,
): Promise<void> {
  const { server, transport } = session;
  const post = req.method === 'POST' && session.initialized ? transport.route(req, body, server) : undefined;
  if (post?.kind === 'direct') {
    const streamAfterMs = options.streamAfterMs ?? STREAM_AFTER_MS;
    await answerToolCall(transport, server, req, res, post.request, authInfo, streamAfterMs);
  } else if (post?.kind === 'reused') {
    sendJson(
      res,
      400,
      jsonRpcError(
        post.id,
        JsonRpcCode.InvalidRequest,
        `Invalid Request: request id ${JSON.stringify(post.id)} is already in use by a request in flight on this session; send each request with a new id.`,
      ),
    );
  } else await exchange(transport, req, res, body, authInfo, options);
}

/**
 * Answers one plain tools/call on an initialized session (SessionTransport.route said `direct`):
 * resolves when its answer is written, or when it ended without one (cancelled, session closed). A
 * client that goes away does not cancel the call (a 2025-era disconnect is not a cancellation).
 */
async function answerToolCall(
  transport: SessionTransport,
  server: Server,
  req: IncomingMessage,
  res: ServerResponse,
  request: PlainToolCall,
  authInfo: AuthInfo,
  streamAfterMs: number,
): Promise<void> {
  const header = req.headers['mcp-protocol-version'];
  const version = typeof header === 'string' ? header : DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
  const stream = sessionStream(
    {
      transport,
      sessionId: transport.sessionId!,
      send: (message, options) => transport.sendOnStream(message, options),
      onerror: (error) => transport.onerror?.(error),
    },
    version,
  );
  const writer = new ResponseWriter(res, stream, responseJson);
  const release = transport.answerBelow(request.id, (message, options) => writer.send(message, options));
  // Exactly the extra handlePostRequest passes with a request (through the Protocol's onmessage,
  // whose checks this request passes for certain); the two stream closers only to a client that can
  // resume (every session has an event store).
  const resumable = version >= RESUMABLE_REVISION && typeof header === 'string';
  const extra = {
    authInfo,
    request: requestView(req),
    ...(resumable
      ? {
          closeSSEStream: () => transport.closeSSEStream(request.id),
          closeStandaloneSSEStream: () => transport.closeStandaloneSSEStream(),
        }
      : {}),
  };
  const done = writer.serve(request, extra, requestDispatch(server), streamAfterMs);
  if (writer.open) {
    // The Protocol runs the handler under this controller: notifications/cancelled and the session's
    // close abort it, and then no response will come.
    const signal = handlerControllers(server)?.get(request.id)?.signal;
    if (signal) signal.addEventListener('abort', () => writer.end(), { once: true });
    else writer.end(); // Not dispatched (no response will come either): end now, not at hang-up.
  }
  try {
    await done;
  } finally {
    release();
  }
}
