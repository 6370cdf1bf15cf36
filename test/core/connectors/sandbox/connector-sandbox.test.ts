// The sandbox by grants, attacked for real (Linux, bubblewrap): a hostile server added the ordinary
// way to a real `gatehouse serve` — started from a shell that left a secret open on a descriptor, with
// credential variables in its environment and a home folder full of secrets, tokens and code that
// would run later — is called through Gatehouse by a real MCP client and tries every escape of the
// sandbox's issue: reads, writes that run later, Gatehouse's own port and API, the loopback, private
// networks and cloud metadata, hosts off its list, inherited descriptors, a faked refusal. Every
// attempt is refused, the refusals come from the sandbox's own record (audited once per target and
// minute, marked on the calls they happened in), and a kill -9 of serve leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { EngineClient } from '../../../../main/cli/command-context/engine-client.js';
import { checkSandbox } from '../../../../main/core/connectors/sandbox/sandbox-check.js';
import { startEngine } from '../../../support/engine-fixture.js';
import { authorizeClient } from '../../../support/oauth-client.js';
import { fixture } from '../../../support/paths.js';
import { freePort } from '../../../support/conformance-suite.js';
import { CLI, killHard, writeClientOfServe, type ServeProcess } from '../../../support/serve-process.js';

const HOSTILE = fixture('hostile-server.mjs');
const filesystem = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json')),
  'dist',
  'index.js',
);

/** Secrets and tokens a home folder holds, relative to it; none may be read. */
const SECRETS = [
  '.ssh/id_ed25519',
  '.aws/credentials',
  '.config/gcloud/credentials.db',
  '.bash_history',
  '.claude/.credentials.json',
  '.claude.json',
  '.codex/auth.json',
  '.mcp-auth/mcp-remote-0.1.18/tokens.json',
  '.pgpass',
  '.vault-token',
  '.cache/huggingface/token',
  'projects/other/.env',
  '.config/Claude/claude_desktop_config.json.gatehouse-backup',
  '.npmrc',
  'gatehouse.log',
];

/** Credential variables in Gatehouse's own environment, none of which may reach a server. */
const CREDENTIAL_VARIABLES = {
  HF_TOKEN: 'hf_FAKEtokenFAKEtokenFAKEtokenFAKE',
  GEMINI_API_KEY: 'FAKE-GEMINI',
  OPENROUTER_API_KEY: 'sk-or-FAKE',
  CLAUDE_CODE_OAUTH_TOKEN: 'FAKE-CLAUDE-OAUTH',
  SLACK_BOT_TOKEN: 'xoxb-FAKE',
  STRIPE_SECRET_KEY: 'sk_live_FAKE',
  PGPASSWORD: 'FAKE-PG',
  DATABASE_URL: 'postgres://user:FAKE@db.internal/app',
  GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_FAKE',
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
  AWS_SECRET_ACCESS_KEY: 'FAKE-AWS',
};

/** A home folder with secrets, code that would run later, and a workspace with repositories in it. */
function testHome(root: string) {
  const home = join(root, 'home');
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(home, rel)), { recursive: true });
    writeFileSync(join(home, rel), text);
  };
  for (const secret of SECRETS) put(secret, `FAKE-SECRET ${secret}`);
  put('.bashrc', 'original bashrc\n');
  mkdirSync(join(home, '.config', 'autostart'), { recursive: true });
  mkdirSync(join(home, '.local', 'bin'), { recursive: true });
  const workspace = join(home, 'projects', 'site');
  put('projects/site/repo/.git/config', '[core]\n\trepositoryformatversion = 0\n');
  put('projects/site/repo/.git/hooks/pre-commit.sample', '#!/bin/sh\n');
  put('projects/site/deep/er/nested/.git/config', '[core]\n');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  return { home, workspace, outside };
}

