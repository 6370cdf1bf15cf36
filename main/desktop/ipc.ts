// The IPC door between Gatehouse's windows and the engine: the one handler behind the preload's
// `call`, and the forwarding of engine events to the windows. Every call is checked in this order —
// who sent it, which operation, what input — and every failure becomes `{ code, message }`, never a
// stack. The engine validates the input against the contract (main/core/api/contract.ts). Saving a
// local command without the sandbox also needs the user's yes in a native dialog.
import type { EngineEvent, OperationName } from '../core/api/contract.js';
import { isOperationName } from '../core/operations/engine-api.js';
import type { Logger } from '../core/effects.js';
import { isGatehouseError } from '../core/errors.js';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from '../../preload/ipc-channels.js';
import {
  SANDBOX_KEPT_MESSAGE,
  unsandboxedCommand,
  type UnsandboxedCommand,
} from './sandbox-off-confirmation.js';
import { isAppUrl } from './window-policy.js';
import type { WebContentsLike } from './windows.js';

/** An IPC invoke event, as far as the sender check reads it. */
export interface CallEvent {
  readonly sender: { readonly id: number };
  /** Null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The part of Electron's ipcMain this uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: CallEvent, ...args: unknown[]) => Promise<CallReply>): void;
  removeHandler(channel: string): void;
}

/** The engine as IPC sees it: a call by name with unchecked input, and the event stream. */
export interface IpcEngine {
  call(name: OperationName, input?: unknown): Promise<unknown>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** Which web contents are Gatehouse's (windows.ts's GatehouseWindows is one). */
interface IpcWindows {
  owns(contents: { readonly id: number }): boolean;
  contents(): WebContentsLike[];
}

/** The most input one call may carry, as JSON (the HTTP API's body limit). */
const MAX_INPUT_BYTES = 256 * 1024;

/** The error a sender other than our own window's main frame gets. */
const FORBIDDEN_MESSAGE = 'Only Gatehouse’s own window can call the engine.';
/** The error the window gets for a failure that is not a GatehouseError (the detail goes to the log). */
const INTERNAL_MESSAGE = 'Gatehouse hit an internal error; details are in its log.';

/** Why a sender is refused, or undefined when it is the main frame of one of our windows on our origin. */
function senderRefusal(event: CallEvent, windows: IpcWindows): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a subframe sent it';
  if (!windows.owns(event.sender)) return 'it came from a web contents that is not a Gatehouse window';
  if (!isAppUrl(frame.url)) return `the sending page is not Gatehouse's (${shorten(frame.url)})`;
  return undefined;
}

/** What the IPC handler needs: Electron's ipcMain, the engine, our windows and the logger. */
export interface IpcOptions {
  ipcMain: IpcMainLike;
  engine: IpcEngine;
  windows: IpcWindows;
  logger: Logger;
  /** The native "run without the sandbox?" question (sandbox-off-confirmation.ts); true to go on. */
  confirmUnsandboxed(command: UnsandboxedCommand): Promise<boolean>;
}

/** Registers the call handler and starts forwarding events; returns what undoes both. */
export function registerIpc(options: IpcOptions): () => void {
  const { ipcMain, engine, windows, logger } = options;
  ipcMain.handle(CALL_CHANNEL, async (event, name, input) => {
    const refusal = senderRefusal(event, windows);
    if (refusal) {
      logger.warn('ipc: refused a call', { reason: refusal });
      return failure('forbidden', FORBIDDEN_MESSAGE);
    }
    return handleCall(options, name, input);
  });
  const unsubscribe = engine.subscribe((event) => {
    for (const contents of windows.contents()) {
      // A window that is somehow showing something else than Gatehouse gets nothing.
      if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
      contents.send(EVENT_CHANNEL, event);
    }
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}

/**
 * One call from a trusted sender: name and input checked, a save of an unsandboxed local command
 * confirmed in a native dialog, engine called, outcome as a CallReply.
 */
async function handleCall(
  { engine, logger, confirmUnsandboxed }: IpcOptions,
  name: unknown,
  input: unknown,
): Promise<CallReply> {
  if (typeof name !== 'string') {
    return failure('bad_request', 'The operation name must be a string, such as "status.get".');
  }
  if (!isOperationName(name)) {
    return failure('not_found', `There is no operation named ${shorten(name)}.`);
  }
  const plain = asJson(input);
  if (!plain.ok) return failure('bad_request', `Invalid input for ${name}: ${plain.reason}`);
  const unsandboxed = unsandboxedCommand(plain.value);
  if (unsandboxed && !(await confirmUnsandboxed(unsandboxed))) {
    logger.info('ipc: the user kept the sandbox on', { operation: name, connector: unsandboxed.connector });
    return failure('forbidden', SANDBOX_KEPT_MESSAGE);
  }
  try {
    return { ok: true, value: await engine.call(name, plain.value) };
  } catch (error) {
    if (isGatehouseError(error)) return failure(error.code, error.message);
    logger.error('ipc: operation failed', { operation: name, error: (error as Error)?.message });
    return failure('internal', INTERNAL_MESSAGE);
  }
}

/**
 * The input as the HTTP API would receive it: plain JSON. IPC's structured clone carries more
 * (Maps, Dates, typed arrays, cycles); turning it into JSON first means both transports hand the
 * contract exactly the same values, and a `__proto__` key stays an ordinary own property.
 */
function asJson(input: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (input === undefined || input === null) return { ok: true, value: {} };
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch {
    return { ok: false, reason: 'it must be plain JSON data (no cycles, no BigInt).' };
  }
  if (text === undefined) return { ok: false, reason: 'it must be plain JSON data.' };
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    return { ok: false, reason: `it is larger than ${MAX_INPUT_BYTES / 1024} KiB.` };
  }
  return { ok: true, value: JSON.parse(text) as unknown };
}

/** A fresh object with two strings: nothing else from an error (stack, cause) can ride along. */
function failure(code: string, message: string): CallReply {
  return { ok: false, error: { code: String(code), message: String(message) } };
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
