// What the gateway benchmarks run Gatehouse as: a real `gatehouse serve` process (configured through its
// HTTP API, clients authorized through its OAuth endpoints) fronting the upstream MCP server, and the
// one SDK client every target is measured with. The peers are in peers.ts, the processes in processes.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AccessLevel } from '../main/core/api/contract.js';
import { EngineClient } from '../main/cli/command-context/engine-client.js';
import { freePort, httpReady, launch, waitFor, type Process } from './processes.js';
import { obtainTokens, REDIRECT, type EngineLike } from '../test/support/raw-oauth.js';

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
 * to profile the engine under the benchmark's load), and GATEHOUSE_BENCH_CLI may name another build's
 * gatehouse.js (a copy of dist/ with a change in it, to compare the two side by side).
 */
export async function startGatehouse(options: { inspect?: boolean } = {}): Promise<Gatehouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const nodeArgs = (process.env.GATEHOUSE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = launch(process.execPath, [
    ...nodeArgs,
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    process.env.GATEHOUSE_BENCH_CLI ?? cli,
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
async function openGates(gatehouse: Gatehouse): Promise<void> {
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
      // As the user adds a command they typed: the folders on its command line granted with it.
      await gatehouse.api.call('connectors.add', {
        name,
        settings: { kind: 'stdio', command, args },
        grantCommandLine: true,
      });
      try {
        await waitFor(`connector ${name} did not connect`, timeoutMs, () => connected(name));
      } catch (error) {
        const { status } = await gatehouse.api.call('connectors.get', { name });
        throw new Error(`${(error as Error).message}: ${JSON.stringify(status)}`, { cause: error });
      }
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

// ---- Shared by the benchmarks -------------------------------------------------------------------------

/** The echo tool as Gatehouse exposes server-everything's. */
export const ECHO = 'everything__echo';

/** Runs `body` with a list of clean-ups that always run afterwards, last registered first. */
export async function withCleanup<T>(
  body: (defer: (cleanup: () => Promise<unknown>) => void) => Promise<T>,
): Promise<T> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    return await body((cleanup) => cleanups.push(cleanup));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/** A Gatehouse with server-everything as connector `everything`, echo set to run without approval. */
export async function gatehouseWithEverything(options: { inspect?: boolean } = {}): Promise<Gatehouse> {
  const gatehouse = await startGatehouse(options);
  try {
    await openGates(gatehouse);
    await addConnectors(gatehouse, [{ name: 'everything', ...everything }]);
    await gatehouse.api.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'never' });
    return gatehouse;
  } catch (error) {
    await gatehouse.stop();
    throw error;
  }
}

/** The machine's 1-minute load average: these numbers move with whatever else shares its cores. */
export function load(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the start`;
}

/** The installed version of an npm package, for the report. */
export function version(pkg: string): string {
  const file = join(root, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
