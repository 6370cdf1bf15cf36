// Importing a client's servers into a real engine: a stdio server (server-everything) and a remote
// one whose bearer header becomes bearer auth, both created through `connectors.add`; their
// secrets go into the vault; --replace leaves only Gatehouse's entry, and undo brings them back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSetupContract } from '../../../main/core/api/client-setup-contract.js';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import { clientSetupCaller } from '../../support/client-setup-call.js';
import { startEngine, type EngineFixture, connectorNames } from '../../support/engine-fixture.js';
import { fakeMachine, siblings, writeFile, type FakeMachine } from '../../support/client-homes.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { EVERYTHING } from '../../support/real-servers.js';

const API_KEY = 'sk-import-fixture-0123456789';
const TOKEN = 'remote-bearer-fixture-abcdef';

let fixture: EngineFixture;
let fake: FakeMachine;
let desktopFile: string;
let original: string;

const call = clientSetupCaller(() => fixture.engine);

beforeAll(async () => {
  fake = fakeMachine('win32');
  fixture = await startEngine({
    clientSetup: {
      platform: fake.layout.platform,
      home: fake.home,
      env: fake.layout.env,
      bridgeCommand: () => ({
        command: 'C:\\Gatehouse\\Gatehouse.exe',
        args: ['bridge', '--data-dir', fixture.dataDir],
      }),
      importStartWaitMs: 10_000,
    },
  });
  desktopFile = (await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs))!;
  original = `{
  "mcpServers": {
    "Everything Server": {
      "command": ${JSON.stringify(process.execPath)},
      "args": [${JSON.stringify(EVERYTHING)}, "stdio"],
      "env": { "API_KEY": "${API_KEY}" }
    },
    "remote": {
      "type": "http",
      "url": "http://127.0.0.1:9/mcp",
      "headers": { "Authorization": "Bearer ${TOKEN}", "X-Team": "blue" }
    },
    "broken": { "args": ["no command"] }
  },
  "globalShortcut": "Alt+Space"
}
`;
  writeFile(desktopFile, original);
});

afterAll(async () => {
  await fixture.stop();
  fake.remove();
});

describe('setup.importable', () => {
  it('lists each server with what it runs, but no secret values', async () => {
    const listed = await call('setup.importable', { client: 'claude-desktop' });
    expect(
      listed.servers.map((server) => [server.key, server.transport, server.connectorName, server.problem]),
    ).toEqual([
      ['Everything Server', 'stdio', 'everything-server', null],
      ['remote', 'http', 'remote', null],
      ['broken', 'http', 'broken', 'it has neither a command nor a URL'],
    ]);
    expect(listed.servers[0]).toMatchObject({ env: ['API_KEY'], args: [EVERYTHING, 'stdio'] });
    expect(listed.servers[1]).toMatchObject({ headers: ['X-Team'], bearer: true });
    expect(JSON.stringify(listed)).not.toContain(API_KEY);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
  });
});

