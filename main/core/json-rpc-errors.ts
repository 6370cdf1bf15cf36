// The JSON-RPC error codes Gatehouse answers or reads, by name, and the one constructor of a JSON-RPC
// error response. Every layer that speaks JSON-RPC uses these: the MCP endpoint, the gateway (as the
// code of the SDK's ProtocolError it throws), the HTTP body reader, the upstream client and the stdio
// bridge. The bridge loads no SDK, so the names live here rather than in the SDK's ProtocolErrorCode;
// a test holds the codes both name to the same numbers.

/** JSON-RPC error codes (JSON-RPC 2.0 §5.1, and those the MCP specification adds). */
export const JsonRpcCode = {
  /** The body is not JSON. */
  ParseError: -32700,
  /** JSON, but not a request Gatehouse takes (too large, too deep, no session yet). */
  InvalidRequest: -32600,
  /** No such method here (or not in this protocol revision). */
  MethodNotFound: -32601,
  /** The method's parameters are wrong: an unknown tool, prompt, resource or cursor. */
  InvalidParams: -32602,
  /** Something failed inside Gatehouse; the message says no more than that. */
  InternalError: -32603,
  /**
   * A refusal Gatehouse makes itself, in JSON-RPC's range for implementation-defined server errors:
   * the bridge's "Gatehouse is not running", the endpoint's "server busy".
   */
  ServerError: -32000,
  /** The `Mcp-Session-Id` names no live session: initialize a new one (MCP 2025-era transport). */
  SessionNotFound: -32001,
  /** An `Mcp-*` request header disagrees with the body (MCP 2026-07-28). */
  HeaderMismatch: -32020,
  /** The request needs a client capability the request did not declare (MCP 2026-07-28). */
  MissingRequiredClientCapability: -32021,
  /** The request's protocol revision is not one this server speaks (MCP 2026-07-28). */
  UnsupportedProtocolVersion: -32022,
} as const;

/** One of the codes above. */
export type JsonRpcCode = (typeof JsonRpcCode)[keyof typeof JsonRpcCode];

/** A JSON-RPC error response: the request's id (null when it could not be read), a code and a message. */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string; data?: unknown };
}

/**
 * The error response to a request: `code` is one of JsonRpcCode, or a code a server upstream answered
 * that is passed on as it came. `data` is left out when undefined.
 */
export function jsonRpcError(
  id: string | number | null | undefined,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcErrorResponse {
  return {
    jsonrpc: '2.0',
    id: id ?? null,
    error: data === undefined ? { code, message } : { code, message, data },
  };
}
