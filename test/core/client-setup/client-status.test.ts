// Detection on the "Connect a client" page: installed, configured, and connected only through the
// entry Gatehouse wrote (its marker), never by a client's name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import { claudeMcpAddCommands } from '../../../main/core/client-setup/client-formats.js';
import type { RegisteredClient } from '../../../main/core/client-setup/client-status.js';
import { fakeMachinesPerTest, setupOn, targetFor, writeFile } from '../../support/client-homes.js';

const machine = fakeMachinesPerTest();

describe('detection', () => {
  it('knows nothing is installed in an empty home', async () => {
    const fake = machine('win32');
    const status = await setupOn(fake).detect('claude-desktop', targetFor(fake), []);
    expect(status).toMatchObject({ installed: false, configured: false, connected: false });
    expect(status.locations).toEqual([
      {
        scope: 'user',
        path: join(fake.home, 'AppData', 'Roaming', 'Claude', 'claude_desktop_config.json'),
        projectDir: null,
        exists: false,
        gatehouse: 'none',
        problem: null,
      },
    ]);
  });

  it("sees an app folder and a command on PATH; connected only by the entry's marker, never by a name", async () => {
    const bin = join(machine().root, 'bin');
    writeFile(join(bin, 'claude'), '#!/bin/sh\n');
    const fake = machine('linux', { PATH: bin });
    writeFile(join(fake.home, '.config', 'Code', 'User', 'settings.json'), '{}');
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const known = (
      clientId: string,
      name: string,
      more: Partial<RegisteredClient> = {},
    ): RegisteredClient => ({
      clientId,
      name,
      lastUsedAt: 5,
      setupClient: null,
      granted: true,
      live: true,
      liveUntil: null,
      ...more,
    });
    const registered = [
      // Names that say "Claude Code" or "VS Code" prove nothing: no marker, not connected.
      known('c1', 'Claude Code (gatehouse)'),
      known('c2', 'Visual Studio Code'),
      // What came through the entries: a live Claude Code client under any name…
      known('c3', 'some-cli', { setupClient: 'claude-code' }),
      // …a VS Code client that holds a grant but is not connected now…
      known('c4', 'Visual Studio Code', { setupClient: 'vscode', live: false }),
      // …and a Claude Desktop bridge that was revoked (no grant left).
      known('c5', 'Claude Desktop (via gatehouse bridge)', { setupClient: 'claude-desktop', granted: false }),
    ];
    const code = await setup.detect('claude-code', target, registered);
    expect(code).toMatchObject({ installed: true, configured: false, connected: true });
    expect(code.registeredClients).toEqual([
      { clientId: 'c3', name: 'some-cli', lastUsedAt: 5, live: true, liveUntil: null },
    ]);
    expect(code.commands).toEqual(claudeMcpAddCommands(target.mcpUrl));
    const header = ' --header "X-Gatehouse-Client: claude-code"';
    expect(code.commands).toEqual({
      local: `claude mcp add --transport http gatehouse http://127.0.0.1:7777/mcp${header}`,
      user: `claude mcp add --transport http --scope user gatehouse http://127.0.0.1:7777/mcp${header}`,
      project: `claude mcp add --transport http --scope project gatehouse http://127.0.0.1:7777/mcp${header}`,
    });
    const vscode = await setup.detect('vscode', target, registered);
    expect(vscode).toMatchObject({ installed: true, connected: false });
    expect(vscode.registeredClients.map((one) => one.clientId)).toEqual(['c4']);
    const desktop = await setup.detect('claude-desktop', target, registered);
    expect(desktop).toMatchObject({ connected: false, registeredClients: [] });
    expect(await setup.detect('cursor', target, registered)).toMatchObject({
      installed: false,
      connected: false,
      registeredClients: [],
    });
  });

  it('finds `claude mcp add` entries in Claude Code’s per-project (local) servers', async () => {
    const fake = machine();
    const target = targetFor(fake);
    writeFile(
      join(fake.home, '.claude.json'),
      JSON.stringify({
        projects: { '/home/me/api': { mcpServers: { gatehouse: { type: 'http', url: target.mcpUrl } } } },
      }),
    );
    const status = await setupOn(fake).detect('claude-code', target, []);
    expect(status.configured).toBe(true);
    expect(status.locations).toContainEqual(
      expect.objectContaining({ scope: 'local', projectDir: '/home/me/api', gatehouse: 'this' }),
    );
  });

  it('tells this Gatehouse from another one (another port or data directory)', async () => {
    const fake = machine();
    const target = targetFor(fake);
    const path = (await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs))!;
    writeFile(
      path,
      JSON.stringify({
        mcpServers: {
          gatehouse: { command: 'node', args: ['/x/gatehouse.mjs', 'bridge', '--data-dir', '/elsewhere'] },
        },
      }),
    );
    expect((await setupOn(fake).detect('claude-desktop', target, [])).locations[0]!.gatehouse).toBe('other');
    writeFile(
      path,
      JSON.stringify({
        mcpServers: {
          gh: { command: 'node', args: ['/x/gatehouse-bridge.mjs', `--data-dir=${fake.dataDir}`] },
        },
      }),
    );
    expect((await setupOn(fake).detect('claude-desktop', target, [])).configured).toBe(true);
  });
});
