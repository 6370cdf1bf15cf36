// A fake of Electron's ipcMain, and the invoke event a page's main frame produces.
import type { CallEvent, IpcMainLike } from '../../../main/desktop/ipc.js';
import type { CallReply } from '../../../preload/ipc-channels.js';
import type { FakeWebContents } from './fake-windows.js';

/** ipcMain: the registered handlers, and a way to invoke one as a renderer would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: CallEvent, ...args: unknown[]) => Promise<CallReply>>();
  handle(channel: string, listener: (event: CallEvent, ...args: unknown[]) => Promise<CallReply>): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: CallEvent, ...args: unknown[]): Promise<CallReply> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** The invoke event a page's main frame produces. */
export function callFrom(contents: FakeWebContents): CallEvent {
  return { sender: contents, senderFrame: contents.mainFrame };
}
