// The gateway's cost on the call path, measured against the alternatives on the same machine in the
// same run: the upstream over stdio with no gateway, Gatehouse (auth, policy, rate limit and audit
// all on), and the two peer stdio→HTTP gateways mcp-proxy and supergateway; then Gatehouse under 32
// concurrent clients, its aggregated tools/list over 5,000 tools, and its memory over 100,000 calls.
// Every target runs as its own process (Gatehouse as `gatehouse serve`); this process holds the
// clients — the same @modelcontextprotocol/sdk Client for every target.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { initializeMessage, mcpPost } from '../test/support/raw-oauth.js';
import { median, nowMs, percentile, type Benchmark, type Measurement } from './harness.js';
import {
  addConnectors,
  authorize,
  connectionCounter,
  cpuTimeMs,
  echo,
  everything,
  httpClient,
  inspectorSession,
  manyToolsServer,
  openGates,
  residentMb,
  root,
  serverSockets,
  startGatehouse,
  startHttpFloor,
  startEverythingHttp,
  type Peer,
  startMcpProxy,
  startSupergateway,
  stdioClient,
  type Gatehouse,
} from './gateway-support.js';

const ECHO = 'everything__echo';

/** Runs `body` with a list of clean-ups that always run afterwards, last registered first. */
async function withCleanup<T>(
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
async function gatehouseWithEverything(options: { inspect?: boolean } = {}): Promise<Gatehouse> {
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
function load(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the start`;
}

function version(pkg: string): string {
  const file = join(root, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// ---- 1. Sequential calls: direct, Gatehouse, mcp-proxy, supergateway ----------------------------------

const WARMUP = 200;
const CALLS = 2_000;
const ROUNDS = 4;
const BLOCK_WARMUP = 20;

interface Target {
  label: string;
  client: Client;
  tool: string;
  /** The HTTP port, for HTTP targets. */
  port: number | null;
  /** The gateway's process, for gateways. */
  pid: number | null;
}

export const gatewayLatency: Benchmark = {
  id: 'gateway-latency',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      const connections = connectionCounter();
      defer(async () => connections.close());
      const gatehouse = await gatehouseWithEverything();
      defer(gatehouse.stop);
      const token = await authorize(gatehouse, 'bench sequential', 'write');
      const proxy = await startMcpProxy();
      defer(proxy.process.stop);
      const supergateway = await startSupergateway();
      defer(supergateway.process.stop);
      const floor = await startHttpFloor();
      defer(floor.process.stop);

      const targets: Target[] = [
        { label: 'direct stdio', client: await stdioClient(), tool: 'echo', port: null, pid: null },
        {
          label: 'Gatehouse',
          client: await httpClient(gatehouse.engine.mcpUrl, token),
          tool: ECHO,
          port: gatehouse.port,
          pid: gatehouse.process.pid,
        },
        {
          label: 'Gatehouse, 2026-07-28 client',
          client: await httpClient(gatehouse.engine.mcpUrl, token, '2026-07-28'),
          tool: ECHO,
          port: gatehouse.port,
          pid: gatehouse.process.pid,
        },
        {
          label: 'mcp-proxy',
          client: await httpClient(proxy.url),
          tool: 'echo',
          port: proxy.port,
          pid: proxy.process.pid,
        },
        {
          label: 'supergateway',
          client: await httpClient(supergateway.url),
          tool: 'echo',
          port: supergateway.port,
          pid: supergateway.process.pid,
        },
        {
          label: 'HTTP floor',
          client: await httpClient(floor.url),
          tool: 'echo',
          port: floor.port,
          pid: null,
        },
      ];
      for (const target of targets) defer(() => target.client.close());

      for (const target of targets) for (let i = 0; i < WARMUP; i++) await echo(target.client, target.tool);
      // Interleaved in rounds, so a slow stretch of the machine does not land on one target alone.
      // Each block starts with a few untimed calls: a peer whose server lets an idle keep-alive
      // connection go within seconds (Node's default is 5 s) reconnects there, not in a timed call.
      const samples = targets.map(() => [] as number[]);
      const opened = targets.map(() => 0);
      const cpuMs = targets.map(() => 0);
      const clientCpuMs = targets.map(() => 0);
      const sockets = targets.map(() => 0);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, target] of targets.entries()) {
          for (let i = 0; i < BLOCK_WARMUP; i++) await echo(target.client, target.tool);
          const openedBefore = target.port ? connections.opened(target.port) : 0;
          const cpuBefore = target.pid ? cpuTimeMs(target.pid) : 0;
          const clientBefore = process.cpuUsage();
          for (let i = 0; i < CALLS / ROUNDS; i++) {
            const start = nowMs();
            await echo(target.client, target.tool);
            samples[index]!.push(nowMs() - start);
          }
          if (target.port) opened[index]! += connections.opened(target.port) - openedBefore;
          if (target.port) sockets[index] = serverSockets(target.port);
          if (target.pid) cpuMs[index]! += cpuTimeMs(target.pid) - cpuBefore;
          const client = process.cpuUsage(clientBefore);
          clientCpuMs[index]! += (client.user + client.system) / 1000;
        }
      }

      const clientCpu = targets.map((_, i) => (1000 * clientCpuMs[i]!) / CALLS);
      const medians = samples.map((s) => median(s));
      const [direct, ours, modern, mcpProxy, superGw, httpFloor] = medians as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const bestPeer = Math.min(mcpProxy, superGw);
      const http = targets
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.port !== null)
        .map(({ t, i }) => `${t.label} ${opened[i]} opened, ${sockets[i]} established`)
        .join('; ');
      return {
        title: 'Gateway: sequential tools/call, side by side',
        description:
          `One SDK \`Client\` per target calls server-everything's \`echo\` ${CALLS.toLocaleString('en')} times in a row (after ${WARMUP} warm-up calls), interleaved in ${ROUNDS} rounds: the upstream directly over stdio; Gatehouse (\`gatehouse serve\`: bearer token, grant and ceiling write, policy, rate limit raised, audit on) over Streamable HTTP, once from a client speaking the 2025 handshake (a session) and once from a client pinned to 2026-07-28 (no session, the envelope on each request); mcp-proxy ${version('mcp-proxy')} (\`--server stream\`) and supergateway ${version('supergateway')} (\`--outputTransport streamableHttp --stateful\`) over Streamable HTTP, each as shipped (supergateway, which has no host option, bound to 127.0.0.1 by a preload, bench/fixtures/loopback-only.mjs); and the HTTP floor, bench/fixtures/echo-http-server.mjs: the SDK's own Streamable HTTP server answering echo in-process, what any SDK-based gateway costs before it does anything. Each gateway is its own process; its CPU per call is its own process's (user + system, all threads, from /proc), not its upstream's; ${machine}. ` +
          `Keep-alive: the client's fetch is Node's (undici), which keeps connections alive; undici's \`undici:client:connected\` diagnostics channel counted the TCP connections opened during the timed calls, and /proc/net/tcp the established sockets on each server's port at the end of its last block (the connections the client keeps open to it, the standalone SSE stream among them): ${http}. ` +
          `CPU per call of this process (the client): ${targets.map((t, i) => `${t.label} ${clientCpu[i]!.toFixed(0)} µs`).join(', ')}.`,
        measurements: [
          ...targets.flatMap((target, i): Measurement[] => [
            { name: `${target.label}, median`, value: medians[i]!, unit: 'ms' },
            { name: `${target.label}, p99`, value: percentile(samples[i]!, 99), unit: 'ms' },
          ]),
          {
            name: 'Gatehouse added over direct stdio, median',
            value: ours - direct,
            unit: 'ms',
            target: { op: '<', value: 1 },
          },
          { name: 'HTTP floor added over direct stdio, median', value: httpFloor - direct, unit: 'ms' },
          {
            name: 'Gatehouse median ÷ mcp-proxy median',
            value: ours / mcpProxy,
            unit: '×',
            target: { op: '<', value: 1 },
          },
          {
            name: 'Gatehouse median ÷ supergateway median',
            value: ours / superGw,
            unit: '×',
            target: { op: '<', value: 1 },
          },
          {
            name: 'Gatehouse median ÷ the better peer median',
            value: ours / bestPeer,
            unit: '×',
            target: { op: '<', value: 0.7 },
          },
          {
            name: 'Gatehouse, 2026-07-28 client: median ÷ the better peer median',
            value: modern / bestPeer,
            unit: '×',
            target: { op: '<', value: 0.7 },
          },
          {
            name: 'Gatehouse, 2026-07-28 client median ÷ 2025-era client median',
            value: modern / ours,
            unit: '×',
            target: { op: '<', value: 1.05 },
            note: 'a 2026-07-28 call no slower than a 2025-era one (5 % for noise)',
          },
          ...targets
            .filter((t) => t.pid)
            .map((t): Measurement => ({
              name: `${t.label} process CPU per call`,
              value: (1000 * cpuMs[targets.indexOf(t)]!) / CALLS,
              unit: 'µs',
            })),
          {
            name: 'TCP connections opened during the timed HTTP calls',
            value: opened.reduce((a, b) => a + b, 0),
            unit: 'connections',
            target: { op: '<', value: 1 },
          },
        ],
      };
    }),
};

