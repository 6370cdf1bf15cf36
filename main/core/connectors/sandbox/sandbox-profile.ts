// What one start of a sandboxed server may read, write and reach, as plain paths: the same rules for
// a hand-added, an imported and a catalog connector. The system is readable; the home folder, the temp
// folders, other users' folders, mounted volumes and Gatehouse's data folder are hidden, and only its
// grants are there again — its workspace and read grants, its own scratch and temp folders, its
// runtime and package. It writes only its workspace, scratch and temp, and never the places in its
// workspace that run code later. Its package caches are its own, in its scratch folder.
// connector-sandbox.ts hands the profile to the OS sandbox.
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Random } from '../../effects.js';
import { sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import { LaunchError } from '../processes/stdio-launch.js';
import {
  expandGrant,
  isAtOrUnder,
  protectedPaths,
  refusedGrant,
  runtimeReads,
  type ProtectedPath,
} from './sandbox-grants.js';
import { savedFiles, type SavedFile } from './sandbox-files.js';

/** What a sandboxed server may read, write and reach; every path absolute. */
export interface SandboxProfile {
  /** Folders hidden whole: inside the sandbox each is an empty, read-only folder but for grants. */
  hidden: string[];
  /** Shown again inside the hidden folders, read-only: runtime, package, read grants, Gatehouse's files. */
  read: string[];
  /** Where it may write: its workspace, scratch and temp folders. */
  write: string[];
  /** Inside its workspace, what stays read-only (git hooks and config, editor tasks…). */
  protected: ProtectedPath[];
  /** The paths the user lets it write (folders or files). */
  workspace: string[];
  /** The granted files its command line names, saved through a folder of their own (sandbox-files.ts). */
  saved: SavedFile[];
  /** The paths the user lets it read. */
  readGrants: string[];
  /** What it reads to run: its program and interpreter with their installation, its script's project. */
  runtime: string[];
  /** Its own folders: scratch (kept between starts, its package caches in it) and temp (new each start). */
  scratchDir: string;
  tempDir: string;
  /** The variables that point its tools at its own folders (caches, temp). */
  env: Record<string, string>;
  /** null: any public host; a list: only these. */
  allowedDomains: string[] | null;
}

/** Where profiles are computed: the user's home, Gatehouse's data folder, the OS and its own roots. */
export interface SandboxPlace {
  platform: NodeJS.Platform;
  home: string;
  dataDir: string;
  /** Parent of every connector's scratch folder. */
  scratchRoot: string;
  /** Parent of every connector's temp folder: private to this engine (0700, a name drawn at random). */
  tempRoot: string;
}

/** What else is hidden beside the home folder: temp folders, other users', mounted volumes. */
function hiddenRoots(place: SandboxPlace): string[] {
  const runtimeDir = process.env.XDG_RUNTIME_DIR ?? `/run/user/${process.getuid?.() ?? ''}`;
  const candidates =
    place.platform === 'darwin'
      ? [place.home, '/Users', '/tmp', '/private/tmp', '/private/var/tmp', '/Volumes', '/private/var/folders']
      : [place.home, '/home', '/root', '/tmp', '/var/tmp', runtimeDir, '/media', '/mnt', '/run/media'];
  const existing = [...candidates, place.dataDir, place.tempRoot, place.scratchRoot]
    .filter((dir) => {
      try {
        return statSync(dir).isDirectory();
      } catch {
        return false;
      }
    })
    .map((dir) => realpathSync(dir));
  // A folder inside another hidden one is hidden with it.
  const unique = [...new Set(existing)];
  return unique.filter((dir) => !unique.some((other) => other !== dir && isAtOrUnder(dir, other)));
}

/** A file-like name (`memory.jsonl`, `notes.db`): a grant that may be created empty when missing. */
const FILE_NAME = /\.[A-Za-z0-9]{1,12}$/;

/** The user's grants, made absolute and checked; a missing file-like grant is created empty. */
function checkedGrants(
  name: string,
  grants: readonly string[],
  place: SandboxPlace,
  what: 'write' | 'read',
): string[] {
  return grants.map((grant) => {
    const full = expandGrant(grant, place.home);
    const refused = refusedGrant(full, place);
    if (refused)
      throw new LaunchError(`${name} may not ${what} ${full}: ${refused}. Remove it from its grants.`);
    if (!existsSync(full)) {
      if (what === 'write' && FILE_NAME.test(full) && existsSync(path.dirname(full))) {
        writeFileSync(full, '', { mode: 0o600, flag: 'a' });
      } else {
        throw new LaunchError(
          `${full}, which ${name} may ${what}, does not exist. Create it, or remove it from ${name}'s grants.`,
        );
      }
    }
    return full;
  });
}

/** The variables that keep a server's package caches, settings and temp files in its own folders. */
function ownFolderVariables(scratchDir: string, tempDir: string): Record<string, string> {
  const at = (...parts: string[]) => path.join(scratchDir, ...parts);
  return {
    TMPDIR: tempDir,
    TMP: tempDir,
    TEMP: tempDir,
    npm_config_cache: at('npm'),
    npm_config_update_notifier: 'false',
    UV_CACHE_DIR: at('uv', 'cache'),
    UV_TOOL_DIR: at('uv', 'tools'),
    UV_TOOL_BIN_DIR: at('uv', 'bin'),
    UV_PYTHON_INSTALL_DIR: at('uv', 'python'),
    PIP_CACHE_DIR: at('pip'),
    DENO_DIR: at('deno'),
    BUN_INSTALL_CACHE_DIR: at('bun'),
    XDG_CACHE_HOME: at('cache'),
    XDG_CONFIG_HOME: at('config'),
    XDG_DATA_HOME: at('data'),
    XDG_STATE_HOME: at('state'),
  };
}

/**
 * npx installs a package into `_npx/<hash>`; a start stopped mid-install (a cold download past the
 * start limit) can leave that folder without its `package.json`, and npm then fails
 * every later start with ENOENT on that file. In the connector's own cache, such a folder is removed
 * before each start, and the start installs it again.
 */
function clearInterruptedInstalls(npxDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(npxDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const folder = path.join(npxDir, entry);
    if (!existsSync(path.join(folder, 'package.json'))) rmSync(folder, { recursive: true, force: true });
  }
}

/** The scratch folder of a connector (its name is URL-safe: connector-config.ts). */
export function scratchOf(name: string, place: SandboxPlace): string {
  return path.join(place.scratchRoot, name);
}

/**
 * The profile of one start of a connector; makes its scratch and temp folders and holds the place
 * of anything protected in its workspace that is not there yet. Throws LaunchError (a sentence for the
 * user) when a grant cannot be given.
 */
export function sandboxProfile(
  name: string,
  settings: StdioSettings,
  place: SandboxPlace,
  launch: { cwd: string; resolved: string; args: readonly string[]; pathValue: string; random: Random },
): SandboxProfile {
  const sandbox = sandboxOf(settings);
  const workspace = [...new Set(checkedGrants(name, sandbox.folders, place, 'write'))];
  const readGrants = [...new Set(checkedGrants(name, sandbox.readFolders, place, 'read'))];
  const scratchDir = scratchOf(name, place);
  const tempDir = path.join(place.tempRoot, `${name}-${launch.random.bytes(6).toString('hex')}`);
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  mkdirSync(tempDir, { recursive: true, mode: 0o700 });
  const env = ownFolderVariables(scratchDir, tempDir);
  for (const [key, dir] of Object.entries(env)) {
    if (key !== 'npm_config_update_notifier') mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  clearInterruptedInstalls(path.join(env.npm_config_cache!, '_npx'));
  let guarded: ProtectedPath[];
  try {
    guarded = protectedPaths(workspace);
  } catch (error) {
    throw new LaunchError(`${name} was not started: ${(error as Error).message}.`);
  }
  const hidden = hiddenRoots(place);
  const runtime = runtimeReads(
    { resolved: launch.resolved, args: launch.args, pathValue: launch.pathValue, cwd: launch.cwd },
    place,
    hidden,
  );
  // A working folder the user set is where its relative paths point: readable, unless it is home.
  const own = settings.cwd ?? null;
  const cwd = own !== null && refusedGrant(path.resolve(own), place) === null ? [path.resolve(own)] : [];
  return {
    hidden,
    read: [...new Set([...readGrants, ...runtime, ...cwd])],
    write: [...workspace, scratchDir, tempDir],
    protected: guarded,
    workspace,
    saved: savedFiles(workspace, [...launch.args, ...Object.values(settings.env)], scratchDir, place.home),
    readGrants,
    runtime,
    scratchDir,
    tempDir,
    env,
    allowedDomains: sandbox.allowedDomains,
  };
}
