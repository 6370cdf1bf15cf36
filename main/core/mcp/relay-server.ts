// The SDK's MCP server as Gatehouse serves it: the same, except that a relayed CreateTaskResult (the
// tasks extension, SEP-2663) goes out as the upstream made it. The SDK's tools/call wrapper gives
// every result without a 2025-11-25 `task` field an empty `content`, which a CreateTaskResult has not.
// A 2026-07-28 request's instance can be bound to its revision without the SDK's entry; the
// instructions of an initialize or server/discover answer follow that request's caller. A tools/call result an upstream client has already validated in
// this instance's wire era, or in the 2025 era for a 2026-07-28 client, is not validated again.
import {
  SERVER_INFO_META_KEY,
  type CallToolRequestParams,
  type ServerContext,
  type StandardSchemaV1,
} from '@modelcontextprotocol/server';
import { toolResultValidatedIn } from '../connectors/runtime/validated-results.js';
import { bindRevision, WrappingServer, type RequestHandler } from '../sdk/server-internals.js';
import { toolCallWrapper } from '../sdk/tool-call-wrapper.js';

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
export class RelayServer extends WrappingServer {
  /**
   * The instructions an initialize (2025) or server/discover (2026-07-28) answer carries for the
   * caller of that request; without it, the instructions the instance was made with.
   */
  instructionsFor?: (ctx: ServerContext) => string;

  /**
   * Binds this instance to a 2026-07-28 revision before it is connected, as the SDK's entry does for
   * its per-request instances (modern-requests.ts serves a clear-cut tools/call without that entry).
   */
  bindRevision(revision: string): void {
    bindRevision(this, revision);
  }

  protected override wrapRequestHandler(
    method: string,
    wrapped: RequestHandler,
    handler: RequestHandler,
  ): RequestHandler {
    if (method === 'initialize' || method === 'server/discover') {
      return async (request, ctx: ServerContext) => {
        const result = (await wrapped(request, ctx)) as Record<string, unknown>;
        const instructions = this.instructionsFor?.(ctx);
        return instructions === undefined ? result : { ...result, instructions };
      };
    }
    if (method !== 'tools/call') return wrapped;
    // The SDK's wrapper, except that a result an upstream client validated in an era it holds in is
    // not checked a second time.
    const toolCall = toolCallWrapper(this, handler, wrapped, (result, era) =>
      holdsIn(toolResultValidatedIn(result), era, result),
    );
    return async (request, ctx: ServerContext) =>
      withoutAddedContent((await toolCall(request, ctx)) as Record<string, unknown>);
  }
}

/**
 * Whether a tools/call result an upstream client validated in era `from` (the very object its check
 * returned) is valid as it is in era `to`: the same era; or a 2025-era result going to a 2026-07-28
 * client, whose result schema accepts every 2025-valid tools/call result unchanged except an upstream's
 * serverInfo stamp in `_meta` (which 2026-07-28 would drop if malformed, so such a result is checked).
 * test/core/mcp/cross-era-results.test.ts holds the SDK's two schemas to that over generated and real
 * results.
 * @internal Exported for that test: the claim is about the SDK's schemas, not one call.
 */
export function holdsIn(from: string | undefined, to: string, result: unknown): boolean {
  if (from === to) return true;
  if (from !== '2025-11-25' || to !== '2026-07-28') return false;
  const meta = (result as { _meta?: object })._meta;
  return meta === undefined || !(SERVER_INFO_META_KEY in meta);
}

/** A relayed CreateTaskResult goes out without the `content` the tools/call wrapper added to it. */
function withoutAddedContent(result: Record<string, unknown>): Record<string, unknown> {
  if (result.resultType !== 'task' || !Array.isArray(result.content) || result.content.length > 0)
    return result;
  const { content: _added, ...task } = result;
  return task;
}
