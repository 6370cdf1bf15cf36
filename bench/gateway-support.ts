// What the gateway benchmarks run against: a real `gatehouse serve` process (configured through its
// HTTP API, clients authorized through its OAuth endpoints), the upstream MCP server on its own, and
// the peer gateways mcp-proxy and supergateway — every one a separate process on loopback, so the
// benchmark process holds only the MCP clients. Each process is started in its own process group and
// stopped by that group's id, so no upstream server a gateway spawned outlives a run.
import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { WebSocket } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AccessLevel } from '../main/core/api/contract.js';
import { EngineClient } from '../main/cli/engine-client.js';
import { obtainTokens, REDIRECT, type EngineLike } from '../test/support/raw-oauth.js';
import { nowMs } from './harness.js';

/** The repository root (this file runs from dist/bench/). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'main', 'cli', 'gatehouse.js');
/** `@modelcontextprotocol/server-everything` over stdio: the upstream every target fronts. */
export const everything = {
  command: process.execPath,
  args: [
    join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'),
    'stdio',
  ],
};
export const manyToolsServer = join(root, 'bench', 'fixtures', 'many-tools-server.mjs');
/** Makes a server that would listen on every interface listen on 127.0.0.1 only (supergateway has no host flag). */
const loopbackOnly = pathToFileURL(join(root, 'bench', 'fixtures', 'loopback-only.mjs')).href;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `ready` every 50 ms until it resolves true; throws `what` after `timeoutMs`. */
async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (nowMs() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

// ---- Processes ----------------------------------------------------------------------------------------

interface Process {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last 64 KiB of its stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

const groups = new Set<number>();
process.once('exit', () => {
  // A benchmark that threw leaves no process group behind.
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function launch(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Process {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  const pid = child.pid;
  groups.add(pid);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5_000)]);
      }
      // Whatever it started and did not stop (its upstream servers) goes with its group.
      if (killGroup(pid, 0)) {
        killGroup(pid, 'SIGTERM');
        for (let i = 0; i < 40 && killGroup(pid, 0); i++) await sleep(50);
        killGroup(pid, 'SIGKILL');
      }
      groups.delete(pid);
    },
  };
}

async function httpReady(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return true;
}

// ---- Gatehouse ----------------------------------------------------------------------------------------

export interface Gatehouse {
  process: Process;
  port: number;
  api: EngineClient;
  engine: EngineLike;
  /** The inspector's WebSocket URL when started with `inspect`. */
  inspectorUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Spawns `node dist/main/cli/gatehouse.js serve` on a fresh data directory and a free port. Extra
 * Node flags for it come from GATEHOUSE_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * to profile the engine under the benchmark's load).
 */
export async function startGatehouse(options: { inspect?: boolean } = {}): Promise<Gatehouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const nodeArgs = (process.env.GATEHOUSE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = launch(process.execPath, [
    ...nodeArgs,
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    cli,
    'serve',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
  ]);
  const stop = async () => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const issuer = `http://127.0.0.1:${port}`;
    await waitFor(`gatehouse serve did not answer (${proc.stderr().slice(-500)})`, 15_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`gatehouse serve exited: ${proc.stderr()}`);
      return httpReady(`${issuer}/`);
    });
    const api = EngineClient.connect(dataDir);
    const engine: EngineLike = {
      issuer,
      mcpUrl: `${issuer}/mcp`,
      call: (name, input) => api.call(name, input ?? ({} as never)),
    };
    const inspectorUrl = options.inspect
      ? /Debugger listening on (ws:\/\/\S+)/.exec(proc.stderr())?.[1]
      : undefined;
    if (options.inspect && !inspectorUrl) throw new Error('gatehouse serve did not open its inspector');
    return { process: proc, port, api, engine, inspectorUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Raises the ceiling to write and the rate limits to their maximum, so nothing throttles the run. */
export async function openGates(gatehouse: Gatehouse): Promise<void> {
  await gatehouse.api.call('settings.set', {
    accessCeiling: 'write',
    rateLimitPerMinute: 100_000,
    rateLimitPerDay: 10_000_000,
  });
}

/**
 * Adds stdio connectors, at most `parallel` starting at once (each is a Node process loading the
 * MCP SDK, which on two cores is most of a CPU-second), and waits until every one is connected.
 */
export async function addConnectors(
  gatehouse: Gatehouse,
  connectors: Array<{ name: string; command: string; args: string[] }>,
  parallel = 4,
  timeoutMs = 90_000,
): Promise<void> {
  const queue = [...connectors];
  const connected = async (name: string) =>
    (await gatehouse.api.call('connectors.get', { name })).status.connection === 'connected';
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { name, command, args } = next;
      await gatehouse.api.call('connectors.add', { name, settings: { kind: 'stdio', command, args } });
      await waitFor(`connector ${name} did not connect`, timeoutMs, () => connected(name));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, connectors.length) }, worker));
  const list = await gatehouse.api.call('connectors.list', {});
  const down = list.filter((c) => c.status.connection !== 'connected');
  if (down.length) throw new Error(`connectors not connected: ${down.map((c) => c.name).join(', ')}`);
}

