// What a sandboxed server is granted beyond the system's read-only view, and what it may never be
// granted. A grant is a path: its workspace (the folders and files the user lets it write), its read
// grants, and what it needs to run at all — its runtime (the interpreter and the version manager's
// folder it lies in) and its package (the script an interpreter runs, with its project). No grant may
// hold or lie inside a secret, Gatehouse's data folder, the whole home folder or a system folder.
import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { SECRET_PATHS } from '../../secrets/secret-locations.js';
import { runnerOf, type PackageRunner } from '../processes/package-runner.js';

/** Where grants are judged: the home folder and Gatehouse's data folder. */
export interface GrantPlace {
  home: string;
  dataDir: string;
}

// Folders a server may never be given, however it names them: the system's own.
const SYSTEM_FOLDERS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sbin', '/sys', '/usr'];
const SYSTEM_ROOTS = [
  '/',
  '/var',
  '/opt',
  '/private',
  '/System',
  '/Library',
  '/Applications',
  '/Users',
  '/home',
];

/** Whether `child` is `parent` or inside it. */
export const isAtOrUnder = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);

const isDirectory = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

const realpath = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** A grant as the user wrote it (`~/notes`, `/srv/data`), made absolute. */
export function expandGrant(grant: string, home: string): string {
  if (grant === '~') return home;
  return grant.startsWith('~/') ? path.join(home, grant.slice(2)) : path.resolve(grant);
}

/** Why a path may not be granted, or null when it may. */
export function refusedGrant(target: string, place: GrantPlace): string | null {
  if (SYSTEM_ROOTS.includes(target) || SYSTEM_FOLDERS.some((system) => isAtOrUnder(target, system))) {
    return 'it is a system folder';
  }
  if (isAtOrUnder(place.home, target)) return 'it holds your whole home folder (name a folder inside it)';
  if (isAtOrUnder(place.dataDir, target) || isAtOrUnder(target, place.dataDir)) {
    return "it holds Gatehouse's own data folder";
  }
  const secret = SECRET_PATHS.map((rel) => path.join(place.home, rel)).find(
    (secretPath) => isAtOrUnder(target, secretPath) || isAtOrUnder(secretPath, target),
  );
  return secret ? `it holds or is inside ${secret}, one of your secrets` : null;
}

// ---- Runtime and package -------------------------------------------------------------------------

/**
 * Version managers' and toolchains' own folders under the home folder: a command found in one needs
 * the whole of it (shims, the versions they pick, the libraries beside them), and none holds secrets.
 */
const TOOL_ROOTS = [
  '.nvm',
  '.pyenv',
  '.volta',
  '.fnm',
  '.bun',
  '.deno',
  '.asdf',
  '.rbenv',
  '.rustup',
  '.sdkman',
  '.jenv',
  '.goenv',
  '.nodenv',
  '.proto',
  '.pixi',
  '.local/share/fnm',
  '.local/share/mise',
  '.local/share/uv/python',
  '.local/share/pnpm',
];

/** Package runners that look in the project they start in for the package before they fetch it. */
const PROJECT_RUNNERS: ReadonlySet<PackageRunner | null> = new Set<PackageRunner>(['npx', 'pnpx', 'bunx']);
/** Interpreters whose first file argument is the server's own code (its package). */
const INTERPRETERS = /^(node|nodejs|deno|bun|python\d*(\.\d+)?|pypy\d*|ruby|perl|php|tsx|ts-node)$/;
/** What marks a project's root: the folder a script's package is. */
const PROJECT_MARKERS = [
  'package.json',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'Cargo.toml',
  'go.mod',
];

/**
 * The folder that holds a program in a hidden folder (`root`: the home folder, the temp folder…), as
 * little of it as it needs: a version manager's whole folder, else the folder above its `bin` (a
 * prefix such as ~/.npm-global), else its `bin` folder, else the file alone — never one that holds a
 * secret, nor the hidden folder itself.
 */
function installationOf(file: string, root: string, place: GrantPlace): string {
  if (root === place.home) {
    for (const tool of TOOL_ROOTS) {
      const full = path.join(root, tool);
      if (isAtOrUnder(file, full)) return full;
    }
  }
  // A prefix of its own: at least two levels into the home folder (~/.local is too much), one elsewhere.
  const deepEnough = (dir: string) =>
    path.relative(root, dir).split('/').length >= (root === place.home ? 2 : 1);
  let bin = path.dirname(file);
  while (bin !== root && bin !== '/' && path.basename(bin) !== 'bin') bin = path.dirname(bin);
  if (path.basename(bin) === 'bin' && bin !== root) {
    const prefix = path.dirname(bin);
    if (prefix !== root && deepEnough(prefix) && refusedGrant(prefix, place) === null) return prefix;
    if (refusedGrant(bin, place) === null) return bin;
  }
  return file;
}

