// Small fakes of the Electron objects the desktop shell is handed (app, Tray, Menu, nativeImage,
// clipboard, dialog, safeStorage, shell, Notification). They record what the shell did, so tests
// run without the Electron binary — which `require('electron')` would try to download.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DesktopAppModule, DesktopElectron } from '../../main/desktop/desktop-app.js';
import type { SafeStorageLike } from '../../main/desktop/safe-storage-vault.js';
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
  readonly dock = { hidden: false, hide: () => void (this.dock.hidden = true) };
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

export interface FakeDesktopElectron extends DesktopElectron<FakeImage, FakeMenu>, FakeTrayElectron {
  app: FakeApp;
  readonly errorBoxes: Array<{ title: string; content: string }>;
  readonly opened: string[];
  readonly notifications: Array<{ title: string; body: string }>;
}

export function fakeDesktopElectron(
  appData: string,
  safeStorage: SafeStorageLike = fakeSafeStorage(),
): FakeDesktopElectron {
  const errorBoxes: Array<{ title: string; content: string }> = [];
  const opened: string[] = [];
  const notifications: Array<{ title: string; body: string }> = [];
  class Notification {
    static supported = true;
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported(): boolean {
      return Notification.supported;
    }
    show(): void {
      notifications.push(this.options);
    }
  }
  return {
    ...fakeTrayElectron(),
    app: new FakeApp(appData),
    dialog: { showErrorBox: (title, content) => void errorBoxes.push({ title, content }) },
    safeStorage,
    shell: {
      openExternal: async (url) => {
        opened.push(url);
      },
    },
    Notification,
    errorBoxes,
    opened,
    notifications,
  };
}
