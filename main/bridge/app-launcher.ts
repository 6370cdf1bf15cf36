// Starting the Gatehouse desktop app when the bridge finds it not running — best effort: where the
// app is not installed (or cannot be found), nothing is started and the bridge says what to do.
// GATEHOUSE_APP_COMMAND overrides the search (an executable to start), and set empty disables it.
// A bridge that runs inside the installed app (`Gatehouse --cli -- bridge`) starts that same app,
// wherever it is installed; the search is for the npm CLI's bridge. On Windows, a bridge inside a
// client's MSIX package starts nothing (`refusal`). The app is started with --hidden: it comes up in
// the tray, as at login, not with a window that would cover the client that asked for it. On macOS
// it is always a new instance (`open -n`): a plain `open -a` may just activate a command-line
// Gatehouse (this bridge itself) that runs from the same bundle.
import { spawn as nodeSpawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { packageContainer } from './package-container.js';

/** Starts the Gatehouse desktop app when the bridge finds nothing listening. */
export interface AppLauncher {
  /** Starts the app; resolves true when something was started (it may still take a moment to listen). */
  launch(): Promise<boolean>;
  /** Why the app must not be started from here, as a sentence for the user; null when it may. */
  refusal?(): Promise<string | null>;
}

/** The machine as the launcher sees it; tests pass their own platform, environment and spawn. */
export interface DesktopAppLauncherOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  spawn?: typeof nodeSpawn;
  isFile?: (path: string) => boolean;
  /** The AppImages in a folder, newest first (Linux). */
  appImagesIn?: (dir: string) => string[];
  /**
   * The installed app this bridge runs inside (`Gatehouse --cli -- bridge`): its executable, its
   * .app bundle on macOS, its AppImage file. Started instead of searching.
   */
  desktopApp?: string;
  /** The MSIX package this process runs inside, if any (package-container.ts by default). */
  packageContainer?: () => Promise<string | null>;
}

/** The desktop app's flag for a start that stays in the tray (main/desktop/desktop-app.ts). */
const HIDDEN = '--hidden';

/** Never starts anything (tests, or GATEHOUSE_APP_COMMAND set empty). */
export const noAppLauncher: AppLauncher = { launch: async () => false };

/**
 * Starts the installed desktop app in the tray, best effort; `GATEHOUSE_APP_COMMAND` overrides how (empty:
 * never).
 */
export function desktopAppLauncher(options: DesktopAppLauncherOptions = {}): AppLauncher {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const spawn = options.spawn ?? nodeSpawn;
  const isFile = options.isFile ?? fileExists;
  const appImagesIn = options.appImagesIn ?? gatehouseAppImages;
  const container = options.packageContainer ?? (() => packageContainer(platform, env));
  return {
    async refusal() {
      if (env.GATEHOUSE_APP_COMMAND !== undefined) return null;
      const family = await container().catch(() => null);
      return family ? insidePackage(family) : null;
    },
    async launch() {
      const override = env.GATEHOUSE_APP_COMMAND;
      if (override !== undefined) return override.trim() === '' ? false : start(spawn, override, []);
      // macOS finds the app wherever it is installed; `open` fails when there is none. -n: a new
      // instance, which hands over to a running app through its lock; -g: in the background.
      if (platform === 'darwin') {
        const app = options.desktopApp ? [options.desktopApp] : ['-a', 'Gatehouse'];
        return run(spawn, 'open', ['-n', '-g', ...app, '--args', HIDDEN]);
      }
      // The app this bridge runs from: a per-machine or custom-folder install is found as it is.
      if (options.desktopApp && isFile(options.desktopApp)) return start(spawn, options.desktopApp, [HIDDEN]);
      // A bridge run by an AppImage gets $APPIMAGE from the AppImage's runtime: the file the user
      // keeps (not its temporary mount), the app to start.
      const appImage = platform === 'linux' ? env.APPIMAGE : undefined;
      const found =
        (appImage && isFile(appImage) ? appImage : undefined) ??
        appCandidates(platform, env).find(isFile) ??
        (platform === 'linux' ? appImageCandidates(env, appImagesIn)[0] : undefined);
      return found ? start(spawn, found, [HIDDEN]) : false;
    },
  };
}

/**
 * What the bridge answers when it runs inside a client's package and Gatehouse is not running.
 * @internal Exported for its tests only: where an app is looked for on macOS, Windows and Linux, which one machine's run cannot reach.
 */
export function insidePackage(family: string): string {
  return `Gatehouse is not running, and this bridge will not start it: it runs inside another app's package (${family}), where Windows would keep a Gatehouse started from here apart from your own, with its data in that app's private folder. Open Gatehouse from the Start menu (or turn on Start at login in its Settings), then restart this server in Claude.`;
}

/**
 * Linux, when no installed app is found: the `Gatehouse*.AppImage` files in the folders AppImages are
 * usually kept in (~/Applications, ~/.local/bin, ~/Downloads), then on PATH, newest first per folder.
 * @internal Exported for its tests only: where an app is looked for on macOS, Windows and Linux, which one machine's run cannot reach.
 */
export function appImageCandidates(
  env: NodeJS.ProcessEnv,
  appImagesIn: (dir: string) => string[] = gatehouseAppImages,
): string[] {
  const home = env.HOME;
  const dirs = [
    ...(home ? [join(home, 'Applications'), join(home, '.local', 'bin'), join(home, 'Downloads')] : []),
    ...(env.PATH ?? '').split(delimiter).filter(Boolean),
  ];
  return dirs.flatMap((dir) => appImagesIn(dir));
}

/** `Gatehouse*.AppImage` files in `dir`, newest first; none when the folder cannot be read. */
function gatehouseAppImages(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^gatehouse.*\.appimage$/i.test(name))
    .map((name) => join(dir, name))
    .flatMap((path) => {
      try {
        const stat = statSync(path);
        return stat.isFile() ? [{ path, modified: stat.mtimeMs }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.modified - a.modified)
    .map((file) => file.path);
}

/**
 * Where the installed app may be, in order: on PATH by its known names, then its default install folder.
 * @internal Exported for its tests only: where an app is looked for on macOS, Windows and Linux, which one machine's run cannot reach.
 */
export function appCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  const names =
    platform === 'win32'
      ? ['Gatehouse.exe', 'gatehouse-app.exe', 'gatehouse-app.cmd']
      : ['gatehouse-app', 'Gatehouse'];
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  const onPath = dirs.flatMap((dir) => names.map((name) => join(dir, name)));
  const installed =
    platform === 'win32'
      ? env.LOCALAPPDATA
        ? [join(env.LOCALAPPDATA, 'Programs', 'Gatehouse', 'Gatehouse.exe')]
        : []
      : ['/opt/Gatehouse/gatehouse'];
  return [...onPath, ...installed];
}

function start(spawn: typeof nodeSpawn, command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: false });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

function run(spawn: typeof nodeSpawn, command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