// ---- 2. 32 concurrent clients -------------------------------------------------------------------------

const CLIENTS = 32;
const CALLS_EACH = 300;
const CONCURRENT_WARMUP = 20;

/**
 * `callers` loops at once, each making `calls` calls; returns the wall time, every call's latency and
 * the CPU time used meanwhile by this process (the clients) and by `pid` (Gatehouse) if given.
 */
async function hammer(
  callers: Array<{ client: Client; tool: string }>,
  calls: number,
  pid?: number,
): Promise<{ ms: number; latencies: number[]; clientCpuMs: number; serverCpuMs: number }> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const serverCpu = pid ? cpuTimeMs(pid) : 0;
  const start = nowMs();
  await Promise.all(
    callers.map(async ({ client, tool }) => {
      for (let i = 0; i < calls; i++) {
        const t0 = nowMs();
        await echo(client, tool);
        latencies.push(nowMs() - t0);
      }
    }),
  );
  const ms = nowMs() - start;
  const used = process.cpuUsage(cpu);
  return {
    ms,
    latencies,
    clientCpuMs: (used.user + used.system) / 1000,
    serverCpuMs: pid ? cpuTimeMs(pid) - serverCpu : 0,
  };
}

export const gatewayThroughput: Benchmark = {
  id: 'gateway-throughput',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      const gatehouse = await gatehouseWithEverything();
      defer(gatehouse.stop);
      const upstream = await stdioClient();
      defer(() => upstream.close());
      const ownHttp = await startEverythingHttp();
      defer(ownHttp.process.stop);
      const floor = await startHttpFloor();
      defer(floor.process.stop);
      const proxy = await startMcpProxy();
      defer(proxy.process.stop);
      const supergateway = await startSupergateway();
      defer(supergateway.process.stop);
      const tokens: string[] = [];
      for (let i = 0; i < CLIENTS; i++) tokens.push(await authorize(gatehouse, `bench client ${i}`, 'write'));
      // Sessions are opened one at a time: each peer starts an upstream process per session.
      const sessions = async (url: string, token?: (i: number) => string): Promise<Client[]> => {
        const clients: Client[] = [];
        for (let i = 0; i < CLIENTS; i++) {
          const client = await httpClient(url, token?.(i));
          defer(() => client.close());
          clients.push(client);
        }
        return clients;
      };
      type Key = 'stdio' | 'gatehouse' | 'gatehouseModern' | 'ownHttp' | 'floor' | 'proxy' | 'supergateway';
      const http = async (key: Key, label: string, peer: Peer, tool = 'echo') => ({
        key,
        label,
        callers: (await sessions(peer.url)).map((client) => ({ client, tool })),
        pid: peer.process.pid,
      });
      const targets: Array<{
        key: Key;
        label: string;
        callers: Array<{ client: Client; tool: string }>;
        pid?: number;
      }> = [
        {
          key: 'stdio',
          label: 'upstream over one stdio connection, 32 callers pipelined',
          callers: Array.from({ length: CLIENTS }, () => ({ client: upstream, tool: 'echo' })),
        },
        {
          key: 'gatehouse',
          label: 'through Gatehouse (32 sessions)',
          callers: (await sessions(gatehouse.engine.mcpUrl, (i) => tokens[i]!)).map((client) => ({
            client,
            tool: ECHO,
          })),
          pid: gatehouse.process.pid,
        },
        {
          key: 'gatehouseModern',
          label: 'through Gatehouse at 2026-07-28 (32 clients, no sessions)',
          callers: await Promise.all(
            tokens.map(async (token) => {
              const client = await httpClient(gatehouse.engine.mcpUrl, token, '2026-07-28');
              defer(() => client.close());
              return { client, tool: ECHO };
            }),
          ),
          pid: gatehouse.process.pid,
        },
        await http('ownHttp', 'upstream over its own Streamable HTTP server (32 sessions)', ownHttp),
        await http('floor', 'HTTP floor (32 sessions)', floor),
        await http('proxy', 'mcp-proxy (32 sessions)', proxy),
        await http('supergateway', 'supergateway (32 sessions)', supergateway),
      ];
      for (const target of targets) await hammer(target.callers, CONCURRENT_WARMUP);
      // Two alternating rounds of half the calls each, so drift in the machine hits every target alike.
      const wallMs = targets.map(() => 0);
      const clientCpu = targets.map(() => 0);
      const serverCpu = targets.map(() => 0);
      const gatehouseLatencies: number[] = [];
      for (let round = 0; round < 2; round++) {
        for (const [i, target] of targets.entries()) {
          const run = await hammer(target.callers, CALLS_EACH / 2, target.pid);
          wallMs[i]! += run.ms;
          clientCpu[i]! += run.clientCpuMs;
          serverCpu[i]! += run.serverCpuMs;
          if (target.key === 'gatehouse') gatehouseLatencies.push(...run.latencies);
        }
      }
      const total = CLIENTS * CALLS_EACH;
      const perCall = (ms: number) => Math.round((1000 * ms) / total);
      const at = (key: Key) => targets.findIndex((target) => target.key === key);
      const rate = (key: Key) => total / (wallMs[at(key)]! / 1000);
      const short = (label: string) => label.split(' (')[0]!.split(',')[0]!;
      const clientFloorCpu = perCall(clientCpu[at('floor')]!);
      const open = (await gatehouse.api.call('status.get', {})).openSessions;
      return {
        title: 'Gateway: 32 concurrent clients',
        description:
          `${CLIENTS} separately authorized SDK clients, each with its own MCP session (${open} open on Gatehouse), call \`everything__echo\` through Gatehouse ${CALLS_EACH} times each, all at once (${total.toLocaleString('en')} calls; Gatehouse reaches server-everything over one shared stdio connection). ` +
          `The upstream's own throughput to the same ${CLIENTS} clients: server-everything serving Streamable HTTP itself (its \`streamableHttp\` mode, a session per client, no gateway). ` +
          `Side by side: ${CLIENTS} concurrent callers on one SDK client pipelining over one stdio connection to server-everything (no HTTP anywhere: what the upstream process can do when nobody pays for HTTP); the HTTP floor (bench/fixtures/echo-http-server.mjs: the SDK's Streamable HTTP server answering echo in-process, no upstream at all); mcp-proxy and supergateway (both start one upstream process per session; Gatehouse shares one). ` +
          `Two alternating rounds of ${CALLS_EACH / 2} calls per client after ${CONCURRENT_WARMUP} warm-up calls each; clients, servers and upstreams share the machine (${machine}). ` +
          `CPU per call of the clients (this process): ${targets.map((t, i) => `${short(t.label)} ${perCall(clientCpu[i]!)} µs`).join(', ')}; of the server process: ${targets
            .filter((t) => t.pid)
            .map((t) => `${short(t.label)} ${perCall(serverCpu[at(t.key)]!)} µs`)
            .join(', ')}. ` +
          `On 2 cores the clients' own HTTP stack (${clientFloorCpu} µs of CPU per call against the floor) caps any HTTP endpoint near ${Math.round(2_000_000 / Math.max(1, clientFloorCpu) / 100) * 100} calls/s before its server does any work, which is why no HTTP endpoint comes near the pipelined stdio figure here.`,
        measurements: [
          ...targets.map((target, i): Measurement => ({
            name: target.label,
            value: total / (wallMs[i]! / 1000),
            unit: 'calls/s',
          })),
          {
            name: "Gatehouse ÷ the upstream's own Streamable HTTP server",
            value: (100 * rate('gatehouse')) / rate('ownHttp'),
            unit: '%',
            target: { op: '>=', value: 80 },
          },
          {
            name: 'Gatehouse ÷ the upstream over pipelined stdio',
            value: (100 * rate('gatehouse')) / rate('stdio'),
            unit: '%',
          },
          { name: 'Gatehouse ÷ HTTP floor', value: (100 * rate('gatehouse')) / rate('floor'), unit: '%' },
          {
            name: 'Gatehouse ÷ mcp-proxy',
            value: rate('gatehouse') / rate('proxy'),
            unit: '×',
            target: { op: '>=', value: 1 },
          },
          {
            name: 'Gatehouse ÷ supergateway',
            value: rate('gatehouse') / rate('supergateway'),
            unit: '×',
            target: { op: '>=', value: 1 },
          },
          {
            name: 'Gatehouse, 2026-07-28 clients ÷ 2025-era sessions',
            value: rate('gatehouseModern') / rate('gatehouse'),
            unit: '×',
            target: { op: '>', value: 0.95 },
            note: 'a 2026-07-28 call no slower than a 2025-era one (5 % for noise)',
          },
          {
            name: 'Gatehouse call latency under this load, median',
            value: median(gatehouseLatencies),
            unit: 'ms',
          },
          { name: 'same, p99', value: percentile(gatehouseLatencies, 99), unit: 'ms' },
        ],
      };
    }),
};

