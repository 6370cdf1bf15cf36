// The SDK's MCP server as Gatehouse serves it: the same, except that a relayed CreateTaskResult (the
// tasks extension, SEP-2663) goes out as the upstream made it. The SDK's tools/call wrapper gives
// every result without a 2025-11-25 `task` field an empty `content`, which a CreateTaskResult has not.
import { Server, type ServerContext } from '@modelcontextprotocol/server';

type Handler = Parameters<Server['_wrapHandler']>[1];

/** An SDK `Server` whose tools/call results of `resultType: "task"` carry no added `content`. */
export class RelayServer extends Server {
  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const wrapped = super._wrapHandler(method, handler);
    if (method !== 'tools/call') return wrapped;
    return async (request, ctx: ServerContext) => {
      const result = (await wrapped(request, ctx)) as Record<string, unknown>;
      if (result.resultType !== 'task' || !Array.isArray(result.content) || result.content.length > 0)
        return result;
      const { content: _added, ...task } = result;
      return task;
    };
  }
}
