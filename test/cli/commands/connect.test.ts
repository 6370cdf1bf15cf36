// `gatehouse connect` and `gatehouse import` from the command line: usage mistakes are refused
// before anything is asked of the engine; against a running engine (with a fake home), connect
// writes, prints and undoes, and import lists and imports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../main/core/api/contract.js';
import { Engine } from '../../../main/core/engine/engine.js';
import { headlessEffects } from '../../../main/core/engine/headless.js';
import type { ClientSetupOptions } from '../../../main/core/operations/client-setup.js';
import { gatehouse, silentLogger, stopFollowedEngine, tempDirs } from '../../support/cli-fixture.js';
import { claudeDesktopConfig, fakeMachine, writeFile, type FakeMachine } from '../../support/client-homes.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { MemoryKeyValueStore } from '../../support/memory-stores.js';

const usageHint = 'Run `gatehouse help` for usage.\n';
const dirs = tempDirs();
let dataDir: string;
const run = (...words: string[]) => gatehouse(['--data-dir', dataDir, ...words]);

beforeAll(() => {
  dataDir = dirs.make();
});
afterAll(() => dirs.removeAll());

describe('usage mistakes', () => {
  it.each([
    [
      ['connect', 'zed'],
      'There is no client "zed"; name one of claude-desktop, claude-code, vscode, cursor.',
    ],
    [['connect', 'cursor', '--print', '--undo'], 'Use --print or --undo, not both.'],
    [['connect', '--undo'], 'Name the client to undo (claude-desktop, claude-code, vscode, cursor).'],
    [
      ['connect', 'claude-desktop', '--project', '/tmp'],
      'Claude Desktop has no project configuration; leave out --project.',
    ],
    [['import', 'cursor', '--list', 'github'], '--list only lists; leave it out to import.'],
    [['import', 'cursor', '--all', 'github'], 'Name servers or use --all, not both.'],
    [['import', 'cursor', '--replace'], '--replace goes with the servers to import.'],
    [
      ['import'],
      'The import command needs CLIENT (usage: gatehouse import CLIENT [NAME…] [--list] [--all] [--replace] [--project DIR] [--accept-grants] [--json]).',
    ],
    [
      ['connect', 'cursor', 'vscode'],
      'The connect command does not take "vscode" (usage: gatehouse connect [CLIENT] [--project DIR] [--print] [--undo] [--json]).',
    ],
  ])('gatehouse %j', async (words, message) => {
    const result = await run(...words);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `gatehouse: ${message}\n${usageHint}` });
  });

  it('needs a running engine for everything else, and says how to start one', async () => {
    const result = await run('connect', 'cursor');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gatehouse is not running');
  });
});

// These need the setup operations in the engine's contract (contract.ts spreads clientSetupContract,
// operation-handlers.ts spreads clientSetupOperations, given EngineOptions.clientSetup). They always
// run: a renamed or missing operation fails here by name, and again in the tests below.
it('the engine offers every setup operation connect and import call', () => {
  const used = ['setup.clients', 'setup.connect', 'setup.disconnect', 'setup.importable', 'setup.import'];
  expect(used.filter((name) => !Object.hasOwn(operations, name))).toEqual([]);
});

