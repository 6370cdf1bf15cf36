// Connecting each client on each OS layout, against real files under a fake home: the entry is
// written once (idempotent), with a backup, leaving other entries and comments as they were; Claude
// Desktop gets the stdio bridge; project configurations are written in the project.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configPath,
  setupClients,
  type SetupClient,
} from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import {
  claudeCodeConfig,
  claudeDesktopConfig,
  cursorConfig,
  platforms,
  setupOn,
  siblings,
  targetFor,
  vscodeConfig,
  writeFile,
  fakeMachinesPerTest,
} from '../../support/client-homes.js';

const fixtures: Record<SetupClient, string> = {
  'claude-desktop': claudeDesktopConfig,
  'claude-code': claudeCodeConfig,
  vscode: vscodeConfig,
  cursor: cursorConfig,
};

const machine = fakeMachinesPerTest();

describe.each(platforms)('on %s', (platform) => {
  it.each(setupClients)(
    'connects %s once, keeps the rest of the file, and undo restores it byte for byte',
    async (client) => {
      const fake = machine(platform);
      const setup = setupOn(fake);
      const target = targetFor(fake);
      const path = (await configPath(client, 'user', fake.layout, nodeConfigFs))!;
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
