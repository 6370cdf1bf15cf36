// stdio connectors against real servers: the reference `server-everything` and `server-filesystem`,
// and small fixtures that crash, hang at initialize, print garbage on stdout, change their tool list,
// and start helper processes of their own — whose pids must be gone when Gatehouse says so.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { stdioSettings } from '../../../../main/core/api/connector-config.js';
import {
  createCommandResolver,
  nodeLaunchHost,
} from '../../../../main/core/connectors/processes/stdio-launch.js';
import {
  createStdioUpstream,
  type StdioUpstreamOptions,
} from '../../../../main/core/connectors/runtime/stdio-upstream.js';
import type { Upstream, UpstreamEvent } from '../../../../main/core/connectors/runtime/upstream.js';
import { until } from '../../../support/upstream-status.js';
import { fixture } from '../../../support/paths.js';

const require = createRequire(import.meta.url);

function packageBin(name: string): string {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(manifestPath), Object.values(manifest.bin)[0] ?? '');
}

const logged: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
const logger = {
  info: (message: string, fields?: Record<string, unknown>) =>
    logged.push({ level: 'info', message, fields }),
  warn: (message: string, fields?: Record<string, unknown>) =>
    logged.push({ level: 'warn', message, fields }),
  error: (message: string, fields?: Record<string, unknown>) =>
    logged.push({ level: 'error', message, fields }),
};

const running: Upstream[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.stop()));
});

function upstreamFor(
  args: string[],
  options: StdioUpstreamOptions = {},
  command = process.execPath,
  env: Record<string, string> = {},
) {
  const upstream = createStdioUpstream({
    name: 'fixture',
    settings: stdioSettings.parse({ kind: 'stdio', command, args, env }),
    deps: { clock: { now: () => Date.now() }, logger },
    options: { shutdownGraceMs: 300, ...options },
  });
  const events: UpstreamEvent[] = [];
  upstream.on((event) => events.push(event));
  running.push(upstream);
  return { upstream, events };
}

/** proc(5) stat: state and parent pid, or null once the process is gone. */
function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '?', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/**
 * Dead, and no zombie of ours: the pid is gone, or (Linux) it is a zombie whose parent is not
 * Gatehouse — a killed helper reparented to init, which reaps it on its own schedule (lazily on some
 * container inits). A zombie child of this process would mean Gatehouse failed to reap it.
 */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = procStat(pid);
  return stat === null || (stat.state === 'Z' && stat.ppid !== process.pid);
}

