// `Gatehouse --cli <command…>`: the installed app running the `gatehouse` command line in its main
// process, with no window, no tray and no single-instance lock (so it works beside the running
// app). The launchers in build/bin/ call this, because the runAsNode fuse is off: the app's binary
// cannot be used as a plain Node. See docs/decisions.md ("The installed app carries the CLI").
import type { CliIo } from '../cli/command.js';
import { installWarningFilter } from '../core/sqlite-warning.js';

export const CLI_FLAG = '--cli';

/** The CLI's arguments when argv asks for CLI mode (everything after `--cli`), else undefined. */
export function cliArguments(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf(CLI_FLAG);
  return at === -1 ? undefined : argv.slice(at + 1);
}

/** The part of Electron's `app` CLI mode uses. */
export interface CliApp {
  exit(exitCode?: number): void;
  dock?: { hide(): void } | undefined;
}

export type RunCli = (argv: readonly string[], io: CliIo) => Promise<number>;

export interface CliModeOptions {
  /** Loads the CLI; by default main/cli/commands.js, imported only now (after the SQLite filter). */
  loadCli?: () => Promise<RunCli>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Runs one CLI command and exits the app with its exit code once the output is flushed. */
export async function runCliInApp(app: CliApp, args: readonly string[], options: CliModeOptions = {}) {
  // A command-line run must not flash a Dock icon (LSUIElement keeps it away; this makes sure).
  app.dock?.hide();
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let code: number;
  try {
    const runCli = await (options.loadCli ?? defaultLoadCli)();
    code = await runCli(args, {
      stdout: (text) => void stdout.write(text),
      stderr: (text) => void stderr.write(text),
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
