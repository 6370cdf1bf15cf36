// Gatehouse under 32 concurrent clients, beside the upstream's own Streamable HTTP server, pipelined
// stdio, the SDK's HTTP floor and the peer gateways: calls per second, each target its own process.
import type { Client } from '@modelcontextprotocol/client';
import { median, nowMs, percentile, type Benchmark, type Measurement } from './harness.js';
import {
  authorize,
  echo,
  ECHO,
  gatehouseWithEverything,
  httpClient,
  load,
  stdioClient,
  withCleanup,
} from './gateway-support.js';
import { type Peer, startEverythingHttp, startHttpFloor, startMcpProxy, startSupergateway } from './peers.js';
import { cpuTimeMs } from './processes.js';

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
