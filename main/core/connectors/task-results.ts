// An upstream's CreateTaskResult (the tasks extension, SEP-2663), brought past the SDK client. The
// v2 client knows the result kinds `complete` and `input_required` and refuses any other before a
// caller can see it, taskId and all; Gatehouse relays tasks for clients that declared the extension
// (gateway/relayed-tasks.ts), so it must see them. The tap rewrites such a response on its way in
// from the transport into a complete tool result that carries the upstream's own under one `_meta`
// key, which `createdTask` reads back out.
import type { CallToolResult, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

/** The tasks extension's identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

const CREATED_TASK = 'dev.gatehouse/createdTask';

/** The upstream's CreateTaskResult (without its `resultType`) carried by a tool result, if any. */
export function createdTask(result: CallToolResult): Record<string, unknown> | undefined {
  const task = result._meta?.[CREATED_TASK];
  return task !== null && typeof task === 'object' ? (task as Record<string, unknown>) : undefined;
}

/** Makes `transport` hand its client every `resultType: "task"` response as a tool result. */
export function tapTaskResults<T extends Transport>(transport: T): T {
  let handler: Transport['onmessage'];
  const tapped: NonNullable<Transport['onmessage']> = (message, extra) =>
    handler?.(asToolResult(message), extra);
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (handler ? tapped : undefined),
    set: (value: Transport['onmessage']) => {
      handler = value;
    },
  });
  return transport;
}

function asToolResult(message: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in message)) return message;
  // Every tool result passes here: only a task's is copied (issue 23).
  if ((message.result as Record<string, unknown>).resultType !== 'task') return message;
  const { resultType: _task, ...task } = message.result as Record<string, unknown>;
  return {
    ...message,
    result: { resultType: 'complete', content: [], _meta: { [CREATED_TASK]: task } },
  } as JSONRPCMessage;
}
