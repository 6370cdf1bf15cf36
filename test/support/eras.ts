// What tests of both protocol eras share: the eras a test runs in, a result's outcome without its
// `_meta` (a 2026-07-28 result carries the server's stamp), and the `_meta` envelope a raw 2026-07-28
// request carries.
import type { ClientEra } from './oauth-client.js';

/** Run a suite once with clients speaking the 2025 handshake, once with clients pinned to 2026-07-28. */
export const BOTH_ERAS: ClientEra[] = ['legacy', '2026-07-28'];

/** What a tool result says (its error flag and content), without its `_meta`. */
export function outcome(result: { isError?: unknown; content?: unknown }): {
  isError?: unknown;
  content?: unknown;
} {
  return { isError: result.isError, content: result.content };
}

/** The `_meta` envelope of a raw 2026-07-28 request (SEP-2575). */
export function envelope(revision = '2026-07-28'): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': revision,
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
}

/**
 * The headers of a raw 2026-07-28 POST: JSON in, JSON or an event stream out, the revision, the method,
 * and `Mcp-Name` when a name is given (as written: a test may encode it).
 */
export function modernHeaders(
  method: string,
  name?: string,
  revision = '2026-07-28',
): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': revision,
    'mcp-method': method,
    ...(name !== undefined ? { 'mcp-name': name } : {}),
  };
}
