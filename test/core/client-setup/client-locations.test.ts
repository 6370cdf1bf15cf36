// Where each client's config lives on macOS, Windows and Linux, under a fake home and environment.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commandCandidates,
  configPath,
  type FolderReader,
  type HostLayout,
  type SetupClient,
} from '../../../main/core/client-setup/client-locations.js';

/** No folder has anything in it: no app is installed as an MSIX package. */
const empty: FolderReader = { list: async () => [], exists: async () => false };

const home = '/fake/home';
const layouts: Record<'darwin' | 'win32' | 'linux', HostLayout> = {
  darwin: { platform: 'darwin', home, env: {} },
  win32: { platform: 'win32', home, env: { APPDATA: join(home, 'AppData', 'Roaming') } },
  linux: { platform: 'linux', home, env: {} },
};

const userFiles: Record<SetupClient, Record<keyof typeof layouts, string[]>> = {
  'claude-desktop': {
    darwin: ['Library', 'Application Support', 'Claude', 'claude_desktop_config.json'],
    win32: ['AppData', 'Roaming', 'Claude', 'claude_desktop_config.json'],
    linux: ['.config', 'Claude', 'claude_desktop_config.json'],
  },
  'claude-code': { darwin: ['.claude.json'], win32: ['.claude.json'], linux: ['.claude.json'] },
  vscode: {
    darwin: ['Library', 'Application Support', 'Code', 'User', 'mcp.json'],
    win32: ['AppData', 'Roaming', 'Code', 'User', 'mcp.json'],
    linux: ['.config', 'Code', 'User', 'mcp.json'],
  },
  cursor: { darwin: ['.cursor', 'mcp.json'], win32: ['.cursor', 'mcp.json'], linux: ['.cursor', 'mcp.json'] },
};

describe('configPath', () => {
  for (const [client, perOs] of Object.entries(userFiles) as [SetupClient, Record<string, string[]>][]) {
    for (const [os, parts] of Object.entries(perOs)) {
      it(`${client} on ${os}: ~/${parts.join('/')}`, async () => {
        expect(await configPath(client, 'user', layouts[os as keyof typeof layouts], empty)).toBe(
          join(home, ...parts),
        );
      });
    }
  }

  it('project files sit in the project; Claude Desktop has none', async () => {
    const project = '/work/api';
    expect(await configPath('claude-code', 'project', layouts.linux, empty, project)).toBe(
      join(project, '.mcp.json'),
    );
    expect(await configPath('vscode', 'project', layouts.linux, empty, project)).toBe(
      join(project, '.vscode', 'mcp.json'),
    );
    expect(await configPath('cursor', 'project', layouts.linux, empty, project)).toBe(
      join(project, '.cursor', 'mcp.json'),
    );
    expect(await configPath('claude-desktop', 'project', layouts.linux, empty, project)).toBeNull();
  });

  it('follows XDG_CONFIG_HOME on Linux and CLAUDE_CONFIG_DIR for Claude Code', async () => {
    const env = { XDG_CONFIG_HOME: '/xdg', CLAUDE_CONFIG_DIR: '/claude-config' };
    const layout: HostLayout = { platform: 'linux', home, env };
    expect(await configPath('vscode', 'user', layout, empty)).toBe(join('/xdg', 'Code', 'User', 'mcp.json'));
    expect(await configPath('claude-desktop', 'user', layout, empty)).toBe(
      join('/xdg', 'Claude', 'claude_desktop_config.json'),
    );
    expect(await configPath('claude-code', 'user', layout, empty)).toBe(
      join('/claude-config', '.claude.json'),
    );
  });

  it('finds Windows commands with their extensions on a ;-separated PATH', () => {
    const layout: HostLayout = { platform: 'win32', home, env: { PATH: 'C:\\bin;D:\\tools' } };
    expect(commandCandidates('claude', layout)).toEqual([
      join('C:\\bin', 'claude.exe'),
      join('C:\\bin', 'claude.cmd'),
      join('C:\\bin', 'claude.bat'),
      join('D:\\tools', 'claude.exe'),
      join('D:\\tools', 'claude.cmd'),
      join('D:\\tools', 'claude.bat'),
    ]);
  });
});
