// Turns a stdio connector's command into something spawn() can run, the way the user's terminal would.
// A desktop app on macOS starts with launchd's minimal PATH, so `npx` is not found (the `spawn npx
// ENOENT` every peer ships): Gatehouse asks the user's login shell for its PATH once, adds the usual
// install directories, searches that PATH itself and hands the same PATH to the child. On Windows it
// resolves `npx` to `npx.cmd` through PATHEXT and runs batch files through cmd.exe with cmd's quoting,
// since Node refuses to spawn .cmd/.bat files directly (CVE-2024-27980).
import { execFile, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { constants, openSync, readdirSync, readFileSync } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { StdioSettings } from '../../api/connector-config.js';

/** The operating system as the launcher sees it; tests pass a fake (e.g. Windows on a Linux box). */
export interface LaunchHost {
  platform: NodeJS.Platform;
  /** Gatehouse's own environment. */
  env: NodeJS.ProcessEnv;
  homedir: string;
  cwd: string;
  /** An existing regular file this user may execute (on Windows: any existing file). */
  isExecutableFile(file: string): Promise<boolean>;
  isDirectory(dir: string): Promise<boolean>;
  readText(file: string): Promise<string | null>;
  listDirectory(dir: string): Promise<string[]>;
  /** Runs `shell -ilc script`; resolves stdout, or null on failure or after the timeout. */
  runLoginShell(shell: string, script: string, timeoutMs: number): Promise<string | null>;
}

/** What to spawn: already resolved to a file, with the environment and arguments it needs. */
export interface LaunchPlan {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  /** Arguments are pre-quoted for cmd.exe (Windows batch files). */
  windowsVerbatimArguments: boolean;
  /** The path the command resolved to, for messages and logs. */
  resolved: string;
}

/** Turns a stdio connector's settings into what to spawn, as the user's terminal would run it. */
export interface ResolveCommand {
  (settings: StdioSettings): Promise<LaunchPlan>;
  /**
   * The folders commands are found in, in search order: the login shell's PATH, Gatehouse's own, the
   * usual install directories that exist. What a folder on it means (a grant to write there replaces
   * the user's commands) is judged on this list, not on the PATH a desktop app was started with.
   */
  searchDirs(): Promise<string[]>;
}

/** The connector cannot be launched as configured; the message is a sentence for the user. */
export class LaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaunchError';
  }
}

/** The command does not exist where the user's shell would look. */
export class CommandNotFoundError extends LaunchError {
  constructor(message: string) {
    super(message);
    this.name = 'CommandNotFoundError';
  }
}

/**
 * The real machine as command resolution sees it (platform, environment, files, login shell).
 * @internal Exported for its tests only: Windows quoting and resolution, and the launch's parts, which a Linux run cannot reach by starting servers.
 */
