// Undo of what connect wrote: the file goes back as it was, even after later unrelated edits; an
// entry the user changed since is left alone; without a record only this Gatehouse's entry goes.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import {
  cursorConfig,
  setupOn,
  targetFor,
  vscodeConfig,
  writeFile,
  fakeMachinesPerTest,
} from '../../support/client-homes.js';

const machine = fakeMachinesPerTest();

describe('undo', () => {
  it('keeps edits made after Gatehouse wrote its entry', async () => {
    const fake = machine('win32');
    const setup = setupOn(fake);
    const target = targetFor(fake);
    const path = (await configPath('vscode', 'user', fake.layout, nodeConfigFs))!;
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
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
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
    const path = (await configPath('claude-code', 'project', fake.layout, nodeConfigFs, fake.project))!;
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
    const path = (await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs))!;
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
    const path = (await configPath('cursor', 'user', fake.layout, nodeConfigFs))!;
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