/**
 * A client registered by hand through the API (so the registration rate limits — 10 per source and
 * 200 in all per 10 minutes — do not cap the run), authorized through the real /auth → consent → /token flow; returns its access token.
 */
export async function authorize(gatehouse: Gatehouse, name: string, access: AccessLevel): Promise<string> {
  const { clientId } = await gatehouse.api.call('clients.register', {
    name,
    redirectUris: [REDIRECT],
    confidential: false,
  });
  return (await obtainTokens(gatehouse.engine, { clientId, access })).accessToken;
}

// ---- Peer gateways ------------------------------------------------------------------------------------

export interface Peer {
  process: Process;
  url: string;
  port: number;
}

/** Waits until the peer on `port` answers HTTP at /mcp (stopping it if it does not). */
async function peerReady(proc: Process, port: number, what: string): Promise<Peer> {
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    await waitFor(`${what} did not answer (${proc.stderr().slice(-500)})`, 20_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`${what} exited: ${proc.stderr()}`);
      // Any HTTP answer (a 4xx to a bare GET) means it listens.
      return httpReady(url);
    });
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { process: proc, url, port };
}

/** mcp-proxy (punkpeye) exposing the upstream over Streamable HTTP only, on 127.0.0.1. */
export async function startMcpProxy(): Promise<Peer> {
  const port = await freePort();
  const bin = join(root, 'node_modules', 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs');
  const proc = launch(process.execPath, [
    bin,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--server',
    'stream',
    '--',
    everything.command,
    ...everything.args,
  ]);
  return peerReady(proc, port, 'mcp-proxy');
}

/** supergateway --stateful exposing the upstream over Streamable HTTP (one upstream per session). */
export async function startSupergateway(): Promise<Peer> {
  const port = await freePort();
  const bin = join(root, 'node_modules', 'supergateway', 'dist', 'index.js');
  const stdio = [everything.command, ...everything.args].map((part) => `'${part}'`).join(' ');
  const proc = launch(process.execPath, [
    '--import',
    loopbackOnly,
    bin,
    '--stdio',
    stdio,
    '--outputTransport',
    'streamableHttp',
    '--stateful',
    '--port',
    String(port),
    '--logLevel',
    'none',
  ]);
  return peerReady(proc, port, 'supergateway');
}

/**
 * server-everything serving Streamable HTTP itself (`streamableHttp`: its own Express server, a
 * session each, on PORT; bound to 127.0.0.1 by the loopback preload): the upstream's own throughput
 * to HTTP clients, with no gateway in between.
 */
export async function startEverythingHttp(): Promise<Peer> {
  const port = await freePort();
  const proc = launch(process.execPath, ['--import', loopbackOnly, everything.args[0]!, 'streamableHttp'], {
    ...process.env,
    PORT: String(port),
  });
  return peerReady(proc, port, 'server-everything (streamableHttp)');
}

/** The SDK's own Streamable HTTP server answering echo in-process: the floor for any SDK-based gateway. */
export async function startHttpFloor(): Promise<Peer> {
  const port = await freePort();
  const proc = launch(process.execPath, [
    join(root, 'bench', 'fixtures', 'echo-http-server.mjs'),
    String(port),
  ]);
  return peerReady(proc, port, 'the HTTP floor server');
}

// ---- MCP clients --------------------------------------------------------------------------------------

/**
 * The SDK transport hands one long-lived AbortSignal to every POST, and undici's abort listener on it
 * goes only when that request is garbage-collected: thousands of sequential calls pile up listeners
 * until undici warns (MaxListenersExceededWarning, with a stack) on every further call, and that
 * would be timed along with the calls. So POSTs go without it; the standalone GET stream keeps it,
 * so closing the client still ends that stream. Node's own fetch (undici, keep-alive) either way.
 */
const fetchWithoutPostSignal: typeof fetch = (input, init) =>
  fetch(input, init?.method === 'POST' ? { ...init, signal: null } : init);

/**
 * The same SDK client for every HTTP target: speaking the 2025 handshake, or (`era` '2026-07-28')
 * pinned to that revision (no session; each request carries its envelope).
 */
export async function httpClient(
  url: string,
  token?: string,
  era: 'legacy' | '2026-07-28' = 'legacy',
): Promise<Client> {
  const client = new Client(
    { name: 'gatehouse-bench', version: '1.0.0' },
    era === 'legacy' ? {} : { versionNegotiation: { mode: { pin: era } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      fetch: fetchWithoutPostSignal,
      ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    }),
  );
  return client;
}

export async function stdioClient(): Promise<Client> {
  const client = new Client({ name: 'gatehouse-bench', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: everything.command, args: everything.args, stderr: 'ignore' }),
  );
  return client;
}

