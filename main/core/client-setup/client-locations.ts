// Where each MCP client keeps its server list on each OS, and what shows that it is installed. The
// platform, home directory, environment and the folders looked into are parameters, so tests can lay
// out any OS under a fake home; paths are joined with the running OS's separator, since they are
// opened on this machine.
import { join } from 'node:path';

/** The apps "Connect a client" knows how to configure. */
export const setupClients = ['claude-desktop', 'claude-code', 'vscode', 'cursor'] as const;
/** One of the apps "Connect a client" configures. */
export type SetupClient = (typeof setupClients)[number];

/** `user`: the client's own config for every project; `project`: a file in one project directory. */
export type SetupScope = 'user' | 'project';

/** The machine as the client-setup code sees it. */
export interface HostLayout {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** Each app's name as people know it, for messages and the page. */
export const clientNames: Record<SetupClient, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  vscode: 'VS Code',
  cursor: 'Cursor',
};

/** The per-user application-data folder: Application Support, %APPDATA% or $XDG_CONFIG_HOME. */
function appDataDir(layout: HostLayout): string {
  const { platform, home, env } = layout;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

/** What locating a client's files reads: a folder's entries ([] when it cannot be read) and whether a path exists. */
export interface FolderReader {
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
}

/**
 * Claude Desktop's MSIX package family on Windows: the name, then the publisher id (13 characters of
 * Crockford base32, lower case) that Windows derives from the signing certificate's subject.
 */
const CLAUDE_PACKAGE = /^Claude_[0-9a-hjkmnp-tv-z]{13}$/;
/** The publisher id of Anthropic's package today, preferred when more than one `Claude_…` is there. */
const CLAUDE_PACKAGE_FAMILY = 'Claude_pzs8sxrjxfjjc';

/**
 * Windows: the folder of Claude Desktop's MSIX package under `%LOCALAPPDATA%\Packages`, or null when
 * Claude Desktop is not installed as a package (the older installer, or another OS). With several,
 * the one Claude has already run from (its private AppData holds a Claude folder) wins, then
 * Anthropic's own publisher id.
 * @internal Exported for its tests only: Claude Desktop's Windows package folder, which Linux cannot have.
 */
export async function claudePackageFolder(layout: HostLayout, fs: FolderReader): Promise<string | null> {
  if (layout.platform !== 'win32') return null;
  const packages = join(layout.env.LOCALAPPDATA || join(layout.home, 'AppData', 'Local'), 'Packages');
  const found = (await fs.list(packages))
    .filter((name) => CLAUDE_PACKAGE.test(name))
    .sort(
      (a, b) =>
        Number(b === CLAUDE_PACKAGE_FAMILY) - Number(a === CLAUDE_PACKAGE_FAMILY) || a.localeCompare(b),
    )
    .map((name) => join(packages, name));
  for (const folder of found) if (await fs.exists(packagedClaudeFolder(folder))) return folder;
  return found[0] ?? null;
}

/**
 * Claude's folder inside its package's private AppData. MSIX virtualises a packaged desktop app's
 * AppData: what Claude writes to (and reads from) `%APPDATA%\Claude` lives in
 * `<package>\LocalCache\Roaming\Claude`, and a file in the real `%APPDATA%\Claude` is not the one it reads.
 */
function packagedClaudeFolder(packageFolder: string): string {
  return join(packageFolder, 'LocalCache', 'Roaming', 'Claude');
}

/** Claude Desktop's own folder: inside its MSIX package on Windows when it is installed so, else `<appData>/Claude`. */
async function claudeDesktopFolder(layout: HostLayout, fs: FolderReader): Promise<string> {
  const packageFolder = await claudePackageFolder(layout, fs);
  return packageFolder ? packagedClaudeFolder(packageFolder) : join(appDataDir(layout), 'Claude');
}

/** Claude Code keeps ~/.claude.json, or $CLAUDE_CONFIG_DIR/.claude.json when that is set. */
function claudeCodeUserFile(layout: HostLayout): string {
  return join(layout.env.CLAUDE_CONFIG_DIR || layout.home, '.claude.json');
}

/**
 * The config file of one client in one scope; null where the client has no such scope. `fs` finds
 * Claude Desktop's package folder on Windows.
 */
export async function configPath(
  client: SetupClient,
  scope: SetupScope,
  layout: HostLayout,
  fs: FolderReader,
  projectDir?: string,
): Promise<string | null> {
  if (scope === 'project') {
    if (projectDir === undefined) return null;
    switch (client) {
      case 'claude-desktop':
        return null;
      case 'claude-code':
        return join(projectDir, '.mcp.json');
      case 'vscode':
        return join(projectDir, '.vscode', 'mcp.json');
      case 'cursor':
        return join(projectDir, '.cursor', 'mcp.json');
    }
  }
  switch (client) {
    case 'claude-desktop':
      return join(await claudeDesktopFolder(layout, fs), 'claude_desktop_config.json');
    case 'claude-code':
      return claudeCodeUserFile(layout);
    case 'vscode':
      return join(appDataDir(layout), 'Code', 'User', 'mcp.json');
    case 'cursor':
      return join(layout.home, '.cursor', 'mcp.json');
  }
}

/** Where the app can be connected: for the user, and (all but Claude Desktop) per project. */
export function supportedScopes(client: SetupClient): SetupScope[] {
  return client === 'claude-desktop' ? ['user'] : ['user', 'project'];
}

/**
 * Paths whose existence shows the client is (or was) installed for this user: its config or data
 * folder, its package, or the application itself where it has a fixed place.
 */
export async function installEvidence(
  client: SetupClient,
  layout: HostLayout,
  fs: FolderReader,
): Promise<string[]> {
  const { platform, home, env } = layout;
  switch (client) {
    case 'claude-desktop': {
      const packageFolder = await claudePackageFolder(layout, fs);
      return [
        ...(packageFolder ? [packageFolder] : []),
        join(appDataDir(layout), 'Claude'),
        ...(platform === 'darwin'
          ? [join('/Applications', 'Claude.app'), join(home, 'Applications', 'Claude.app')]
          : []),
        ...(platform === 'win32'
          ? [join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'AnthropicClaude')]
          : []),
      ];
    }
    case 'claude-code':
      return [claudeCodeUserFile(layout), join(env.CLAUDE_CONFIG_DIR || home, '.claude')];
    case 'vscode':
      return [join(appDataDir(layout), 'Code'), join(home, '.vscode')];
    case 'cursor':
      return [join(home, '.cursor'), join(appDataDir(layout), 'Cursor')];
  }
}

/** Commands on PATH that also show the client is installed (`claude` for Claude Code). */
export function installCommands(client: SetupClient): string[] {
  switch (client) {
    case 'claude-code':
      return ['claude'];
    case 'vscode':
      return ['code'];
    case 'cursor':
      return ['cursor'];
    case 'claude-desktop':
      return [];
  }
}

/** Where a command would be found on PATH: every directory × every executable extension. */
export function commandCandidates(command: string, layout: HostLayout): string[] {
  const windows = layout.platform === 'win32';
  const path = layout.env.PATH ?? layout.env.Path ?? '';
  const dirs = path.split(windows ? ';' : ':').filter(Boolean);
  const extensions = windows ? ['.exe', '.cmd', '.bat'] : [''];
  return dirs.flatMap((dir) => extensions.map((extension) => join(dir, `${command}${extension}`)));
}
