// The sandbox, attacked for real (Linux, bubblewrap): a hostile server added the ordinary way, with
// a test home full of fake secrets, is called through Gatehouse by a real MCP client and tries to read
// the secrets and Gatehouse's data folder, write outside its workspace, reach a host not on its list
// and a loopback port, and leave a grandchild behind — every attempt refused, the blocked host
// audited. A `gatehouse serve` killed with SIGKILL leaves none of its tree, and the real
// server-filesystem still lists, reads and writes the folder it was given.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { checkSandbox } from '../../../main/core/connectors/sandbox-check.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { fixture } from '../../support/paths.js';
import { freePort } from '../../support/conformance-suite.js';
import { killHard, startServe } from '../../support/serve-process.js';

const HOSTILE = fixture('hostile-server.mjs');
const filesystem = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json')),
  'dist',
  'index.js',
);

/** A home folder with fake secrets in it, a workspace, and a folder outside the workspace. */
function testHome(root: string) {
  const home = join(root, 'home');
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(home, rel)), { recursive: true });
    writeFileSync(join(home, rel), text);
  };
  put('.ssh/id_ed25519', 'FAKE-SSH-KEY');
  put('.aws/credentials', 'FAKE-AWS-KEY');
  put('.config/gcloud/credentials.db', 'FAKE-GCLOUD');
  put('.bash_history', 'FAKE-HISTORY');
  put('.bashrc', 'original bashrc\n');
  // Another connector's scratch folder, kept from an earlier start: not for a hostile server either.
  put('.cache/gatehouse/connectors/files/note.txt', 'FILES-NOTE');
  const workspace = join(home, 'projects', 'site');
  mkdirSync(workspace, { recursive: true });
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