async function expectGone(...pids: number[]): Promise<void> {
  const deadline = Date.now() + 3000;
  while (pids.some((pid) => !isGone(pid)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const describe = (pid: number) => (isGone(pid) ? 'gone' : JSON.stringify(procStat(pid) ?? 'alive'));
  expect(pids.map((pid) => [pid, describe(pid)])).toEqual(pids.map((pid) => [pid, 'gone']));
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

async function treePids(upstream: Upstream): Promise<{ pid: number; helper: number }> {
  return JSON.parse(text(await upstream.client()?.callTool({ name: 'pids' }))) as {
    pid: number;
    helper: number;
  };
}

describe('stdio upstream with real reference servers', () => {
  it('connects to server-everything, lists its catalog and calls echo through the shared client', async () => {
    const { upstream } = upstreamFor([packageBin('@modelcontextprotocol/server-everything'), 'stdio']);
    const began = performance.now();
    await upstream.start();
    const connectMs = Math.round(performance.now() - began);
    const status = upstream.status();
    expect(status).toMatchObject({
      connection: 'connected',
      auth: 'not-applicable',
      lastError: null,
      restarts: 0,
      transport: 'stdio',
      serverInfo: { name: expect.stringContaining('everything') },
    });
    expect(status.pid).toBeGreaterThan(0);
    if (process.platform === 'linux' || process.platform === 'darwin') {
      expect(status.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    }
    const offering = upstream.offering();
    expect(offering.tools.map((t) => t.name)).toContain('echo');
    expect(offering.prompts.length).toBeGreaterThan(0);
    expect(offering.resources.length).toBeGreaterThan(0);
    expect(offering.resourceTemplates.length).toBeGreaterThan(0);
    const result = await upstream
      .client()
      ?.callTool({ name: 'echo', arguments: { message: 'through gatehouse' } });
    expect(text(result)).toContain('through gatehouse');
    // A large reply arrives in many pipe chunks; characters split between chunks must survive.
    const big = '✓ é 🙂 '.repeat(40_000);
    const echoed = await upstream.client()?.callTool({ name: 'echo', arguments: { message: big } });
    expect(text(echoed)).toBe(`Echo: ${big}`);
    expect(upstream.stderrTail().join('\n')).toContain('Starting default (STDIO) server');
    console.info(`[measure] server-everything over stdio: connected with catalog in ${connectMs} ms`);
    const pid = status.pid ?? -1;
    await upstream.stop();
    await expectGone(pid);
  });

  it('runs server-filesystem on a temporary directory and calls its read-only tools', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-fs-'));
    try {
      await writeFile(path.join(dir, 'notes.txt'), 'hello from the filesystem\n');
      const { upstream } = upstreamFor([packageBin('@modelcontextprotocol/server-filesystem'), dir]);
      await upstream.start();
      expect(upstream.status().connection).toBe('connected');
      const names = upstream.offering().tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['list_directory', 'read_text_file', 'write_file']));
      const client = upstream.client();
      expect(text(await client?.callTool({ name: 'list_directory', arguments: { path: dir } }))).toContain(
        '[FILE] notes.txt',
      );
      const read = await client?.callTool({
        name: 'read_text_file',
        arguments: { path: path.join(dir, 'notes.txt') },
      });
      expect(text(read)).toBe('hello from the filesystem\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('stdio upstream keeping its process tree in hand', () => {
  it('stop() ends the server and the helper it started, leaving no zombie, and no restart follows', async () => {
    const { upstream } = upstreamFor([fixture('tree-server.mjs')], { backoff: { initialMs: 100 } });
    await upstream.start();
    const { pid, helper } = await treePids(upstream);
    expect(upstream.status().pid).toBe(pid);
    expect(isGone(helper)).toBe(false);
    await upstream.stop();
    await expectGone(pid, helper);
    await new Promise((r) => setTimeout(r, 300));
    expect(upstream.status()).toMatchObject({ connection: 'stopped', pid: null, restarts: 0 });
  });

  it('restarts a crashed server with growing backoff, sweeping the crashed tree, and reconnects', async () => {
    const { upstream, events } = upstreamFor([fixture('tree-server.mjs')], { backoff: { initialMs: 200 } });
    await upstream.start();
    const first = await treePids(upstream);

    const at = (state: string, after: number) =>
      events.findIndex((e, i) => i >= after && e.type === 'status' && e.status.connection === state);
    const times: number[] = [];
    upstream.on((e) => e.type === 'status' && times.push(Date.now()));

    await upstream.client()?.callTool({ name: 'crash' });
    const failed = await until(upstream, (s) => s.connection === 'error');
    expect(failed.lastError).toBe(
      'The server exited with code 3. Its stderr says: "tree-server: crashing on purpose"',
    );
    expect(failed.pid).toBeNull();
    await expectGone(first.pid, first.helper);
    await until(upstream, (s) => s.connection === 'connected');
    const second = await treePids(upstream);
    expect(second.pid).not.toBe(first.pid);
    expect(upstream.status()).toMatchObject({ restarts: 1, pid: second.pid, lastError: null });

    const errorAt = at('error', 0);
    const startingAt = at('starting', errorAt);
    expect(errorAt).toBeGreaterThan(-1);
    expect(startingAt).toBeGreaterThan(errorAt);

    // A second crash soon after: the wait doubles to 400 ms.
    const before = times.length;
    await upstream.client()?.callTool({ name: 'crash' });
    await until(upstream, (s) => s.connection === 'error');
    const errorTime = Date.now();
    await until(upstream, (s) => s.connection === 'starting');
    expect(Date.now() - errorTime).toBeGreaterThanOrEqual(350);
    await until(upstream, (s) => s.connection === 'connected');
    expect(upstream.status().restarts).toBe(2);
    expect(times.length).toBeGreaterThan(before);
  });

  it('kills a server that never answers initialize, with its helper, even though both ignore SIGTERM', async () => {
    const { upstream } = upstreamFor([fixture('hanging-server.mjs')], {
      initializeTimeoutMs: 1000,
      backoff: { initialMs: 60_000 },
    });
    const began = Date.now();
    await upstream.start();
    expect(Date.now() - began).toBeLessThan(5000);
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      pid: null,
      lastError:
        'The server did not finish starting (MCP initialize and listing its tools) within 1 s, so Gatehouse stopped it.',
    });
    const line = upstream.stderrTail().find((l) => l.startsWith('hanging-server'));
    const [, pid, helper] = /hanging-server (\d+) started helper (\d+)/.exec(line ?? '') ?? [];
    expect(Number(pid)).toBeGreaterThan(0);
    await expectGone(Number(pid), Number(helper));
    expect(upstream.stderrTail()).toContain('hanging-server: ignoring SIGTERM');
  });

  it('stop() while a server is still starting ends it at once, and nothing connects later', async () => {
    const { upstream } = upstreamFor([fixture('hanging-server.mjs')], { backoff: { initialMs: 50 } });
    const starting = upstream.start();
    const deadline = Date.now() + 5000;
    while (!upstream.stderrTail().some((l) => l.startsWith('hanging-server')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const [, pid, helper] =
      /hanging-server (\d+) started helper (\d+)/.exec(upstream.stderrTail().join('\n')) ?? [];
    const began = Date.now();
    await upstream.stop();
    await starting;
    // At once: the 300 ms grace and the kill, not the 30 s a start may take (a loaded machine has
    // taken 3.4 s).
    expect(Date.now() - began).toBeLessThan(10_000);
    await expectGone(Number(pid), Number(helper));
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.status()).toMatchObject({ connection: 'stopped', restarts: 0, lastError: null });
  });

  it('skips lines on stdout that are not MCP messages, says so, and keeps working', async () => {
    const { upstream, events } = upstreamFor([fixture('garbage-stdout-server.mjs')]);
    await upstream.start();
    expect(upstream.status()).toMatchObject({
      connection: 'connected',
      lastError:
        'The server wrote text to stdout that is not an MCP message ("Welcome to garbage-server v1 (this banner is not JSON)"); ' +
        'Gatehouse skipped it. Servers must write logs to stderr.',
    });
    const result = await upstream.client()?.callTool({ name: 'babble' });
    expect(text(result)).toBe('still here');
    expect(upstream.stderrTail()).toEqual(
      expect.arrayContaining([
        '[stdout, not MCP] Welcome to garbage-server v1 (this banner is not JSON)',
        '[stdout, not MCP] debug: babbling',
        '[stdout, not MCP] {"not":"json-rpc"}',
      ]),
    );
    expect(events).toContainEqual({ type: 'stderr', line: '[stdout, not MCP] debug: babbling' });
    expect(logged.some((entry) => entry.message.includes('not an MCP message'))).toBe(true);
    expect(upstream.status().connection).toBe('connected');
  });

  it('refetches the catalog on tools/list_changed and forwards logging notifications', async () => {
    const { upstream, events } = upstreamFor([fixture('changing-tools-server.mjs')]);
    await upstream.start();
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['add_tool', 'log']);
    const changed = new Promise<UpstreamEvent>((resolve) =>
      upstream.on((e) => e.type === 'offering' && resolve(e)),
    );
    await upstream.client()?.callTool({ name: 'add_tool' });
    expect(await changed).toMatchObject({ type: 'offering', changed: ['tools'] });
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['add_tool', 'log', 'extra']);
    await upstream.client()?.callTool({ name: 'log' });
    await until(upstream, () => events.some((e) => e.type === 'notification'), 2000).catch(() => undefined);
    expect(events).toContainEqual({
      type: 'notification',
      method: 'notifications/message',
      params: { level: 'info', data: 'hello from upstream' },
    });
  });

  it('shows a failed list_changed refresh in its status, keeps the old list, and clears it on the next listing', async () => {
    const { upstream } = upstreamFor([fixture('failing-refresh-server.mjs')]);
    await upstream.start();
    const before = ['break_listing', 'heal_listing'];
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(before);
    await upstream.client()?.callTool({ name: 'break_listing' });
    const failed = await until(upstream, (status) => status.lastError !== null, 5000);
    expect(failed).toMatchObject({
      connection: 'connected',
      lastError:
        'The server said its tools changed, but listing them again failed: The server failed: the tool index is being rebuilt. Gatehouse still offers the tools it listed before.',
    });
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(before);
    await upstream.client()?.callTool({ name: 'heal_listing' });
    expect(await until(upstream, (status) => status.lastError === null, 5000)).toMatchObject({
      connection: 'connected',
    });
    expect(upstream.offering().tools.map((t) => t.name)).toEqual([...before, 'extra']);
  });
});

describe('stdio upstream that cannot start', () => {
  it('says exactly that the command is not on PATH, and does not retry on its own', async () => {
    const host = {
      ...nodeLaunchHost(),
      env: { ...process.env, PATH: '/nonexistent/one:/nonexistent/two' },
      runLoginShell: async () => null,
      isDirectory: async () => false,
    };
    const upstream = createStdioUpstream({
      name: 'missing',
      settings: stdioSettings.parse({ kind: 'stdio', command: 'npx', args: ['-y', 'some-server'] }),
      deps: { clock: { now: () => Date.now() }, logger },
      resolveCommand: createCommandResolver(host),
      options: { backoff: { initialMs: 50 } },
    });
    running.push(upstream);
    await upstream.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      restarts: 0,
      lastError:
        'Cannot find "npx" on your PATH (searched: /nonexistent/one, /nonexistent/two). Install it or give the full path in the connector\'s command.',
    });
  });

  it('reports why a server died during start-up, in its own last words, and retries', async () => {
    const { upstream } = upstreamFor(
      ['-e', "console.error('Error: OPENWEATHER_API_KEY is not set'); process.exit(1)"],
      { backoff: { initialMs: 100 } },
    );
    await upstream.start();
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      lastError: 'The server exited with code 1. Its stderr says: "Error: OPENWEATHER_API_KEY is not set"',
    });
    await until(upstream, (s) => s.restarts >= 1);
  });

  it('names the line that explains (Cannot find module), not Node’s last line, and keeps the whole stderr', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-missing-module-'));
    try {
      await writeFile(path.join(dir, 'server.cjs'), "require('gatehouse-weather-sdk');\n");
      const { upstream } = upstreamFor([path.join(dir, 'server.cjs')], { backoff: { initialMs: 60_000 } });
      await upstream.start();
      expect(upstream.status()).toMatchObject({
        connection: 'error',
        lastError: `The server exited with code 1. Its stderr says: "Error: Cannot find module 'gatehouse-weather-sdk'"`,
      });
      expect(upstream.stderrTail().at(-1)).toMatch(/^Node\.js v22\./);
      expect(upstream.stderrTail()).toContain("Error: Cannot find module 'gatehouse-weather-sdk'");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with the real resolver, names the command and the PATH it searched', async () => {
    const { upstream } = upstreamFor([], {}, 'gatehouse-no-such-command');
    await upstream.start();
    expect(upstream.status().lastError).toMatch(
      /^Cannot find "gatehouse-no-such-command" on your PATH \(searched: \/.+\)\. Install it or give the full path in the connector's command\.$/,
    );
  });
});
