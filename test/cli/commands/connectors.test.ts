// `gatehouse connectors …` against a real engine with real upstreams: server-everything over stdio,
// a command that does not exist, and an OAuth-protected HTTP server signed in to through the CLI.
// Secrets come from the environment the CLI is given, and no output ever shows them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine/engine.js';
import { runCli } from '../../../main/cli/run-cli.js';
import { startOAuthUpstream, type OAuthUpstream } from '../../fixtures/oauth-upstream.js';
import { followAuthorization } from '../../fixtures/upstream-oauth-harness.js';
import { gatehouse, startEngine, stopFollowedEngine, tempDirs } from '../../support/cli-fixture.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { EVERYTHING } from '../../support/real-servers.js';
import { connectorNames } from '../../support/engine-fixture.js';

const TOKEN = 'ghp_cliTestToken0123456789abcdefghijklmn';
const API_KEY = 'sk-cli-test-env-secret-4242424242';
const HEADER_SECRET = 'hdr-cli-secret-777777777';
const env = {
  GATEHOUSE_TEST_TOKEN: TOKEN,
  GATEHOUSE_TEST_KEY: API_KEY,
  GATEHOUSE_TEST_HEADER: HEADER_SECRET,
};
const secrets = [TOKEN, API_KEY, HEADER_SECRET];
const usageHint = 'Run `gatehouse help` for usage.\n';

const dirs = tempDirs();
let engine: Engine;
let dataDir: string;
let upstream: OAuthUpstream;

/** `gatehouse --data-dir <dir> <words>`: the directory goes first, since a command may end in `-- CMD…`. */
const run = (...words: string[]) => gatehouse(['--data-dir', dataDir, ...words], { env });

beforeAll(async () => {
  dataDir = dirs.make();
  engine = await startEngine(dataDir);
  upstream = await startOAuthUpstream();
});

afterAll(async () => {
  await stopFollowedEngine(engine);
  await upstream.close();
  dirs.removeAll();
});