// ---- 3. Aggregated tools/list over 50 connectors × 100 tools ------------------------------------------

const CONNECTORS = 50;
const TOOLS_EACH = 100;
const LISTS = 50;
const LIST_WARMUP = 5;
const LIST_BUDGET_MS = 30_000;

export const gatewayToolsList: Benchmark = {
  id: 'gateway-tools-list',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      const gatehouse = await startGatehouse();
      defer(gatehouse.stop);
      const startedAt = nowMs();
      const names = Array.from({ length: CONNECTORS }, (_, i) => `m${String(i).padStart(2, '0')}`);
      await addConnectors(
        gatehouse,
        names.map((name) => ({
          name,
          command: process.execPath,
          args: [manyToolsServer, String(TOOLS_EACH), name],
        })),
      );
      const connectedSeconds = (nowMs() - startedAt) / 1000;
      const token = await authorize(gatehouse, 'bench lister', 'read');
      const expected = CONNECTORS * TOOLS_EACH;
      const fixtureTools = (tools: Array<{ name: string }>) =>
        tools.filter((tool) => /^m\d\d__m\d\d_\d{3}$/.test(tool.name)).length;

      // The SDK client: what an MCP client sees, including its own parsing and validation.
      const client = await httpClient(gatehouse.engine.mcpUrl, token);
      defer(() => client.close());
      const seen = fixtureTools((await client.listTools()).tools);
      if (seen !== expected) throw new Error(`the client saw ${seen} of the ${expected} tools`);

      // Raw HTTP on a session of its own: Gatehouse's answer alone, from request to last byte.
      const init = await mcpPost(gatehouse.engine, token, initializeMessage);
      const session = { 'mcp-session-id': init.sessionId!, 'mcp-protocol-version': '2025-11-25' };
      await mcpPost(
        gatehouse.engine,
        token,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        '/mcp',
        session,
      );
      const list = () =>
        mcpPost(gatehouse.engine, token, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, '/mcp', session);
      const first = await list();
      const bytes = Buffer.byteLength(first.body);
      const rawSeen = (first.body.match(/"name":"m\d\d__m\d\d_\d{3}"/g) ?? []).length;
      if (first.status !== 200 || rawSeen !== expected)
        throw new Error(`raw tools/list answered ${first.status} with ${rawSeen} of the ${expected} tools`);

      const raw: number[] = [];
      const sdk: number[] = [];
      for (let i = 0; i < LIST_WARMUP; i++) {
        await list();
        await client.listTools();
      }
      // Bounded in time as well as in count: a slow listing must not stretch the run by minutes.
      const deadline = nowMs() + LIST_BUDGET_MS;
      for (let i = 0; i < LISTS && (i < 5 || nowMs() < deadline); i++) {
        let start = nowMs();
        await list();
        raw.push(nowMs() - start);
        start = nowMs();
        await client.listTools();
        sdk.push(nowMs() - start);
      }
      return {
        title: 'Gateway: aggregated tools/list over 5,000 tools',
        description: `${CONNECTORS} stdio connectors, each bench/fixtures/many-tools-server.mjs (the SDK's McpServer) with ${TOOLS_EACH} read-only tools, started at most 4 at a time until all were connected (${connectedSeconds.toFixed(1)} s); a client with a read grant lists all ${expected.toLocaleString('en')} tools (${(bytes / 1024 / 1024).toFixed(1)} MB of JSON) on /mcp, ${raw.length} times each way after ${LIST_WARMUP} warm-up lists (${LISTS}, or fewer when ${LIST_BUDGET_MS / 1000} s run out). "Raw HTTP" is a POST from request to the last byte of the answer; "SDK client" is \`client.listTools()\`, which adds the client's own JSON parsing and schema validation; ${machine}.`,
        measurements: [
          { name: 'raw HTTP, median', value: median(raw), unit: 'ms', target: { op: '<', value: 20 } },
          { name: 'raw HTTP, p99', value: percentile(raw, 99), unit: 'ms' },
          { name: 'SDK client listTools(), median', value: median(sdk), unit: 'ms' },
          { name: 'SDK client listTools(), p99', value: percentile(sdk, 99), unit: 'ms' },
        ],
      };
    }),
};

