// The SDK's MCP server as Gatehouse serves it: the same, except that a relayed CreateTaskResult (the
// tasks extension, SEP-2663) goes out as the upstream made it. The SDK's tools/call wrapper gives
// every result without a 2025-11-25 `task` field an empty `content`, which a CreateTaskResult has not.
// And a 2026-07-28 request's instance can hand its response to the endpoint as a message, or be bound
// to its revision without the SDK's entry; the instructions of an initialize or server/discover
// answer follow that request's caller. A tools/call result an upstream client has already validated in
// this instance's wire era, or in the 2025 era for a 2026-07-28 client, is not validated again.
import {
  isInputRequiredResult,
  SERVER_INFO_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type CallToolRequestParams,
  type JSONRPCMessage,
  type ServerContext,
  type StandardSchemaV1,
  type Transport,
} from '@modelcontextprotocol/server';
import { toolResultValidatedIn } from '../connectors/runtime/validated-results.js';

type Handler = Parameters<Server['_wrapHandler']>[1];

/**
 * The SDK members the tools/call wrapper below uses, private in its typings (`Protocol`'s
 * `_negotiatedWireCodec`, `Server`'s `_invokeInputRequiredCapableHandler`): reached by name, and
 * test/core/mcp/tool-call-validation.test.ts fails if a release renames them. Without them the SDK's
 * own wrapper is used (slower, not wrong).
 */
export const TOOL_CALL_WRAPPER_MEMBERS = [
  '_negotiatedWireCodec',
  '_invokeInputRequiredCapableHandler',
] as const;

/** The part of the SDK's wire codec the tools/call wrapper uses. */
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
    handler: Handler,
    request: unknown,
    ctx: ServerContext,
  ): Promise<unknown>;
}

/** The result keys of other result families (the SDK's TOOL_RESULT_FOREIGN_FAMILY_KEYS). */
const FOREIGN_FAMILY_KEYS = ['task', 'inputRequests', 'requestState'];

/**
 * The params schema Gatehouse registers its tools/call handler with: it hands the params on as they
 * are, because the tools/call wrapper has already validated the whole request against the era's
 * schema (with the SDK's exact -32602); a handler registered without a schema would have them parsed
 * a second time.
 */
export const TOOL_CALL_PARAMS: StandardSchemaV1<CallToolRequestParams> = {
  '~standard': {
    version: 1,
    vendor: 'gatehouse',
    validate: (value) => ({ value: value as CallToolRequestParams }),
  },
};

/** An SDK `Server` whose tools/call results of `resultType: "task"` carry no added `content`. */
export class RelayServer extends Server {
  /**
   * Hears each response this instance sends, before its transport turns it into HTTP (a 2026-07-28
   * request's: modern-requests.ts writes it as JSON instead of reading the web Response back).
   */
  onResponse?: (message: JSONRPCMessage) => void;

  /**
   * The instructions an initialize (2025) or server/discover (2026-07-28) answer carries for the
   * caller of that request; without it, the instructions the instance was made with.
   */
  instructionsFor?: (ctx: ServerContext) => string;

  /**
   * Binds this instance to a 2026-07-28 revision before it is connected, as the SDK's entry does for
   * its per-request instances (tool-call-exchange.ts serves a tools/call without that entry).
   */
  bindRevision(revision: string): void {
    this._negotiatedProtocolVersion = revision;
  }

  override async connect(transport: Transport): Promise<void> {
    const hear = this.onResponse;
    if (hear) {
      const send = transport.send.bind(transport);
      transport.send = (message, options) => {
        if (('result' in message || 'error' in message) && 'id' in message) hear(message);
        return send(message, options);
      };
    }
    return super.connect(transport);
  }

  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const wrapped = super._wrapHandler(method, handler);
    if (method === 'initialize' || method === 'server/discover') {
      return async (request, ctx: ServerContext) => {
        const result = (await wrapped(request, ctx)) as Record<string, unknown>;
        const instructions = this.instructionsFor?.(ctx);
        return instructions === undefined ? result : { ...result, instructions };
      };
    }
    if (method !== 'tools/call') return wrapped;
    const toolCall = this.#hasWrapperMembers() ? this.#wrapToolCall(handler) : wrapped;
    return async (request, ctx: ServerContext) =>
      withoutAddedContent((await toolCall(request, ctx)) as Record<string, unknown>);
  }

  /**
   * The SDK's tools/call wrapper (Server._wrapHandler, SDK 2.4.0), step for step and with its errors —
   * the request checked against the era's schema, the handler run through the input-required seam,
   * a content-less result given `content: []`, the result checked — except that a result an upstream
   * client validated in this same wire era, passed on unchanged, is not checked a second time.
   */
  #wrapToolCall(handler: Handler): Handler {
    const sdk = this as unknown as WrapperMembers;
    return async (request, ctx: ServerContext) => {
      const codec = sdk._negotiatedWireCodec();
      const checked = codec.validateRequest('tools/call', request);
      if (!checked.ok) throw eraError(checked, `Invalid tools/call request: ${checked.message}`);
      const result = await sdk._invokeInputRequiredCapableHandler('tools/call', handler, request, ctx);
      if (isInputRequiredResult(result)) return result as never;
      if (holdsIn(toolResultValidatedIn(result), codec.era, result)) return result as never;
      const outcome = codec.validateResult('tools/call', contentless(result));
      if (!outcome.ok) throw eraError(outcome, `Invalid tools/call result: ${outcome.message}`);
      return outcome.value as never;
    };
  }

  #hasWrapperMembers(): boolean {
    const members = this as unknown as Record<string, unknown>;
    return TOOL_CALL_WRAPPER_MEMBERS.every((name) => typeof members[name] === 'function');
  }
}

/**
 * Whether a tools/call result an upstream client validated in era `from` (the very object its check
 * returned) is valid as it is in era `to`: the same era; or a 2025-era result going to a 2026-07-28
 * client, whose result schema accepts every 2025-valid tools/call result unchanged except an upstream's
 * serverInfo stamp in `_meta` (which 2026-07-28 would drop if malformed, so such a result is checked).
 * test/core/mcp/cross-era-results.test.ts holds the SDK's two schemas to that over generated and real
 * results.
 */
export function holdsIn(from: string | undefined, to: string, result: unknown): boolean {
  if (from === to) return true;
  if (from !== '2025-11-25' || to !== '2026-07-28') return false;
  const meta = (result as { _meta?: object })._meta;
  return meta === undefined || !(SERVER_INFO_META_KEY in meta);
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

/** A relayed CreateTaskResult goes out without the `content` the tools/call wrapper added to it. */
function withoutAddedContent(result: Record<string, unknown>): Record<string, unknown> {
  if (result.resultType !== 'task' || !Array.isArray(result.content) || result.content.length > 0)
    return result;
  const { content: _added, ...task } = result;
  return task;
}
