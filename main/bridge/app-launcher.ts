// Starting the Gatehouse desktop app when the bridge finds it not running — best effort: where the
// app is not installed (or cannot be found), nothing is started and the bridge says what to do.
// GATEHOUSE_APP_COMMAND overrides the search (an executable to start), and set empty disables it.
// The app is started with --hidden: it comes up in the tray, as at login, not with a window that
// would cover the client that asked for it. On macOS it is always a new instance (`open -n`): a
// plain `open -a` may just activate a command-line Gatehouse (this bridge itself) that runs from the
// same bundle.
import { spawn as nodeSpawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Starts the Gatehouse desktop app when the bridge finds nothing listening. */
export interface AppLauncher {
  /** Starts the app; resolves true when something was started (it may still take a moment to listen). */
  launch(): Promise<boolean>;
}

/** The machine as the launcher sees it; tests pass their own platform, environment and spawn. */
export interface DesktopAppLauncherOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  spawn?: typeof nodeSpawn;
  isFile?: (path: string) => boolean;
  /** The AppImages in a folder, newest first (Linux). */
  appImagesIn?: (dir: string) => string[];
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
  return {
    async launch() {
      const override = env.GATEHOUSE_APP_COMMAND;
      if (override !== undefined) return override.trim() === '' ? false : start(spawn, override, []);
      // macOS finds the app wherever it is installed; `open` fails when there is none. -n: a new
      // instance, which hands over to a running app through its lock; -g: in the background.
      if (platform === 'darwin') {
        return run(spawn, 'open', ['-n', '-g', '-a', 'Gatehouse', '--args', HIDDEN]);
      }
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
 * Linux, when no installed app is found: the `Gatehouse*.AppImage` files in the folders AppImages are
 * usually kept in (~/Applications, ~/.local/bin, ~/Downloads), then on PATH, newest first per folder.
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

/** Where the installed app may be, in order: on PATH by its known names, then its default install folder. */
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
