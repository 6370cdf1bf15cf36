// Small fakes of the Electron objects the desktop shell is handed (app, Tray, Menu, nativeImage,
// clipboard, dialog, safeStorage, shell, Notification, protocol, session, BrowserWindow, ipcMain).
// They record what the shell did, so tests run without the Electron binary — which
// `require('electron')` would try to download.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DesktopAppModule, DesktopElectron } from '../../main/desktop/desktop-app.js';
import type { CallEvent, IpcMainLike } from '../../main/desktop/ipc.js';
import type { NotificationLike } from '../../main/desktop/notifier.js';
import type { SafeStorageLike } from '../../main/desktop/safe-storage-vault.js';
import type {
  BrowserWindowLike,
  NavigationEvent,
  SessionLike,
  WebContentsLike,
  WindowOptions,
} from '../../main/desktop/windows.js';
import type { CallReply } from '../../preload/bridge.js';
import type { TrayElectron, TrayIcon } from '../../main/desktop/tray.js';
import type { TrayMenuItem } from '../../main/desktop/tray-menu.js';

export class FakeImage {
  constructor(readonly path: string) {}
}

export class FakeMenu {
  constructor(readonly template: TrayMenuItem[]) {}
}

export class FakeTray implements TrayIcon<FakeImage, FakeMenu> {
  image: FakeImage;
  toolTip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  popUps = 0;
  readonly clickListeners: Array<() => void> = [];

  constructor(image: FakeImage) {
    this.image = image;
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
  }
  on(_event: 'click', listener: () => void): this {
    this.clickListeners.push(listener);
    return this;
  }
  popUpContextMenu(): void {
    this.popUps++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export interface FakeTrayElectron extends TrayElectron<FakeImage, FakeMenu> {
  readonly trays: FakeTray[];
  readonly menusBuilt: FakeMenu[];
  readonly clipboardWrites: string[];
}

export function fakeTrayElectron(): FakeTrayElectron {
  const trays: FakeTray[] = [];
  const menusBuilt: FakeMenu[] = [];
  const clipboardWrites: string[] = [];
  return {
    trays,
    menusBuilt,
    clipboardWrites,
    Tray: class extends FakeTray {
      constructor(image: FakeImage) {
        super(image);
        trays.push(this);
      }
    },
    Menu: {
      buildFromTemplate: (template) => {
        const menu = new FakeMenu(template);
        menusBuilt.push(menu);
        return menu;
      },
    },
    nativeImage: { createFromPath: (path) => new FakeImage(path) },
    clipboard: { writeText: (text) => void clipboardWrites.push(text) },
  };
}

/** The item reached by following labels through submenus; throws with what was there instead. */
export function menuItem(template: readonly TrayMenuItem[], ...labels: string[]): TrayMenuItem {
  let items = template;
  let found: TrayMenuItem | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label === label);
    if (!found) {
      const present = items.map((item) => item.label ?? `(${item.type})`).join(' | ');
      throw new Error(`no menu item "${label}" among: ${present}`);
    }
    items = found.submenu ?? [];
  }
  if (!found) throw new Error('menuItem needs at least one label');
  return found;
}

/** Labels of a menu level, separators as '---'. */
export function labels(items: readonly TrayMenuItem[]): string[] {
  return items.map((item) => (item.type === 'separator' ? '---' : (item.label ?? '')));
}

/**
 * safeStorage with a real cipher under a per-instance key (so a ciphertext from another "keychain"
 * fails to decrypt, as it would), and the availability the test chooses.
 */
export function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & {
  encryptions: number;
} {
  const key = randomBytes(32);
  const state = {
    encryptions: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plainText: string): Buffer {
      state.encryptions++;
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([Buffer.from('v11'), iv, cipher.update(plainText, 'utf8'), cipher.final()]);
    },
    decryptString(encrypted: Buffer): string {
      if (encrypted.subarray(0, 3).toString() !== 'v11')
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const decipher = createDecipheriv('aes-256-cbc', key, encrypted.subarray(3, 19));
      return Buffer.concat([decipher.update(encrypted.subarray(19)), decipher.final()]).toString('utf8');
    },
  };
  return state;
}

/** A fake `app`: records what the shell asked of it and plays Electron's quit sequence. */
export class FakeApp implements DesktopAppModule {
  readonly events = new EventEmitter();
  readonly calls: string[] = [];
  readonly paths = new Map<string, string>();
  name = 'gatehouse';
  lock = true;
  quitted = false;
  exitCode: number | undefined;
  isPackaged = false;
  appPath = '/nonexistent/gatehouse-app';
  loginItem = { openAtLogin: false };
  readonly loginItemWrites: boolean[] = [];
  focusCalls: Array<{ steal: boolean } | undefined> = [];
  readonly dock = {
    hidden: false,
    /** 'show' / 'hide' in the order the shell asked. */
    log: [] as string[],
    hide: () => {
      this.dock.hidden = true;
      this.dock.log.push('hide');
    },
    show: async () => {
      this.dock.hidden = false;
      this.dock.log.push('show');
    },
  };
  #ready: () => void = () => undefined;
  readonly #whenReady = new Promise<void>((resolve) => (this.#ready = resolve));
  /** Resolves once a quit has gone all the way through (not prevented). */
  readonly quit$: Promise<void>;
  #quitDone: () => void = () => undefined;

