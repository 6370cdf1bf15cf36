// The SDK's MCP server as Gatehouse serves it: the same, except that a relayed CreateTaskResult (the
// tasks extension, SEP-2663) goes out as the upstream made it. The SDK's tools/call wrapper gives
// every result without a 2025-11-25 `task` field an empty `content`, which a CreateTaskResult has not.
// And a 2026-07-28 request's instance can hand its response to the endpoint as a message, or be bound
// to its revision without the SDK's entry; the instructions of an initialize or server/discover
// answer follow that request's caller.
import {
  Server,
  type JSONRPCMessage,
  type ServerContext,
  type Transport,
} from '@modelcontextprotocol/server';

type Handler = Parameters<Server['_wrapHandler']>[1];

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
    return async (request, ctx: ServerContext) => {
      const result = (await wrapped(request, ctx)) as Record<string, unknown>;
      if (result.resultType !== 'task' || !Array.isArray(result.content) || result.content.length > 0)
        return result;
      const { content: _added, ...task } = result;
      return task;
    };
  }
}
