// Gatehouse's windows: the main window (opened from the tray, a second launch or the Dock) and the
// one decision window that comes forward when a consent or an approval waits, as far as each OS lets
// an app come forward (see createWindows). Also the guards every
// web contents and the session get: no navigation away from the app, no new windows, no webviews,
// no permissions, and the CSP on every response. Electron's classes come in as parameters.
import type { Logger } from '../core/effects.js';
import {
  appUrl,
  decisionWindowOptions,
  mainWindowOptions,
  navigationAllowed,
  newWindowDecision,
  routes,
  withContentSecurityPolicy,
} from './window-policy.js';

/** Electron's navigation events carry the target URL on the event (and, older, as an argument). */
export interface NavigationEvent {
  readonly url?: string;
  preventDefault(): void;
}

/** The part of a WebContents the shell uses. */
export interface WebContentsLike {
  readonly id: number;
  getURL(): string;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  /** Its renderer crashed or was killed (emitted asynchronously: electron_api_web_contents.cc). */
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
}

/** A window whose renderer died twice within this long is closed rather than loaded a third time. */
const CRASH_LOOP_MS = 10_000;

/** The part of a BrowserWindow the shell uses. */
export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  moveTop(): void;
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  close(): void;
  /** Windows: flashes the taskbar button (until stopped); macOS: bounces the Dock icon. */
  flashFrame(flash: boolean): void;
  /** macOS and Linux: shows the window on every workspace (Space). */
  setVisibleOnAllWorkspaces(
    visible: boolean,
    options?: { visibleOnFullScreen?: boolean; skipTransformProcessType?: boolean },
  ): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'focus', listener: () => void): unknown;
}

/** The options a Gatehouse window is made with (main or decision window). */
export type WindowOptions = ReturnType<typeof mainWindowOptions> | ReturnType<typeof decisionWindowOptions>;

/** Electron's BrowserWindow constructor, as the shell uses it (tests pass a fake). */
export type BrowserWindowClass = new (options: WindowOptions) => BrowserWindowLike;

/** The part of an Electron Session the shell uses. */
export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** What the web contents guards need: where an allowed external link opens, and the logger. */
export interface GuardOptions {
  /** Where an https link a page tries to open goes: the checked URL opener (the user's browser). */
  openExternal(url: string): Promise<void>;
  logger: Logger;
}

/**
 * Guards one web contents (every one the app creates passes through here, from the app's
 * `web-contents-created`): navigation and redirects stay on app://gatehouse, window.open never
 * opens a window, and <webview> never attaches.
 */
export function guardWebContents(contents: WebContentsLike, options: GuardOptions): void {
  const { logger } = options;
  const stayHome = (kind: string) => (event: NavigationEvent, url: string) => {
    const target = event.url ?? url;
    if (navigationAllowed(target)) return;
    event.preventDefault();
    logger.warn(`window: blocked a ${kind} away from Gatehouse`, { url: target });
  };
  contents.on('will-navigate', stayHome('navigation'));
  contents.on('will-redirect', stayHome('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('window: blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = newWindowDecision(url);
    if (decision.openExternally) {
      options.openExternal(url).catch((error: unknown) => {
        logger.warn('window: did not open a link', { url, error: (error as Error).message });
      });
    } else {
      logger.warn('window: blocked a new window', { url });
    }
    return { action: 'deny' };
  });
}

/** Denies every permission (camera, notifications, clipboard, HID…) and sets the CSP on responses. */
export function guardSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}

/**
 * What the windows are made from: the BrowserWindow class, the preload script, DevTools, the logger,
 * and each OS's way of bringing a window forward.
 */
export interface WindowsOptions {
  BrowserWindow: BrowserWindowClass;
  /** dist/preload/preload.cjs in the app. */
  preload: string;
  devTools: boolean;
  logger: Logger;
  /**
   * macOS: Gatehouse has no Dock icon while it lives in the menu bar; it shows one while the main
   * window is open, so the window can be found with ⌘-Tab. Undefined elsewhere.
   */
  dock?: { show(): unknown; hide(): void } | undefined;
  /** Asks the OS to make Gatehouse the active app (macOS: app.focus(), which the OS may decline). */
  focusApp?: () => void;
  /** The clock (Date.now): tells a renderer that keeps dying from one that died once. */
  now?: () => number;
  /** How the decision window comes forward depends on what each OS allows; process.platform by default. */
  platform?: NodeJS.Platform;
}

/** The main window and the decision window: shown, focused and closed by the shell. */
export interface GatehouseWindows {
  /** Opens the main window, or brings it forward. */
  showMain(): void;
  /** Shows `route` (see routes) in the decision window, opening it or bringing it forward. */
  showDecision(route: string): void;
  /** Closes the decision window without counting it as dismissed by the user. */
  closeDecision(): void;
  /** Brings the decision window forward; false when none is open. */
  focusDecision(): boolean;
  /** Called when the user closes the decision window themself. */
  onDecisionDismissed(listener: () => void): void;
  /** Whether the web contents belongs to one of Gatehouse's open windows. */
  owns(contents: { readonly id: number }): boolean;
  /** Web contents of every open window. */
  contents(): WebContentsLike[];
  readonly openCount: number;
}

