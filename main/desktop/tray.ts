// The tray icon and its menu, kept in step with the engine: every engine event schedules a rebuild
// (at most one per 100 ms), and every click goes through the engine's contract operations, exactly
// as the CLI's would. Takes Electron's Tray, Menu, nativeImage and clipboard as parameters, so tests
// hand it fakes and a real engine.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent, OperationInput, OperationName, OperationOutput } from '../core/api/contract.js';
import type { Logger, Notifier } from '../core/effects.js';
import {
  trayIconState,
  trayMenuTemplate,
  trayToolTip,
  type TrayActions,
  type TrayIconState,
  type TrayMenuItem,
  type TraySnapshot,
} from './tray-menu.js';

/** The engine as the tray sees it: the contract's operations and its event stream. */
export interface TrayEngine {
  readonly mcpUrl: string;
  call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** The part of an Electron Tray this uses. */
export interface TrayIcon<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  popUpContextMenu(): void;
  destroy(): void;
}

/** The Electron objects the tray is built from: `{ Tray, Menu, nativeImage, clipboard }`. */
export interface TrayElectron<Image, Menu> {
  Tray: new (image: Image) => TrayIcon<Image, Menu>;
  Menu: { buildFromTemplate(template: TrayMenuItem[]): Menu };
  nativeImage: { createFromPath(path: string): Image };
  clipboard: { writeText(text: string): void };
}

/**
 * What the tray is given: the app's actions (quit, open the window), where a failed click is told, the
 * logger, and its clock, icons and timing.
 */
export interface TrayOptions {
  /** Quits the app (the app's quit path stops the engine first). */
  quit(): void;
  /** Opens the main window (or brings it forward). */
  openWindow(): void;
  /** Where a failed click is reported: the menu itself has nowhere to show it. */
  notifier: Notifier;
  logger: Logger;
  now?: () => number;
  platform?: NodeJS.Platform;
  /** Folder holding tray-<state>.png, tray-<state>@2x.png and tray-<state>.ico; found beside the sources by default. */
  iconDir?: string;
  debounceMs?: number;
  /** Rebuilds this often even without events, so "last used 2 min ago" stays true. */
  refreshEveryMs?: number;
}

/** The running tray: rebuilt on the engine's events, disposed on quit. */
export interface GatehouseTray {
  /** Reads the engine and rebuilds the menu and icon now. */
  refresh(): Promise<void>;
  /** The state the icon shows (undefined until the first read of the engine). */
  readonly iconState: TrayIconState | undefined;
  dispose(): void;
}

async function readTraySnapshot(engine: TrayEngine, now: number): Promise<TraySnapshot> {
  const [status, clients, consents, registrations, approvals, connectors] = await Promise.all([
    engine.call('status.get'),
    engine.call('clients.list'),
    engine.call('consents.list'),
    engine.call('registrations.list'),
    engine.call('approvals.list'),
    engine.call('connectors.list'),
  ]);
  return { status, clients, consents, registrations, approvals, connectors, now };
}

