// Connecting each client on each OS layout, against real files under a fake home: the entry is
// written once (idempotent), with a backup, leaving other entries and comments as they were; undo
// puts the file back, even after later unrelated edits; malformed files and failed writes change
// nothing at all.
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configPath,
  setupClients,
  type SetupClient,
} from '../../../main/core/client-setup/client-locations.js';
import { claudeMcpAddCommands } from '../../../main/core/client-setup/client-formats.js';
import type { RegisteredClient } from '../../../main/core/client-setup/client-status.js';
import { ConfigWriter, nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import {
  claudeCodeConfig,
  claudeDesktopConfig,
  cursorConfig,
  failingFs,
  fakeMachine,
  platforms,
  setupOn,
  siblings,
  targetFor,
  vscodeConfig,
  writeFile,
  type FakeMachine,
} from '../../support/client-homes.js';

const fixtures: Record<SetupClient, string> = {
  'claude-desktop': claudeDesktopConfig,
  'claude-code': claudeCodeConfig,
  vscode: vscodeConfig,
  cursor: cursorConfig,
};

const machines: FakeMachine[] = [];
const machine = (platform: NodeJS.Platform = 'linux', env: NodeJS.ProcessEnv = {}) => {
  const made = fakeMachine(platform, env);
  machines.push(made);
  return made;
};
afterEach(() => {
  for (const made of machines.splice(0)) made.remove();
});

describe.each(platforms)('on %s', (platform) => {
  it.each(setupClients)(
    'connects %s once, keeps the rest of the file, and undo restores it byte for byte',
    async (client) => {
      const fake = machine(platform);
      const setup = setupOn(fake);
      const target = targetFor(fake);
      const path = configPath(client, 'user', fake.layout)!;
      writeFile(path, fixtures[client]);

      const first = await setup.connect(client, 'user', target);
      expect(first).toMatchObject({ client, scope: 'user', path, changed: true, created: false });
      expect(first.backupPath).toMatch(/\.gatehouse-backup-20260102T\d{9}Z$/);
      expect(readFileSync(first.backupPath!, 'utf8')).toBe(fixtures[client]);
      const written = readFileSync(path, 'utf8');
      const list = client === 'vscode' ? 'servers' : 'mcpServers';
      const before = JSON.parse(client === 'vscode' ? '{}' : fixtures[client]) as Record<
        string,
        Record<string, unknown>
      >;
      if (client !== 'vscode') {
        const after = JSON.parse(written) as Record<string, Record<string, unknown>>;
        expect(after[list]).toEqual({ ...before[list], gatehouse: first.entry });
        expect({ ...after, [list]: undefined }).toEqual({ ...before, [list]: undefined });
      } else {
        expect(written).toContain('// My MCP servers (VS Code reads this as JSON with comments)');
        expect(written).toContain('"headers": { "Authorization": "Bearer ghu_vscodeFixture" } // a PAT');
        expect(written).toContain(
          '\n    "gatehouse": {\n      "type": "http",\n      "url": "http://127.0.0.1:7777/mcp",\n      "headers": {\n        "X-Gatehouse-Client": "vscode"\n      }\n    },\n  },\n}\n',
        );
      }

      const again = await setup.connect(client, 'user', target);
      expect(again).toMatchObject({ changed: false, backupPath: null });
      expect(again.message).toContain('already connected');
      expect(readFileSync(path, 'utf8')).toBe(written);
      expect(siblings(path).filter((name) => name.includes('gatehouse-backup'))).toHaveLength(1);

      const status = await setup.detect(client, target, []);
      expect(status).toMatchObject({ installed: true, configured: true, connected: false });

      const undone = await setup.disconnect(client, 'user', target);
      expect(undone).toMatchObject({ changed: true, removed: ['gatehouse'], restored: [], leftAlone: [] });
      expect(readFileSync(path, 'utf8')).toBe(fixtures[client]);
      expect(siblings(path).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    },
  );
});

const marker = (client: SetupClient) => ({ 'X-Gatehouse-Client': client });

describe('Claude Desktop', () => {
  it('gets the stdio bridge, since its local servers are stdio only', async () => {
    const fake = machine('darwin');
    const result = await setupOn(fake).connect('claude-desktop', 'user', targetFor(fake));
    expect(result.path).toBe(
      join(fake.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'),
    );
    expect(result.created).toBe(true);
    expect(JSON.parse(readFileSync(result.path, 'utf8'))).toEqual({
      mcpServers: {
        gatehouse: {
          command: '/usr/local/bin/node',
          // --client: the bridge marks its requests as Claude Desktop's (how "Connected" is known).
          args: [
            '/opt/gatehouse/bin/gatehouse.mjs',
            'bridge',
            '--data-dir',
            fake.dataDir,
            '--client',
            'claude-desktop',
          ],
        },
      },
    });
  });

  it('has no project configuration', async () => {
    const fake = machine();
    await expect(
      setupOn(fake).connect('claude-desktop', 'project', targetFor(fake), fake.project),
    ).rejects.toThrow('Claude Desktop has no per-project configuration; connect it for your user instead.');
  });
});

describe('project configurations', () => {
  it('writes .mcp.json, .vscode/mcp.json and .cursor/mcp.json in the project, creating them', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const expected = {
      'claude-code': [
        join(fake.project, '.mcp.json'),
        { mcpServers: { gatehouse: { type: 'http', url: target.mcpUrl, headers: marker('claude-code') } } },
      ],
      vscode: [
        join(fake.project, '.vscode', 'mcp.json'),
        { servers: { gatehouse: { type: 'http', url: target.mcpUrl, headers: marker('vscode') } } },
      ],
      cursor: [
        join(fake.project, '.cursor', 'mcp.json'),
        { mcpServers: { gatehouse: { url: target.mcpUrl, headers: marker('cursor') } } },
      ],
    } as const;
    for (const [client, [path, content]] of Object.entries(expected)) {
      const result = await setup.connect(client as SetupClient, 'project', target, fake.project);
      expect(result).toMatchObject({ path, changed: true, created: true, backupPath: null });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(content);
      // Undo of a file Gatehouse created deletes it: the project is as it was, with no backup left.
      const undone = await setup.disconnect(client as SetupClient, 'project', target, fake.project);
      expect(undone.removed).toEqual(['gatehouse']);
      expect(existsSync(path)).toBe(false);
      expect(undone.backupPath).toBeNull();
      expect(siblings(path).filter((name) => name.includes('.gatehouse-backup-'))).toEqual([]);
    }
  });

  it('needs the project directory', async () => {
    const fake = machine();
    await expect(setupOn(fake).connect('cursor', 'project', targetFor(fake))).rejects.toThrow(
      'Name the project directory for a project configuration.',
    );
  });
});

describe('undo', () => {
  it('keeps edits made after Gatehouse wrote its entry', async () => {
    const fake = machine('win32');
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('vscode', 'user', fake.layout)!;
    writeFile(path, vscodeConfig);
    await setup.connect('vscode', 'user', target);
    // The user adds a server of their own, with a comment, after Gatehouse's entry.
    const edited = readFileSync(path, 'utf8').replace(
      '  },\n}\n',
      '    // added later\n    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },\n  },\n}\n',
    );
    writeFileSync(path, edited);

    const undone = await setup.disconnect('vscode', 'user', target);
    expect(undone.removed).toEqual(['gatehouse']);
    const after = readFileSync(path, 'utf8');
    expect(after).toContain('// added later');
    expect(after).toContain('"memory": { "command": "npx"');
    expect(after).not.toContain('"gatehouse"');
    expect(after).toBe(
      vscodeConfig.replace(
        '  },\n}\n',
        '    // added later\n    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },\n  },\n}\n',
      ),
    );
  });

  it('leaves Gatehouse’s entry alone when the user changed it since', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, cursorConfig);
    await setup.connect('cursor', 'user', target);
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('http://127.0.0.1:7777/mcp', 'http://127.0.0.1:7777/mcp/github'),
    );
    const undone = await setup.disconnect('cursor', 'user', target);
    expect(undone).toMatchObject({
      changed: false,
      removed: [],
      leftAlone: [{ name: 'gatehouse', reason: 'it was changed after Gatehouse wrote it' }],
    });
    expect(undone.message).toContain('Left alone: gatehouse (it was changed after Gatehouse wrote it).');
  });

  it('puts back the entry Gatehouse replaced, as it was written', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('claude-code', 'project', fake.layout, fake.project)!;
    const original =
      '{\n  "mcpServers": {\n    "gatehouse": { "type": "http", "url": "http://127.0.0.1:9999/mcp" }\n  }\n}\n';
    writeFile(path, original);
    expect((await setup.detect('claude-code', target, [], fake.project)).locations).toContainEqual(
      expect.objectContaining({ scope: 'project', gatehouse: 'other' }),
    );
    await setup.connect('claude-code', 'project', target, fake.project);
    expect(JSON.parse(readFileSync(path, 'utf8')).mcpServers.gatehouse.url).toBe(target.mcpUrl);
    const undone = await setup.disconnect('claude-code', 'project', target, fake.project);
    expect(undone.restored).toEqual(['gatehouse']);
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  it('removes the server list Gatehouse created, leaving the file as it was', async () => {
    const fake = machine('darwin');
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('claude-desktop', 'user', fake.layout)!;
    for (const original of [
      '{}',
      '{"globalShortcut":"Alt+Space"}\n',
      '{\n  "globalShortcut": "Alt+Space"\n}\n',
    ]) {
      writeFile(path, original);
      await setup.connect('claude-desktop', 'user', target);
      expect(JSON.parse(readFileSync(path, 'utf8')).mcpServers.gatehouse).toBeDefined();
      await setup.disconnect('claude-desktop', 'user', target);
      expect(readFileSync(path, 'utf8')).toBe(original);
    }
  });

  it('without a record, removes only the entry pointing at this Gatehouse', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(
      path,
      '{\n  "mcpServers": {\n    "mine": { "url": "http://127.0.0.1:7777/mcp" },\n    "other": { "url": "https://x.example/mcp" }\n  }\n}\n',
    );
    const undone = await setup.disconnect('cursor', 'user', target);
    expect(undone.removed).toEqual(['mine']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      mcpServers: { other: { url: 'https://x.example/mcp' } },
    });
  });
});

