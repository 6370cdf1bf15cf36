// Constants of the MCP TypeScript SDK (2.4.0) that it keeps internal, copied here because Gatehouse's
// own answers must match the SDK's byte for byte (docs/sdk-seam.md says which public export would
// replace each). test/core/sdk/sdk-pins.test.ts checks each against what the installed SDK does.
import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';

/**
 * The one revision the SDK's 2026-07-28 entry serves (its SUPPORTED_MODERN_PROTOCOL_VERSIONS): a
 * request naming any other goes to the entry, which answers it -32022 with the list.
 */
export const SERVED_REVISION = '2026-07-28';

/** The first revision that carries the per-request `_meta` envelope (the SDK's era boundary). */
export const FIRST_MODERN_REVISION = '2026-07-28';

/** The first revision whose clients take a priming event, and so may close and resume a stream. */
export const RESUMABLE_REVISION = '2025-11-25';

/**
 * The HTTP status of an error the protocol answers before the handler runs (and of -32021 at any
 * time), as the SDK's per-request transport sends them (its LADDER_ERROR_HTTP_STATUS, internal);
 * every other error is in-band, on 200.
 */
export const LADDER_STATUS: ReadonlyMap<number, number> = new Map<number, number>([
  [ProtocolErrorCode.ParseError, 400],
  [ProtocolErrorCode.InvalidRequest, 400],
  [ProtocolErrorCode.MethodNotFound, 404],
  [ProtocolErrorCode.UnsupportedProtocolVersion, 400],
  [ProtocolErrorCode.MissingRequiredClientCapability, 400],
  [JsonRpcCode.HeaderMismatch, 400],
]);

/** The SDK's SSE keep-alive interval for a stateless answer (DEFAULT_SSE_KEEP_ALIVE_MS, internal). */
export const KEEP_ALIVE_MS = 15_000;

/** The headers the SDK's transports open a request's SSE answer with (handlePostRequest's). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** HTTP's optional whitespace (space, tab) around a header value, gone (the SDK's stripHttpOws). */
export function stripOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