// ---- 4. Memory over 100,000 calls ---------------------------------------------------------------------

const TOTAL_CALLS = 100_000;
const CHECKPOINTS = [10_000, 50_000, 100_000];

export const gatewayMemory: Benchmark = {
  id: 'gateway-memory',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      // The engine runs with --inspect so that a GC can be forced in it before each reading.
      const gatehouse = await gatehouseWithEverything({ inspect: true });
      defer(gatehouse.stop);
      const inspector = await inspectorSession(gatehouse.inspectorUrl!);
      defer(async () => inspector.close());
      // Two clients, alternating: each token stays under the highest per-minute limit (100,000).
      const clients = [
        await httpClient(gatehouse.engine.mcpUrl, await authorize(gatehouse, 'bench memory a', 'write')),
        await httpClient(gatehouse.engine.mcpUrl, await authorize(gatehouse, 'bench memory b', 'write')),
      ];
      for (const client of clients) defer(() => client.close());

      const readings: Array<{ calls: number; heapMb: number; rssMb: number; sessions: number }> = [];
      const read = async (calls: number) => {
        await new Promise((r) => setTimeout(r, 200)); // the audit buffer flushes every 50 ms
        await inspector.send('HeapProfiler.collectGarbage');
        await inspector.send('HeapProfiler.collectGarbage');
        const usage = (await inspector.send('Runtime.getHeapUsage')) as { usedSize: number };
        const sessions = (await gatehouse.api.call('status.get', {})).openSessions;
        readings.push({
          calls,
          heapMb: usage.usedSize / 1024 / 1024,
          rssMb: residentMb(gatehouse.process.pid),
          sessions,
        });
      };
      const start = nowMs();
      let made = 0;
      for (const checkpoint of CHECKPOINTS) {
        for (; made < checkpoint; made++) await echo(clients[made & 1]!, ECHO);
        await read(made);
      }
      const seconds = (nowMs() - start) / 1000;
      const first = readings[0]!;
      const last = readings[readings.length - 1]!;
      const auditRows = (await gatehouse.api.call('audit.list', { type: 'tool.call', limit: 1 }))[0]?.id ?? 0;
      return {
        title: 'Gateway: memory over 100,000 calls',
        description: `${TOTAL_CALLS.toLocaleString('en')} sequential \`everything__echo\` calls through \`gatehouse serve\` (run with --inspect so the benchmark can force a full GC in it over the DevTools protocol before each reading), alternating between two authorized clients; ${seconds.toFixed(0)} s in all (${Math.round(TOTAL_CALLS / seconds)} calls/s). Heap is V8's used heap after GC; resident is VmRSS. Open sessions stayed at ${readings.map((r) => r.sessions).join(' / ')}; the audit log (on disk) reached event id ${auditRows}; ${machine}. Target: under 10 MB of heap growth from 10,000 to 100,000 calls.`,
        measurements: [
          ...readings.map((r): Measurement => ({
            name: `heap after GC at ${r.calls.toLocaleString('en')} calls`,
            value: r.heapMb,
            unit: 'MB',
          })),
          {
            name: 'heap growth, 10,000 → 100,000 calls',
            value: last.heapMb - first.heapMb,
            unit: 'MB',
            target: { op: '<', value: 10 },
          },
          ...readings.map((r): Measurement => ({
            name: `resident at ${r.calls.toLocaleString('en')} calls`,
            value: r.rssMb,
            unit: 'MB',
          })),
          { name: 'resident growth, 10,000 → 100,000 calls', value: last.rssMb - first.rssMb, unit: 'MB' },
        ],
      };
    }),
};
