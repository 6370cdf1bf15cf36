// Small fakes of the Electron objects the desktop shell is handed (app, Tray, Menu, nativeImage,
// clipboard, dialog, safeStorage, shell, Notification, protocol, session, BrowserWindow, ipcMain).
// They record what the shell did, so tests run without the Electron binary — which
// `require('electron')` would try to download. Each follows Electron 45's documented behaviour for
// the part the shell uses (electron.d.ts), including what an OS may refuse: a window asked to take
// focus stays unfocused until the "user" focuses it, a notification can fail to show.
// This module assembles them into the one object the shell takes; each fake lives in its own file beside it.
import { EventEmitter } from 'node:events';
import type { DesktopElectron } from '../../../main/desktop/desktop-app.js';
import type { NotificationLike, NotificationOptions } from '../../../main/desktop/notifier.js';
import type { SafeStorageLike } from '../../../main/desktop/safe-storage-vault.js';
import type { WindowOptions } from '../../../main/desktop/windows.js';
import { FakeApp } from './fake-app.js';
import { FakeIpcMain } from './fake-ipc.js';
import { fakeSafeStorage } from './fake-safe-storage.js';
import { fakeTrayElectron, type FakeImage, type FakeMenu, type FakeTrayElectron } from './fake-tray.js';
import { FakeBrowserWindow, FakeSession } from './fake-windows.js';

type FakeNotice = NotificationOptions;

interface FakeMessageBox {
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