/** The interpreter a script's first line names (`#!/usr/bin/env node`, `#!/home/u/venv/bin/python`). */
function shebangOf(file: string): { program: string; viaEnv: boolean } | null {
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      head = buffer.subarray(0, readSync(fd, buffer, 0, 256, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const line = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head);
  if (!line) return null;
  if (path.basename(line[1]!) === 'env' && line[2]) {
    const program = line[2] === '-S' ? /^#!\s*\S+\s+-S\s+(\S+)/.exec(head)?.[1] : line[2];
    return program ? { program, viaEnv: true } : null;
  }
  return { program: line[1]!, viaEnv: false };
}

/** The first executable `name` on `pathValue`. */
function onPath(name: string, pathValue: string): string | null {
  for (const dir of pathValue.split(':').filter(Boolean)) {
    const full = path.join(dir, name);
    try {
      if (statSync(full).isFile()) return full;
    } catch {
      // not here
    }
  }
  return null;
}

/** The `node_modules` folders above a file, inside `root`: where Node looks for what it imports. */
function packageFoldersAbove(file: string, root: string): string[] {
  const folders: string[] = [];
  for (let up = path.dirname(file); up !== root && isAtOrUnder(up, root); up = path.dirname(up))
    if (path.basename(up) === 'node_modules') folders.push(up);
  return folders;
}

/** The project a script belongs to: the nearest folder above it with a project file, inside `root`. */
function projectOf(file: string, root: string): string {
  let dir = path.dirname(file);
  for (let up = path.dirname(file); up !== root && isAtOrUnder(up, root); up = path.dirname(up)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(path.join(up, marker)))) {
      dir = up;
      break;
    }
  }
  return dir === root ? file : dir;
}

/**
 * What a server reads to run at all, where it lies in a hidden folder (`hidden`: the home folder, the
 * temp folders…): the program it is started with and the interpreter that program names (each with
 * the installation it needs), and for an interpreter, the script it runs with its project. Paths
 * elsewhere are readable as part of the system and are not listed.
 */
export function runtimeReads(
  launch: { resolved: string; args: readonly string[]; pathValue: string; cwd: string },
  place: GrantPlace,
  hidden: readonly string[],
): string[] {
  const reads = new Set<string>();
  const rootOf = (p: string) => hidden.find((root) => isAtOrUnder(p, root) && p !== root);
  const program = (file: string, depth: number) => {
    for (const spelling of new Set([file, realpath(file)])) {
      const root = rootOf(spelling);
      if (root !== undefined) reads.add(installationOf(spelling, root, place));
    }
    const interpreter = depth < 2 ? shebangOf(realpath(file)) : null;
    if (!interpreter) return;
    const found = interpreter.viaEnv ? onPath(interpreter.program, launch.pathValue) : interpreter.program;
    if (found) program(found, depth + 1);
  };
  program(launch.resolved, 0);
  // `npx x` runs a package installed in the project it starts in before it fetches one: as outside
  // the sandbox, the node_modules folders at and above its working folder are read (only those).
  if (PROJECT_RUNNERS.has(runnerOf(launch.resolved))) {
    const root = rootOf(launch.cwd);
    if (root !== undefined) {
      for (let up = launch.cwd; up !== root && isAtOrUnder(up, root); up = path.dirname(up)) {
        const modules = path.join(up, 'node_modules');
        if (existsSync(modules)) reads.add(modules);
      }
    }
  }
  if (INTERPRETERS.test(path.basename(launch.resolved))) {
    const script = launch.args.find((arg) => !arg.startsWith('-'));
    const file = script === undefined ? null : realpath(path.resolve(launch.cwd, script));
    const root = file === null ? undefined : rootOf(file);
    if (file && root !== undefined && existsSync(file) && statSync(file).isFile()) {
      const project = projectOf(file, root);
      reads.add(refusedGrant(project, place) === null ? project : file);
      // A package installed in a project (`node node_modules/x/dist/index.js`) imports its hoisted
      // dependencies from the node_modules folders above it, which Node's resolution walks up through.
      for (const folder of packageFoldersAbove(file, root)) reads.add(folder);
    }
    // Packages installed for this user (pip install --user) are the interpreter's own.
    if (/^python/.test(path.basename(launch.resolved))) {
      const userLib = path.join(place.home, '.local', 'lib');
      for (const entry of listFolder(userLib)) {
        if (/^python\d/.test(entry)) reads.add(path.join(userLib, entry));
      }
    }
  }
  return [...reads].filter((p) => refusedGrant(p, place) === null);
}