describe('against a running engine', () => {
  let engine: Engine;
  let fake: FakeMachine;
  let engineDir: string;
  const cli = (...words: string[]) => gatehouse(['--data-dir', engineDir, ...words]);

  beforeAll(async () => {
    engineDir = dirs.make();
    fake = fakeMachine('linux');
    const clientSetup: ClientSetupOptions = {
      platform: 'linux',
      home: fake.home,
      env: fake.layout.env,
      bridgeCommand: () => ({
        command: '/usr/bin/node',
        args: ['/opt/gh/bin/gatehouse.mjs', 'bridge', '--data-dir', engineDir],
      }),
      // docker is not here, so the imported server's first start fails; on a loaded machine the
      // sandbox around it takes longer than a user's 8 s to say so.
      importStartWaitMs: 20_000,
    };
    engine = await Engine.start({
      dataDir: engineDir,
      port: 0,
      effects: headlessEffects(engineDir, silentLogger),
      preferences: new MemoryKeyValueStore(),
      version: '0.0.0-test',
      ...({ clientSetup } as object),
    });
  });

  afterAll(async () => {
    await stopFollowedEngine(engine);
    fake.remove();
  });

  it('lists the clients with what is installed and configured', async () => {
    writeFile(join(fake.home, '.cursor', 'mcp.json'), '{}');
    const result = await cli('connect');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CLIENT\s+INSTALLED\s+CONFIGURED\s+CONNECTED\s+CONFIG FILE\n/);
    expect(result.stdout).toContain(
      `cursor          yes        no          no         ${join(fake.home, '.cursor', 'mcp.json')}`,
    );
    const json = JSON.parse((await cli('connect', '--json')).stdout);
    expect(json.map((view: { client: string }) => view.client)).toEqual([
      'claude-desktop',
      'claude-code',
      'vscode',
      'cursor',
    ]);
  });

  it('prints the claude mcp add command without writing anything', async () => {
    const result = await cli('connect', 'claude-code', '--print');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `  claude mcp add --transport http --scope user gatehouse ${engine.mcpUrl} --header "X-Gatehouse-Client: claude-code"\n`,
    );
    expect(result.stdout).toContain(`Or add this to ${join(fake.home, '.claude.json')}:`);
  });

  it('connects a client, and --undo puts its file back', async () => {
    const path = join(fake.home, '.cursor', 'mcp.json');
    const connected = await cli('connect', 'cursor');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toMatch(
      /^Connected Cursor to Gatehouse: wrote the "gatehouse" entry in .*mcp\.json \(the previous file is in .*gatehouse-backup-.*\)\./,
    );
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      mcpServers: { gatehouse: { url: engine.mcpUrl, headers: { 'X-Gatehouse-Client': 'cursor' } } },
    });
    const undone = await cli('connect', 'cursor', '--undo');
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain("Undid Gatehouse's changes for Cursor");
    // Everything Gatehouse wrote came out again: no backup is kept, and the sentence says why.
    expect(undone.stdout).toContain(
      ': removed gatehouse (no backup needed: the file is back as it was before Gatehouse changed it).',
    );
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  it('reports a malformed file and changes nothing', async () => {
    const path = join(fake.home, '.config', 'Code', 'User', 'mcp.json');
    writeFile(path, '{ "servers": { ');
    const result = await cli('connect', 'vscode');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `gatehouse: ${path} is not valid JSON: expected a closing } at line 1, column 16. Fix the file (or move it away), then try again; Gatehouse changed nothing.\n`,
    );
    expect(readFileSync(path, 'utf8')).toBe('{ "servers": { ');
  });

  it('lists and imports a client’s servers', async () => {
    writeFile(join(fake.home, '.config', 'Claude', 'claude_desktop_config.json'), claudeDesktopConfig);
    const listed = await cli('import', 'claude-desktop');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^SERVER\s+SCOPE\s+KIND\s+COMMAND OR URL\s+SECRETS\s+CONNECTOR\s+NOTE\n/);
    expect(listed.stdout).toContain('GITHUB_PERSONAL_ACCESS_TOKEN');
    expect(listed.stdout).not.toContain('ghp_fixtureToken');
    const imported = await cli('import', 'claude-desktop', 'github', 'nope');
    expect(imported.code).toBe(0);
    // docker cannot run it here: imported, and said plainly not to be running.
    expect(imported.stdout).toContain(
      'imported, not running  github → connector github (added, but it does not start yet: ',
    );
    expect(imported.stdout).toContain('skipped   nope: Claude Desktop has no server named nope');
    expect(imported.stdout).toContain("Moved 1 secret value into Gatehouse's vault");
    expect(engineParts(engine).connectorStore.unsealed('github')).toMatchObject({ command: 'docker' });
  });
});
