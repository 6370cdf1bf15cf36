// The SDK's tools/call wrapper (`Server._wrapHandler`, MCP TypeScript SDK 2.4.0), step for step and
// with its errors — the request checked against the era's schema, the handler run through the
// input-required seam, a content-less result given `content: []`, the result checked — except that a
// result the caller says is already valid in this era is passed on unchanged, not checked again. It
// uses two private members (`Protocol._negotiatedWireCodec`, `Server._invokeInputRequiredCapableHandler`)
// and one internal constant (TOOL_RESULT_FOREIGN_FAMILY_KEYS). docs/sdk-seam.md: the public API that
// would remove it (an already-validated result pass-through).
import {
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { RequestHandler } from './server-internals.js';

/**
 * The private SDK members the wrapper calls: without them the SDK's own wrapper is used (slower, not wrong).
 * @internal Exported for the pins test, which holds it to the installed SDK.
 */
export const TOOL_CALL_WRAPPER_MEMBERS = [
  '_negotiatedWireCodec',
  '_invokeInputRequiredCapableHandler',
] as const;

/**
 * The result keys of other result families (the SDK's TOOL_RESULT_FOREIGN_FAMILY_KEYS, internal).
 * @internal Exported for the pins test, which holds it to the installed SDK.
 */
export const FOREIGN_FAMILY_KEYS = ['task', 'inputRequests', 'requestState'] as const;

/** The part of the SDK's wire codec the wrapper uses. */
interface ToolCallCodec {
  era: string;
  validateRequest(method: string, raw: unknown): Checked;
  validateResult(method: string, raw: unknown): Checked;
}
type Checked = { ok: true; value: unknown } | { ok: false; reason: string; message?: string };
interface WrapperMembers {
  _negotiatedWireCodec(): ToolCallCodec;
  _invokeInputRequiredCapableHandler(
    method: string,
    handler: RequestHandler,
    request: unknown,
    ctx: ServerContext,
  ): Promise<unknown>;
}

/**
 * Whether a result is already valid as it is in the server's wire era `era` (the very object a check
 * in an era it holds in returned).
 */
export type AlreadyValid = (result: unknown, era: string) => boolean;

/**
 * The SDK's tools/call wrapper for `handler` on `server`, passing `alreadyValid` results through; the
 * SDK-wrapped handler (`fallback`) when this SDK lacks a member the copy calls.
 */
export function toolCallWrapper(
  server: Server,
  handler: RequestHandler,
  fallback: RequestHandler,
  alreadyValid: AlreadyValid,
): RequestHandler {
  const members = server as unknown as Record<string, unknown>;
  if (!TOOL_CALL_WRAPPER_MEMBERS.every((name) => typeof members[name] === 'function')) return fallback;
  const sdk = server as unknown as WrapperMembers;
  return async (request, ctx) => {
    const codec = sdk._negotiatedWireCodec.call(server);
    const checked = codec.validateRequest('tools/call', request);
    if (!checked.ok) throw eraError(checked, `Invalid tools/call request: ${checked.message}`);
    const result = await sdk._invokeInputRequiredCapableHandler.call(
      server,
      'tools/call',
      handler,
      request,
      ctx,
    );
    if (isInputRequiredResult(result)) return result as never;
    if (alreadyValid(result, codec.era)) return result as never;
    const outcome = codec.validateResult('tools/call', contentless(result));
    if (!outcome.ok) throw eraError(outcome, `Invalid tools/call result: ${outcome.message}`);
    return outcome.value as never;
  };
}

/** The SDK wrapper's error for a failed check: not-in-era is its internal error, else -32602. */
function eraError(checked: { reason: string }, invalid: string): ProtocolError {
  return checked.reason === 'not-in-era'
    ? new ProtocolError(ProtocolErrorCode.InternalError, 'No wire schema for tools/call in the resolved era')
    : new ProtocolError(ProtocolErrorCode.InvalidParams, invalid);
}

/** A tool result without `content` gets an empty one (the SDK's normalizeContentlessToolResult). */
function contentless(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if ((value as { content?: unknown }).content !== undefined) return value;
  if (FOREIGN_FAMILY_KEYS.some((key) => key in value)) return value;
  return { ...value, content: [] };
}
