// `Gatehouse --cli -- <command…>`: the installed app running the `gatehouse` command line in its main
// process, with no window, no tray and no single-instance lock (so it works beside the running
// app). The launchers in build/bin/ call this, because the runAsNode fuse is off: the app's binary
// cannot be used as a plain Node. See docs/decisions.md ("Packaging: fuses, asar, and the CLI inside
// the app" and "How the app is started as a command line").
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { CliIo } from '../cli/command.js';
import { installWarningFilter } from '../core/sqlite-warning.js';
import { APP_NAME } from './app-identity.js';
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

/** The CLI's arguments when argv asks for CLI mode (everything after `--cli` and its `--`), else undefined. */
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
 * Chromium's profile folder for command-line runs: inside Gatehouse's folder, apart from the running
 * app's own (`<appData>/Gatehouse`). Left alone, a CLI run would use Electron's default,
 * `<appData>/gatehouse` after package.json's name — the app's folder on a case-insensitive disk.
 */
export function cliProfileDir(appData: string): string {
  return join(appData, APP_NAME, 'cli-profile');
}

/** The part of Electron's `app` CLI mode uses. */
export interface CliApp {
  exit(exitCode?: number): void;
  getPath(name: 'appData'): string;
  setPath(name: 'userData', path: string): void;
  dock?: { hide(): void } | undefined;
}

type RunCli = (argv: readonly string[], io: CliIo) => Promise<number>;

export interface CliModeOptions {
  /** Loads the CLI; by default main/cli/commands.js, imported only now (after the SQLite filter). */
  loadCli?: () => Promise<RunCli>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Standard input, opened only by a command that reads it (the bridge). */
  stdin?: () => Readable;
  platform?: NodeJS.Platform;
}

/** Runs one CLI command and exits the app with its exit code once the output is flushed. */
export async function runCliInApp(app: CliApp, args: readonly string[], options: CliModeOptions = {}) {
  // Before anything else: Electron takes userData changes only before `ready`.
  const profile = cliProfileDir(app.getPath('appData'));
  mkdirSync(profile, { recursive: true, mode: 0o700 });
  app.setPath('userData', profile);
  // A command-line run must not flash a Dock icon (LSUIElement keeps it away; this makes sure).
  app.dock?.hide();
  const platform = options.platform ?? process.platform;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let code: number;
  try {
    const runCli = await (options.loadCli ?? defaultLoadCli)();
    code = await runCli(args, {
      stdout: (text) => void stdout.write(text),
      stderr: (text) => void stderr.write(text),
      stdin: options.stdin ?? (() => standardInput(platform).stream),
    });
  } catch (error) {
    stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  }
  // app.exit ends the process at once; piped output still in the stream buffers would be lost.
  await Promise.all([flushed(stdout), flushed(stderr)]);
  app.exit(code);
  return code;
}

async function defaultLoadCli(): Promise<RunCli> {
  installWarningFilter();
  const { runCli } = await import('../cli/commands.js');
  return runCli;
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
