// The names shared by the preload script and the desktop shell's IPC handlers, declared once.
// (Imported by both sides; contains no Electron code so either can load it.)

export const CALL_CHANNEL = 'gatehouse:call';
export const EVENT_CHANNEL = 'gatehouse:event';
/** The global the preload script exposes to the renderer (contextBridge.exposeInMainWorld). */
export const WINDOW_API_GLOBAL = 'gatehouse';

export type CallReply =
  { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
