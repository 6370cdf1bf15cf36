// The gateway's cost on the call path, measured against the alternatives on the same machine in the
// same run: the upstream over stdio with no gateway, Gatehouse (auth, policy, rate limit and audit
// all on), the two peer stdio→HTTP gateways mcp-proxy and supergateway, and the SDK's HTTP floor.
// Every target runs as its own process; this process holds the clients — the same SDK Client for each.
import type { Client } from '@modelcontextprotocol/client';
import { median, nowMs, percentile, shuffled, type Benchmark, type Measurement } from './harness.js';
import {
  authorize,
  echo,
  ECHO,
  gatehouseWithEverything,
  httpClient,
  load,
  stdioClient,
  version,
  withCleanup,
} from './gateway-support.js';
import { startHttpFloor, startMcpProxy, startReplayingFloor, startSupergateway } from './peers.js';
import { connectionCounter, cpuTimeMs, serverSockets } from './processes.js';

// ---- 1. Sequential calls: direct, Gatehouse, mcp-proxy, supergateway ----------------------------------

// Every target gets the same warm-up. 4,000 calls: on this 2-core machine a fresh gateway's per-call
// CPU falls for its first ~4,000 calls (1,500–2,500 µs, then 600–900), in every module at once,
// native code included — the client, the gateway and its upstream all warm up together and compete
// for the cores — and it falls as far after an idle wait, so it is the calls, not the clock
// (docs/decisions.md, "Benchmarks measure what they claim"). A
// tray app spends its day past it; the warm-up's own CPU per call is reported beside it.
const WARMUP = 4_000;
const CALLS = 2_000;
const ROUNDS = 20;
const BLOCK_WARMUP = 20;

/**
 * The order of one round's blocks, as indexes into `targets`: shuffled (`shuffled`), except that the
 * targets of one era pair (the same `pair`) stay together, in a random order of their own, so the
 * pair's ratio compares blocks timed side by side. With a fixed order reversed every other round, two
 * identical request streams measured 94–131 µs of CPU per call apart, always the same one dearer;
 * shuffled, 4–56, either one.
 */
function roundOrder(targets: readonly Target[]): number[] {
  const units: number[][] = [];
  const pairs = new Map<string, number[]>();
  for (const [index, target] of targets.entries()) {
    const unit = target.pair === undefined ? undefined : pairs.get(target.pair);
    if (unit) unit.push(index);
    else {
      units.push([index]);
      if (target.pair !== undefined) pairs.set(target.pair, units.at(-1)!);
    }
  }
  return shuffled(units.map((unit) => shuffled(unit))).flat();
}

interface Target {
  label: string;
  client: Client;
  tool: string;
  /** The HTTP port, for HTTP targets. */
  port: number | null;
  /** The gateway's process, for gateways. */
  pid: number | null;
  /** Targets of one era pair, timed side by side in each round (roundOrder). */
  pair?: string;
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
      const replaying = await startReplayingFloor(new URL(gatehouse.engine.mcpUrl).origin);
      defer(replaying.process.stop);

