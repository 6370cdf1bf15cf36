// Small fakes of the Electron objects the desktop shell is handed (app, Tray, Menu, nativeImage,
// clipboard, dialog, safeStorage, shell, Notification, protocol, session, BrowserWindow, ipcMain).
// They record what the shell did, so tests run without the Electron binary — which
// `require('electron')` would try to download. Each follows Electron 45's documented behaviour for
// the part the shell uses (electron.d.ts), including what an OS may refuse: a window asked to take
// focus stays unfocused until the "user" focuses it, a notification can fail to show.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AppMenuItem } from '../../main/desktop/app-menu.js';
import type { DesktopAppModule, DesktopElectron } from '../../main/desktop/desktop-app.js';
import type { CallEvent, IpcMainLike } from '../../main/desktop/ipc.js';
import type { NotificationLike, NotificationOptions } from '../../main/desktop/notifier.js';
import type { SafeStorageLike } from '../../main/desktop/safe-storage-vault.js';
import type {
  BrowserWindowLike,
  NavigationEvent,
  SessionLike,
  WebContentsLike,
  WindowOptions,
} from '../../main/desktop/windows.js';
import type { CallReply } from '../../preload/ipc-channels.js';
import type { TrayElectron, TrayIcon } from '../../main/desktop/tray.js';
import type { TrayMenuItem } from '../../main/desktop/tray-menu.js';

export class FakeImage {
  constructor(readonly path: string) {}
}

/** A menu item of the tray menu or the application menu. */
export type FakeMenuItem = Omit<TrayMenuItem, 'submenu'> &
  Omit<AppMenuItem, 'submenu'> & { submenu?: FakeMenuItem[] };

export class FakeMenu {
  constructor(readonly template: FakeMenuItem[]) {}
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

export interface FakeMenuModule {
  buildFromTemplate(template: FakeMenuItem[]): FakeMenu;
  setApplicationMenu(menu: FakeMenu | null): void;
}

export interface FakeTrayElectron extends TrayElectron<FakeImage, FakeMenu> {
  Menu: FakeMenuModule;
  readonly trays: FakeTray[];
  readonly menusBuilt: FakeMenu[];
  /** Every Menu.setApplicationMenu, in order. */
  readonly applicationMenus: Array<FakeMenu | null>;
  readonly clipboardWrites: string[];
}

export function fakeTrayElectron(): FakeTrayElectron {
  const trays: FakeTray[] = [];
  const menusBuilt: FakeMenu[] = [];
  const applicationMenus: Array<FakeMenu | null> = [];
  const clipboardWrites: string[] = [];
  return {
    trays,
    menusBuilt,
    applicationMenus,
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
      setApplicationMenu: (menu) => void applicationMenus.push(menu),
    },
    nativeImage: { createFromPath: (path) => new FakeImage(path) },
    clipboard: { writeText: (text) => void clipboardWrites.push(text) },
  };
}