  constructor(appData: string) {
    this.paths.set('appData', appData);
    this.quit$ = new Promise((resolve) => (this.#quitDone = resolve));
  }

  setName(name: string): void {
    this.calls.push(`setName ${name}`);
    this.name = name;
  }
  getPath(name: 'appData' | 'userData'): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path ${name}`);
    return path;
  }
  setPath(name: 'userData', path: string): void {
    this.calls.push(`setPath ${name}`);
    this.paths.set(name, path);
  }
  getVersion(): string {
    return '9.9.9-test';
  }
  getAppPath(): string {
    return this.appPath;
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...this.loginItem };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = { openAtLogin: settings.openAtLogin };
    this.loginItemWrites.push(settings.openAtLogin);
  }
  focus(options?: { steal: boolean }): void {
    this.focusCalls.push(options);
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.lock;
  }
  whenReady(): Promise<void> {
    return this.#whenReady;
  }
  /** Emits `ready`, as Electron does once the entry module has evaluated. */
  becomeReady(): void {
    this.calls.push('ready');
    this.#ready();
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  quit(): void {
    this.calls.push('quit');
    let prevented = false;
    this.events.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented || this.quitted) return;
    this.quitted = true;
    this.calls.push('quitted');
    this.#quitDone();
  }
  exit(exitCode = 0): void {
    this.calls.push(`exit ${exitCode}`);
    this.exitCode = exitCode;
    this.quitted = true;
    this.#quitDone();
  }
}

/** A navigation event as Electron passes it; `prevented` says whether the shell stopped it. */
export function navigationEvent(url: string): NavigationEvent & { prevented: boolean } {
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
  /** Plays a <webview> attaching; true when the shell prevented it. */
  tryAttachWebview(): boolean {
    const event = navigationEvent('');
    this.events.emit('will-attach-webview', event, {}, {});
    return event.prevented;
  }
}

/** A BrowserWindow: records its options and how the shell moved it; emits ready-to-show on load. */
export class FakeBrowserWindow implements BrowserWindowLike {
  readonly events = new EventEmitter();
  readonly webContents = new FakeWebContents();
  readonly loads: string[] = [];
  /** 'show', 'focus', 'moveTop', 'restore' in the order the shell asked. */
  readonly moves: string[] = [];
  visible = false;
  minimized = false;
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

export interface FakeNotice {
  title: string;
  body: string;
}

export interface FakeDesktopElectron extends DesktopElectron<FakeImage, FakeMenu>, FakeTrayElectron {
  app: FakeApp;
  readonly errorBoxes: Array<{ title: string; content: string }>;
  readonly opened: string[];
  readonly notifications: FakeNotice[];
  /** Clicks the shown notification with this title. */
  clickNotification(title: string): void;
  readonly privilegedSchemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  readonly protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  readonly defaultSession: FakeSession;
  readonly windows: FakeBrowserWindow[];
  readonly ipc: FakeIpcMain;
}

export function fakeDesktopElectron(
  appData: string,
  safeStorage: SafeStorageLike = fakeSafeStorage(),
): FakeDesktopElectron {
  const errorBoxes: Array<{ title: string; content: string }> = [];
  const opened: string[] = [];
  const notifications: FakeNotice[] = [];
  const shown: Notification[] = [];
  class Notification implements NotificationLike {
    static supported = true;
    readonly events = new EventEmitter();
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported(): boolean {
      return Notification.supported;
    }
    show(): void {
      notifications.push(this.options);
      shown.push(this);
    }
    on(event: 'click' | 'close', listener: () => void): this {
      this.events.on(event, listener);
      return this;
    }
  }
  const app = new FakeApp(appData);
  const privilegedSchemes: FakeDesktopElectron['privilegedSchemes'] = [];
  const protocolHandlers: FakeDesktopElectron['protocolHandlers'] = new Map();
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  return {
    ...fakeTrayElectron(),
    app,
    dialog: { showErrorBox: (title, content) => void errorBoxes.push({ title, content }) },
    safeStorage,
    shell: {
      openExternal: async (url) => {
        opened.push(url);
      },
    },
    Notification,
    protocol: {
      registerSchemesAsPrivileged: (schemes) => void privilegedSchemes.push(...schemes),
      handle: (scheme, handler) => void protocolHandlers.set(scheme, handler),
    },
    session: { defaultSession },
    BrowserWindow: class extends FakeBrowserWindow {
      constructor(options: WindowOptions) {
        super(options);
        windows.push(this);
        // As Electron does for every new web contents.
        app.events.emit('web-contents-created', {}, this.webContents);
      }
    },
    ipcMain: new FakeIpcMain(),
    get ipc() {
      return this.ipcMain as FakeIpcMain;
    },
    errorBoxes,
    opened,
    notifications,
    clickNotification: (title) => {
      const notification = shown.find((candidate) => candidate.options.title === title);
      if (!notification) throw new Error(`no notification "${title}" was shown`);
      notification.events.emit('click');
    },
    privilegedSchemes,
    protocolHandlers,
    defaultSession,
    windows,
  };
}
