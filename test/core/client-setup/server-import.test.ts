// Reading the servers a client already has and turning them into connector settings: stdio and
// remote entries, bearer headers, each client's variables, and the names they get in Gatehouse.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import { variableExpander } from '../../../main/core/client-setup/client-formats.js';
import {
  connectorNameFor,
  connectorSettingsFor,
  type FoundServer,
} from '../../../main/core/client-setup/server-import.js';
import {
  claudeCodeConfig,
  setupOn,
  targetFor,
  vscodeConfig,
  writeFile,
  fakeMachinesPerTest,
} from '../../support/client-homes.js';

const machine = fakeMachinesPerTest();

const found = (entry: unknown, overrides: Partial<FoundServer> = {}): FoundServer => ({
  name: 'server',
  scope: 'user',
  path: '/x.json',
  at: ['mcpServers', 'server'],
  projectDir: null,
  entry,
  gatehouse: false,
  ...overrides,
});
const layout = { platform: 'linux' as const, home: '/home/me', env: { TOKEN: 't0k', DB: 'postgres://db' } };

describe('connectorNameFor', () => {
  it.each([
    ['github', 'github'],
    ['My Server!', 'my-server'],
    ['Café MCP', 'cafe-mcp'],
    ['a__b', 'a_b'],
    ['__private', 'private'],
    ['@scope/pkg', 'scope-pkg'],
    ['!!!', 'server'],
    ['gatehouse', 'gatehouse-2'],
    ['x'.repeat(40), 'x'.repeat(32)],
  ])('%s → %s', (name, expected) => {
    expect(connectorNameFor(name, new Set())).toBe(expected);
  });

  it('adds -2, -3 on collisions, within 32 characters', () => {
    expect(connectorNameFor('github', new Set(['github']))).toBe('github-2');
    expect(connectorNameFor('github', new Set(['github', 'github-2']))).toBe('github-3');
    expect(connectorNameFor('y'.repeat(40), new Set(['y'.repeat(32)]))).toBe(`${'y'.repeat(30)}-2`);
  });
});

describe('connectorSettingsFor', () => {
  const plain = variableExpander('claude-desktop', layout, undefined);

  it('takes a stdio server with its env (secrets) as they are', () => {
    expect(
      connectorSettingsFor(
        found({ command: 'npx', args: ['-y', 'pkg'], env: { KEY: 'v', OTHER: 'w' } }),
        plain,
      ),
    ).toEqual({
      settings: {
        kind: 'stdio',
        command: 'npx',
        args: ['-y', 'pkg'],
        env: { KEY: 'v', OTHER: 'w' },
        cwd: null,
      },
      secrets: 2,
    });
  });

  it('runs a project server in its project unless it names a directory', () => {
    const result = connectorSettingsFor(
      found({ command: 'node', args: ['server.js'] }, { scope: 'project', projectDir: '/work/api' }),
      plain,
    );
    expect(result).toMatchObject({ settings: { cwd: '/work/api' } });
  });

  it('turns an Authorization: Bearer header into bearer auth and keeps the other headers', () => {
    const result = connectorSettingsFor(
      found({
        type: 'http',
        url: 'https://mcp.example/mcp',
        headers: { authorization: 'Bearer abc.def', 'X-Team': 'a' },
      }),
      plain,
    );
    expect(result).toEqual({
      settings: {
        kind: 'http',
        url: 'https://mcp.example/mcp',
        transport: 'auto',
        timeoutSeconds: 30,
        headers: { 'X-Team': 'a' },
        auth: { type: 'bearer', token: 'abc.def' },
      },
      secrets: 2,
    });
  });

  it('keeps SSE servers on SSE', () => {
    expect(connectorSettingsFor(found({ type: 'sse', url: 'https://x.example/sse' }), plain)).toMatchObject({
      settings: { transport: 'sse', auth: { type: 'none' } },
      secrets: 0,
    });
  });

  it('expands Claude Code variables, with defaults, and says which one is missing', () => {
    const expand = variableExpander('claude-code', layout, undefined);
    expect(
      connectorSettingsFor(
        found({
          type: 'http',
          url: 'https://${HOST:-api.example}/mcp',
          headers: { Authorization: 'Bearer ${TOKEN}' },
        }),
        expand,
      ),
    ).toMatchObject({ settings: { url: 'https://api.example/mcp', auth: { type: 'bearer', token: 't0k' } } });
    expect(connectorSettingsFor(found({ command: 'npx', args: ['${MISSING}'] }), expand)).toEqual({
      problem: 'uses ${MISSING}, and MISSING is not set where Gatehouse runs',
    });
  });

  it('expands VS Code variables but cannot answer its input prompts', () => {
    const expand = variableExpander('vscode', layout, '/work/web');
    expect(
      connectorSettingsFor(
        found({ command: '${userHome}/bin/s', args: ['${workspaceFolder}'], env: { D: '${env:DB}' } }),
        expand,
      ),
    ).toMatchObject({
      settings: { command: '/home/me/bin/s', args: ['/work/web'], env: { D: 'postgres://db' } },
    });
    expect(connectorSettingsFor(found({ command: 'npx', env: { K: '${input:api-key}' } }), expand)).toEqual({
      problem:
        'asks for ${input:api-key} when VS Code starts it, a value Gatehouse cannot read; add it with `gatehouse connectors add` instead',
    });
  });

  it('says why an entry cannot be taken over', () => {
    expect(connectorSettingsFor(found({ foo: 1 }), plain)).toEqual({
      problem: 'it has neither a command nor a URL',
    });
    expect(connectorSettingsFor(found({ command: 'x', envFile: '.env' }), plain)).toMatchObject({
      problem: expect.stringContaining('reads variables from an envFile'),
    });
    expect(connectorSettingsFor(found({ url: 'ftp://x' }), plain)).toEqual({
      problem: 'Gatehouse cannot use it as it is (url: the URL must use http or https)',
    });
    expect(
      connectorSettingsFor(found({ url: 'http://127.0.0.1:1/mcp' }, { gatehouse: true }), plain),
    ).toEqual({
      problem: 'this is the entry for Gatehouse itself',
    });
  });
});