describe('gatehouse connectors add', () => {
  it('adds a stdio connector from everything after --, secrets from the environment', async () => {
    const added = await run(
      'connectors',
      'add',
      'everything',
      '--stdio',
      '--env-from',
      'API_KEY=GATEHOUSE_TEST_KEY',
      '--env',
      'MODE=plain',
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added everything \(stdio\): connected, \d+ tools\.\n$/);
    expect(added.stderr).toBe(
      'Note: --env values are stored encrypted all the same; for secrets use --env-from, which keep them out of your shell history.\n',
    );
    expect(engineParts(engine).connectorStore.unsealed('everything')).toMatchObject({
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
      env: { API_KEY, MODE: 'plain' },
    });
  });

  it('passes what follows -- verbatim, even words that look like Gatehouse options', async () => {
    const added = await run(
      'connectors',
      'add',
      'verbatim',
      '--stdio',
      '--disabled',
      '--',
      'npx',
      '-y',
      'some-server',
      '--json',
      '--data-dir',
      '/elsewhere',
      '--',
      'two words',
    );
    expect(added).toEqual({
      code: 0,
      stdout: 'Added verbatim (stdio): disabled.\nStart it with: gatehouse connectors enable verbatim\n',
      stderr: '',
    });
    expect(engineParts(engine).connectorStore.get('verbatim')?.settings).toMatchObject({
      command: 'npx',
      args: ['-y', 'some-server', '--json', '--data-dir', '/elsewhere', '--', 'two words'],
    });
    expect((await run('connectors', 'show', 'verbatim')).stdout).toMatch(
      /^Command: +npx -y some-server --json --data-dir \/elsewhere -- 'two words'$/m,
    );
    expect((await run('connectors', 'remove', 'verbatim')).code).toBe(0);
  });

  it('adds an http connector whose bearer token comes from --bearer-env', async () => {
    const added = await run(
      'connectors',
      'add',
      'remote',
      '--url',
      'https://mcp.example.com/mcp',
      '--bearer-env',
      'GATEHOUSE_TEST_TOKEN',
      '--header-from',
      'X-Api-Key=GATEHOUSE_TEST_HEADER',
      '--timeout',
      '20',
      '--disabled',
    );
    expect(added).toEqual({
      code: 0,
      stdout: 'Added remote (http): disabled.\nStart it with: gatehouse connectors enable remote\n',
      stderr: '',
    });
    expect(engineParts(engine).connectorStore.unsealed('remote')).toMatchObject({
      url: 'https://mcp.example.com/mcp',
      timeoutSeconds: 20,
      headers: { 'X-Api-Key': HEADER_SECRET },
      auth: { type: 'bearer', token: TOKEN },
    });
  });

  it('refuses a secret variable that is not set, naming it, and adds nothing', async () => {
    expect(
      await run(
        'connectors',
        'add',
        'unset',
        '--url',
        'https://x.example/mcp',
        '--bearer-env',
        'NOT_SET_ANYWHERE',
      ),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: --bearer-env NOT_SET_ANYWHERE: the environment variable NOT_SET_ANYWHERE is not set or is empty; set it in this shell first.\n${usageHint}`,
    });
    expect(await connectorNames(engine)).not.toContain('unset');
  });

  it('explains command lines that do not say how to reach the connector', async () => {
    const stderrOf = async (...words: string[]) => (await run('connectors', 'add', 'x', ...words)).stderr;
    expect(await stderrOf()).toBe(
      `gatehouse: Say how to reach the connector: --stdio -- CMD ARGS… for a local command, or --url URL for a server.\n${usageHint}`,
    );
    expect(await stderrOf('--stdio')).toBe(
      `gatehouse: --stdio needs the command after --, e.g. \`gatehouse connectors add files --stdio -- npx -y @modelcontextprotocol/server-filesystem ~/Documents\`.\n${usageHint}`,
    );
    expect(await stderrOf('--url', 'https://x.example/mcp', '--env', 'A=b')).toBe(
      `gatehouse: --env does not apply to a --url connector.\n${usageHint}`,
    );
    expect(await stderrOf('--url', 'https://x.example/mcp', '--client-id', 'abc')).toBe(
      `gatehouse: --client-id is for OAuth connectors; add --oauth.\n${usageHint}`,
    );
    expect(await stderrOf('--url', 'https://x.example/mcp', '--transport', 'carrier-pigeon')).toBe(
      `gatehouse: --transport is one of auto, streamable-http, sse (got "carrier-pigeon").\n${usageHint}`,
    );
    expect(await stderrOf('--stdio', '--env', 'NOEQUALS', '--', 'node')).toBe(
      `gatehouse: --env takes KEY=VALUE (got "NOEQUALS").\n${usageHint}`,
    );
    expect(await run('connectors', 'add', 'Bad Name', '--stdio', '--', 'node')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: A connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit.\n',
    });
  });
});

describe('exit codes and hints of connectors add', () => {
  it('exits 2 for a name already taken, keeping the first connector as it was', async () => {
    const before = engineParts(engine).connectorStore.get('everything');
    expect(before).toBeDefined();
    expect(await run('connectors', 'add', 'everything', '--stdio', '--', 'node', '--version')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: A connector named everything already exists; names are unique (edit it, or choose another name).\n',
    });
    expect(engineParts(engine).connectorStore.unsealed('everything')).toMatchObject({
      command: process.execPath,
    });
  });

  it('answers --bearer with --bearer-env and why, not with the -- hint', async () => {
    const typed = await run(
      'connectors',
      'add',
      'api',
      '--url',
      'https://x.example/mcp',
      '--bearer',
      's3cret',
    );
    expect(typed).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: The connectors add command has no option --bearer. Did you mean --bearer-env? It takes the name of an environment variable that holds the secret, never the secret itself, so the secret stays out of your shell history (e.g. `export MY_TOKEN=…`, then `--bearer-env MY_TOKEN`).\n' +
        usageHint,
    });
    expect(typed.stderr).not.toContain('put -- before the command');
    expect(await connectorNames(engine)).not.toContain('api');
  });

  it('exits 1 when the server’s host name cannot be looked up (the work failed, not the input)', async () => {
    // .invalid never resolves (RFC 6761 §6.4).
    const added = await run(
      'connectors',
      'add',
      'nowhere',
      '--url',
      'https://nowhere.invalid/mcp',
      '--oauth',
    );
    expect(added.code).toBe(0);
    const connect = await run('connectors', 'connect', 'nowhere', '--no-wait');
    expect(connect.code).toBe(1);
    expect(connect.stderr).toMatch(
      /^gatehouse: Gatehouse could not find how to authorize with nowhere: .*could not be reached at https:\/\/nowhere\.invalid\/.*\n$/,
    );
    const plain = await run('connectors', 'add', 'nowhere-plain', '--url', 'https://nowhere.invalid/mcp');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^gatehouse: nowhere-plain was not added: it does not start \(/);
    await run('connectors', 'remove', 'nowhere');
  });
});

