// The members of the SDK's client side (MCP TypeScript SDK 2.4.0, `Protocol` under `Client`) that are
// private or protected in its typings and that Gatehouse reaches, here and nowhere else.
// test/core/sdk/sdk-pins.test.ts fails when a release drops one; docs/sdk-seam.md says which public
// API would replace each. Types only from the client package: serving loads none of it.
import type { Client, JSONRPCResultResponse } from '@modelcontextprotocol/client';

/**
 * The client's response dispatch, bound to it (`Protocol._onresponse`, protected; the SDK documents
 * it as the subclass override point for responses): what its message handler calls once a zod parse
 * found the message a response. Undefined when a release drops it.
 */
export function responseDispatch(client: Client): ((message: JSONRPCResultResponse) => void) | undefined {
  const dispatch = (client as unknown as { _onresponse?: unknown })._onresponse;
  if (typeof dispatch !== 'function') return undefined;
  return (message) => (dispatch as (m: JSONRPCResultResponse) => void).call(client, message);
}

/** The part of the SDK's wire codec a result validator uses (`codec.validateResult`, its era). */
export interface ResultCodec {
  /** The wire era whose schemas the codec checks with ("2025-11-25" for every 2025 revision). */
  era: string;
  validateResult(
    method: string,
    value: unknown,
  ): { ok: true; value: unknown } | { ok: false; reason: string; message?: string };
}

/**
 * The codec an outbound request of `method` goes through (`Protocol._resolveOutboundCodec`, private);
 * undefined when a release drops it (the SDK's own per-call validation is then used).
 */
export function outboundCodec(client: Client, method: string): ResultCodec | undefined {
  const resolve = (client as unknown as { _resolveOutboundCodec?: unknown })._resolveOutboundCodec;
  return typeof resolve === 'function'
    ? (resolve as (m: string) => ResultCodec).call(client, method)
    : undefined;
}

/**
 * Leaves out of one tools/list page the tools the SDK's own list methods leave out: those whose
 * `x-mcp-header` declarations are invalid (SEP-2243; on a 2026-07-28 connection not over stdio), with
 * the SDK's warning (`Client._excludeInvalidXMcpHeaderTools`, private). For the first page of a
 * listing, which Gatehouse asks for with `request()`: given no cursor, the list methods walk every page
 * themselves. False when a release drops it: the page is then left as the server sent it.
 */
export function excludeUnmirrorableTools(client: Client, page: { tools: unknown[] }): boolean {
  const exclude = (client as unknown as { _excludeInvalidXMcpHeaderTools?: unknown })
    ._excludeInvalidXMcpHeaderTools;
  if (typeof exclude !== 'function') return false;
  (exclude as (result: { tools: unknown[] }) => void).call(client, page);
  return true;
}