/**
 * The windows. A decision window comes forward as far as each OS allows an app in the background to:
 * - macOS 14+ decides itself whether an app may become active (cooperative activation: the
 *   `activateIgnoringOtherApps:` behind `app.focus({ steal: true })` is deprecated and no longer
 *   steals), so the app only asks (`app.focus()`), and the window floats on every Space, full-screen
 *   ones included, where the user will see it whether or not the request is granted;
 * - Windows refuses to give a background app the foreground: the window shows on top, and its
 *   taskbar button flashes until the user comes to it;
 * - Linux: X11 window managers mostly honour the focus request; Wayland ignores it and always-on-top.
 * Everywhere the decision is also announced as a notification (decision-windows.ts), so it never
 * depends on the window alone.
 */
export function createWindows(options: WindowsOptions): GatehouseWindows {
  const { logger } = options;
  const platform = options.platform ?? process.platform;
  const open = new Set<BrowserWindowLike>();
  let main: BrowserWindowLike | undefined;
  let decision: { window: BrowserWindowLike; route: string; closingOnPurpose: boolean } | undefined;
  const dismissedListeners: Array<() => void> = [];
  const policy = { preload: options.preload, devTools: options.devTools };

  const bringForward = (window: BrowserWindowLike): void => {
    if (window.isMinimized()) window.restore();
    window.show();
    window.moveTop();
    window.focus();
    options.focusApp?.();
    // Windows kept the foreground from us: the taskbar button flashes until the user comes.
    if (platform === 'win32' && window === decision?.window && !window.isFocused()) window.flashFrame(true);
  };

  const create = (windowOptions: WindowOptions, route: string): BrowserWindowLike => {
    const window = new options.BrowserWindow(windowOptions);
    open.add(window);
    window.once('ready-to-show', () => bringForward(window));
    window.on('closed', () => open.delete(window));
    // A dead renderer leaves a blank window — for the decision window, one kept on top of everything.
    // Load the page again (a fresh renderer); a second death soon after closes it instead, and the
    // decision stays announced and in the tray.
    let lastGone = Number.NEGATIVE_INFINITY;
    window.webContents.on('render-process-gone', (_event, details) => {
      if (window.isDestroyed()) return;
      const now = (options.now ?? Date.now)();
      const again = now - lastGone < CRASH_LOOP_MS;
      lastGone = now;
      logger.error('window: its page stopped', { reason: details.reason, exitCode: details.exitCode, again });
      if (again) {
        if (decision?.window === window) decision.closingOnPurpose = true;
        window.close();
        return;
      }
      load(window, window === decision?.window ? decision.route : currentRoute(window, route));
    });
    load(window, route);
    return window;
  };

  const createDecision = (route: string): BrowserWindowLike => {
    const window = create(decisionWindowOptions(policy), route);
    if (platform === 'darwin') {
      // On every Space and over full-screen apps. The app manages its Dock icon itself (it shows one
      // only for the main window, staying a UI element otherwise, which full-screen Spaces need), so
      // Electron must not switch the process type here.
      window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true, skipTransformProcessType: true });
    } else if (platform === 'linux') {
      window.setVisibleOnAllWorkspaces(true);
    } else if (platform === 'win32') {
      window.on('focus', () => window.flashFrame(false));
    }
    return window;
  };

  /** The route a window shows (its URL's hash), else the one it was opened with. */
  const currentRoute = (window: BrowserWindowLike, fallback: string): string => {
    const url = window.webContents.getURL();
    return url.startsWith(appUrl('')) ? url.slice(appUrl('').length) || fallback : fallback;
  };

  const load = (window: BrowserWindowLike, route: string): void => {
    window.loadURL(appUrl(route)).catch((error: unknown) => {
      logger.error('window: could not load the Gatehouse page', {
        route,
        error: (error as Error).message,
      });
    });
  };

  return {
    showMain() {
      if (main && !main.isDestroyed()) {
        bringForward(main);
        return;
      }
      const window = create(mainWindowOptions(policy), routes.home);
      main = window;
      void options.dock?.show();
      window.on('closed', () => {
        if (main === window) main = undefined;
        options.dock?.hide();
      });
    },
    showDecision(route) {
      if (decision && !decision.window.isDestroyed()) {
        if (decision.route !== route) {
          decision.route = route;
          load(decision.window, route);
        }
        if (decision.window.isVisible()) bringForward(decision.window);
        return;
      }
      const window = createDecision(route);
      const entry = { window, route, closingOnPurpose: false };
      decision = entry;
      window.on('closed', () => {
        if (decision === entry) decision = undefined;
        if (!entry.closingOnPurpose) for (const listener of dismissedListeners) listener();
      });
    },
    closeDecision() {
      if (!decision || decision.window.isDestroyed()) return;
      decision.closingOnPurpose = true;
      decision.window.close();
    },
    focusDecision() {
      if (!decision || decision.window.isDestroyed()) return false;
      bringForward(decision.window);
      return true;
    },
    onDecisionDismissed(listener) {
      dismissedListeners.push(listener);
    },
    owns(contents) {
      for (const window of open) {
        if (!window.isDestroyed() && window.webContents.id === contents.id) return true;
      }
      return false;
    },
    contents() {
      return [...open].filter((window) => !window.isDestroyed()).map((window) => window.webContents);
    },
    get openCount() {
      return open.size;
    },
  };
}
