// What a sandboxed local server may read, write and reach — the default profile, the same for a
// hand-added, an imported and a catalog connector. The user's secrets are listed here and nowhere
// else (docs/security-model.md quotes this list); Gatehouse's data folder is denied on top of any
// setting. The profile is plain paths: connector-sandbox.ts hands it to the OS sandbox.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Random } from '../effects.js';
import type { StdioSettings } from '../api/connector-config.js';
import { sandboxOf } from '../api/connector-config.js';
import { LaunchError } from './stdio-launch.js';
import { SECRET_PATHS } from '../secrets/secret-locations.js';

/** The package caches `npx`, `uvx`, `pip` and their kin install into, relative to home. */
const PACKAGE_CACHES: readonly string[] = [
  '.npm',
  '.cache/uv',
  '.local/share/uv',
  '.cache/pip',
  '.cache/pnpm',
  '.local/share/pnpm',
  '.cache/yarn',
  '.yarn/berry/cache',
  '.bun/install/cache',
  '.cache/node/corepack',
  '.cache/deno',
  'Library/Caches/pip',
  'Library/Caches/Yarn',
  'Library/Caches/deno',
  'Library/pnpm',
];

/** What a sandboxed server may read, write and reach; every path absolute. */
export interface SandboxProfile {
  /** Paths it cannot read (nor write): the secrets that exist now, and Gatehouse's data folder. */
  denyRead: string[];
  /**
   * Linux: names made unreadable by hiding their folder — the home folder and each folder on the way
   * to a secret — with everything else in that folder shown again (`allowWithinDeny`), so a secret
   * created after the server started stays hidden too.
   */
  hiddenFolders: string[];
  /** What is shown again inside `hiddenFolders`. */
  shownAgain: string[];
  /** Where it may write: its workspace, its scratch and temp folders, and the package caches. */
  write: string[];
  /** The workspace alone: the folders named on its command line and the ones the user added. */
  workspace: string[];
  /** Its own folders: scratch (kept between starts) and temp (new at every start). */
  scratchDir: string;
  tempDir: string;
  /** null: any host; a list: only these. */
  allowedDomains: string[] | null;
}

/** Where the profile is computed: the user's home, Gatehouse's data folder and the OS. */
export interface SandboxPlace {
  platform: NodeJS.Platform;
  home: string;
  dataDir: string;
  /** Parent of every connector's scratch folder. */
  scratchRoot: string;
  /** Parent of every connector's temp folder. */
  tempRoot: string;
}

// Folders a server may never be given to write, however it names them: the system's own.
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

const isAtOrUnder = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);

const isDirectory = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

const listFolder = (folder: string): string[] => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

/** Why a folder may not be a workspace, or null when it may. */
function refusedWorkspace(folder: string, place: SandboxPlace): string | null {
  if (SYSTEM_ROOTS.includes(folder) || SYSTEM_FOLDERS.some((system) => isAtOrUnder(folder, system))) {
    return 'it is a system folder';
  }
  if (isAtOrUnder(place.home, folder)) return 'it holds your whole home folder (name a folder inside it)';
  if (isAtOrUnder(place.dataDir, folder) || isAtOrUnder(folder, place.dataDir)) {
    return "it holds Gatehouse's own data folder";
  }
  const secret = SECRET_PATHS.map((rel) => path.join(place.home, rel)).find(
    (secretPath) => isAtOrUnder(folder, secretPath) || isAtOrUnder(secretPath, folder),
  );
  return secret ? `it holds or is inside ${secret}, one of your secrets` : null;
}

/** The existing folders a server's command line names (`/x`, `~/x`, `./x`, `--root=/x`). */
function foldersOnCommandLine(settings: StdioSettings, place: SandboxPlace, cwd: string): string[] {
  const folders: string[] = [];
  for (const arg of settings.args) {
    const value = /^--?[\w-]+=/.test(arg) ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (!/^(\/|~\/|~$|\.\.?(\/|$))/.test(value)) continue;
    const full = value.startsWith('~') ? path.join(place.home, value.slice(1)) : path.resolve(cwd, value);
    if (isDirectory(full) && !folders.includes(full)) folders.push(full);
  }
  return folders;
}

/** The folders the user added to a server's workspace, as absolute paths (`~/` is the home folder). */
function addedFolders(settings: StdioSettings, place: Pick<SandboxPlace, 'home'>): string[] {
  return sandboxOf(settings).folders.map((folder) =>
    folder.startsWith('~/') ? path.join(place.home, folder.slice(2)) : path.resolve(folder),
  );
}

/**
 * A server's workspace, where it may write: the folders its command line names that may be a
 * workspace, and the ones the user added (`cwd`: where its relative arguments start).
 */
export function workspaceFolders(settings: StdioSettings, place: SandboxPlace, cwd: string): string[] {
  const named = foldersOnCommandLine(settings, place, cwd).filter(
    (folder) => refusedWorkspace(folder, place) === null,
  );
  return [...new Set([...named, ...addedFolders(settings, place)])];
}

/**
 * Every folder the user gave a server: the ones its command line names (a system folder or the whole
 * home folder included: it may read them, only not write) and the existing ones added to its
 * workspace. What it would work in by itself, so what Gatehouse answers for it as roots.
 */