/** The item reached by following labels through submenus; throws with what was there instead. */
export function menuItem(template: readonly FakeMenuItem[], ...labels: string[]): FakeMenuItem {
  let items = template;
  let found: FakeMenuItem | undefined;
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

/** Labels of a menu level, separators as '---', role items as 'role:<role>'. */
export function labels(items: readonly FakeMenuItem[]): string[] {
  return items.map((item) =>
    item.type === 'separator' ? '---' : item.role ? `role:${item.role}` : (item.label ?? ''),
  );
}

/**
 * safeStorage with a real cipher under a per-instance key (so a ciphertext from another "keychain"
 * fails to decrypt, as it would), the availability the test chooses, and `reEncrypt` to play a
 * keychain that rotated its key (decryptStringAsync then says shouldReEncrypt). The synchronous
 * decryptString (deprecated in Electron 45) reads the same ciphertexts, as Electron's does.
 */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string; reEncrypt?: boolean } = {},
): SafeStorageLike & {
  encryptions: number;
  decryptions: number;
  decryptString(encrypted: Buffer): string;
  sealLegacy(plainText: string): Buffer;
} {
  const key = randomBytes(32);
  const seal = (plainText: string): Buffer => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.update(plainText, 'utf8'), cipher.final()]);
  };
  const open = (encrypted: Buffer): string => {
    if (encrypted.subarray(0, 3).toString() !== 'v11')
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-cbc', key, encrypted.subarray(3, 19));
    return Buffer.concat([decipher.update(encrypted.subarray(19)), decipher.final()]).toString('utf8');
  };
  const state = {
    encryptions: 0,
    decryptions: 0,
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    async encryptStringAsync(plainText: string): Promise<Buffer> {
      state.encryptions++;
      return seal(plainText);
    },
    async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
      state.decryptions++;
      return { result: open(encrypted), shouldReEncrypt: options.reEncrypt ?? false };
    },
    decryptString: open,
    /** Seals as the first desktop builds did, one secret at a time (synchronous encryptString). */
    sealLegacy: seal,
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
  /** The args each login item read and write named (Windows passes --hidden). */
  readonly loginItemArgs: Array<string[] | undefined> = [];
  /** macOS: whether this launch came from the login item. */
  wasOpenedAtLogin = false;
  focusCalls: Array<{ steal: boolean } | undefined> = [];
  readonly appUserModelIds: string[] = [];
  /** What moveToApplicationsFolder answers: true (moving), false (cancelled), or an error it throws. */
  moveResult: boolean | Error = true;
  moves = 0;
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
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    this.loginItemArgs.push(options?.args);
    return { ...this.loginItem, wasOpenedAtLogin: this.wasOpenedAtLogin };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void {
    this.loginItem = { openAtLogin: settings.openAtLogin };
    this.loginItemWrites.push(settings.openAtLogin);
    this.loginItemArgs.push(settings.args);
  }
  focus(options?: { steal: boolean }): void {
    this.focusCalls.push(options);
  }
  setAppUserModelId(id: string): void {
    this.calls.push(`setAppUserModelId ${id}`);
    this.appUserModelIds.push(id);
  }
  moveToApplicationsFolder(): boolean {
    this.moves++;
    if (this.moveResult instanceof Error) throw this.moveResult;
    return this.moveResult;
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

export type FakeNotice = NotificationOptions;

export interface FakeMessageBox {
  message: string;
  detail: string;
  buttons: string[];
}

export interface FakeDesktopElectron
  extends Omit<DesktopElectron<FakeImage, FakeMenu>, 'Menu'>, FakeTrayElectron {
  app: FakeApp;
  readonly errorBoxes: Array<{ title: string; content: string }>;
  /** Message boxes shown; each is answered with the next of `messageBoxAnswers` (else 0). */
  readonly messageBoxes: FakeMessageBox[];
  readonly messageBoxAnswers: number[];
  readonly opened: string[];
  readonly notifications: FakeNotice[];
  /** Clicks the shown notification with this title. */
  clickNotification(title: string): void;
  /** Plays the OS refusing to show the notification with this title (macOS and Windows emit 'failed'). */
  failNotification(title: string, error: string): void;
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
  const messageBoxes: FakeMessageBox[] = [];
  const messageBoxAnswers: number[] = [];
  const opened: string[] = [];
  const notifications: FakeNotice[] = [];
  const shown: Notification[] = [];
  class Notification implements NotificationLike {
    static supported = true;
    readonly events = new EventEmitter();
    constructor(readonly options: NotificationOptions) {}
    static isSupported(): boolean {
      return Notification.supported;
    }
    show(): void {
      notifications.push(this.options);
      shown.push(this);
    }
    on(event: 'click' | 'close' | 'failed', listener: (...args: never[]) => void): this {
      this.events.on(event, listener as (...args: unknown[]) => void);
      return this;
    }
  }
  const shownNamed = (title: string): Notification => {
    const notification = shown.find((candidate) => candidate.options.title === title);
    if (!notification) throw new Error(`no notification "${title}" was shown`);
    return notification;
  };
  const app = new FakeApp(appData);
  const privilegedSchemes: FakeDesktopElectron['privilegedSchemes'] = [];
  const protocolHandlers: FakeDesktopElectron['protocolHandlers'] = new Map();
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  return {
    ...fakeTrayElectron(),
    app,
    dialog: {
      showErrorBox: (title, content) => void errorBoxes.push({ title, content }),
      showMessageBox: async ({ message, detail, buttons }) => {
        messageBoxes.push({ message, detail, buttons });
        return { response: messageBoxAnswers.shift() ?? 0 };
      },
    },
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
    messageBoxes,
    messageBoxAnswers,
    opened,
    notifications,
    clickNotification: (title) => void shownNamed(title).events.emit('click'),
    failNotification: (title, error) => void shownNamed(title).events.emit('failed', {}, error),
    privilegedSchemes,
    protocolHandlers,
    defaultSession,
    windows,
  };
}
