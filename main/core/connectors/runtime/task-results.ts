// An upstream's CreateTaskResult (the tasks extension, SEP-2663), brought past the SDK client. The
// v2 client knows the result kinds `complete` and `input_required` and refuses any other before a
// caller can see it, taskId and all; Gatehouse relays tasks for clients that declared the extension
// (gateway/relayed-tasks.ts), so it must see them. The tap rewrites such a response on its way in
// from the transport into a complete tool result that carries the upstream's own under one `_meta`
// key, which `createdTask` reads back out. The same tap hands a plain result response straight to the
// client's response dispatch.
import type {
  CallToolResult,
  JSONRPCMessage,
  JSONRPCResultResponse,
  Transport,
} from '@modelcontextprotocol/client';
import { isPlainResult } from './plain-result.js';

/** The tasks extension's identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

const CREATED_TASK = 'dev.gatehouse/createdTask';

/** The upstream's CreateTaskResult (without its `resultType`) carried by a tool result, if any. */
export function createdTask(result: CallToolResult): Record<string, unknown> | undefined {
  const task = result._meta?.[CREATED_TASK];
  return task !== null && typeof task === 'object' ? (task as Record<string, unknown>) : undefined;
}

/**
 * Plain result responses taken past the SDK's message handler, straight to the client's response
 * dispatch (`Protocol._onresponse`, a documented override point): the handler would first classify
 * each with a zod parse of the whole message (`isJSONRPCResultResponse`, which a plain result always
 * passes, plain-result.ts) and then make the same call — once per tool call, the costliest step of
 * taking an answer in. Armed once the client is connected, and only while the handler
 * installed then is still the transport's: a probe window or handshake sees every message as before.
 */
export class DirectResults {
  readonly #dispatch: (message: JSONRPCResultResponse) => void;
  #owner: unknown;
  #current: () => unknown = () => undefined;

  constructor(dispatch: (message: JSONRPCResultResponse) => void) {
    this.#dispatch = dispatch;
  }

  /** The client is connected: its message handler installed now is the one results may skip. */
  arm(): void {
    this.#owner = this.#current();
  }

  /** Hands `message` to the dispatch if it may skip `handler`; false when it must go through it. */
  take(message: JSONRPCMessage, handler: unknown): boolean {
    if (this.#owner === undefined || handler !== this.#owner) return false;
    // The client's own requests have numeric ids (a probe's or a listen's are strings): only theirs.
    if (!isPlainResult(message) || typeof message.id !== 'number') return false;
    if ((message.result as Record<string, unknown>).resultType === 'task') return false;
    this.#dispatch(message);
    return true;
  }

  /** The tap tells where the transport's current handler is read. */
  watch(current: () => unknown): void {
    this.#current = current;
  }
}

/**
 * Makes `transport` hand its client every `resultType: "task"` response as a tool result, and plain
 * results to `direct` when given (see DirectResults).
 */
export function tapTaskResults<T extends Transport>(transport: T, direct?: DirectResults): T {
  let handler: Transport['onmessage'];
  direct?.watch(() => handler);
  const tapped: NonNullable<Transport['onmessage']> = (message, extra) => {
    if (direct?.take(message, handler)) return;
    handler?.(asToolResult(message), extra);
  };
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
  // Every tool result passes here: only a task's is copied.
  if ((message.result as Record<string, unknown>).resultType !== 'task') return message;
  const { resultType: _task, ...task } = message.result as Record<string, unknown>;
  return {
    ...message,
    result: { resultType: 'complete', content: [], _meta: { [CREATED_TASK]: task } },
  } as JSONRPCMessage;
}