export function nodeLaunchHost(): LaunchHost {
  return {
    platform: process.platform,
    env: process.env,
    homedir: homedir(),
    cwd: process.cwd(),
    isExecutableFile: async (file) => {
      try {
        if (!(await stat(file)).isFile()) return false;
        if (process.platform !== 'win32') await access(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    isDirectory: async (dir) => (await stat(dir).catch(() => null))?.isDirectory() ?? false,
    readText: (file) => readFile(file, 'utf8').catch(() => null),
    listDirectory: (dir) => readdir(dir).catch(() => []),
    runLoginShell: (shell, script, timeoutMs) =>
      new Promise((resolve) => {
        const child = execFile(
          shell,
          ['-ilc', script],
          // An interactive shell must not wait for a terminal; DISABLE_AUTO_UPDATE keeps oh-my-zsh quiet.
          { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, DISABLE_AUTO_UPDATE: 'true' } },
          (error, stdout) => resolve(error && !stdout ? null : stdout),
        );
        child.stdin?.end();
      }),
  };
}

const MARKER = '__GATEHOUSE_PATH__';
const LOGIN_SHELL_TIMEOUT_MS = 5000;

/** Looks a variable up the way the platform does (case-insensitively on Windows, where it is `Path`). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** The login shell's PATH, read between markers so banners and motd lines cannot pollute it. */
async function loginShellPath(host: LaunchHost): Promise<string | null> {
  if (host.platform === 'win32') return null;
  const shell = host.env.SHELL || (host.platform === 'darwin' ? '/bin/zsh' : '/bin/sh');
  // fish joins a quoted PATH with colons too, so one script serves sh, bash, zsh and fish.
  const script = `printf '%s%s%s' '${MARKER}' "$PATH" '${MARKER}'`;
  const out = await host.runLoginShell(shell, script, LOGIN_SHELL_TIMEOUT_MS);
  const value = out?.split(MARKER)[1]?.trim();
  return value && value.includes('/') ? value : null;
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, '')
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** nvm's default node (its `alias/default`), which a login shell would have put on PATH. */
async function nvmDefaultBin(host: LaunchHost): Promise<string | null> {
  if (host.env.NVM_BIN) return host.env.NVM_BIN;
  const nvmDir = host.env.NVM_DIR || path.posix.join(host.homedir, '.nvm');
  const versionsDir = path.posix.join(nvmDir, 'versions', 'node');
  const installed = (await host.listDirectory(versionsDir)).filter((name) => /^v\d/.test(name));
  if (installed.length === 0) return null;
  const alias = (await host.readText(path.posix.join(nvmDir, 'alias', 'default')))?.trim() ?? 'node';
  const wanted = /^v?\d/.test(alias) ? alias.replace(/^v/, '') : null;
  const matching = installed
    .filter((name) => wanted === null || name === `v${wanted}` || name.startsWith(`v${wanted}.`))
    .sort(compareVersions);
  const version = matching.at(-1);
  return version ? path.posix.join(versionsDir, version, 'bin') : null;
}

function fnmDefaultBins(host: LaunchHost): string[] {
  const dirs = host.env.FNM_DIR
    ? [host.env.FNM_DIR]
    : [
        path.posix.join(host.homedir, '.local', 'share', 'fnm'),
        path.posix.join(host.homedir, 'Library', 'Application Support', 'fnm'),
        path.posix.join(host.homedir, '.fnm'),
      ];
  return dirs.map((dir) => path.posix.join(dir, 'aliases', 'default', 'bin'));
}

/** Where package managers and version managers put commands, for when the shell gave us nothing. */
async function commonDirectories(host: LaunchHost): Promise<string[]> {
  if (host.platform === 'win32') {
    const appData = envValue(host.env, 'APPDATA', 'win32');
    const programFiles = envValue(host.env, 'ProgramFiles', 'win32');
    return [
      appData ? path.win32.join(appData, 'npm') : null,
      programFiles ? path.win32.join(programFiles, 'nodejs') : null,
      path.win32.join(host.homedir, '.local', 'bin'),
      path.win32.join(host.homedir, '.cargo', 'bin'),
    ].filter((dir): dir is string => dir !== null);
  }
  const home = (...parts: string[]) => path.posix.join(host.homedir, ...parts);
  return [
    '/opt/homebrew/bin',
    '/opt/homebrew/sbin',
    '/usr/local/bin',
    home('.local', 'bin'),
    home('.cargo', 'bin'),
    home('.volta', 'bin'),
    home('.bun', 'bin'),
    (await nvmDefaultBin(host)) ?? '',
    ...fnmDefaultBins(host),
    '/usr/bin',
    '/bin',
    '/usr/sbin',
    '/sbin',
  ].filter(Boolean);
}

/**
 * The PATH a stdio server is searched on and started with: the login shell's PATH, then Gatehouse's
 * own, then common install directories that exist — each directory once, in that order.
 */
async function searchPath(host: LaunchHost): Promise<string> {
  const delimiter = host.platform === 'win32' ? ';' : ':';
  const dirs: string[] = [];
  const seen = new Set<string>();
  const add = (dir: string) => {
    const key = host.platform === 'win32' ? dir.toLowerCase() : dir;
    if (!dir || seen.has(key)) return false;
    seen.add(key);
    dirs.push(dir);
    return true;
  };
  const shellPath = await loginShellPath(host);
  const ownPath = envValue(host.env, 'PATH', host.platform) ?? '';
  for (const dir of [...(shellPath ?? '').split(delimiter), ...ownPath.split(delimiter)]) add(dir);
  for (const dir of await commonDirectories(host)) {
    const key = host.platform === 'win32' ? dir.toLowerCase() : dir;
    if (!seen.has(key) && (await host.isDirectory(dir))) add(dir);
  }
  return dirs.join(delimiter);
}

function windowsExtensions(host: LaunchHost): string[] {
  const pathext = envValue(host.env, 'PATHEXT', 'win32') || '.COM;.EXE;.BAT;.CMD';
  return pathext
    .split(';')
    .filter(Boolean)
    .map((ext) => ext.toLowerCase());
}

/** File names to look for: on Windows `npx` means npx.com, npx.exe, npx.bat, npx.cmd… (never bare `npx`, a shell script). */
function candidateNames(command: string, host: LaunchHost): string[] {
  if (host.platform !== 'win32') return [command];
  const extensions = windowsExtensions(host);
  const ext = path.win32.extname(command).toLowerCase();
  return ext && extensions.includes(ext) ? [command] : extensions.map((extension) => command + extension);
}

function isPathLike(command: string, platform: NodeJS.Platform): boolean {
  if (command.startsWith('~/')) return true;
  return platform === 'win32' ? /[\\/]|^[a-z]:/i.test(command) : command.includes('/');
}

/** Finds the file a command names, searching `pathValue` like a shell. Throws CommandNotFoundError. */
async function findExecutable(
  command: string,
  options: { host: LaunchHost; pathValue: string; cwd: string | null },
): Promise<string> {
  const { host } = options;
  const pathApi = host.platform === 'win32' ? path.win32 : path.posix;
  if (isPathLike(command, host.platform)) {
    const expanded = command.startsWith('~/') ? pathApi.join(host.homedir, command.slice(2)) : command;
    const full = pathApi.resolve(options.cwd ?? host.cwd, expanded);
    for (const name of candidateNames(full, host)) {
      if (await host.isExecutableFile(name)) return name;
    }
    throw new CommandNotFoundError(
      `Cannot find "${command}" (looked for ${full}). Check the path in the connector's command, and that the file is executable.`,
    );
  }
  const dirs = options.pathValue.split(host.platform === 'win32' ? ';' : ':').filter(Boolean);
  for (const dir of dirs) {
    for (const name of candidateNames(command, host)) {
      const full = pathApi.join(dir, name);
      if (await host.isExecutableFile(full)) return full;
    }
  }
  throw new CommandNotFoundError(
    `Cannot find "${command}" on your PATH (searched: ${dirs.join(', ') || 'nothing, PATH is empty'}). ` +
      `Install it or give the full path in the connector's command.`,
  );
}

// cmd.exe quoting, as cross-spawn does it (https://qntm.org/cmd): every metacharacter is escaped with
// a caret; npm's cmd-shims in node_modules\.bin re-parse their arguments, so they get it twice.
const cmdMetaChars = /([()\][%!^"`<>&|;, *?])/g;

/**
 * One argument quoted for cmd.exe: escaped for CommandLineToArgvW, then its metacharacters with a caret
 * (twice when the target is an npm cmd-shim, which parses its arguments again).
 * @internal Exported for its tests only: Windows quoting and resolution, and the launch's parts, which a Linux run cannot reach by starting servers.
 */
export function quoteForCmd(arg: string, doubleEscape: boolean): string {
  let quoted = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"').replace(/(?=(\\+?)?)\1$/, '$1$1');
  quoted = `"${quoted}"`.replace(cmdMetaChars, '^$1');
  return doubleEscape ? quoted.replace(cmdMetaChars, '^$1') : quoted;
}

/** How to start `file` with `args` on the platform: batch files go through `cmd.exe /d /s /c`. */
function spawnCommandLine(
  file: string,
  args: string[],
  host: Pick<LaunchHost, 'platform' | 'env'>,
): { file: string; args: string[]; windowsVerbatimArguments: boolean } {
  if (host.platform !== 'win32' || !/\.(cmd|bat)$/i.test(file)) {
    return { file, args, windowsVerbatimArguments: false };
  }
  const cmdShim = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i.test(file);
  const line = [file.replace(cmdMetaChars, '^$1'), ...args.map((arg) => quoteForCmd(arg, cmdShim))].join(' ');
  return {
    file: envValue(host.env, 'ComSpec', 'win32') || 'cmd.exe',
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true,
  };
}

// Gatehouse's own process plumbing must not leak into a server: ELECTRON_RUN_AS_NODE would turn an
// Electron-based server into plain node, NODE_OPTIONS could preload Gatehouse's loaders.
const privateVariables =
  /^(ELECTRON_|NODE_OPTIONS$|NODE_CHANNEL_FD$|NODE_CHANNEL_SERIALIZATION_MODE$|NODE_UNIQUE_ID$)/i;

/**
 * The environment a server starts with: the user's, minus Gatehouse's own process plumbing, with the
 * login shell's PATH and the connector's own variables on top.
 * @internal Exported for its tests only: Windows quoting and resolution, and the launch's parts, which a Linux run cannot reach by starting servers.
 */
export function childEnvironment(
  host: Pick<LaunchHost, 'platform' | 'env'>,
  pathValue: string,
  extra: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const isPathKey = (key: string) =>
    host.platform === 'win32' ? key.toUpperCase() === 'PATH' : key === 'PATH';
  for (const [key, value] of Object.entries(host.env)) {
    if (value !== undefined && !privateVariables.test(key) && !isPathKey(key)) env[key] = value;
  }
  env[host.platform === 'win32' ? 'Path' : 'PATH'] = pathValue;
  for (const [key, value] of Object.entries(extra)) {
    if (isPathKey(key)) delete env[host.platform === 'win32' ? 'Path' : 'PATH'];
    env[key] = value;
  }
  return env;
}

/**
 * A resolver that asks the login shell once per Gatehouse process (the answer is shared by every
 * connector) and plans each launch against it; `onSearchDirs` hears the folders searched once known.
 * @internal Exported for its tests only: Windows quoting and resolution, and the launch's parts, which a Linux run cannot reach by starting servers.
 */
export function createCommandResolver(
  host: LaunchHost = nodeLaunchHost(),
  onSearchDirs?: (dirs: string[]) => void,
): ResolveCommand {
  let pathOnce: Promise<string> | undefined;
  const delimiter = host.platform === 'win32' ? ';' : ':';
  const split = (value: string) => value.split(delimiter).filter(Boolean);
  const searched = () =>
    (pathOnce ??= searchPath(host).then((value) => {
      onSearchDirs?.(split(value));
      return value;
    }));
  const resolve = async (settings: StdioSettings): Promise<LaunchPlan> => {
    const shellPath = await searched();
    // The command is looked up on Gatehouse's own search path first: a PATH the connector sets (a
    // catalog entry's, say) is searched only after it, so it cannot swap the npx, uvx or docker that
    // Gatehouse starts; it still finds a command that only it has.
    const userPath = Object.entries(settings.env).find(([key]) =>
      host.platform === 'win32' ? key.toUpperCase() === 'PATH' : key === 'PATH',
    )?.[1];
    const pathValue = userPath === undefined ? shellPath : `${shellPath}${delimiter}${userPath}`;
    if (settings.cwd !== null && !(await host.isDirectory(settings.cwd))) {
      throw new LaunchError(
        `The working directory "${settings.cwd}" does not exist. Fix the connector's working directory.`,
      );
    }
    const resolved = await findExecutable(settings.command, { host, pathValue, cwd: settings.cwd });
    return {
      ...spawnCommandLine(resolved, settings.args, host),
      env: childEnvironment(host, shellPath, settings.env),
      cwd: settings.cwd ?? undefined,
      resolved,
    };
  };
  return Object.assign(resolve, { searchDirs: async () => split(await searched()) });
}

// The lifeline watcher (POSIX). `sh -c` starts a background subshell that blocks reading fd 3 — a
// pipe whose other end only Gatehouse holds — and then execs the real command in its own place, so
// the server keeps the pid, the process group and the stdio Gatehouse spawned (with fd 3 closed, so
// nothing the server starts holds it). When Gatehouse dies in any way, even SIGKILL, the kernel
// closes its end; the read returns, and `kill -KILL 0` ends the watcher's whole process group —
// which is the tree, since the root leads its own group. No pid is looked up, so no reused pid can
// be hit. The watcher costs one shell process per connector (~1 MB); it is a member of the tree and
// goes with it on every ordinary stop.
const LIFELINE_SCRIPT = '( read -r _ <&3; kill -KILL 0 ) </dev/null >/dev/null 2>&1 & exec "$@" 3<&-';

/**
 * Ties a launch to Gatehouse's life where the OS lets a plain Node process do so: on POSIX through
 * the lifeline watcher above; Windows needs nothing here, as Node puts every child it spawns in a
 * job object that ends the child when Gatehouse's process ends (its own children escape that job; the
 * ledger in tree-ledger.ts reaps them at the next start).
 */
function tieToParent(
  plan: LaunchPlan,
  platform: NodeJS.Platform,
): { file: string; args: string[]; stdio: StdioPipe[] } {
  if (platform === 'win32') return { file: plan.file, args: plan.args, stdio: ['pipe', 'pipe', 'pipe'] };
  return {
    file: '/bin/sh',
    args: ['-c', LIFELINE_SCRIPT, 'gatehouse-connector', plan.file, ...plan.args],
    // fd 3 is the lifeline: Gatehouse never writes to it and holds its end until it dies.
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  };
}

type StdioPipe = 'pipe';

/**
 * Linux: the descriptors this process holds that a child would inherit (no close-on-exec) beyond the
 * stdio it is given: ones Gatehouse itself inherited from whoever started it (a shell's `5<file`), as
 * libuv closes nothing else before exec. Node opens its own with close-on-exec.
 */
function inheritableDescriptors(from = 4): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd < from) continue;
    try {
      const flags = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      // O_CLOEXEC is 02000000 on Linux.
      if (flags !== undefined && (Number.parseInt(flags, 8) & 0o2000000) === 0) found.push(fd);
    } catch {
      // closed meanwhile (the listing's own descriptor among them)
    }
  }
  return found;
}

let devNull: number | undefined;

/**
 * The stdio array of a launch with every inheritable descriptor of Gatehouse's pointed at /dev/null
 * in the child, so a server starts with its stdin, stdout and stderr (and the lifeline) only.
 */
function withoutLeakedDescriptors(
  stdio: Array<StdioPipe | 'ignore' | number>,
): Array<StdioPipe | 'ignore' | number> {
  const leaked = inheritableDescriptors(stdio.length);
  if (leaked.length === 0) return stdio;
  devNull ??= openSync('/dev/null', 'r');
  const out = [...stdio];
  for (const fd of leaked) {
    while (out.length <= fd) out.push('ignore');
    out[fd] = devNull;
  }
  return out;
}

/** How a stdio server's process is started; tests pass a fake. */
export type SpawnImpl = (file: string, args: string[], options: SpawnOptions) => ChildProcess;

/**
 * Starts a planned stdio server: in its own process group (POSIX), so the whole tree can be signalled
 * at once, and tied to Gatehouse's life (tieToParent). Resolves once it runs; rejects with spawn's
 * error (ENOENT, EACCES) otherwise.
 */
export function spawnTree(
  spawnImpl: SpawnImpl,
  plan: LaunchPlan,
  platform: NodeJS.Platform = process.platform,
): Promise<ChildProcess> {
  const launch = tieToParent(plan, platform);
  return new Promise((resolve, reject) => {
    const child = spawnImpl(launch.file, launch.args, {
      cwd: plan.cwd,
      env: plan.env,
      stdio: platform === 'linux' ? withoutLeakedDescriptors(launch.stdio) : launch.stdio,
      detached: platform !== 'win32',
      windowsHide: true,
      windowsVerbatimArguments: plan.windowsVerbatimArguments,
    });
    child.stdio[3]?.on('error', () => undefined);
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

let sharedResolver: ResolveCommand | undefined;
let sharedSearchDirs: string[] | undefined;

/** The process-wide resolver for the real machine. */
export function defaultCommandResolver(): ResolveCommand {
  sharedResolver ??= createCommandResolver(nodeLaunchHost(), (dirs) => (sharedSearchDirs = dirs));
  return sharedResolver;
}

/**
 * The process-wide resolver's search folders once it has asked the login shell (at the first launch or
 * question); Gatehouse's own PATH before, for judgments that cannot wait: a sandbox's refusal (its
 * connector was launched, so the answer is in) and, at start-up, the grants of connectors saved before
 * grants were listed.
 */
export function knownSearchDirs(): string[] {
  return sharedSearchDirs ?? (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
}
