// Real servers in the sandbox by grants, unchanged (Linux, bubblewrap; never skipped there): added the
// ordinary way to a real `gatehouse serve` whose home folder is a test home, each is called by a real
// MCP client through Gatehouse and does its work — server-filesystem in its workspace,
// server-everything, server-memory saving to a granted file in the home folder (by rename, and after
// a restart), a fetch-like server with a host list and a masked key against a local HTTPS host with
// its own certificate authority, the same server on Node 20 (no proxy variables there), an npx server
// from the registry run from a folder outside any project (its cache its own, cold then warm), and a
// uvx-style Python server installed from an index on this computer.
import { execFileSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { EngineClient } from '../../../../main/cli/command-context/engine-client.js';
import { checkSandbox } from '../../../../main/core/connectors/sandbox/sandbox-check.js';
import { fixture } from '../../../support/paths.js';
import { testCertificates } from '../../../support/test-certificates.js';
import { freePort } from '../../../support/conformance-suite.js';
import { startServe, writeClientOfServe, type ServeProcess } from '../../../support/serve-process.js';

const require = createRequire(import.meta.url);
const packageBin = (name: string) => {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), Object.values(manifest.bin)[0]!);
};
/** The npx server: server-memory at the version the tests install, fetched by npx from the registry. */
const NPX_PACKAGE = `@modelcontextprotocol/server-memory@${
  (
    JSON.parse(readFileSync(require.resolve('@modelcontextprotocol/server-memory/package.json'), 'utf8')) as {
      version: string;
    }
  ).version
}`;
const NODE_20 = '/usr/bin/node';
const KEY = 'sk-test-REAL-KEY-0123456789abcdef';

const children: ChildProcess[] = [];
const servers: Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of servers.splice(0)) server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const textOf = (result: unknown) =>
  (result as { content: Array<{ text: string }> }).content.map((part) => part.text).join('\n');

const listen = (server: Server) =>
  new Promise<number>((resolve) => {
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });

