// "Start at login" follows the startAtLogin setting: applied when the app starts and again on every
// settings change. macOS and Windows register through Electron's login items; Linux has none there,
// so the app writes (or removes) an XDG autostart entry. Only the installed app registers itself: a
// development run would register the bare Electron binary, which starts no Gatehouse. A start at
// login passes --hidden (or, on macOS, says so itself), so it stays in the tray, where a start by
// the user opens the window.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../core/api/contract.js';
import type { Logger } from '../core/effects.js';

/** Whether the OS starts Gatehouse at login, and changing that. */
export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
  /**
   * Why registering again would go against the user's choice in the OS, or null: macOS reports
   * `requires-approval` once the user turned the login item off in System Settings.
   */
  heldByUser?(): string | null;
}

/** What Gatehouse says (once) when macOS holds the login item off. */
const LOGIN_ITEM_HELD =
  'Start at login is on in Gatehouse but off in System Settings → General → Login Items; Gatehouse leaves it as you set it there. Turn Gatehouse on there to start it at login.';

/** The argument a start at login carries (Windows login item, Linux autostart entry). */
/** The flag of a start that stays in the tray: at login, or by the bridge for a client. */
export const HIDDEN_FLAG = '--hidden';

/** The part of Electron's `app` the macOS/Windows login item uses. */
export interface LoginItemApp {
  /**
   * Windows compares `args` with the registered ones; macOS reports wasOpenedAtLogin and, from macOS
   * 13, SMAppService's status (openAtLogin is status === 'enabled': browser_mac.mm).
   */
  getLoginItemSettings(options?: { args?: string[] }): {
    openAtLogin: boolean;
    wasOpenedAtLogin?: boolean;
    status?: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found';
  };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

/**
 * Electron's login item. On Windows it is a Run registry entry, given --hidden; macOS (SMAppService)
 * takes no arguments and says wasOpenedAtLogin instead.
 * @internal Exported for its tests only: each platform's login item, which one machine's run cannot reach.
 */
export function electronLoginItem(app: LoginItemApp, platform: NodeJS.Platform = 'darwin'): LoginItem {
  const args = platform === 'win32' ? { args: [HIDDEN_FLAG] } : {};
  return {
    isEnabled: () => app.getLoginItemSettings(args).openAtLogin,
    setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...args }),
    ...(platform === 'darwin'
      ? {
          heldByUser: () =>
            app.getLoginItemSettings().status === 'requires-approval' ? LOGIN_ITEM_HELD : null,
        }
      : {}),
  };
}

/**
 * Whether this launch should stay in the tray — a start at login, or any start given --hidden (a
 * program starting the app for its own use) — rather than the user opening the app.
 */
export function startedAtLogin(
  platform: NodeJS.Platform,
  argv: readonly string[],
  app: LoginItemApp,
): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}

/** The XDG autostart entry's file name on Linux (in ~/.config/autostart/). */
const AUTOSTART_FILE = 'dev.gatehouse.app.desktop';

/**
 * An XDG autostart entry (freedesktop.org Desktop Application Autostart Specification) in
 * $XDG_CONFIG_HOME/autostart, starting `executable`.
 * @internal Exported for its tests only: each platform's login item, which one machine's run cannot reach.
 */
export function xdgAutostartItem(options: { configHome: string; executable: string }): LoginItem {
  const file = join(options.configHome, 'autostart', AUTOSTART_FILE);
  return {
    isEnabled: () => existsSync(file) && readFileSync(file, 'utf8') === autostartEntry(options.executable),
    setEnabled: (enabled) => {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(join(options.configHome, 'autostart'), { recursive: true });
      writeFileSync(file, autostartEntry(options.executable));
    },
  };
}

/**
 * One argument of an Exec key, per the Desktop Entry Specification ("The Exec key"): quoted, with
 * `"`, `` ` ``, `$` and `\` escaped by a backslash; then escaped again as a string value, which is
 * unescaped first when the entry is read (a literal backslash ends up as four); and `%` doubled, so
 * it is not read as a field code.
 * @internal Exported for its tests only: each platform's login item, which one machine's run cannot reach.
 */
export function execArgument(argument: string): string {
  const quoted = `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
  const asString = quoted.replace(/[\\\n\t\r]/g, (c) => STRING_ESCAPES[c]!);
  return asString.replaceAll('%', '%%');
}

/** The escapes of a desktop entry's string values ("Possible value types"). */
const STRING_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * The entry's text: starts the executable with --hidden, so a login start stays in the tray.
 * @internal Exported for its tests only: each platform's login item, which one machine's run cannot reach.
 */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gatehouse',
    'Comment=Your own gate between AI clients and MCP connectors',
    `Exec=${execArgument(executable)} ${HIDDEN_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * What the login item reads and sets: the platform, whether the app is installed, and Electron's login
 * item.
 */
export interface LoginItemHost {
  platform: NodeJS.Platform;
  /** app.isPackaged */
  packaged: boolean;
  /** macOS runs the app from a temporary copy (App Translocation): nothing may point at it. */
  translocated?: boolean;
  app: LoginItemApp;
  env: NodeJS.ProcessEnv;
  /** process.execPath: the app's executable. */
  executable: string;
}

/** The login item for this platform, or the reason there is none. */
export function loginItemFor(host: LoginItemHost): LoginItem | { unavailable: string } {
  if (!host.packaged) {
    return { unavailable: 'Start at login takes effect in the installed app, not in a development run.' };
  }
  if (host.translocated) {
    return {
      unavailable:
        'Start at login needs Gatehouse in the Applications folder: macOS is running it from a temporary copy.',
    };
  }
  if (host.platform === 'darwin' || host.platform === 'win32')
    return electronLoginItem(host.app, host.platform);
  if (host.platform === 'linux') {
    // An AppImage runs from a temporary mount; $APPIMAGE is the file the user keeps.
    const executable = host.env.APPIMAGE || host.executable;
    const configHome = host.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    return xdgAutostartItem({ configHome, executable });
  }
  return { unavailable: `Start at login is not supported on ${host.platform}.` };
}

/** The engine as this reads it. */
export interface SettingsSource {
  call(name: 'settings.get'): Promise<{ startAtLogin: boolean }>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** Applies startAtLogin now and after every settings change; returns the unsubscribe. */
export function followStartAtLogin(
  engine: SettingsSource,
  item: LoginItem | { unavailable: string },
  logger: Logger,
): { ready: Promise<void>; dispose(): void } {
  let told = false;
  let heldTold = false;
  const apply = async (): Promise<void> => {
    try {
      const { startAtLogin } = await engine.call('settings.get');
      if ('unavailable' in item) {
        if (startAtLogin && !told) logger.info(item.unavailable);
        told ||= startAtLogin;
        return;
      }
      if (item.isEnabled() === startAtLogin) return;
      // Registering again would override the user's "off" in the OS (and ask for approval again).
      const held = startAtLogin ? item.heldByUser?.() : null;
      if (held) {
        if (!heldTold) logger.info(held);
        heldTold = true;
        return;
      }
      heldTold = false;
      item.setEnabled(startAtLogin);
    } catch (error) {
      logger.warn('could not apply the start-at-login setting', { error: (error as Error).message });
    }
  };
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'settings.changed') void apply();
  });
  return { ready: apply(), dispose: unsubscribe };
}