describe('ClientSetup.importable', () => {
  it('lists VS Code servers with variable names only, never their values', async () => {
    const fake = machine('darwin');
    writeFile((await configPath('vscode', 'user', fake.layout, nodeConfigFs))!, vscodeConfig);
    const result = await setupOn(fake).importable('vscode', targetFor(fake));
    expect(result.problems).toEqual([]);
    expect(result.servers).toEqual([
      expect.objectContaining({
        name: 'github',
        key: 'github',
        transport: 'http',
        url: 'https://api.githubcopilot.com/mcp/',
        headers: [],
        bearer: true,
        problem: null,
        connectorName: 'github',
      }),
      expect.objectContaining({
        name: 'perplexity',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'server-perplexity-ask'],
        env: ['PERPLEXITY_API_KEY'],
        problem: expect.stringContaining('asks for ${input:perplexity-key} when VS Code starts it'),
      }),
    ]);
    expect(JSON.stringify(result)).not.toContain('ghu_vscodeFixture');
  });

  it('reads Claude Code’s user, local and project servers, keying shared names by scope', async () => {
    const fake = machine('linux', { DATABASE_URL: 'postgres://local' });
    const user = (await configPath('claude-code', 'user', fake.layout, nodeConfigFs))!;
    writeFile(user, claudeCodeConfig.replace('/home/me/work/api', fake.project));
    writeFile(
      join(fake.project, '.mcp.json'),
      JSON.stringify({ mcpServers: { sentry: { type: 'sse', url: 'https://sentry.example/sse' } } }),
    );
    const result = await setupOn(fake).importable('claude-code', targetFor(fake), fake.project);
    expect(
      result.servers.map((server) => [server.key, server.scope, server.connectorName, server.problem]),
    ).toEqual([
      ['user:sentry', 'user', 'sentry', null],
      ['context7', 'user', 'context7', null],
      ['postgres', 'local', 'postgres', null],
      ['project:sentry', 'project', 'sentry-2', null],
    ]);
  });

  it('reports a malformed file as a problem and still lists the others', async () => {
    const fake = machine();
    writeFile((await configPath('cursor', 'user', fake.layout, nodeConfigFs))!, '{ "mcpServers": { "a": } }');
    writeFile(
      join(fake.project, '.cursor', 'mcp.json'),
      '{ "mcpServers": { "b": { "url": "https://b.example/mcp" } } }',
    );
    const result = await setupOn(fake).importable('cursor', targetFor(fake), fake.project);
    expect(result.servers.map((server) => server.key)).toEqual(['b']);
    expect(result.problems).toEqual([
      {
        path: await configPath('cursor', 'user', fake.layout, nodeConfigFs),
        message: `${await configPath('cursor', 'user', fake.layout, nodeConfigFs)} is not valid JSON: expected a value at line 1, column 24. Fix the file (or move it away), then try again; Gatehouse changed nothing.`,
      },
    ]);
  });
});
