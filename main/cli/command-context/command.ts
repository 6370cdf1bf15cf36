// The shape of one `gatehouse` command and what it is handed when it runs: the parsed command line,
// the data directory, a lazily connected engine client, and writers for stdout and stderr.
import type { Readable } from 'node:stream';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { EngineClient } from './engine-client.js';

/** Where the CLI writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** For defaults such as GATEHOUSE_DATA_DIR; process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** The current time in ms, for "2 min ago"; Date.now when absent. */
  now?: () => number;
  /** stderr is an interactive terminal: long work shows a spinner there (never in pipes or tests). */
  stderrIsTerminal?: boolean;
  /**
   * stdout is an interactive terminal: only then does `serve` print its one-time sign-in link, which
   * in a file or a pipe's log could be read (and redeemed) by a local server. False when absent.
   */
  stdoutIsTerminal?: boolean;
  /** Resolves when `gatehouse serve` should stop; SIGINT or SIGTERM when absent. */
  untilStopped?: () => Promise<string>;
  /** Standard input, for `gatehouse bridge`; process.stdin when absent (the desktop app opens its own on Windows). */
  stdin?: () => Readable;
  /**
   * The installed desktop app this command line runs inside (`Gatehouse --cli`): its executable, its
   * .app bundle on macOS, or its AppImage file — what the bridge starts when Gatehouse is not running.
   */
  desktopApp?: string;
  /** Standard input is a terminal a question can be asked in (`catalog add`); process.stdin.isTTY when absent. */
  stdinIsTerminal?: boolean;
}

/** A mistake on the command line (exit code 2): the message says what was wrong and what to do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command was understood but its work failed (exit code 1): a connector's test, a sign-in that
 * did not finish, a file that could not be written.
 */
export class CommandFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandFailure';
  }
}

/** A parsed option's value: a string, a flag, the list of a repeatable option, or undefined when absent. */
export type OptionValue = string | boolean | Array<string | boolean> | undefined;

/**
 * What a running command is given: its output, the data folder, its parsed arguments and options, and the
 * engine.
 */
export interface CommandContext {
  readonly io: CliIo;
  readonly dataDir: string;
  readonly json: boolean;
  /** Positional arguments after the command words, already checked against the command's arity. */
  readonly args: readonly string[];
  /** Everything after `--`, verbatim; empty unless the command takes it (`passthrough`). */
  readonly rest: readonly string[];
  readonly now: number;
  /** The running engine; connecting reads the engine record, so a command that never calls it works offline. */
  engine(): EngineClient;
  /** A string option's value, if given. */
  option(name: string): string | undefined;
  /** Every value of a repeatable string option. */
  options(name: string): string[];
  flag(name: string): boolean;
  /** Writes one line (or several, joined) to stdout. */
  print(...lines: string[]): void;
  printJson(value: unknown): void;
  /** Runs long work with a spinner and `label` on stderr when it is a terminal. */
  progress<T>(label: string, work: () => Promise<T>): Promise<T>;
}

/**
 * One CLI command: the words that name it, the arguments and options it takes, its usage line, and what it
 * does.
 */
export interface Command {
  /** The words that name it: `['status']`, `['clients', 'list']`. */
  words: readonly string[];
  /** Positional arguments after the words; `[KEY]` is optional. */
  args?: readonly string[];
  /** Options beyond the common --data-dir and --help. */
  options?: ParseArgsOptionsConfig;
  /** Takes --json (every command except `serve`). */
  json?: boolean;
  /** The rest of the usage line after the words and args, e.g. `[--access read|write]`. */
  usage?: string;
  summary: string;
  /** More lines for `gatehouse help`, under the summary (option lists too long for the usage line). */
  details?: readonly string[];
  /**
   * Takes everything after `--` verbatim (a command and its arguments), so a connector's own flags
   * are never parsed as Gatehouse's.
   */
  passthrough?: boolean;
  /** The exit code (0 when nothing is returned). */
  run(context: CommandContext): Promise<number | void>;
}

/** A command group such as `clients`: its subcommands and which one runs when none is named. */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: readonly Command[];
  defaultCommand?: string;
}