/** The actions behind the menu's clicks: contract operations, failures reported, never thrown. */
export function trayActions(
  engine: TrayEngine,
  options: {
    clipboard: { writeText(text: string): void };
    quit(): void;
    openWindow(): void;
    notifier: Notifier;
    logger: Logger;
    afterChange(): Promise<void>;
  },
): TrayActions {
  const act =
    <A extends unknown[]>(what: string, work: (...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<void> => {
      try {
        await work(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.logger.warn(`tray: could not ${what}`, { error: message });
        options.notifier.notify({ title: `Gatehouse could not ${what}`, body: message, kind: 'info' });
      }
      await options.afterChange();
    };
  return {
    revokeClient: act('revoke access', (clientId: string) => engine.call('clients.revoke', { clientId })),
    approveConsent: act('approve the request', async (id: string, access: 'read' | 'write') => {
      const approved = await engine.call('consents.approve', { id, access });
      // The menu said so beside the item; the ceiling may have changed since it was built.
      if (approved.effectiveAccess !== access) {
        options.notifier.notify({
          title:
            approved.effectiveAccess === 'none'
              ? 'Approved, with no access for now'
              : 'Approved, with read-only access for now',
          body:
            approved.accessCeiling === 'off'
              ? "Your access ceiling is off, so the client gets nothing until you raise it in Gatehouse's Settings."
              : "Your access ceiling is read-only, so the client can read but not write until you raise it in Gatehouse's Settings.",
          kind: 'info',
        });
      }
    }),
    denyConsent: act('deny the request', (id: string) => engine.call('consents.deny', { id })),
    approveRegistration: act('allow the registration', (id: string) =>
      engine.call('registrations.approve', { id }),
    ),
    denyRegistration: act('deny the registration', (id: string) => engine.call('registrations.deny', { id })),
    allowApproval: act('allow the call', (id: string, always: boolean) =>
      engine.call('approvals.allow', { id, always }),
    ),
    allowApprovalForConnector: act('allow the call', (id: string) =>
      engine.call('approvals.allow', { id, connector: true }),
    ),
    denyApproval: act('deny the call', (id: string) => engine.call('approvals.deny', { id })),
    reconnectConnector: act('reconnect the connector', (name: string) =>
      engine.call('connectors.connect', { name }),
    ),
    pause: act('pause access', () => engine.call('access.pause')),
    resume: act('resume access', () => engine.call('access.resume')),
    copyMcpUrl: () => options.clipboard.writeText(engine.mcpUrl),
    openWindow: () => options.openWindow(),
    quit: () => options.quit(),
  };
}

/** Makes the tray icon and menu, and keeps them following the engine's state. */
export function createTray<Image, Menu>(
  electron: TrayElectron<Image, Menu>,
  engine: TrayEngine,
  options: TrayOptions,
): GatehouseTray {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const iconDir = options.iconDir ?? trayIconDir();
  const platform = options.platform ?? process.platform;
  const debounceMs = options.debounceMs ?? 100;
  const images = new Map<TrayIconState, Image>();
  const image = (state: TrayIconState): Image => {
    let loaded = images.get(state);
    if (loaded === undefined) {
      loaded = electron.nativeImage.createFromPath(join(iconDir, trayIconFile(state, platform)));
      images.set(state, loaded);
    }
    return loaded;
  };

  const tray = new electron.Tray(image('active'));
  tray.setToolTip('Gatehouse — starting…');
  // Windows opens a tray's menu on right click only; people click the icon. On Linux a left click
  // (KDE, and GNOME with the AppIndicator extension) activates the item: it opens the window, and
  // the menu stays on the right click. macOS opens the menu on any click by itself.
  if (platform === 'win32') tray.on('click', () => tray.popUpContextMenu());
  if (platform === 'linux') tray.on('click', () => options.openWindow());

  let iconState: TrayIconState | undefined;
  let shownIcon: TrayIconState = 'active';
  let generation = 0;
  let disposed = false;
  let pending: NodeJS.Timeout | undefined;

  const refresh = async (): Promise<void> => {
    const mine = ++generation;
    let snapshot: TraySnapshot;
    try {
      snapshot = await readTraySnapshot(engine, now());
    } catch (error) {
      logger.warn('tray: could not read the engine state', { error: (error as Error).message });
      return;
    }
    // A newer read started meanwhile: let it win rather than showing an older state last.
    if (disposed || mine !== generation) return;
    iconState = trayIconState(snapshot);
    if (iconState !== shownIcon) {
      tray.setImage(image(iconState));
      shownIcon = iconState;
    }
    tray.setToolTip(trayToolTip(snapshot));
    tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenuTemplate(snapshot, actions)));
  };

  const actions = trayActions(engine, {
    clipboard: electron.clipboard,
    quit: options.quit,
    openWindow: options.openWindow,
    notifier: options.notifier,
    logger,
    afterChange: refresh,
  });

  // Trailing and bounded: a burst of events (a client's calls, a revoke's cascade) costs one rebuild
  // per window, and a steady stream cannot postpone the rebuild forever.
  const schedule = (): void => {
    if (disposed || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      void refresh();
    }, debounceMs);
  };
  const unsubscribe = engine.subscribe(schedule);
  const ticker = setInterval(schedule, options.refreshEveryMs ?? 60_000);
  ticker.unref();
  void refresh();

  return {
    refresh,
    get iconState() {
      return iconState;
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      clearInterval(ticker);
      if (pending) clearTimeout(pending);
      tray.destroy();
    },
  };
}

/**
 * The icon file for a state: an .ico on Windows (it holds 16 to 48 px, so the notification area
 * never scales a PNG at 125 or 150 %); on macOS a template image, black and clear with the state in
 * its shape, which the menu bar draws in its own colours (nativeImage marks a `…Template.png` file
 * as one: electron_api_native_image.cc, IsTemplateFilename); on Linux the coloured PNG. nativeImage
 * picks the @2x file on high-density screens by itself.
 */
function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  if (platform === 'win32') return `tray-${state}.ico`;
  return platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`;
}

/**
 * The folder with the tray icons. They live beside this file in main/desktop/assets/; tsc does not
 * copy them, so the build in dist/main/desktop/ finds them back in the sources.
 * @internal Exported for its tests only: where the icons are found packaged and not, checked without a package.
 */
export function trayIconDir(from: string = import.meta.url): string {
  const here = dirname(fileURLToPath(from));
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'main', 'desktop', 'assets')];
  return candidates.find((dir) => existsSync(join(dir, 'tray-active.png'))) ?? candidates[0]!;
}
