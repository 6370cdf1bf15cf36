// `Gatehouse --cli -- <command…>`: the installed app running the `gatehouse` command line in its main
// process, with no window, no tray and no single-instance lock (so it works beside the running
// app), and with its own temporary Chromium profile. The launchers in build/bin/ call this, because the runAsNode fuse is off: the app's binary
// cannot be used as a plain Node. See docs/decisions.md ("Fuses, asar, and re-signing" and
// "The app is also the command line").
import { spawn as nodeSpawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { CliIo } from '../cli/command-context/command.js';
import { processExists } from '../core/engine/engine-record.js';
import { installWarningFilter } from '../core/sqlite-warning.js';
import { endCliRunOnFailure, type FailureSource } from '../core/run-failures.js';
import { standardInput } from './standard-input.js';

const CLI_FLAG = '--cli';

/**
 * Written right after `--cli`: it ends Chromium's switches, so nothing the user typed is read as one,
 * and it stops Electron's Windows check (CVE-2018-1000006, shell/app/command_line_args.cc) that
 * exits before any JavaScript when an argument that looks like a URL (`--url https://…`) is
 * followed by another one — the check stops at the first `--`.
 */
const END_OF_SWITCHES = '--';

/**
 * Linux only: Chromium switches that let the command line run with no display (over SSH, as a
 * service): Ozone's headless platform instead of X11 or Wayland, and no GPU process. They must come
 * before `--cli`; Electron 45's Linux build includes Ozone's headless backend.
 */
const LINUX_CLI_SWITCHES = ['--ozone-platform=headless', '--disable-gpu'] as const;

/**
 * The CLI's arguments when argv asks for CLI mode (everything after `--cli` and its `--`), else
 * undefined.
 */
export function cliArguments(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf(CLI_FLAG);
  if (at === -1) return undefined;
  const rest = argv.slice(at + 1);
  return rest[0] === END_OF_SWITCHES ? rest.slice(1) : rest;
}

/**
 * The app's arguments that run `args` as a `gatehouse` command: what the launchers in build/bin/
 * write, and what Claude Desktop is given to start the bridge.
 */
export function cliLaunchArguments(args: readonly string[], platform: NodeJS.Platform): string[] {
  return [...(platform === 'linux' ? LINUX_CLI_SWITCHES : []), CLI_FLAG, END_OF_SWITCHES, ...args];
}

/**
 * A fresh Chromium profile folder for one command-line run, in the OS's temporary folder (mkdtemp
 * makes it 0700), removed when the run ends. Left alone, a CLI run would use Electron's default,
 * `<appData>/gatehouse` after package.json's name — the app's own folder on a case-insensitive disk;
 * and one shared folder would have every CLI process, the long-lived bridge included, in the same
 * Chromium profile at once. Its name carries the run's pid, so a later run can tell it was left behind.
 */
function makeCliProfileDir(tempDir: string): string {
  return mkdtempSync(join(tempDir, `${CLI_PROFILE_PREFIX}${process.pid}-`));
}

/** What every CLI run's temporary profile folder is named after (then its pid, `-` and six characters). */
const CLI_PROFILE_PREFIX = 'gatehouse-cli-';

/** A profile folder made by makeCliProfileDir: the prefix, the pid of its run, mkdtemp's suffix. */
const PROFILE_NAME = new RegExp(`^${CLI_PROFILE_PREFIX}(\\d+)-[A-Za-z0-9]{6}$`);

/**
 * Removes the profiles of CLI runs whose process is gone — ended by a kill, a closed console or a
 * Windows logoff, or on Windows where Chromium still held a file when the run removed its own — and
 * returns them. Only folders named as this code names them; a run that is alive, or a process of
 * another user (`kill(pid, 0)` answers EPERM), keeps its folder.
 * @internal Exported for its tests only: macOS and Windows layouts, which a Linux run cannot reach.
 */
export function sweepStaleProfiles(
  tempDir: string,
  isAlive: (pid: number) => boolean = processExists,
): string[] {
  let names: string[];
  try {
    names = readdirSync(tempDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(PROFILE_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const folder = join(tempDir, name);
    try {
      if (!statSync(folder).isDirectory()) continue;
      rmSync(folder, { recursive: true, force: true, maxRetries: 2 });
      removed.push(folder);
    } catch {
      // Another user's folder, or one still held open: left for the OS's temporary-folder cleaning.
    }
  }
  return removed;
}

/** The part of Electron's `app` CLI mode uses. */
export interface CliApp {
  exit(exitCode?: number): void;
  setPath(name: 'userData', path: string): void;
  readonly isPackaged?: boolean;
  dock?: { hide(): void } | undefined;
  /** macOS: 'prohibited' keeps a CLI run out of the Dock, the app switcher and activation. */
  setActivationPolicy?(policy: 'regular' | 'accessory' | 'prohibited'): void;
  /** Resolves on Electron's `ready`, after NSApplication's finishLaunching on macOS. */
  whenReady?(): Promise<void>;
  /** macOS: LaunchServices reopened "Gatehouse" (Finder, Spotlight, `open -a`) and picked this process. */
  on?(event: 'activate', listener: () => void): unknown;
  /**
   * The process is ending through Browser::Shutdown: `app.exit`, and on macOS and Linux Ctrl-C,
   * SIGTERM and SIGHUP (Electron's shutdown signal handlers call Browser::Quit).
   */
  on?(event: 'quit', listener: () => void): unknown;
}

type RunCli = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * What CLI mode runs with: the CLI, the process's streams, platform and executable (tests pass their
 * own).
 */
export interface CliModeOptions {
  /** Loads the CLI; by default main/cli/run-cli.js, imported only now (after the SQLite filter). */
  loadCli?: () => Promise<RunCli>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Standard input, opened only by a command that reads it (the bridge). */
  stdin?: () => Readable;
  platform?: NodeJS.Platform;
  /** Where uncaught errors and rejections arrive (process). */
  failures?: FailureSource;
  /** Where the run's temporary Chromium profile is made (os.tmpdir()). */
  tempDir?: string;
  /** The app's executable (process.execPath): macOS hands a reopen to the app bundle around it. */
  executable?: string;
  /** Starts the process a macOS reopen is handed to (child_process.spawn). */
  spawn?: typeof nodeSpawn;
  /** The environment ($APPIMAGE): process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Runs one CLI command and exits the app with its exit code once the output is flushed. */
export async function runCliInApp(app: CliApp, args: readonly string[], options: CliModeOptions = {}) {
  // Before anything else: Electron takes userData changes only before `ready`.
  const tempDir = options.tempDir ?? tmpdir();
  const profile = makeCliProfileDir(tempDir);
  app.setPath('userData', profile);
  // Ctrl-C or SIGTERM (macOS, Linux) end the run through Browser::Quit, past `end` below.
  app.on?.('quit', () => removeProfile(profile));
  sweepStaleProfiles(tempDir);
  const platform = options.platform ?? process.platform;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let ended = false;
  const end = (code: number) => {
    if (ended) return;
    ended = true;
    removeProfile(profile);
    app.exit(code);
  };
  endCliRunOnFailure(options.failures ?? process, { stdout, stderr }, end);
  if (platform === 'darwin') {
    // A command-line run must not flash a Dock icon (LSUIElement keeps it away; this makes sure),
    // nor be the "Gatehouse" that LaunchServices activates: a reopen is handed to the real app.
    app.dock?.hide();
    app.setActivationPolicy?.('prohibited');
    // Again once launched: NSApplication's finishLaunching, which comes before `ready`
    // (electron_application.mm, electron_application_delegate.mm), may set it from the bundle's
    // Info.plist (LSUIElement) over the one set above.
    void app.whenReady?.().then(() => app.setActivationPolicy?.('prohibited'));
    const bundle = app.isPackaged ? appBundleOf(options.executable ?? process.execPath) : undefined;
    if (bundle) app.on?.('activate', () => reopenApp(options.spawn ?? nodeSpawn, bundle));
  }
  let code: number;
  try {
    const runCli = await (options.loadCli ?? defaultLoadCli)();
    const desktopApp = app.isPackaged
      ? installedApp(platform, options.executable ?? process.execPath, options.env ?? process.env)
      : undefined;
    code = await runCli(args, {
      stdout: (text) => void stdout.write(text),
      stderr: (text) => void stderr.write(text),
      stdin: options.stdin ?? (() => standardInput(platform).stream),
      ...(desktopApp ? { desktopApp } : {}),
    });
  } catch (error) {
    stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  }
  // app.exit ends the process at once; piped output still in the stream buffers would be lost.
  await Promise.all([flushed(stdout), flushed(stderr)]);
  end(code);
  return code;
}

/**
 * What starts this installed app again: the .app bundle on macOS, the AppImage file (not its
 * temporary mount, gone when this process ends) or the executable on Linux, the executable on
 * Windows — wherever the user installed it.
 * @internal Exported for its tests only: macOS and Windows layouts, which a Linux run cannot reach.
 */
export function installedApp(
  platform: NodeJS.Platform,
  executable: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (platform === 'darwin') return appBundleOf(executable);
  if (platform === 'linux') return env.APPIMAGE || executable;
  return executable;
}

/**
 * The .app bundle around a macOS executable (`…/Gatehouse.app/Contents/MacOS/Gatehouse`), or
 * undefined for any other layout (a development run's Electron.app is not Gatehouse).
 * @internal Exported for its tests only: macOS and Windows layouts, which a Linux run cannot reach.
 */
export function appBundleOf(executable: string): string | undefined {
  const macOS = dirname(executable);
  const contents = dirname(macOS);
  const bundle = dirname(contents);
  if (basename(macOS) !== 'MacOS' || basename(contents) !== 'Contents' || !bundle.endsWith('.app')) {
    return undefined;
  }
  return bundle;
}

/**
 * Hands a reopen that LaunchServices routed to this CLI process to the app: `open -n` starts a new
 * instance of the bundle, which shows the window or, when the app already runs, hands over to it
 * through the single-instance lock.
 */
function reopenApp(spawn: typeof nodeSpawn, bundle: string): void {
  const child = spawn('open', ['-n', bundle], { detached: true, stdio: 'ignore' });
  child.once('error', () => undefined);
  child.unref();
}

function removeProfile(profile: string): void {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // Windows may still hold a file Chromium opened; the OS's temporary folder is cleaned anyway.
  }
}

async function defaultLoadCli(): Promise<RunCli> {
  installWarningFilter();
  const { runCli } = await import('../cli/run-cli.js');
  return runCli;
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
