// Which lines from a local server skip the zod parse of a whole JSON-RPC message: a plain
// result response, the line nearly every tool call ends with, is taken as the SDK would take it.
import type { JSONRPCResultResponse } from '@modelcontextprotocol/client';

/**
 * A result response exactly as the SDK's strict JSONRPCResultResponseSchema takes it unchanged: the
 * three keys, `jsonrpc` "2.0", a string or safe-integer id, a result object without `_meta` (whose
 * parse may drop a malformed serverInfo). Such a line skips the zod parse of every message:
 * the client's Protocol classifies it, and validates a tool call's result, right after.
 */
export function isPlainResult(value: unknown): value is JSONRPCResultResponse {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { jsonrpc, id, result } = value as Record<string, unknown>;
  return (
    Object.keys(value).length === 3 &&
    jsonrpc === '2.0' &&
    (typeof id === 'string' || Number.isSafeInteger(id)) &&
    result !== null &&
    typeof result === 'object' &&
    !Array.isArray(result) &&
    !('_meta' in result)
  );
}