describe('malformed files', () => {
  it('are refused with the file and position named, and nothing is written or backed up', async () => {
    const fake = machine('darwin');
    const path = configPath('claude-desktop', 'user', fake.layout)!;
    const broken = '{\n  "mcpServers": {\n    "filesystem": { "command": "npx" }\n    "github": {}\n  }\n}\n';
    writeFile(path, broken);
    await expect(setupOn(fake).connect('claude-desktop', 'user', targetFor(fake))).rejects.toThrow(
      `${path} is not valid JSON: expected a comma at line 4, column 5. Fix the file (or move it away), then try again; Gatehouse changed nothing.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(siblings(path)).toEqual([]);
    expect(readdirSync(fake.dataDir)).toEqual([]);
  });

  it('show up in detection as a problem instead of failing it', async () => {
    const fake = machine();
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, '{ "mcpServers": ');
    const status = await setupOn(fake).detect('cursor', targetFor(fake), []);
    expect(status.installed).toBe(true);
    expect(status.locations[0]).toMatchObject({ path, exists: true, gatehouse: 'none' });
    expect(status.locations[0]!.problem).toMatch(
      /^.*mcp\.json is not valid JSON: expected a value at line 1, column 17\./,
    );
  });
});

describe('atomic writes', () => {
  it('leave the original intact and no temporary file or backup when replacing the file fails', async () => {
    const fake = machine();
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, cursorConfig);
    const fs = failingFs('rename');
    await expect(setupOn(fake, { fs }).connect('cursor', 'user', targetFor(fake))).rejects.toThrow(
      `Could not write ${path}: EIO: simulated failure, rename `,
    );
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
    expect(siblings(path)).toEqual([]);
    // Nothing was recorded either: a later connect does the whole job.
    fs.armed = false;
    const retried = await setupOn(fake, { fs }).connect('cursor', 'user', targetFor(fake));
    expect(retried.changed).toBe(true);
  });

  it('report a read-only directory as a permission problem, with the file unchanged', async () => {
    const fake = machine();
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, cursorConfig);
    const fs = failingFs('writeNew', 'EACCES');
    const error = await setupOn(fake, { fs })
      .connect('cursor', 'user', targetFor(fake))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'forbidden',
      message: `Could not write ${path}: permission denied. The file is unchanged.`,
    });
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
    expect(siblings(path)).toEqual([]);
  });

  it('keep only the last five backups', async () => {
    const fake = machine();
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, cursorConfig);
    let now = Date.parse('2026-01-15T12:00:00Z');
    const writer = new ConfigWriter(nodeConfigFs, () => (now += 1000));
    for (let round = 0; round < 7; round++) {
      await writer.write(path, `{"round": ${round}}`, Buffer.from(readFileSync(path)));
    }
    const backups = siblings(path).filter((name) => name.includes('.gatehouse-backup-'));
    expect(backups).toHaveLength(5);
    // The newest backup is the file as it was before the last write.
    expect(readFileSync(join(path, '..', backups.at(-1)!), 'utf8')).toBe('{"round": 5}');
  });

  it('an undo that restores the file leaves no backup behind', async () => {
    const fake = machine();
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, cursorConfig);
    for (let round = 0; round < 3; round++) {
      await setup.connect('cursor', 'user', target);
      const undone = await setup.disconnect('cursor', 'user', target);
      expect(undone.backupPath).toBeNull();
    }
    expect(siblings(path).filter((name) => name.includes('.gatehouse-backup-'))).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(cursorConfig);
  });

  it('write through a symbolic link to the real file, keeping the link', async () => {
    const fake = machine();
    const real = join(fake.root, 'dotfiles', 'cursor-mcp.json');
    writeFile(real, cursorConfig);
    const path = configPath('cursor', 'user', fake.layout)!;
    writeFile(path, '');
    await nodeConfigFs.unlink(path);
    symlinkSync(real, path);
    await setupOn(fake).connect('cursor', 'user', targetFor(fake));
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('"gatehouse"');
  });
});

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
    const path = configPath('claude-desktop', 'user', fake.layout)!;
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