/** One echo call; anything but the upstream's own answer (a refusal, a rate limit) stops the run. */
export async function echo(client: Client, tool: string, message = 'ping'): Promise<void> {
  const result = await client.callTool({ name: tool, arguments: { message } });
  const first = (result.content as Array<{ type: string; text?: string }> | undefined)?.[0];
  if (result.isError || first?.text !== `Echo: ${message}`) {
    throw new Error(`${tool} answered ${JSON.stringify(result).slice(0, 300)}`);
  }
}

// ---- Measuring the machinery --------------------------------------------------------------------------

/**
 * Counts the TCP connections this process's fetch (undici) opens, per destination port, through
 * undici's diagnostics channel: a keep-alive client opens none while it makes sequential calls.
 */
export function connectionCounter(): { opened(port: number): number; close(): void } {
  const counts = new Map<number, number>();
  const listener = (message: unknown) => {
    const port = Number((message as { connectParams?: { port?: unknown } }).connectParams?.port);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  };
  subscribe('undici:client:connected', listener);
  return {
    opened: (port) => counts.get(port) ?? 0,
    close: () => void unsubscribe('undici:client:connected', listener),
  };
}

/** Established TCP sockets whose local end is `port` (the server's side), from /proc/net/tcp{,6}. */
export function serverSockets(port: number): number {
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== '01') continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) count++;
    }
  }
  return count;
}

/** User + system CPU time a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** A Chrome DevTools Protocol session on a process started with --inspect (to force a GC there). */
export async function inspectorSession(url: string): Promise<{
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not open the inspector at ${url}`)), {
      once: true,
    });
  });
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve(value: Record<string, unknown>): void; reject(e: Error): void }
  >();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result ?? {});
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 30_000);
        waiting.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