const listFolder = (folder: string): string[] => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

// ---- What runs later -----------------------------------------------------------------------------

/**
 * The places in a folder that git, an editor, direnv or an AI client runs later: never writable,
 * whether they exist yet or not (a missing one is held by an empty placeholder while the server
 * runs). `dir` marks a folder, the rest are files. The git ones apply to a repository's root.
 */
const RUNS_LATER: ReadonlyArray<{ name: string; dir: boolean; repository?: true }> = [
  { name: '.git/hooks', dir: true, repository: true },
  { name: '.git/config', dir: false, repository: true },
  { name: '.gitmodules', dir: false, repository: true },
  { name: '.vscode', dir: true },
  { name: '.idea', dir: true },
  { name: '.claude', dir: true },
  { name: '.envrc', dir: false },
  { name: '.mcp.json', dir: false },
];
/** Names that run code later wherever they are found (shell and tool settings among them). */
const RUNS_LATER_ANYWHERE = new Set([
  '.vscode',
  '.idea',
  '.claude',
  '.envrc',
  '.mcp.json',
  '.gitmodules',
  '.bashrc',
  '.bash_profile',
  '.zshrc',
  '.zprofile',
  '.profile',
  '.gitconfig',
  '.ripgreprc',
]);
/** Folders not looked into for them: a package's files run only as part of the project's own run. */
const NOT_SEARCHED = new Set([
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.cache',
  'dist',
  'build',
  'target',
]);

/** A path that must be read-only inside the sandbox, and what to create if it is not there yet. */
export interface ProtectedPath {
  path: string;
  /** Not there yet: an empty folder or file holds its place while the server runs. */
  placeholder: 'dir' | 'file' | null;
}

/** The most repositories and folders looked at in one workspace before the start is refused. */
const PROTECTED_SEARCH_LIMITS = { depth: 8, folders: 20_000, repositories: 200 };

/**
 * Every place in the workspace that runs code later: what exists of them at any depth (down to
 * PROTECTED_SEARCH_LIMITS.depth), and at the workspace's top and each repository's root also what
 * does not exist yet. A `.git` that is a file (a worktree or submodule) is protected itself.
 * Throws an Error whose message says which limit a workspace passed.
 */
export function protectedPaths(workspace: readonly string[]): ProtectedPath[] {
  const found = new Map<string, ProtectedPath>();
  const protect = (p: string, placeholder: ProtectedPath['placeholder']) => {
    if (!found.has(p)) found.set(p, { path: p, placeholder });
  };
  const atRoot = (root: string, repository: boolean) => {
    for (const place of RUNS_LATER) {
      if (place.repository && !repository) continue;
      const full = path.join(root, place.name);
      protect(full, existsSync(full) ? null : place.dir ? 'dir' : 'file');
    }
  };
  let folders = 0;
  let repositories = 0;
  for (const top of workspace) {
    if (!isDirectory(top)) continue;
    const walk = (dir: string, depth: number, isTop: boolean) => {
      if (++folders > PROTECTED_SEARCH_LIMITS.folders) {
        throw new Error(
          `${top} holds more than ${PROTECTED_SEARCH_LIMITS.folders} folders to check for git and editor settings; grant a narrower folder`,
        );
      }
      const entries = listFolder(dir);
      const git = entries.includes('.git') ? lstatSafe(path.join(dir, '.git')) : null;
      if (git?.isDirectory()) {
        if (++repositories > PROTECTED_SEARCH_LIMITS.repositories) {
          throw new Error(
            `${top} holds more than ${PROTECTED_SEARCH_LIMITS.repositories} git repositories; grant a narrower folder`,
          );
        }
        atRoot(dir, true);
      } else if (git) {
        protect(path.join(dir, '.git'), null);
        atRoot(dir, false);
      } else if (isTop) atRoot(dir, false);
      for (const entry of entries) {
        const full = path.join(dir, entry);
        if (RUNS_LATER_ANYWHERE.has(entry)) {
          protect(full, null);
          continue;
        }
        if (entry === '.git' || NOT_SEARCHED.has(entry) || depth >= PROTECTED_SEARCH_LIMITS.depth) continue;
        const stat = lstatSafe(full);
        if (stat?.isDirectory()) walk(full, depth + 1, false);
      }
    };
    walk(top, 0, true);
  }
  return [...found.values()];
}

const lstatSafe = (p: string) => {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
};