      const targets: Target[] = [
        { label: 'direct stdio', client: await stdioClient(), tool: 'echo', port: null, pid: null },
        {
          label: 'Gatehouse',
          client: await httpClient(gatehouse.engine.mcpUrl, token),
          tool: ECHO,
          port: gatehouse.port,
          pid: gatehouse.process.pid,
          pair: 'gatehouse',
        },
        {
          label: 'Gatehouse, 2026-07-28 client',
          client: await httpClient(gatehouse.engine.mcpUrl, token, '2026-07-28'),
          tool: ECHO,
          port: gatehouse.port,
          pid: gatehouse.process.pid,
          pair: 'gatehouse',
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
        // What a 2026-07-28 call costs the client and the wire alone, per era: the replaying floor
        // answers each era's calls with Gatehouse's first answer of that era, at once (no server
        // work). A 2026-07-28 client does more per call than a 2025-era one (the envelope and headers
        // on every request, the result's resultType and serverInfo read and checked), which no server
        // can take away and which the era ratio below includes. Timed in the same rounds.
        {
          label: 'the replaying floor, 2025-era client',
          client: await httpClient(replaying.url, token),
          tool: ECHO,
          port: replaying.port,
          pid: null,
          pair: 'replayed',
        },
        {
          label: 'the replaying floor, 2026-07-28 client',
          client: await httpClient(replaying.url, token, '2026-07-28'),
          tool: ECHO,
          port: replaying.port,
          pid: null,
          pair: 'replayed',
        },
      ];
      for (const target of targets) defer(() => target.client.close());

      // Gatehouse's two clients share one process: the 2025 session warms paths the 2026-07-28 client
      // then finds warm, so the warm-up figure is per process, summed over its targets.
      const warmupCpuMs = new Map<number, { ms: number; calls: number }>();
      for (const target of targets) {
        const cpuBefore = target.pid ? cpuTimeMs(target.pid) : 0;
        for (let i = 0; i < WARMUP; i++) await echo(target.client, target.tool);
        if (!target.pid) continue;
        const seen = warmupCpuMs.get(target.pid) ?? { ms: 0, calls: 0 };
        warmupCpuMs.set(target.pid, {
          ms: seen.ms + cpuTimeMs(target.pid) - cpuBefore,
          calls: seen.calls + WARMUP,
        });
      }
      await replaying.expectReplayingBothEras();
      // Interleaved in short rounds, in a new random order each round (roundOrder), so neither a slow
      // stretch of the machine (on this VM, seconds at a time) nor anything periodic (a GC cycle every
      // so many calls) lands on one target alone. Each block starts with a few untimed calls: a peer
      // whose server lets an idle keep-alive connection go within seconds (Node's default is 5 s)
      // reconnects there, not in a timed call.
      const samples = targets.map(() => [] as number[]);
      /** Each round's median, per target: the era ratio pairs the two Gatehouse blocks of a round. */
      const blockMedians = targets.map(() => [] as number[]);
      const opened = targets.map(() => 0);
      const cpuMs = targets.map(() => 0);
      const clientCpuMs = targets.map(() => 0);
      const sockets = targets.map(() => 0);
      for (let round = 0; round < ROUNDS; round++) {
        for (const index of roundOrder(targets)) {
          const target = targets[index]!;
          for (let i = 0; i < BLOCK_WARMUP; i++) await echo(target.client, target.tool);
          const openedBefore = target.port ? connections.opened(target.port) : 0;
          const cpuBefore = target.pid ? cpuTimeMs(target.pid) : 0;
          const clientBefore = process.cpuUsage();
          const block: number[] = [];
          for (let i = 0; i < CALLS / ROUNDS; i++) {
            const start = nowMs();
            await echo(target.client, target.tool);
            block.push(nowMs() - start);
          }
          samples[index]!.push(...block);
          blockMedians[index]!.push(median(block));
          if (target.port) opened[index]! += connections.opened(target.port) - openedBefore;
          if (target.port) sockets[index] = serverSockets(target.port);
          if (target.pid) cpuMs[index]! += cpuTimeMs(target.pid) - cpuBefore;
          const client = process.cpuUsage(clientBefore);
          clientCpuMs[index]! += (client.user + client.system) / 1000;
        }
      }

      const clientCpu = targets.map((_, i) => (1000 * clientCpuMs[i]!) / CALLS);
      const medians = samples.map((s) => median(s));
      const [direct, ours, modern, mcpProxy, superGw, httpFloor, floorLegacy, floorModern] = medians as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const bestPeer = Math.min(mcpProxy, superGw);
      const cpuPerCall = cpuMs.map((ms) => (1000 * ms) / CALLS);
      const [, oursCpu, modernCpu, proxyCpu, superCpu] = cpuPerCall as [
        number,
        number,
        number,
        number,
        number,
      ];
      const bestPeerCpu = Math.min(proxyCpu, superCpu);
      const bestPeerAdded = Math.min(mcpProxy, superGw) - direct;
      const http = targets
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.port !== null)
        .map(({ t, i }) => `${t.label} ${opened[i]} opened, ${sockets[i]} established`)
        .join('; ');
      return {
        title: 'Gateway: sequential tools/call, side by side',
        description:
          `One SDK \`Client\` per target calls server-everything's \`echo\` ${CALLS.toLocaleString('en')} times in a row (after ${WARMUP.toLocaleString('en')} warm-up calls), interleaved in ${ROUNDS} rounds of ${CALLS / ROUNDS}, in a random order each round with each era pair side by side (the two Gatehouse clients' ratio is the median of each round's ratio of their blocks' medians): the upstream directly over stdio; Gatehouse (\`gatehouse serve\`: bearer token, grant and ceiling write, policy, rate limit raised, audit on) over Streamable HTTP, once from a client speaking the 2025 handshake (a session) and once from a client pinned to 2026-07-28 (no session, the envelope on each request); mcp-proxy ${version('mcp-proxy')} (\`--server stream\`) and supergateway ${version('supergateway')} (\`--outputTransport streamableHttp --stateful\`) over Streamable HTTP, each as shipped (supergateway, which has no host option, bound to 127.0.0.1 by a preload, bench/fixtures/loopback-only.mjs); and the HTTP floor, bench/fixtures/echo-http-server.mjs: the SDK's own Streamable HTTP server answering echo in-process, what any SDK-based gateway costs before it does anything; and, to tell apart what the protocol era costs the client and the wire alone, the replaying floor (bench/fixtures/replaying-floor.mjs, a process of its own), which answers each era's tools/calls at once with the answer Gatehouse gave that era's first one and passes everything else on to Gatehouse. Each gateway is its own process; its CPU per call is its own process's (user + system, all threads, from /proc), not its upstream's; ${machine}. ` +
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
            name: 'Gatehouse, 2026-07-28 client ÷ 2025-era client, median of the rounds’ ratios',
            value: median(blockMedians[2]!.map((m, round) => m / blockMedians[1]![round]!)),
            unit: '×',
            target: { op: '<', value: 1.05 },
            note: 'a 2026-07-28 call no slower than a 2025-era one (5 % for noise), the SDK client’s own extra work for it included',
          },
          {
            name: 'the replaying floor: 2026-07-28 median − 2025-era median',
            value: floorModern - floorLegacy,
            unit: 'ms',
          },
          {
            name: 'the replaying floor: 2026-07-28 client ÷ 2025-era client, median of the rounds’ ratios',
            value: median(blockMedians[7]!.map((m, round) => m / blockMedians[6]![round]!)),
            unit: '×',
          },
          {
            // What Gatehouse itself spends on a 2026-07-28 call beyond a 2025-era one: its two eras'
            // difference less the floor's (the client's and the wire's share), per round.
            name: 'Gatehouse’s own extra for a 2026-07-28 call: its 2026-07-28 − 2025-era less the replaying floor’s, median of the rounds',
            value: median(
              blockMedians[2]!.map(
                (m, round) =>
                  m - blockMedians[1]![round]! - (blockMedians[7]![round]! - blockMedians[6]![round]!),
              ),
            ),
            unit: 'ms',
          },
          {
            name: 'Gatehouse added over direct stdio ÷ the better peer’s added, median',
            value: (ours - direct) / bestPeerAdded,
            unit: '×',
            target: { op: '<=', value: 0.8 },
          },
          {
            name: 'Gatehouse, 2026-07-28 client: added over direct stdio ÷ the better peer’s added, median',
            value: (modern - direct) / bestPeerAdded,
            unit: '×',
            target: { op: '<=', value: 0.8 },
          },
          ...targets
            .filter((t) => t.pid)
            .map((t): Measurement => ({
              name: `${t.label} process CPU per call`,
              value: cpuPerCall[targets.indexOf(t)]!,
              unit: 'µs',
            })),
          {
            name: 'Gatehouse process CPU per call ÷ the better peer’s',
            value: oursCpu / bestPeerCpu,
            unit: '×',
            target: { op: '<=', value: 0.6 },
          },
          {
            name: 'Gatehouse, 2026-07-28 client: process CPU per call ÷ the better peer’s',
            value: modernCpu / bestPeerCpu,
            unit: '×',
            target: { op: '<=', value: 0.6 },
          },
          ...[...warmupCpuMs].map(([pid, { ms, calls }]): Measurement => ({
            name: `${targets.find((t) => t.pid === pid)!.label} process CPU per call during its ${calls.toLocaleString('en')} warm-up calls`,
            value: (1000 * ms) / calls,
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