/** Whether a process exists and is not a zombie waiting for its reaper. */
function living(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

// Never skipped on Linux: where the sandbox cannot run, the first assertion says why and what to install.
const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!linux)('a hostile local server in the sandbox', () => {
  let fixtureEngine: EngineFixture;
  let client: Client;
  let place: ReturnType<typeof testHome>;
  let loopback: Server;
  let loopbackPort: number;
  const token = `hostile-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    expect(checkSandbox()).toMatchObject({ works: true, hostLists: true, problem: null });
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-sandbox-'));
    dirs.push(root);
    place = testHome(root);
    loopback = createServer((_req, res) => res.end('reached the host'));
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    loopbackPort = (loopback.address() as { port: number }).port;
    fixtureEngine = await startEngine({ sandbox: { place: { home: place.home } } });
    const { engine, dataDir } = fixtureEngine;
    await engine.call('settings.set', { accessCeiling: 'write' });
    await engine.call('connectors.add', {
      name: 'hostile',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [HOSTILE, place.workspace],
        env: {
          HOSTILE_HOME: place.home,
          HOSTILE_DATA: dataDir,
          HOSTILE_OUTSIDE: join(place.outside, 'escaped.txt'),
        },
        sandbox: { enabled: true, folders: [place.workspace], allowedDomains: ['allowed.example'] },
      },
    });
    await engine.call('connectors.add', {
      name: 'files',
      settings: { kind: 'stdio', command: process.execPath, args: [filesystem, place.workspace] },
      grantCommandLine: true,
    });
    for (const name of ['hostile', 'files']) {
      expect((await engine.call('connectors.get', { name })).status.connection).toBe('connected');
    }
    for (const tool of await engine.call('tools.list', {})) {
      await engine.call('tools.set', { connector: tool.connector, tool: tool.name, approval: 'never' });
    }
    client = (await authorizeClient(engine, { access: 'write' })).client;
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await fixtureEngine?.stop();
    loopback?.close();
  });

  it('gets no secret, no data, no write outside its workspace, no host off its list', async () => {
    // A secret created after the server started is hidden too.
    mkdirSync(join(place.home, '.azure'));
    writeFileSync(join(place.home, '.azure', 'token.json'), 'FAKE-AZURE');
    const result = await client.callTool({
      name: 'hostile__attack',
      arguments: { url: 'http://blocked.example/steal', port: loopbackPort, token },
    });
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    const report = JSON.parse(text) as {
      secrets: Record<string, string>;
      data: Record<string, string>;
      writes: Record<string, string>;
      network: Record<string, string>;
    };
    expect(report.secrets).toEqual({
      ssh: 'refused: ENOENT',
      aws: 'refused: ENOENT',
      gcloud: 'refused: ENOENT',
      history: 'refused: ENOENT',
      later: 'refused: ENOENT',
      neighbour: 'refused: ENOENT',
    });
    // The data folder shows as an empty folder; nothing of the API secret or the database gets out.
    expect(report.data).toEqual({});
    const apiSecret = readdirSync(fixtureEngine.dataDir).find((name) => name.includes('secret'));
    if (apiSecret) expect(text).not.toContain(readFileSync(join(fixtureEngine.dataDir, apiSecret), 'utf8'));
    expect(report.writes).toEqual({
      bashrc: 'refused: EROFS',
      outside: 'refused: EROFS',
      workspace: 'written',
      temp: 'written',
    });
    expect(readFileSync(join(place.home, '.bashrc'), 'utf8')).toBe('original bashrc\n');
    expect(existsSync(join(place.outside, 'escaped.txt'))).toBe(false);
    expect(readFileSync(join(place.workspace, 'allowed.txt'), 'utf8')).toContain('hostile');
    // The runtime's proxy refuses a host off the list (403 to the tunnel); no loopback port is reachable.
    expect(report.network.blocked).toMatch(/^refused: /);
    expect(report.network.loopback).toMatch(/^refused: /);
    await expect
      .poll(async () => await fixtureEngine.engine.call('audit.list', { connector: 'hostile' }))
      .toContainEqual(
        expect.objectContaining({
          type: 'connector.host_blocked',
          decision: 'deny',
          reason: expect.stringContaining('blocked.example:80'),
        }),
      );
    // The grandchild it left lives in the sandbox's pid namespace and ends with the connector.
    expect(processesWith(token).length).toBe(1);
    await fixtureEngine.engine.call('connectors.disable', { name: 'hostile' });
    await expect.poll(() => processesWith(token), { timeout: 5_000 }).toEqual([]);
  });

  it('lets the real server-filesystem list, read and write the folder it was given', async () => {
    writeFileSync(join(place.workspace, 'notes.txt'), 'hello from the host');
    const listed = await client.callTool({
      name: 'files__list_directory',
      arguments: { path: place.workspace },
    });
    expect((listed.content as Array<{ text: string }>)[0]!.text).toContain('[FILE] notes.txt');
    const read = await client.callTool({
      name: 'files__read_text_file',
      arguments: { path: join(place.workspace, 'notes.txt') },
    });
    expect((read.content as Array<{ text: string }>)[0]!.text).toBe('hello from the host');
    const written = await client.callTool({
      name: 'files__write_file',
      arguments: { path: join(place.workspace, 'reply.txt'), content: 'hello from the server' },
    });
    expect(written.isError).toBeFalsy();
    expect(readFileSync(join(place.workspace, 'reply.txt'), 'utf8')).toBe('hello from the server');
  });
});

describe.skipIf(!linux)('a sandboxed server and a killed engine', () => {
  it('leaves no process behind a kill -9 of `gatehouse serve`', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-sandbox-kill-'));
    dirs.push(root);
    const { home, workspace } = testHome(root);
    const dataDir = join(root, 'data');
    const token = `hostile-${randomBytes(6).toString('hex')}`;
    const serve = await startServe(dataDir, await freePort(), children, { ...process.env, HOME: home });
    const engine = EngineClient.connect(dataDir);
    await engine.call('connectors.add', {
      name: 'hostile',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [HOSTILE, workspace],
        env: { HOSTILE_HOME: home, HOSTILE_DATA: dataDir, HOSTILE_TOKEN: token },
        sandbox: { enabled: true, folders: [], allowedDomains: ['allowed.example'] },
      },
    });
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'hostile' })).status.connection, {
        timeout: 30_000,
      })
      .toBe('connected');
    const { pid } = (await engine.call('connectors.get', { name: 'hostile' })).status;
    // The pid Gatehouse records is bubblewrap's, its own child, and the grandchild runs.
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('bwrap');
    await expect.poll(() => processesWith(token).length).toBe(1);

    await killHard(serve.child);
    await expect.poll(() => processesWith(token), { timeout: 5_000 }).toEqual([]);
    expect(living(pid!)).toBe(false);

    // The network bridge of the killed engine is ended at the next start, and its sockets removed.
    const bridge = JSON.parse(readFileSync(join(dataDir, 'sandbox-network.json'), 'utf8')) as {
      sockets: string[];
    };
    const again = await startServe(dataDir, await freePort(), children, { ...process.env, HOME: home });
    expect(again.output()).toContain('ended sandbox network bridges left running by an earlier Gatehouse');
    for (const socket of bridge.sockets) expect(existsSync(socket)).toBe(false);
    expect(processesWith(bridge.sockets[0]!)).toEqual([]);
    // A clean stop ends the new bridge with the engine.
    const restarted = EngineClient.connect(dataDir);
    await expect
      .poll(async () => (await restarted.call('connectors.get', { name: 'hostile' })).status.connection, {
        timeout: 30_000,
      })
      .toBe('connected');
    const next = JSON.parse(readFileSync(join(dataDir, 'sandbox-network.json'), 'utf8')) as {
      sockets: string[];
    };
    expect(processesWith(next.sockets[0]!).length).toBeGreaterThan(0);
    again.child.kill('SIGTERM');
    await new Promise((resolve) => again.child.once('exit', resolve));
    expect(processesWith(next.sockets[0]!)).toEqual([]);
    expect(existsSync(join(dataDir, 'sandbox-network.json'))).toBe(false);
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
          fix: 'Install bubblewrap, socat and ripgrep: `sudo apt install bubblewrap socat ripgrep`.',
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
        'tree was not added: it does not start (tree was not started: it runs in a sandbox, and bubblewrap (bwrap) is not installed, so local servers cannot be sandboxed. Install bubblewrap, socat and ripgrep: `sudo apt install bubblewrap socat ripgrep`. To run it without a sandbox, with your full rights (only a server you trust): `gatehouse connectors edit tree --no-sandbox` (`--no-sandbox` when adding it), or switch its sandbox off in its details).',
      );
      expect(await engine.call('connectors.list', {})).toEqual([]);
      expect((await engine.call('status.get', {})).sandbox).toMatchObject({ works: false, unsandboxed: [] });

      const view = await engine.call('connectors.add', {
        name: 'tree',
        settings: { ...settings, sandbox: { enabled: false, folders: [], allowedDomains: null } },
        onlyIfItStarts: true,
      });
      expect(view.status.connection).toBe('connected');
      expect(view.sandbox?.state).toBe('off');
      expect((await engine.call('status.get', {})).sandbox?.unsandboxed).toEqual(['tree']);
      expect(await engine.call('audit.list', { connector: 'tree', type: 'connector.unsandboxed' })).toEqual([
        expect.objectContaining({
          reason:
            'tree runs without a sandbox, by your choice: it can read, write and reach everything you can',
        }),
      ]);
    } finally {
      await engineFixture.stop();
    }
  }, 60_000);
});
