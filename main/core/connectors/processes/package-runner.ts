// Package runners: programs that run a package by its name (npm's npx, pnpm's pnpx, Bun's bunx, uv's
// uvx, pipx), installing it on its first run. One spelling for every platform (`npx`, `/usr/bin/npx`,
// `C:\…\npx.cmd`, `UVX.EXE`), and seen through Windows' command interpreter (`cmd /c npx -y …`), as
// MCP clients' configurations on Windows often start them.
import { win32 } from 'node:path';

/** A program that runs a package by its name. */
export type PackageRunner = 'npx' | 'pnpx' | 'bunx' | 'uvx' | 'pipx';

const RUNNERS: ReadonlySet<string> = new Set<PackageRunner>(['npx', 'pnpx', 'bunx', 'uvx', 'pipx']);
/** Windows' command interpreter, and the switch after which it runs the rest as a command line. */
const COMMAND_INTERPRETER = /^cmd(\.exe)?$/i;
const RUN_SWITCH = /^\/[ck]$/i;

/** The runner `program` (a name or a path, any platform's) is, or null. */
export function runnerOf(program: string): PackageRunner | null {
  const name = win32
    .basename(program)
    .replace(/\.(cmd|exe)$/i, '')
    .toLowerCase();
  return RUNNERS.has(name) ? (name as PackageRunner) : null;
}

/**
 * The runner a command line starts: its program, or, when that is `cmd` with `/c` (or `/k`), the first
 * word of the command line after it (one argument or several, quoted or not). Null for anything else.
 */
export function startedRunner(command: string, args: readonly string[]): PackageRunner | null {
  if (!COMMAND_INTERPRETER.test(win32.basename(command))) return runnerOf(command);
  const at = args.findIndex((arg) => RUN_SWITCH.test(arg));
  const line = at < 0 ? undefined : args[at + 1];
  if (line === undefined) return null;
  const first =
    line
      .trim()
      .replace(/^"+/, '')
      .split(/[\s"]+/)[0] ?? '';
  return runnerOf(first);
}