/** Pids of living processes whose command line holds `token`. */
function processesWith(token: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(token);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * `gatehouse serve` started the way a user's shell would leave it: with a secret open on descriptor 5
 * (no close-on-exec) and credential variables in its environment.
 */
async function serveFromShell(
  dataDir: string,
  port: number,
  env: NodeJS.ProcessEnv,
  openSecret: string,
  started: ChildProcess[],
): Promise<ServeProcess> {
  const child = spawn(
    'bash',
    [
      '-c',
      'exec 5<"$1"; shift; exec "$@"',
      'serve-from-shell',
      openSecret,
      process.execPath,
      CLI,
      'serve',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('is running')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

/** Waits until `check` holds (a beforeAll cannot use expect.poll); fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const linux = process.platform === 'linux';
const reportOf = (result: unknown) =>
  JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as Record<string, unknown>;

// Never skipped on Linux: where the sandbox cannot run, the first assertion says why and what to install.
describe.skipIf(!linux)('a hostile local server against a real gatehouse serve', () => {
  let root: string;
  let place: ReturnType<typeof testHome>;
  let dataDir: string;
  let port: number;
  let serve: ServeProcess;
  let engine: EngineClient;
  let client: Client;
  let uiLink: string;
  const token = `hostile-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    expect(checkSandbox()).toMatchObject({ works: true, problem: null });
    root = mkdtempSync(join(tmpdir(), 'gatehouse-sandbox-'));
    dirs.push(root);
    place = testHome(root);
    dataDir = join(root, 'data');
    port = await freePort();
    const fdSecret = join(root, 'descriptor-secret');
    writeFileSync(fdSecret, 'FAKE-SECRET on a descriptor');
    serve = await serveFromShell(
      dataDir,
      port,
      { ...process.env, HOME: place.home, ...CREDENTIAL_VARIABLES },
      fdSecret,
      children,
    );
    engine = EngineClient.connect(dataDir);
    // The one-time link, written where the user logged serve's output: a server must not redeem it.
    uiLink = (await engine.call('ui.link', {})).url;
    writeFileSync(join(place.home, 'gatehouse.log'), `Open Gatehouse in your browser: ${uiLink}\n`);
    await engine.call('settings.set', { accessCeiling: 'write' });
    const hostile = (name: string, allowedDomains: string[] | null, folders: string[]) =>
      engine.call('connectors.add', {
        name,
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [HOSTILE, place.workspace],
          env: {
            HOSTILE_HOME: place.home,
            HOSTILE_DATA: dataDir,
            HOSTILE_MARK: token,
            API_TOKEN: 'FAKE-KEY-OF-ITS-OWN',
          },
          sandbox: {
            enabled: true,
            folders,
            readFolders: [],
            allowedDomains,
            localServices: [],
            secretVariables: [],
            plainSecrets: [],
          },
        },
      });
    await hostile('hostile', ['registry.npmjs.org'], [place.workspace]);
    await hostile('hostile-open', null, []);
    await engine.call('connectors.add', {
      name: 'files',
      settings: { kind: 'stdio', command: process.execPath, args: [filesystem, place.workspace] },
      grantCommandLine: true,
    });
    for (const name of ['hostile', 'hostile-open', 'files']) {
      await until(
        async () => (await engine.call('connectors.get', { name })).status.connection === 'connected',
      );
    }
    client = await writeClientOfServe(engine, port);
  }, 240_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
  });

  it('reads none of the secrets, tokens, logs or backups in the home folder, nor Gatehouse’s data', async () => {
    const tempRoot = (
      JSON.parse(readFileSync(join(dataDir, 'sandbox-temp.json'), 'utf8')) as { tempRoot: string }
    ).tempRoot;
    const neighbour = readdirSync(tempRoot).find((entry) => entry.startsWith('files-'))!;
    expect(neighbour).toBeDefined();
    const report = reportOf(
      await client.callTool({
        name: 'hostile__files',
        arguments: { paths: SECRETS, tempRoot, neighbour: join(tempRoot, neighbour) },
      }),
    );
    expect(report.reads).toEqual(Object.fromEntries(SECRETS.map((secret) => [secret, 'refused: ENOENT'])));
    // The home folder holds only its grants (and the folders on the way to them).
    expect((report.home as string[]).sort()).toEqual(['.cache', 'projects']);
    expect(report.data).toEqual({ [dataDir]: 'refused: ENOENT' });
    // Another connector's temp folder is not there; its own is all that shows of the temp root.
    expect(report.neighbour).toBe('refused: ENOENT');
    expect(report.temps).not.toContain(neighbour);
    // The link it could not read is still unused: it signs the test in (and only now is it spent).
    expect((await fetch(uiLink, { redirect: 'manual' })).status).toBe(303);
  });

  it('gets none of Gatehouse’s credential variables, only the allow-list and its own', async () => {
    const env = reportOf(
      await client.callTool({ name: 'hostile-open__environment', arguments: {} }),
    ) as Record<string, string>;
    for (const name of Object.keys(CREDENTIAL_VARIABLES)) expect(env).not.toHaveProperty(name);
    expect(JSON.stringify(env)).not.toMatch(/FAKE-(GEMINI|PG|AWS|CLAUDE)/);
    expect(env).toMatchObject({ HOME: place.home, HOSTILE_HOME: place.home });
    // Its own secret is delivered plainly (no host list to fill it in for), and the connector says so.
    // The server holds the real value: the result it sends back is masked where that exact value is.
    expect(env.API_TOKEN).toBe('[connector secret removed by Gatehouse]');
    expect((await engine.call('connectors.get', { name: 'hostile-open' })).sandbox?.secrets.plain).toEqual([
      { name: 'API_TOKEN', why: 'it may reach any host, so the sandbox cannot tell its own hosts apart' },
    ]);
    // With a host list it holds only a stand-in.
    const listed = reportOf(await client.callTool({ name: 'hostile__environment', arguments: {} }));
    expect(listed.API_TOKEN).toMatch(/^fake_value_/);
    expect((await engine.call('connectors.get', { name: 'hostile' })).sandbox?.secrets).toEqual({
      masked: ['API_TOKEN'],
      plain: [],
    });
  });

  it('starts with stdin, stdout and stderr: the descriptor its engine inherited is not the secret', async () => {
    const report = reportOf(await client.callTool({ name: 'hostile__descriptors', arguments: { fd: 5 } }));
    expect(JSON.stringify(report.open)).not.toContain('descriptor-secret');
    expect(report.read).not.toContain('FAKE-SECRET');
  });

  it('plants nothing that runs later and writes only its grants; the refusals are the sandbox’s own record', async () => {
    const before = readFileSync(join(place.workspace, 'repo', '.git', 'config'), 'utf8');
    const report = reportOf(
      await client.callTool({
        name: 'hostile__writes',
        arguments: { outside: join(place.outside, 'escaped.txt') },
      }),
    );
    expect(report).toMatchObject({
      hook: 'refused: EROFS',
      gitConfig: 'refused: EROFS',
      nestedHook: 'refused: EROFS',
      vscode: expect.stringMatching(/^refused: (EROFS|EEXIST)$/),
      repoVscode: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      envrc: expect.stringMatching(/^refused: (EROFS|EBUSY)$/),
      mcpJson: expect.stringMatching(/^refused: (EROFS|EBUSY)$/),
      renameRepo: 'refused: EBUSY',
      removeHooks: expect.stringMatching(/^refused: (EROFS|EBUSY)$/),
      renameGit: expect.stringMatching(/^refused: (EROFS|EBUSY)$/),
      bashrc: 'refused: EROFS',
      memory: 'refused: EROFS',
      npxCache: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      uvTools: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      autostart: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      pathCommand: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      outside: expect.stringMatching(/^refused: (EROFS|ENOENT)$/),
      systemTemp: 'refused: EROFS',
      workspace: 'written',
      ownCache: 'written',
      temp: 'written',
    });
    // Nothing of it landed on the host, and the user's files are as they were.
    expect(readFileSync(join(place.home, '.bashrc'), 'utf8')).toBe('original bashrc\n');
    expect(readFileSync(join(place.workspace, 'repo', '.git', 'config'), 'utf8')).toBe(before);
    for (const landed of [
      join(place.workspace, 'repo', '.git', 'hooks', 'pre-commit'),
      join(place.workspace, '.vscode', 'tasks.json'),
      join(place.home, 'memory.jsonl'),
      join(place.home, '.npm'),
      join(place.home, '.config', 'autostart', 'evil.desktop'),
      join(place.home, '.local', 'bin', 'ls'),
      join(place.outside, 'escaped.txt'),
    ]) {
      expect(existsSync(landed), landed).toBe(false);
    }
    expect(readFileSync(join(place.workspace, 'allowed.txt'), 'utf8')).toContain('hostile');
    // The refusals, from the sandbox's own record, are audited with the command that grants each
    // (twenty new ones a minute; the rest are counted on the connector and summed up).
    const audited = (
      await engine.call('audit.list', { connector: 'hostile', type: 'connector.sandbox_refused' })
    ).map((row) => row.reason);
    expect(audited).toEqual(
      expect.arrayContaining([
        `The sandbox refused hostile a write to ${join(place.home, 'memory.jsonl')}: it is outside what it may write, and ${place.home} cannot be granted (it holds your whole home folder (name a folder inside it)); grant a folder of its own instead.`,
        `The sandbox refused hostile a write to ${join(place.workspace, 'repo', '.git', 'hooks', 'pre-commit')}: git, an editor or an AI client runs what is there later, so no server may change it.`,
        `The sandbox refused hostile a write to ${join(place.workspace, 'repo', '.git', 'config')}: git, an editor or an AI client runs what is there later, so no server may change it.`,
      ]),
    );
    expect(audited.length).toBeLessThanOrEqual(21);
    // The connector keeps every one with its count, and the one command that grants it.
    const refusals = (await engine.call('connectors.get', { name: 'hostile' })).sandbox!.refusals;
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'write',
          target: join(place.home, '.config', 'autostart', 'evil.desktop'),
          reason:
            'it is outside what it may write (its workspace, scratch and temp folders); careful: what is written there runs by itself later (at login, in every shell, or as a service)',
          grant: 'gatehouse connectors edit hostile --add-folder ~/.config/autostart',
          allow: { kind: 'folder', value: '~/.config/autostart' },
          count: 1,
        }),
        expect.objectContaining({
          kind: 'write',
          target: join(place.home, '.bashrc'),
          count: 1,
          grant: null,
        }),
        expect.objectContaining({ kind: 'write', target: join(place.workspace, '.envrc'), grant: null }),
      ]),
    );
    // The call's own row says the sandbox refused it something, and what.
    const call = (await engine.call('audit.list', { connector: 'hostile', type: 'tool.call' })).find(
      (row) => row.tool === 'writes',
    )!;
    expect(call.detail).toMatchObject({ outcome: 'ok', sandbox: { refused: expect.any(Number) } });
  });

  it('tells the AI, on an error result, what the sandbox refused', async () => {
    const result = await client.callTool({
      name: 'hostile__save_note',
      arguments: { path: join(place.home, 'notes.md'), note: 'remember' },
    });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>).map((part) => part.text)).toEqual([
      `could not save ${join(place.home, 'notes.md')}: EROFS`,
      `gatehouse: the sandbox refused this server a write to ${join(place.home, 'notes.md')}: it is outside what it may write, and ${place.home} cannot be granted (it holds your whole home folder (name a folder inside it)); grant a folder of its own instead.`,
    ]);
  });

  it('does not take a refusal a server only printed for the sandbox’s', async () => {
    await client.callTool({ name: 'hostile__fake_refusal', arguments: {} });
    const refusals = JSON.stringify([
      ...(await engine.call('audit.list', { connector: 'hostile', type: 'connector.sandbox_refused' })),
      ...(await engine.call('connectors.get', { name: 'hostile' })).sandbox!.refusals,
    ]);
    expect(refusals).not.toContain('.aws/credentials');
    expect(refusals).not.toContain('.ssh/id_ed25519');
    expect(JSON.stringify(await engine.call('audit.list', { connector: 'hostile' }))).not.toContain(
      '--no-sandbox',
    );
    // Its lines are in its output panel as what they are: its own words.
    expect((await engine.call('connectors.logs', { name: 'hostile' })).lines.join('\n')).not.toContain(
      '[sandbox]',
    );
  });

  it('reaches no port of Gatehouse, no loopback, private network or metadata address, and no host off its list', async () => {
    const report = reportOf(
      await client.callTool({
        name: 'hostile__network',
        arguments: {
          gatehousePort: port,
          offList: 'https://blocked.example/steal',
          allowed: 'https://registry.npmjs.org/',
          invent: 40,
        },
      }),
    );
    expect(report).toMatchObject({
      gatehouseDirect: 'refused: ECONNREFUSED',
      gatehouseTunnel: 'refused: 403',
      gatehouseByName: 'refused: 403',
      gatehouseFetch: expect.stringMatching(/^refused: /),
      metadata: 'refused: 403',
      metadataFetch: expect.stringMatching(/^refused: /),
      metadataDecimal: 'refused: 403',
      privateNetwork: 'refused: 403',
      offList: expect.stringMatching(/^refused: /),
      allowed: 'status 200',
    });
    // Its own sandbox stays on: nothing it can reach changes a connector.
    expect((await engine.call('connectors.get', { name: 'hostile' })).sandbox?.state).toBe('on');
    const blocked = await engine.call('audit.list', { connector: 'hostile', type: 'connector.host_blocked' });
    expect(blocked.map((row) => row.reason)).toEqual(
      expect.arrayContaining([
        `The sandbox refused hostile a connection to 127.0.0.1:${port}: it is Gatehouse's own port, which no local server may reach.`,
        'The sandbox refused hostile a connection to 169.254.169.254:80: it is this computer, a private network or a cloud metadata address (grant a local service by host and port).',
        'The sandbox refused hostile a connection to blocked.example:443: it is not on its list of hosts. To allow it: gatehouse connectors edit hostile --allow-domain blocked.example',
      ]),
    );
    // Forty invented hosts in a minute: twenty hosts told one by one, the rest summed up and counted.
    expect(blocked.length).toBeLessThanOrEqual(21);
    const view = await engine.call('connectors.get', { name: 'hostile' });
    expect(view.sandbox!.refusals.length + view.sandbox!.refusedOthers).toBeGreaterThanOrEqual(40);
  });

  it('lets a server with no host list reach public hosts, and nothing local', async () => {
    const report = reportOf(
      await client.callTool({
        name: 'hostile-open__network',
        arguments: {
          gatehousePort: port,
          offList: 'https://registry.npmjs.org/',
          allowed: 'http://registry.npmjs.org/',
          invent: 0,
        },
      }),
    );
    expect(report).toMatchObject({
      gatehouseTunnel: 'refused: 403',
      metadata: 'refused: 403',
      privateNetwork: 'refused: 403',
      offList: 'status 200',
    });
  });

  it('leaves nothing behind a kill -9 of serve, and the next start clears what it left', async () => {
    const tempRoot = (
      JSON.parse(readFileSync(join(dataDir, 'sandbox-temp.json'), 'utf8')) as { tempRoot: string }
    ).tempRoot;
    expect(processesWith(token).length).toBeGreaterThan(0);
    // A placeholder holds the place of .envrc while a server runs.
    expect(statSync(join(place.workspace, '.envrc')).size).toBe(0);
    await killHard(serve.child);
    await expect.poll(() => processesWith(token), { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => processesWith(tempRoot), { timeout: 10_000 }).toEqual([]);
    const again = await serveFromShell(
      dataDir,
      await freePort(),
      { ...process.env, HOME: place.home },
      '/dev/null',
      children,
    );
    // The killed engine's private temp folder and its placeholders are gone; the user's files stay.
    await expect.poll(() => existsSync(tempRoot), { timeout: 10_000 }).toBe(false);
    expect(existsSync(join(place.workspace, '.envrc'))).toBe(false);
    expect(existsSync(join(place.workspace, 'allowed.txt'))).toBe(true);
    again.child.kill('SIGTERM');
    await new Promise((resolve) => again.child.once('exit', resolve));
  }, 120_000);
});

describe.skipIf(!linux)('a sandboxed server past its bounds', () => {
  let bounded: Awaited<ReturnType<typeof startEngine>>;
  let boundedClient: Client;

  beforeAll(async () => {
    bounded = await startEngine({
      sandbox: {
        bounds: { processes: 64, memoryBytes: 512 * 1024 ** 2, diskBytes: 32 * 1024 ** 2 },
        boundsTiming: { treeEveryMs: 500, diskEveryMs: 500 },
      },
    });
    await bounded.engine.call('settings.set', { accessCeiling: 'write' });
    const workspace = mkdtempSync(join(tmpdir(), 'gatehouse-bounds-'));
    dirs.push(workspace);
    for (const name of ['forks', 'hog', 'fill']) {
      await bounded.engine.call('connectors.add', {
        name,
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [HOSTILE, workspace],
          env: { HOSTILE_HOME: workspace, HOSTILE_DATA: bounded.dataDir },
        },
      });
    }
    for (const tool of await bounded.engine.call('tools.list', {})) {
      await bounded.engine.call('tools.set', {
        connector: tool.connector,
        tool: tool.name,
        approval: 'never',
      });
    }
    boundedClient = (await authorizeClient(bounded.engine, { access: 'write' })).client;
  }, 180_000);

  afterAll(async () => {
    await boundedClient?.close();
    await bounded?.stop();
  });

  it.each([
    ['forks', 'processes', /^The sandbox stopped forks: it ran \d+ processes, more than its bound of 64\.$/],
    [
      'hog',
      'memory',
      /^The sandbox stopped hog: its processes held \d+ MiB of memory, more than its bound of 512 MiB\.$/,
    ],
    [
      'fill',
      'disk',
      /^The sandbox stopped fill: its scratch and temp folders held more than its bound of 32 MiB\.$/,
    ],
  ] as const)(
    'stops %s past its %s bound, says which, and does not start it again by itself',
    { timeout: 90_000 },
    async (name, bound, said) => {
      await boundedClient.callTool({ name: `${name}__bounds`, arguments: { bound } }).catch(() => undefined);
      await expect
        .poll(async () => (await bounded.engine.call('connectors.get', { name })).status.lastError ?? '', {
          timeout: 30_000,
        })
        .toMatch(said);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await bounded.engine.call('connectors.get', { name })).status).toMatchObject({
        connection: 'error',
        restarts: 0,
      });
      expect(
        await bounded.engine.call('audit.list', { connector: name, type: 'connector.sandbox_refused' }),
      ).toEqual([
        expect.objectContaining({
          reason: expect.stringContaining(`The sandbox refused ${name} its ${bound} bound:`),
        }),
      ]);
    },
  );

  it('ends a server that floods its output within its grace period, and keeps the log from it', async () => {
    const fixtureEngine = await startEngine();
    try {
      const { engine } = fixtureEngine;
      await engine.call('connectors.add', {
        name: 'flood',
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [HOSTILE, tmpdir()],
          env: { HOSTILE_HOME: tmpdir() },
        },
      });
      await engine.call('tools.set', { connector: 'flood', tool: 'flood', approval: 'never' });
      const { client } = await authorizeClient(engine);
      await client.callTool({ name: 'flood__flood', arguments: {} });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const started = Date.now();
      await engine.call('connectors.disable', { name: 'flood' });
      // The default grace is 2 s after SIGTERM; a loaded CI machine gets as long again.
      expect(Date.now() - started).toBeLessThan(5_000);
      const flooded = fixtureEngine.logs.filter((line) => line.includes('not an MCP message'));
      expect(flooded.length).toBeLessThanOrEqual(21);
      await client.close();
    } finally {
      await fixtureEngine.stop();
    }
  }, 120_000);
});

describe('a machine where the sandbox cannot run', () => {
  it('does not start a sandboxed server, says why and how to fix it, and runs it unsandboxed once asked', async () => {
    const engineFixture = await startEngine({
      sandbox: {
        check: () => ({
          works: false,
          mechanism: null,
          hostLists: false,
          problem: 'bubblewrap (bwrap) is not installed, so local servers cannot be sandboxed.',
          fix: 'Install them: `sudo apt install bubblewrap socat` (Fedora: `sudo dnf install bubblewrap socat`).',
        }),
      },
    });
    try {
      const { engine } = engineFixture;
      const settings = {
        kind: 'stdio' as const,
        command: process.execPath,
        args: [fixture('tree-server.mjs')],
      };
      await expect(
        engine.call('connectors.add', { name: 'tree', settings, onlyIfItStarts: true }),
      ).rejects.toThrow(
        'tree was not added: it does not start (tree was not started: it runs in a sandbox, and bubblewrap (bwrap) is not installed, so local servers cannot be sandboxed. Install them: `sudo apt install bubblewrap socat` (Fedora: `sudo dnf install bubblewrap socat`). To run it without a sandbox, with your full rights (only a server you trust): `gatehouse connectors edit tree --no-sandbox` (`--no-sandbox` when adding it), or switch its sandbox off in its details).',
      );
      expect(await engine.call('connectors.list', {})).toEqual([]);
      expect((await engine.call('status.get', {})).sandbox).toMatchObject({ works: false, unsandboxed: [] });

      const view = await engine.call('connectors.add', {
        name: 'tree',
        settings: {
          ...settings,
          sandbox: {
            enabled: false,
            folders: [],
            readFolders: [],
            allowedDomains: null,
            localServices: [],
            secretVariables: [],
            plainSecrets: [],
          },
        },
        onlyIfItStarts: true,
      });
      expect(view.status.connection).toBe('connected');
      expect(view.sandbox?.state).toBe('off');
      expect((await engine.call('status.get', {})).sandbox?.unsandboxed).toEqual(['tree']);
      // Who switched it off is on the row: the app's window here, the command line or the browser UI elsewhere.
      expect(await engine.call('audit.list', { connector: 'tree', type: 'connector.unsandboxed' })).toEqual([
        expect.objectContaining({
          reason:
            'tree runs without a sandbox, by your choice: it can read, write and reach everything you can (from the window)',
          detail: { surface: 'the window' },
        }),
      ]);
    } finally {
      await engineFixture.stop();
    }
  }, 60_000);
});
