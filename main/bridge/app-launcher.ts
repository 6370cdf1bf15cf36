// Starting the Gatehouse desktop app when the bridge finds it not running — best effort: where the
// app is not installed (or cannot be found), nothing is started and the bridge says what to do.
// GATEHOUSE_APP_COMMAND overrides the search (an executable to start), and set empty disables it.
// The app is started with --hidden: it comes up in the tray, as at login, not with a window that
// would cover the client that asked for it.
import { spawn as nodeSpawn } from 'node:child_process';
import { statSync } from 'node:fs';
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
  return {
    async launch() {
      const override = env.GATEHOUSE_APP_COMMAND;
      if (override !== undefined) return override.trim() === '' ? false : start(spawn, override, []);
      // macOS finds the app wherever it is installed; `open` fails when there is none.
      if (platform === 'darwin') return run(spawn, 'open', ['-a', 'Gatehouse', '--args', HIDDEN]);
      const found = appCandidates(platform, env).find(isFile);
      return found ? start(spawn, found, [HIDDEN]) : false;
    },
  };
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