describe('setup.import', () => {
  it('rejects an empty selection through its schema', () => {
    expect(() => clientSetupContract['setup.import'].input.parse({ client: 'cursor', servers: [] })).toThrow(
      'name at least one server to import',
    );
    expect(() => clientSetupContract['setup.connect'].input.parse({ client: 'zed' })).toThrow(
      'the client is one of claude-desktop, claude-code, vscode, cursor',
    );
    expect(() =>
      clientSetupContract['setup.connect'].input.parse({
        client: 'cursor',
        scope: 'project',
        projectDir: 'rel/dir',
      }),
    ).toThrow('the project directory must be an absolute path');
  });

  it('imports stdio and remote servers as connectors, replaces them with Gatehouse, and undo brings them back', async () => {
    const { engine } = fixture;
    const result = await call('setup.import', {
      client: 'claude-desktop',
      servers: ['Everything Server', 'remote', 'broken', 'missing'],
      replace: true,
    });
    expect(result.outcomes).toEqual([
      {
        server: 'Everything Server',
        connector: 'everything-server',
        outcome: 'imported',
        detail: expect.stringMatching(/^added; connected with \d+ tools$/),
      },
      // Nothing listens on port 9: a connector now, but one that does not start, and says so.
      {
        server: 'remote',
        connector: 'remote',
        outcome: 'imported',
        detail: expect.stringMatching(/^added, but it does not start yet: /),
        doesNotStart: true,
      },
      { server: 'broken', connector: null, outcome: 'skipped', detail: 'it has neither a command nor a URL' },
      {
        server: 'missing',
        connector: null,
        outcome: 'skipped',
        detail: 'Claude Desktop has no server named missing',
      },
    ]);
    expect(result.secretsMoved).toBe(3);
    expect(result.message).toContain(
      "Imported 2 servers from Claude Desktop, skipped 2. Moved 3 secret values into Gatehouse's vault, where they are stored encrypted.",
    );
    // How to undo, in commands that exist.
    expect(result.message).toContain('with the Gatehouse entry (the previous file is in ');
    expect(result.message).toMatch(
      /; undo it with Undo on Connect a client, or `gatehouse connect claude-desktop --undo`\.$/,
    );

    expect(engineParts(engine).connectorStore.unsealed('everything-server')).toEqual({
      kind: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
      env: { API_KEY },
      cwd: null,
      // Its grants are explicit settings: none here, as nothing was asked for and agreed to.
      sandbox: {
        enabled: true,
        folders: [],
        readFolders: [],
        allowedDomains: null,
        localServices: [],
        secretVariables: [],
        plainSecrets: [],
      },
    });
    expect(engineParts(engine).connectorStore.unsealed('remote')).toMatchObject({
      kind: 'http',
      url: 'http://127.0.0.1:9/mcp',
      headers: { 'X-Team': 'blue' },
      auth: { type: 'bearer', token: TOKEN },
    });
    // The API only ever shows them masked.
    const views = JSON.stringify(await engine.call('connectors.list'));
    expect(views).not.toContain(API_KEY);
    expect(views).not.toContain(TOKEN);

    // The client now has Gatehouse in their place; what Gatehouse could not import stays.
    expect(result.replaced).toEqual([
      expect.objectContaining({ client: 'claude-desktop', scope: 'user', path: desktopFile, changed: true }),
    ]);
    const replaced = JSON.parse(readFileSync(desktopFile, 'utf8'));
    expect(replaced).toEqual({
      mcpServers: {
        broken: { args: ['no command'] },
        gatehouse: {
          command: 'C:\\Gatehouse\\Gatehouse.exe',
          args: ['bridge', '--data-dir', fixture.dataDir, '--client', 'claude-desktop'],
        },
      },
      globalShortcut: 'Alt+Space',
    });
    expect(readFileSync(result.replaced[0]!.backupPath!, 'utf8')).toBe(original);
    const status = (await call('setup.clients', {})).find((view) => view.client === 'claude-desktop')!;
    expect(status).toMatchObject({ installed: true, configured: true });

    const undone = await call('setup.disconnect', { client: 'claude-desktop', scope: 'user' });
    expect(undone.removed).toEqual(['gatehouse']);
    expect(undone.restored.sort()).toEqual(['Everything Server', 'remote']);
    // Back in their places, to the byte.
    expect(readFileSync(desktopFile, 'utf8')).toBe(original);
    expect(siblings(desktopFile).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // Undo concerns the client's file only: the connectors stay in Gatehouse.
    expect(await connectorNames(engine)).toContain('everything-server');

    const audit = await engine.call('audit.list', { type: 'setup.imported', limit: 5 });
    expect(audit[0]?.reason).toContain('Imported 2 servers from Claude Desktop');
    expect(JSON.stringify(await engine.call('audit.list', { limit: 100 }))).not.toContain(TOKEN);
  });

  it('does not import a server again: it is listed as imported already, and skipped, never made remote-2', async () => {
    const listed = await call('setup.importable', { client: 'claude-desktop' });
    expect(listed.servers.find((server) => server.name === 'remote')).toMatchObject({
      connectorName: 'remote',
      problem: 'already imported: connector remote runs this server (remove remote first to import it again)',
    });
    const result = await call('setup.import', {
      client: 'claude-desktop',
      servers: ['remote'],
      replace: false,
    });
    expect(result.outcomes).toEqual([
      {
        server: 'remote',
        connector: null,
        outcome: 'skipped',
        detail:
          'already imported: connector remote runs this server (remove remote first to import it again)',
      },
    ]);
    expect(await connectorNames(fixture.engine)).not.toContain('remote-2');
    expect(result.replaced).toEqual([]);
    expect(readFileSync(desktopFile, 'utf8')).toContain('"remote"');
  });
});

describe('setup.connect through the operations', () => {
  it('writes the Gatehouse entry and records it in the audit log', async () => {
    const result = await call('setup.connect', { client: 'cursor' });
    expect(result).toMatchObject({
      path: join(fake.home, '.cursor', 'mcp.json'),
      changed: true,
      created: true,
      entry: { url: fixture.engine.mcpUrl },
    });
    expect(result.message).toContain('Connected Cursor to Gatehouse');
    expect((await fixture.engine.call('audit.list', { type: 'setup.connected', limit: 1 }))[0]?.reason).toBe(
      'Connected Cursor (user) to Gatehouse',
    );
  });
});