describe('a connector command typed without --', () => {
  it('hints to put -- before the command, whether its words read as options or arguments', async () => {
    const hint =
      " If that belongs to the connector's command, put -- before the command: everything after -- is passed to it unchanged (e.g. `gatehouse connectors add files --stdio -- npx -y @modelcontextprotocol/server-filesystem ~/Documents`).";
    expect(await run('connectors', 'add', 'files', '--stdio', 'npx', '-y', 'some-server')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: The connectors add command has no option -y.${hint}\n${usageHint}`,
    });
    expect((await run('connectors', 'add', 'files', '--stdio', 'npx', 'some-server')).stderr).toBe(
      `gatehouse: The connectors add command does not take "npx" (usage: gatehouse connectors add NAME (--stdio [stdio options] -- CMD ARGS… | --url URL [http options]) [--disabled] [--force] [--handles-secrets] [--json]).${hint}\n${usageHint}`,
    );
    expect(await connectorNames(engine)).not.toContain('files');
  });
});

describe('gatehouse connectors list and show', () => {
  it('lists connectors in a table', async () => {
    const { code, stdout } = await run('connectors');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +KIND +CONNECTION +AUTH +TOOLS +RESTARTS +PROCESS$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^everything +stdio +connected +- +\d+ +0 +pid \d+, \d+ MB$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^remote +http +disabled +- +0 +0 +-$/));
    expect(lines.filter((line) => line.startsWith('  last error:'))).toEqual([]);
  });

  it('prints a last error whole, on its own line below its row', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/mcp`;
    // Kept although it does not start (--force): its status says why.
    expect((await run('connectors', 'add', 'unreachable', '--url', url, '--force')).code).toBe(0);
    try {
      const sentence = `Cannot reach the server at ${url} (connection refused). Check that it is running and that the URL is right.`;
      await expect
        .poll(async () => (await engine.call('connectors.get', { name: 'unreachable' })).status.lastError)
        .toBe(sentence);
      const lines = (await run('connectors')).stdout.trimEnd().split('\n');
      const row = lines.findIndex((line) => /^unreachable +http +error /.test(line));
      expect(row).toBeGreaterThan(0);
      expect(lines[row + 1]).toBe(`  last error: ${sentence}`);
    } finally {
      await run('connectors', 'remove', 'unreachable');
    }
  });

  it('shows settings with every secret masked', async () => {
    const stdio = (await run('connectors', 'show', 'everything')).stdout;
    expect(stdio).toMatch(/^Connector: +everything \(stdio\)$/m);
    expect(stdio).toMatch(/^Environment: +API_KEY=••••, MODE=••••$/m);
    expect(stdio).toMatch(new RegExp(`^MCP URL: +${engine.issuer}/mcp/everything$`, 'm'));
    expect(stdio).toMatch(/^Its recent stderr: gatehouse connectors logs everything$/m);
    const http = (await run('connectors', 'show', 'remote')).stdout;
    expect(http).toMatch(/^URL: +https:\/\/mcp\.example\.com\/mcp$/m);
    expect(http).toMatch(/^Headers: +X-Api-Key: ••••$/m);
    expect(http).toMatch(/^Sign-in: +bearer token ••••$/m);
    expect(http).toMatch(/^Timeout: +20 s$/m);
  });

  it('never prints a secret, in words or JSON', async () => {
    for (const words of [
      ['connectors'],
      ['connectors', 'list', '--json'],
      ['connectors', 'show', 'everything'],
      ['connectors', 'show', 'everything', '--json'],
      ['connectors', 'show', 'remote'],
      ['connectors', 'show', 'remote', '--json'],
      ['activity', '--json', '--limit', '10000'],
    ]) {
      const { stdout, stderr } = await run(...words);
      for (const secret of secrets) expect(stdout + stderr, words.join(' ')).not.toContain(secret);
    }
    const json = JSON.parse((await run('connectors', 'show', 'remote', '--json')).stdout) as {
      settings: { auth: unknown };
    };
    expect(json.settings.auth).toEqual({ type: 'bearer', token: '[stored]' });
  });

  it('reports an unknown connector with the engine’s sentence, exit 2', async () => {
    expect(await run('connectors', 'show', 'nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: There is no connector named nope (see gatehouse connectors list).\n',
    });
  });
});

describe('gatehouse connectors edit', () => {
  it('changes what it is told and keeps every secret it is not given', async () => {
    const edited = await run('connectors', 'edit', 'remote', '--timeout', '60', '--header', 'X-Team: blue');
    expect(edited.code).toBe(0);
    expect(edited.stdout).toBe(
      'Saved remote: disabled.\nStart it with: gatehouse connectors enable remote\n',
    );
    expect(engineParts(engine).connectorStore.unsealed('remote')).toMatchObject({
      timeoutSeconds: 60,
      headers: { 'X-Api-Key': HEADER_SECRET, 'X-Team': 'blue' },
      auth: { type: 'bearer', token: TOKEN },
    });

    expect((await run('connectors', 'edit', 'everything', '--env', 'LEVEL=2')).stdout).toMatch(
      /^Saved everything: connected, \d+ tools\.\n$/,
    );
    expect(engineParts(engine).connectorStore.unsealed('everything')).toMatchObject({
      env: { API_KEY, MODE: 'plain', LEVEL: '2' },
    });
    expect((await run('connectors', 'edit', 'everything', '--unset-env', 'LEVEL')).code).toBe(0);
    expect(engineParts(engine).connectorStore.unsealed('everything')).toMatchObject({
      env: { API_KEY, MODE: 'plain' },
    });
  });

  it('widens and narrows the sandbox, and says plainly when it is switched off', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gatehouse-cli-workspace-'));
    try {
      expect(
        (
          await run(
            'connectors',
            'edit',
            'everything',
            '--add-folder',
            folder,
            '--allow-domain',
            'API.github.com',
          )
        ).code,
      ).toBe(0);
      const shown = (await run('connectors', 'show', 'everything')).stdout;
      expect(shown).toContain('Sandbox:      on\n');
      expect(shown).toContain(`May write:    ${folder}, `);
      expect(shown).toContain('May reach:    only api.github.com\n');
      expect((await run('connectors', 'edit', 'everything', '--remove-domain', 'example.org')).stderr).toBe(
        `gatehouse: example.org is not on the list of hosts (api.github.com).\n${usageHint}`,
      );
      const off = await run('connectors', 'edit', 'everything', '--no-sandbox');
      expect(off.stderr).toContain('Warning: this connector runs without a sandbox.');
      expect((await run('connectors', 'list')).stdout).toMatch(/everything\s+stdio \(no sandbox\)/);
      expect((await run('status')).stdout).toMatch(/without a sandbox, by your choice: everything/);
      const back = await run(
        'connectors',
        'edit',
        'everything',
        '--sandbox',
        '--any-domain',
        '--remove-folder',
        folder,
      );
      expect(back.code).toBe(0);
      expect(engineParts(engine).connectorStore.require('everything').settings).toMatchObject({
        sandbox: { enabled: true, folders: [], allowedDomains: null },
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses an edit that changes nothing, or the kind', async () => {
    expect((await run('connectors', 'edit', 'remote')).stderr).toBe(
      `gatehouse: Nothing to change: give remote's new settings (see \`gatehouse help connectors\`).\n${usageHint}`,
    );
    expect(await run('connectors', 'edit', 'remote', '--', 'node', 'server.js')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: remote is an http connector; its kind cannot change (add a new connector instead).\n${usageHint}`,
    });
    expect(
      (await run('connectors', 'edit', 'everything', '--bearer-env', 'GATEHOUSE_TEST_TOKEN')).stderr,
    ).toBe(`gatehouse: --bearer-env does not apply to everything (a stdio connector).\n${usageHint}`);
  });
});

describe('gatehouse connectors test, logs, disable, enable, remove', () => {
  it('tests a working connector', async () => {
    const { code, stdout } = await run('connectors', 'test', 'everything');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^everything works: connected in \d+ ms and listed \d+ tools\.\n$/);
  });

  it('refuses to add a command that does not exist, saving nothing, unless --force', async () => {
    const refused = await run('connectors', 'add', 'missing', '--stdio', '--', 'gatehouse-no-such-command');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^gatehouse: missing was not added: it does not start \(Cannot find "gatehouse-no-such-command" on your PATH \(searched: .*\)\. Install it or give the full path in the connector's command\)\. Fix the command and add it again, or keep it anyway with --force\.\n$/,
    );
    expect(await connectorNames(engine)).not.toContain('missing');
    expect((await engine.call('audit.list', { type: 'connector.add_failed', limit: 1 }))[0]).toMatchObject({
      connector: 'missing',
      reason: expect.stringMatching(/^Did not add stdio connector missing: it does not start \(Cannot find /),
    });
  });

  it('refuses a program that exits at start with the line that explains, and points at all it printed', async () => {
    const script = join(dirs.make(), 'server.cjs');
    writeFileSync(script, "require('gatehouse-weather-sdk');\n");
    const refused = await run('connectors', 'add', 'weather', '--stdio', '--', process.execPath, script);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `gatehouse: weather was not added: it does not start (The server exited with code 1. Its stderr says: "Error: Cannot find module 'gatehouse-weather-sdk'"). ` +
        'Fix the command and add it again, or keep it anyway with --force.\nWhat it printed: gatehouse connectors logs weather\n',
    });
    const logs = await run('connectors', 'logs', 'weather');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain("Error: Cannot find module 'gatehouse-weather-sdk'\n");
    expect(logs.stdout).toMatch(/Node\.js v22\.\d+\.\d+\n$/);
  });

  it('refuses a bearer token the server refuses (exit 1, nothing kept), unless --force', async () => {
    const refused = await run(
      'connectors',
      'add',
      'refused',
      '--url',
      upstream.mcpUrl,
      '--bearer-env',
      'GATEHOUSE_TEST_TOKEN',
    );
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "gatehouse: refused was not added: it does not start (The server refused the connector's bearer token (HTTP 401). Check the token in the connector's settings, or get a new one from the server). " +
        'Fix the URL and add it again, or keep it anyway with --force.\n',
    });
    expect(await connectorNames(engine)).not.toContain('refused');
    const forced = await run(
      'connectors',
      'add',
      'refused',
      '--url',
      upstream.mcpUrl,
      '--bearer-env',
      'GATEHOUSE_TEST_TOKEN',
      '--force',
    );
    expect(forced.code).toBe(0);
    expect(await connectorNames(engine)).toContain('refused');
    expect((await run('connectors', 'remove', 'refused')).code).toBe(0);
  });

  it('fails the test of a command that does not exist with the engine’s sentence, exit code 1', async () => {
    const added = await run(
      'connectors',
      'add',
      'missing',
      '--stdio',
      '--force',
      '--',
      'gatehouse-no-such-command',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added missing \(stdio\): not connected: Cannot find "gatehouse-no-such-command" on your PATH \(searched: .*\)\. Install it or give the full path in the connector's command\.\nWhat it printed: gatehouse connectors logs missing\n$/,
    );
    expect((await run('status')).stdout).toMatch(
      /^Waiting for you: +1 connector to fix or sign in to \(gatehouse connectors\)$/m,
    );
    const tested = await run('connectors', 'test', 'missing');
    expect(tested.code).toBe(1);
    expect(tested.stdout).toBe('');
    expect(tested.stderr).toMatch(
      /^gatehouse: missing failed its test after \d+ ms: Cannot find "gatehouse-no-such-command" on your PATH \(searched: [^\n]*\)\. Install it or give the full path in the connector's command\.\n$/,
    );
    const json = await run('connectors', 'test', 'missing', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, toolCount: 0 });
  });

  it('shows a spinner while it tests, only when stderr is a terminal, and clears it', async () => {
    const onTerminal = await gatehouse(['--data-dir', dataDir, 'connectors', 'test', 'everything'], {
      env,
      stderrIsTerminal: true,
    });
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.stderr.startsWith('\r\x1b[K⠋ Testing everything…')).toBe(true);
    expect(onTerminal.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(onTerminal.stdout).toMatch(/^everything works: /);
    expect((await run('connectors', 'test', 'everything')).stderr).toBe('');
  });

  it('prints what a stdio connector wrote to stderr', async () => {
    const { code, stdout } = await run('connectors', 'logs', 'everything');
    expect(code).toBe(0);
    expect(stdout).toContain('Starting default (STDIO) server...');
    expect((await run('connectors', 'logs', 'remote')).stdout).toBe(
      'remote is an http connector; only stdio connectors have stderr to show.\n',
    );
  });

  it('disables, enables and removes a connector', async () => {
    expect(await run('connectors', 'disable', 'everything')).toEqual({
      code: 0,
      stdout: 'Disabled everything; clients no longer see its tools.\n',
      stderr: '',
    });
    expect((await engine.call('connectors.get', { name: 'everything' })).status.connection).toBe('disabled');
    const enabled = await run('connectors', 'enable', 'everything');
    expect(enabled.stdout).toMatch(/^Enabled everything: connected, \d+ tools\.\n$/);
    expect(await run('connectors', 'remove', 'missing')).toEqual({
      code: 0,
      stdout: 'Removed missing and its stored secrets.\n',
      stderr: '',
    });
    expect(await connectorNames(engine)).not.toContain('missing');
    expect((await run('connectors', 'remove', 'missing')).stderr).toBe(
      'gatehouse: There is no connector named missing (see gatehouse connectors list).\n',
    );
  });
});

describe('gatehouse connectors connect', () => {
  it('refuses a connector that does not use OAuth', async () => {
    expect(await run('connectors', 'connect', 'everything')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: everything does not use OAuth, so there is nothing to connect; use Test instead.\n',
    });
  });

  it('adds an OAuth connector, prints the sign-in page, and waits until the user has signed in', async () => {
    const added = await run('connectors', 'add', 'secure', '--url', upstream.mcpUrl, '--oauth');
    expect(added).toEqual({
      code: 0,
      stdout:
        'Added secure (http): waiting for you to sign in.\nNext: gatehouse connectors connect secure (to sign in)\n',
      stderr: '',
    });

    const noWait = await run('connectors', 'connect', 'secure', '--no-wait');
    expect(noWait.code).toBe(0);
    expect(noWait.stdout).toMatch(
      /^Sign in to secure on this page \(the Gatehouse app opens it in your browser; with `gatehouse serve`, open it yourself\):\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+\n$/,
    );

    let stdout = '';
    let stderr = '';
    let printed: () => void = () => {};
    const urlPrinted = new Promise<void>((resolve) => (printed = resolve));
    const waiting = runCli(['--data-dir', dataDir, 'connectors', 'connect', 'secure'], {
      env,
      stdout: (text) => {
        stdout += text;
        if (stdout.includes('Waiting for you')) printed();
      },
      stderr: (text) => (stderr += text),
      untilStopped: () => new Promise(() => {}),
    });
    await urlPrinted;
    const url = /^ {2}(\S+)$/m.exec(stdout)?.[1];
    expect(url).toBeDefined();
    const landed = await followAuthorization(url!, fetch);
    expect(landed.body).toContain('secure is connected');
    expect(await waiting).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n').slice(2)).toEqual([
      'Waiting for you to finish signing in (up to 10 minutes; Ctrl+C stops waiting)…',
      'Signed in: secure is connected, 1 tool.',
      '',
    ]);
    expect((await run('connectors', 'show', 'secure')).stdout).toMatch(
      /^Sign-in: +OAuth, client registered by Gatehouse; signed in$/m,
    );
  });

  it('stops waiting when told to, saying the sign-in may still finish', async () => {
    let stdout = '';
    let stderr = '';
    const waiting = runCli(['--data-dir', dataDir, 'connectors', 'connect', 'secure'], {
      env,
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      untilStopped: async () => 'SIGINT',
    });
    expect(await waiting).toBe(1);
    expect(stdout).toContain('Waiting for you to finish signing in');
    expect(stderr).toBe(
      'gatehouse: Stopped waiting; if you finish signing in, secure connects by itself (see gatehouse connectors show secure).\n',
    );
  });
});