export function foldersGiven(settings: StdioSettings, place: SandboxPlace, cwd: string): string[] {
  const added = addedFolders(settings, place).filter(isDirectory);
  return [...new Set([...foldersOnCommandLine(settings, place, cwd), ...added])];
}

/**
 * Linux: each folder to hide and what to show again in it. The home folder is hidden, and so is every
 * folder between it and a secret; everything in them that is not a secret nor itself hidden is shown
 * again. A secret that does not exist yet is therefore not there for the server even if it appears.
 * The folders on the way to a writable path are hidden and shown again the same way, so the
 * read-only view of a parent never covers the writable child (the runtime binds that one itself).
 * Other connectors' scratch and temp folders (in `ownRoots`) stay hidden: a server sees only its
 * own, and each one not shown is a mount fewer for bubblewrap to make at every start.
 */
function hiddenAndShown(
  home: string,
  dataDir: string,
  writable: string[],
  ownRoots: string[],
): { hidden: string[]; shown: string[] } {
  const secrets = new Set(SECRET_PATHS.map((rel) => path.join(home, rel)));
  const hidden = new Set<string>([home]);
  const below = [
    ...SECRET_PATHS,
    ...writable.filter((p) => isAtOrUnder(p, home)).map((p) => path.relative(home, p)),
  ];
  for (const rel of below) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) hidden.add(path.join(home, ...parts.slice(0, i)));
  }
  const existingHidden = [...hidden].filter(isDirectory);
  const shown: string[] = [];
  for (const folder of existingHidden) {
    for (const entry of listFolder(folder)) {
      const full = path.join(folder, entry);
      if (
        secrets.has(full) ||
        hidden.has(full) ||
        writable.includes(full) ||
        isAtOrUnder(full, dataDir) ||
        ownRoots.includes(folder)
      )
        continue;
      shown.push(full);
    }
  }
  return { hidden: existingHidden, shown };
}

/** The command's own package cache must exist and be writable, or `npx` fails with ENOTCACHED. */
function cacheFor(resolved: string, home: string): string | null {
  const command = path.basename(resolved);
  if (['npx', 'npm', 'pnpm', 'pnpx'].includes(command)) return path.join(home, '.npm');
  if (['uv', 'uvx'].includes(command)) return path.join(home, '.cache', 'uv');
  if (/^pip(3(\.\d+)?)?$/.test(command) || command === 'pipx') return path.join(home, '.cache', 'pip');
  return null;
}

/** The scratch folder name for a connector (its name is already URL-safe: connector-config.ts). */
function ownFolders(
  name: string,
  place: SandboxPlace,
  random: Random,
): { scratchDir: string; tempDir: string } {
  return {
    scratchDir: path.join(place.scratchRoot, name),
    tempDir: path.join(place.tempRoot, `${name}-${random.bytes(6).toString('hex')}`),
  };
}

/**
 * The profile of one start of a connector; makes its scratch and temp folders. Throws LaunchError (a sentence for the user) when a folder
 * the user added cannot be a workspace.
 */
export function sandboxProfile(
  name: string,
  settings: StdioSettings,
  place: SandboxPlace,
  launch: { cwd: string; resolved: string; random: Random },
): SandboxProfile {
  const { cwd } = launch;
  const sandbox = sandboxOf(settings);
  const added = addedFolders(settings, place);
  for (const folder of added) {
    const refused = refusedWorkspace(folder, place);
    if (refused) {
      throw new LaunchError(`The workspace folder ${folder} cannot be given to ${name}: ${refused}.`);
    }
    if (!isDirectory(folder)) {
      throw new LaunchError(
        `The workspace folder ${folder} does not exist. Create it, or remove it from ${name}'s workspace.`,
      );
    }
  }
  // A command-line folder that may not be a workspace is still readable; it is only not writable.
  const workspace = workspaceFolders(settings, place, cwd);
  const own = ownFolders(name, place, launch.random);
  for (const dir of [own.scratchDir, own.tempDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The command's own cache must exist and be writable, or `npx` fails with ENOTCACHED.
  const ownCache = cacheFor(launch.resolved, place.home);
  if (ownCache) mkdirSync(ownCache, { recursive: true, mode: 0o700 });
  const caches = PACKAGE_CACHES.map((rel) => path.join(place.home, rel)).filter(isDirectory);
  // Linux hides what does not exist yet by hiding its folder (below); Seatbelt denies by name.
  const secrets = secretPathsOf(place.home).filter((p) => place.platform !== 'linux' || existsSync(p));
  const write = [...workspace, own.scratchDir, own.tempDir, ...caches];
  const { hidden, shown } =
    place.platform === 'linux'
      ? hiddenAndShown(place.home, place.dataDir, write, [place.scratchRoot, place.tempRoot])
      : { hidden: [], shown: [] };
  return {
    denyRead: [...secrets, place.dataDir],
    hiddenFolders: hidden,
    shownAgain: shown,
    write,
    workspace,
    ...own,
    allowedDomains: sandbox.allowedDomains,
  };
}

/** On macOS the secrets are denied by name (Seatbelt rules match paths that do not exist yet). */
function secretPathsOf(home: string): string[] {
  return SECRET_PATHS.map((rel) => path.join(home, rel));
}