/** Waits until `check` holds (a beforeAll cannot use expect.poll); fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const linux = process.platform === 'linux';

describe.skipIf(!linux)('real servers in the sandbox, unchanged', () => {
  let root: string;
  let home: string;
  let workspace: string;
  let outside: string;
  let dataDir: string;
  let serve: ServeProcess;
  let engine: EngineClient;
  let client: Client;
  let httpsPort: number;
  let indexPort: number;
  /** What the local HTTPS host was sent as a key. */
  const received: string[] = [];

  const connected = async (name: string, ms?: number) => {
    try {
      await until(
        async () => (await engine.call('connectors.get', { name })).status.connection === 'connected',
        ms,
      );
    } catch (error) {
      const { status } = await engine.call('connectors.get', { name });
      const lines = (await engine.call('connectors.logs', { name })).lines.slice(-15).join('\n');
      throw new Error(`${name} did not connect: ${JSON.stringify(status)}\n${lines}`, { cause: error });
    }
  };
  /** Disables and enables a connector; resolves with how long it took to connect again, in ms. */
  const restart = async (name: string) => {
    await engine.call('connectors.disable', { name });
    const began = performance.now();
    await engine.call('connectors.enable', { name });
    await connected(name);
    return Math.round(performance.now() - began);
  };

  beforeAll(async () => {
    expect(checkSandbox()).toMatchObject({ works: true, problem: null });
    root = mkdtempSync(join(tmpdir(), 'gatehouse-real-'));
    dirs.push(root);
    home = join(root, 'home');
    workspace = join(home, 'projects', 'notes');
    outside = join(root, 'outside');
    dataDir = join(root, 'data');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(workspace, 'todo.md'), '- water the plants\n');
    writeFileSync(join(home, '.bashrc'), 'original bashrc\n');
    // The memory file an imported Claude Desktop config points at, already there (the EBUSY case).
    writeFileSync(
      join(home, 'memory.jsonl'),
      `${JSON.stringify({ type: 'entity', name: 'Ada', entityType: 'person', observations: ['writes notes'] })}\n`,
    );
    // uvx in the user's ~/.local/bin, and an index on this computer with the server's wheel.
    mkdirSync(join(home, '.local', 'bin'), { recursive: true });
    copyFileSync(fixture('uvx-like/uvx'), join(home, '.local', 'bin', 'uvx'));
    execFileSync('chmod', ['755', join(home, '.local', 'bin', 'uvx')]);
    const wheels = join(root, 'index', 'gatehouse-probe');
    mkdirSync(wheels, { recursive: true });
    execFileSync('/usr/bin/python3', [fixture('uvx-like/make_wheel.py'), wheels]);
    indexPort = await listen(
      createHttpServer((request, response) => {
        const name = decodeURIComponent(request.url ?? '/')
          .split('/')
          .filter(Boolean);
        if (name.length === 1) {
          const files = readdirSync(wheels).map((file) => `<a href="${file}">${file}</a>`);
          response.end(`<html><body>${files.join('\n')}</body></html>`);
        } else if (name.length === 2 && existsSync(join(wheels, name[1]!))) {
          response.end(readFileSync(join(wheels, name[1]!)));
        } else {
          response.statusCode = 404;
          response.end();
        }
      }),
    );
    // The API host: HTTPS with a certificate of its own authority, answering with the key it was sent.
    const authority = testCertificates('gatehouse test CA', 'localhost', 'DNS:localhost,IP:127.0.0.1');
    dirs.push(authority.dir);
    httpsPort = await listen(
      createHttpsServer({ key: authority.key, cert: authority.cert }, (request, response) => {
        received.push(request.headers.authorization ?? '');
        response.end(`hello, ${request.headers.authorization ?? 'nobody'}`);
      }),
    );
    // Gatehouse trusts that authority the way a user's environment makes it (NODE_EXTRA_CA_CERTS).
    const trust = join(root, 'trust.pem');
    const system = process.env.NODE_EXTRA_CA_CERTS
      ? readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8')
      : '';
    writeFileSync(trust, `${system}\n${authority.ca}`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      NODE_EXTRA_CA_CERTS: trust,
      PATH: `${join(home, '.local', 'bin')}:${process.env.PATH ?? ''}`,
    };
    for (const key of ['XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'npm_config_cache'])
      delete env[key];
    const port = await freePort();
    serve = await startServe(dataDir, port, children, env);
    engine = EngineClient.connect(dataDir);
    await engine.call('settings.set', { accessCeiling: 'write' });
    const add = (name: string, settings: Record<string, unknown>) =>
      engine.call('connectors.add', {
        name,
        settings: { kind: 'stdio', args: [], env: {}, ...settings } as never,
        grantCommandLine: true,
      });
    await add('files', {
      command: process.execPath,
      args: [packageBin('@modelcontextprotocol/server-filesystem'), workspace],
    });
    await add('everything', {
      command: process.execPath,
      args: [packageBin('@modelcontextprotocol/server-everything'), 'stdio'],
    });
    // As imported: its memory file is named in its environment, and granted with the user's word.
    await add('memory', {
      command: process.execPath,
      args: [packageBin('@modelcontextprotocol/server-memory')],
      env: { MEMORY_FILE_PATH: join(home, 'memory.jsonl') },
    });
    const sandbox = (allowedDomains: string[], localServices: string[]) => ({
      enabled: true,
      folders: [],
      readFolders: [],
      allowedDomains,
      localServices,
      secretVariables: [],
      plainSecrets: [],
    });
    await add('fetch', {
      command: process.execPath,
      args: [fixture('fetch-server.mjs')],
      env: { API_KEY: KEY },
      sandbox: sandbox([], [`localhost:${httpsPort}`]),
    });
    await add('fetch-node20', {
      command: NODE_20,
      args: [fixture('fetch-server.mjs')],
      sandbox: sandbox(['registry.npmjs.org'], []),
    });
    await add('uvx', {
      command: 'uvx',
      args: ['gatehouse-probe'],
      env: { UV_INDEX_URL: `http://127.0.0.1:${indexPort}/` },
    });
    for (const name of ['files', 'everything', 'memory', 'fetch', 'fetch-node20', 'uvx'])
      await connected(name);
    // First sight may hold an honest tool here (its model holds the fetch server's `fetch`, whose one
    // sentence names a key and a URL): the user reads why and accepts it, as these tests are about the sandbox.
    for (const connector of ['fetch', 'fetch-node20']) {
      await until(async () => (await engine.call('tools.list', { connector })).length === 3);
      for (const tool of await engine.call('tools.list', { connector }))
        if (tool.firstSight) await engine.call('tools.accept', { connector, tool: tool.name });
    }
    client = await writeClientOfServe(engine, port);
  }, 300_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    serve?.child.kill('SIGTERM');
  });

  it('server-filesystem lists, reads and writes its workspace', async () => {
    expect(
      textOf(
        await client.callTool({
          name: 'files__read_text_file',
          arguments: { path: join(workspace, 'todo.md') },
        }),
      ),
    ).toContain('water the plants');
    await client.callTool({
      name: 'files__write_file',
      arguments: { path: join(workspace, 'done.md'), content: '- watered\n' },
    });
    expect(readFileSync(join(workspace, 'done.md'), 'utf8')).toBe('- watered\n');
  });

  it('server-everything answers', async () => {
    expect(
      textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'in a sandbox' } })),
    ).toContain('in a sandbox');
  });

  it('server-memory saves to the granted file in the home folder, by rename, and keeps it across a restart', async () => {
    expect((await engine.call('connectors.get', { name: 'memory' })).sandbox?.addedFolders).toEqual([
      '~/memory.jsonl',
    ]);
    const before = textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} }));
    expect(before).toContain('Ada');
    await client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'Grace', entityType: 'person', observations: ['found a moth'] }] },
    });
    // The save lands in the user's file (copied back from its own folder), the file it had stays.
    await expect
      .poll(() => readFileSync(join(home, 'memory.jsonl'), 'utf8'), { timeout: 10_000 })
      .toContain('Grace');
    expect(readFileSync(join(home, 'memory.jsonl'), 'utf8')).toContain('Ada');
    // No temp file of its save is left in the home folder, and nothing else of the home was written.
    expect(
      readdirSync(home)
        .filter((entry) => entry.includes('memory'))
        .sort(),
    ).toEqual(['memory.jsonl']);
    await restart('memory');
    const after = textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} }));
    expect(after).toContain('Grace');
    expect(after).toContain('Ada');
    // A second save after the restart lands too, and no refusal was recorded for any of it.
    await client.callTool({
      name: 'memory__add_observations',
      arguments: { observations: [{ entityName: 'Grace', contents: ['wrote a compiler'] }] },
    });
    await expect
      .poll(() => readFileSync(join(home, 'memory.jsonl'), 'utf8'), { timeout: 10_000 })
      .toContain('wrote a compiler');
    expect((await engine.call('connectors.get', { name: 'memory' })).sandbox?.refusals).toEqual([]);
  });

  it('a fetch-like server holds only a stand-in; its host gets the real key; a host off its list is refused', async () => {
    const standIn = textOf(await client.callTool({ name: 'fetch__key', arguments: {} }));
    expect(standIn).toMatch(/^fake_value_/);
    expect(standIn).not.toContain(KEY);
    const url = `https://localhost:${httpsPort}/v1/things`;
    // The host got the real key (it echoes it back), and the echo reaches the client masked: the
    // value Gatehouse seals for the connector never enters the model's context.
    expect(textOf(await client.callTool({ name: 'fetch__fetch', arguments: { url } }))).toBe(
      'status 200: hello, Bearer [connector secret removed by Gatehouse]',
    );
    expect(textOf(await client.callTool({ name: 'fetch__fetch', arguments: { url, by: 'https' } }))).toBe(
      'status 200: hello, Bearer [connector secret removed by Gatehouse]',
    );
    expect(received).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(
      textOf(
        await client.callTool({ name: 'fetch__fetch', arguments: { url: 'https://registry.npmjs.org/' } }),
      ),
    ).toMatch(/^refused: /);
    expect(await engine.call('audit.list', { connector: 'fetch', type: 'connector.host_blocked' })).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('registry.npmjs.org:443: it is not on its list of hosts'),
      }),
    ]);
    // Node 22.21+ reads the proxy variables without printing its experimental-agent warning.
    const logs = (await engine.call('connectors.logs', { name: 'fetch' })).lines.join('\n');
    expect(logs).not.toMatch(/EnvHttpProxyAgent|UNDICI-EHPA|experimental/i);
  });

  it('the same server on Node 20 reaches its listed host by fetch and by https, and no other', async () => {
    expect(
      JSON.parse(textOf(await client.callTool({ name: 'fetch-node20__runtime', arguments: {} }))).node,
    ).toMatch(/^v20\./);
    for (const by of ['fetch', 'https']) {
      expect(
        textOf(
          await client.callTool({
            name: 'fetch-node20__fetch',
            arguments: { url: 'https://registry.npmjs.org/', by },
          }),
        ),
      ).toMatch(/^status 200: /);
      expect(
        textOf(
          await client.callTool({
            name: 'fetch-node20__fetch',
            arguments: { url: 'https://blocked.example/', by },
          }),
        ),
      ).toMatch(/^refused: /);
    }
    const blocked = await engine.call('audit.list', {
      connector: 'fetch-node20',
      type: 'connector.host_blocked',
    });
    expect(blocked.map((row) => row.reason)).toEqual([expect.stringContaining('blocked.example:443')]);
    expect((await engine.call('connectors.get', { name: 'fetch-node20' })).status.lastError).toBeNull();
  });

  it('an npx server from the registry runs from a folder outside any project, its cache its own, cold then warm', async () => {
    await engine.call('connectors.add', {
      name: 'npx-memory',
      settings: {
        kind: 'stdio',
        command: 'npx',
        args: ['-y', NPX_PACKAGE],
        env: { MEMORY_FILE_PATH: join(workspace, 'npx-memory.jsonl') },
        cwd: outside,
      } as never,
      enabled: false,
      grantCommandLine: true,
    });
    // A cold start downloads the package into its own cache, which can outlast one call to the engine.
    const began = performance.now();
    void engine.call('connectors.enable', { name: 'npx-memory' }).catch(() => undefined);
    await connected('npx-memory', 180_000);
    const cold = Math.round(performance.now() - began);
    await engine.call('tools.set', { connector: 'npx-memory', tool: 'create_entities', approval: 'never' });
    await client.callTool({
      name: 'npx-memory__create_entities',
      arguments: { entities: [{ name: 'Linus', entityType: 'person', observations: ['kernel'] }] },
    });
    await expect
      .poll(() => readFileSync(join(workspace, 'npx-memory.jsonl'), 'utf8'), { timeout: 10_000 })
      .toContain('Linus');
    // Its npm cache is in its own scratch folder; the user's ~/.npm was not touched.
    const scratch = (
      await engine.call('connectors.get', { name: 'npx-memory' })
    ).sandbox!.ownFolders[0]!.replace(/ \(scratch, .*$/, '');
    expect(dirname(dirname(scratch))).toBe(join(home, '.cache', 'gatehouse', 'connectors'));
    expect(existsSync(join(scratch, 'npm', '_npx'))).toBe(true);
    expect(existsSync(join(home, '.npm'))).toBe(false);
    const warm = await restart('npx-memory');
    console.log(`[measure] npx server in its sandbox: cold start ${cold} ms, warm start ${warm} ms`);
    expect(warm).toBeLessThan(cold);
  }, 300_000);

  it('a uvx-style Python server installs from an index on this computer into its own cache and runs', async () => {
    expect((await engine.call('connectors.get', { name: 'uvx' })).sandbox?.localServices).toEqual([
      `127.0.0.1:${indexPort}`,
    ]);
    const where = JSON.parse(textOf(await client.callTool({ name: 'uvx__where', arguments: {} }))) as {
      module: string;
      home: string[];
    };
    const scratch = (await engine.call('connectors.get', { name: 'uvx' })).sandbox!.ownFolders[0]!.replace(
      / \(scratch, .*$/,
      '',
    );
    expect(where.module).toContain(join(scratch, 'uv', 'cache'));
    expect(where.home.sort()).toEqual(['.cache', '.local']);
    expect(
      JSON.parse(
        textOf(
          await client.callTool({
            name: 'uvx__save',
            arguments: { path: join(home, '.bashrc'), text: 'pwned' },
          }),
        ),
      ),
    ).toBe('refused: Read-only file system');
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('original bashrc\n');
    // Warm: the second start takes the package from its cache, not the index.
    const logs = async () => (await engine.call('connectors.logs', { name: 'uvx' })).lines.join('\n');
    expect(await logs()).toContain('Installed 1 package');
    await restart('uvx');
    expect(await logs()).not.toContain('Installed 1 package');
    expect(JSON.parse(textOf(await client.callTool({ name: 'uvx__where', arguments: {} }))).module).toBe(
      where.module,
    );
  });

  it('shows each server’s memory with its helpers', async () => {
    const memory = (await engine.call('connectors.get', { name: 'npx-memory' })).status.memoryBytes;
    expect(memory).toBeGreaterThan(20 * 1024 ** 2);
  });
});
