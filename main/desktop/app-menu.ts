// The application menu: the menu bar on macOS, the menu bar of Gatehouse's main window on Windows and
// Linux. It carries Quit, Pause all access / Resume and Copy MCP URL, so everything the tray offers
// for the app itself is also reachable from the window — stock GNOME shows no tray icon at all. The
// clicks are the tray's own actions (tray.ts), so they behave and fail the same way; the Pause item
// follows the engine's settings.
import type { EngineEvent } from '../core/api/contract.js';
import type { Logger } from '../core/effects.js';
import type { TrayActions } from './tray-menu.js';

/** Electron roles the menu uses (each does what the OS's own menus do). */
type MenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'toggleDevTools'
  | 'minimize'
  | 'close'
  | 'front';

/** The subset of Electron's MenuItemConstructorOptions the menu uses (assignable to it). */
export interface AppMenuItem {
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: AppMenuItem[];
}

/** What the application menu's items do: the tray's actions it shares. */
export type AppMenuActions = Pick<TrayActions, 'pause' | 'resume' | 'copyMcpUrl' | 'openWindow' | 'quit'>;

/** What the menu shows: whether access is paused, and whether the developer tools item is there. */
export interface AppMenuState {
  paused: boolean;
  /** View ▸ Toggle Developer Tools, outside the installed app only. */
  devTools: boolean;
}

const separator: AppMenuItem = { type: 'separator' };

/**
 * The menu as data, for one platform and state.
 * @internal Exported for its tests only: the menu as data, checked without Electron.
 */
export function appMenuTemplate(
  state: AppMenuState,
  actions: AppMenuActions,
  platform: NodeJS.Platform,
): AppMenuItem[] {
  const mac = platform === 'darwin';
  const access: AppMenuItem[] = [
    state.paused
      ? { label: 'Resume', click: () => void actions.resume() }
      : { label: 'Pause all access', click: () => void actions.pause() },
    { label: 'Copy MCP URL', click: () => actions.copyMcpUrl() },
  ];
  const quit: AppMenuItem = {
    label: 'Quit Gatehouse',
    accelerator: 'CommandOrControl+Q',
    click: () => actions.quit(),
  };
  const gatehouse: AppMenuItem = mac
    ? {
        label: 'Gatehouse',
        submenu: [
          { role: 'about' },
          separator,
          ...access,
          separator,
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          separator,
          quit,
        ],
      }
    : // "&" marks the Alt access key on Windows and Linux.
      { label: '&Gatehouse', submenu: [...access, separator, quit] };
  const edit: AppMenuItem = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: AppMenuItem = {
    label: mac ? 'View' : '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      ...(state.devTools ? [separator, { role: 'toggleDevTools' as const }] : []),
    ],
  };
  const window: AppMenuItem = {
    label: mac ? 'Window' : '&Window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'close' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  return [gatehouse, edit, view, window];
}

/** The engine as the menu reads it. */
export interface AppMenuEngine {
  call(name: 'settings.get'): Promise<{ paused: boolean }>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** Electron's Menu, as far as the application menu goes. */
export interface ApplicationMenuModule<Menu> {
  buildFromTemplate(template: AppMenuItem[]): Menu;
  setApplicationMenu(menu: Menu | null): void;
}

/** The installed application menu: set again from the engine's state, disposed on quit. */
export interface AppMenu {
  /** Reads the engine and sets the menu again now. */
  refresh(): Promise<void>;
  dispose(): void;
}

/** Sets the application menu and keeps its Pause item in step with the engine's settings. */
export function installAppMenu<Menu>(
  Menu: ApplicationMenuModule<Menu>,
  engine: AppMenuEngine,
  actions: AppMenuActions,
  options: { platform: NodeJS.Platform; devTools: boolean; logger: Logger },
): AppMenu {
  let disposed = false;
  let shown: boolean | undefined;
  const refresh = async (): Promise<void> => {
    let paused: boolean;
    try {
      ({ paused } = await engine.call('settings.get'));
    } catch (error) {
      options.logger.warn('menu: could not read the settings', { error: (error as Error).message });
      return;
    }
    if (disposed || paused === shown) return;
    shown = paused;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({ paused, devTools: options.devTools }, actions, options.platform),
      ),
    );
  };
  // Pause and resume, wherever they come from (tray, CLI, window), are settings changes.
  const unsubscribe = engine.subscribe((event) => event.type === 'settings.changed' && void refresh());
  void refresh();
  const dispose = () => {
    disposed = true;
    unsubscribe();
  };
  return { refresh, dispose };
}
