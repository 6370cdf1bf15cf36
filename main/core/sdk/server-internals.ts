// The members of the SDK's server side (MCP TypeScript SDK 2.4.0: `Protocol`, `Server`) that are
// private or protected in its typings and that Gatehouse reaches. Each is reached here and nowhere
// else (lint: no `_` member outside main/core/sdk/); test/core/sdk/sdk-pins.test.ts fails when an SDK
// release drops one or changes its shape, and docs/sdk-seam.md says which public API would replace it.
import {
  Server,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/server';

/** A request handler as the SDK's `Server._wrapHandler` (protected) takes and returns it. */
export type RequestHandler = Parameters<Server['_wrapHandler']>[1];

/**
 * The request handlers the server's Protocol is running, by request id (`Protocol
 * ._requestHandlerAbortControllers`, private). A request handed to `requestDispatch` is tracked there,
 * so this is where `notifications/cancelled` finds it, and what tells an id in flight. Undefined when
 * a release hides it.
 */
export function handlerControllers(server: Server): Map<RequestId, AbortController> | undefined {
  const map = (server as unknown as { _requestHandlerAbortControllers?: unknown })
    ._requestHandlerAbortControllers;
  return map instanceof Map ? (map as Map<RequestId, AbortController>) : undefined;
}

/** The Protocol's dispatch of one inbound request (`Protocol._onrequest`, private). */
export type RequestDispatch = (request: JSONRPCRequest, extra: MessageExtraInfo) => void;

/**
 * The server's request dispatch, bound to it: what the Protocol's `onmessage` calls once its zod
 * checks have found the message a request (`Protocol._onrequest`, private). A request Gatehouse has
 * already found plain (`isPlainRequest`, stricter than those checks) is handed in here, one step past
 * them. Undefined when a release hides it.
 */
export function requestDispatch(server: Server): RequestDispatch | undefined {
  const dispatch = (server as unknown as { _onrequest?: unknown })._onrequest;
  if (typeof dispatch !== 'function') return undefined;
  return (request, extra) =>
    (dispatch as (r: JSONRPCRequest, e: MessageExtraInfo) => void).call(server, request, extra);
}

/**
 * Binds `server` to a 2026-07-28 revision before it is connected, as the SDK's entry does for its
 * per-request instances (`Protocol._negotiatedProtocolVersion`, protected).
 */
export function bindRevision(server: Server, revision: string): void {
  (server as unknown as { _negotiatedProtocolVersion: string })._negotiatedProtocolVersion = revision;
}

/**
 * An SDK `Server` whose request handlers a subclass may wrap once more, after the SDK's own wrapper
 * (`Server._wrapHandler`, protected): `wrapRequestHandler` gets the method, the SDK-wrapped handler
 * and the handler as registered.
 */
export class WrappingServer extends Server {
  /** Wraps the SDK-wrapped handler of `method`; by default returns it as it is. */
  protected wrapRequestHandler(
    _method: string,
    wrapped: RequestHandler,
    _handler: RequestHandler,
  ): RequestHandler {
    return wrapped;
  }

  protected override _wrapHandler(method: string, handler: RequestHandler): RequestHandler {
    return this.wrapRequestHandler(method, super._wrapHandler(method, handler), handler);
  }
}
