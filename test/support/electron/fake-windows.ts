// Fakes of Electron's windows: BrowserWindow, its web contents with the navigation guards the shell
// installs, and the session's permission handlers.
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowLike,
  NavigationEvent,
  SessionLike,
  WebContentsLike,
  WindowOptions,
} from '../../../main/desktop/windows.js';

/** A navigation event as Electron passes it; `prevented` says whether the shell stopped it. */
function navigationEvent(url: string): NavigationEvent & { prevented: boolean } {
  const event = {
    url,
    prevented: false,
    preventDefault: () => void (event.prevented = true),
  };
  return event;
}

let nextContentsId = 1;

/** A web contents: remembers its URL, what was sent to it, and the guards installed on it. */
export class FakeWebContents implements WebContentsLike {
  readonly id = nextContentsId++;
  readonly events = new EventEmitter();
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  /** The main frame, as `event.senderFrame` gives it for a call from the page itself. */
  get mainFrame(): { url: string; parent: null } {
    return { url: this.url, parent: null };
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  /** Plays a will-navigate (or will-redirect); true when the shell prevented it. */
  tryNavigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const event = navigationEvent(url);
    this.events.emit(kind, event, url);
    return event.prevented;
  }
  /** Plays its renderer dying (Electron emits render-process-gone after the fact, asynchronously). */
  renderProcessGone(reason = 'crashed', exitCode = 11): void {
    this.events.emit('render-process-gone', {}, { reason, exitCode });
  }
  /** Plays a <webview> attaching; true when the shell prevented it. */
  tryAttachWebview(): boolean {
    const event = navigationEvent('');
    this.events.emit('will-attach-webview', event, {}, {});
    return event.prevented;
  }
}

/**
 * A BrowserWindow: records its options and how the shell moved it; emits ready-to-show on load.
 * focus() is a request: the window counts as focused only once userFocuses() plays the user (or an
 * OS that granted it) coming to it, as Windows and Wayland decide for a background app.
 */
export class FakeBrowserWindow implements BrowserWindowLike {
  readonly events = new EventEmitter();
  readonly webContents = new FakeWebContents();
  readonly loads: string[] = [];
  /** 'show', 'focus', 'moveTop', 'restore', 'flash', 'flash stopped' in the order the shell asked. */
  readonly moves: string[] = [];
  /** Every setVisibleOnAllWorkspaces call's arguments. */
  readonly workspaces: unknown[][] = [];
  visible = false;
  minimized = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: WindowOptions) {}

  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.webContents.url = url;
    // Electron fires ready-to-show once the first load has painted.
    queueMicrotask(() => this.events.emit('ready-to-show'));
  }
  show(): void {
    this.visible = true;
    this.moves.push('show');
  }
  focus(): void {
    this.moves.push('focus');
  }
  moveTop(): void {
    this.moves.push('moveTop');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
    this.moves.push('restore');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  flashFrame(flash: boolean): void {
    this.moves.push(flash ? 'flash' : 'flash stopped');
  }
  setVisibleOnAllWorkspaces(...args: unknown[]): void {
    this.workspaces.push(args);
  }
  /** The user comes to the window (or the OS granted the focus): it is focused, and says so. */
  userFocuses(): void {
    this.focused = true;
    this.events.emit('focus');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The window closing, by the shell or by the user's close button. */
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.events.emit('closed');
  }
  once(event: string, listener: () => void): this {
    this.events.once(event, listener);
    return this;
  }
  on(event: string, listener: () => void): this {
    this.events.on(event, listener);
    return this;
  }
}

/** The session: its permission handlers and the header listener the shell installed. */
export class FakeSession implements SessionLike {
  /** Chromium's answer per URL origin (`resolveProxy`); any other origin is DIRECT. */
  readonly proxyAnswers = new Map<string, string>();
  /** Every URL `resolveProxy` was asked about. */
  readonly proxyLookups: string[] = [];
  resolveProxy(url: string): Promise<string> {
    this.proxyLookups.push(url);
    return Promise.resolve(this.proxyAnswers.get(new URL(url).origin) ?? 'DIRECT');
  }
  permissionRequestHandler:
    ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((webContents: unknown, permission: string) => boolean) | undefined;
  headersListener:
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheckHandler']>): void {
    this.permissionCheckHandler = handler;
  }
  /** Asks the request handler; resolves to what it granted. */
  requestPermission(permission: string): Promise<boolean> {
    return new Promise((resolve) => this.permissionRequestHandler?.({}, permission, resolve));
  }
  /** Runs the header listener on a response's headers. */
  headersFor(responseHeaders: Record<string, string[]>): Record<string, string[]> | undefined {
    let result: Record<string, string[]> | undefined;
    this.headersListener?.({ responseHeaders }, (response) => (result = response.responseHeaders));
    return result;
  }
}
