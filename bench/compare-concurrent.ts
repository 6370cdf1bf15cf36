// Two builds of `gatehouse serve` under 32 concurrent 2025-era sessions each, beside mcp-proxy, in
// many short alternating blocks: on a shared machine a single gateway-throughput run (two blocks per
// target) moves by more than a regression worth finding. docs/profiling.md §4.
import type { Client } from '@modelcontextprotocol/client';
import { median, nowMs, shuffled } from './harness.js';
import {
  authorize,
  echo,
  ECHO,
  gatehouseWithEverything,
  httpClient,
  load,
  withCleanup,
} from './gateway-support.js';
import { startMcpProxy } from './peers.js';
import { cpuTimeMs } from './processes.js';

const CLIENTS = 32;

interface Target {
  label: string;
  clients: Client[];
  tool: string;
  pid: number;
  ms: number;
  cpuMs: number;
  /** Calls per second of each block. */
  rates: number[];
}

/** `compare-concurrent <gatehouse.js of build A> <gatehouse.js of build B> [--calls N] [--rounds R]` */
export async function main(args: string[]): Promise<void> {
  const [a, b] = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!a || !b)
    throw new Error('usage: compare-concurrent <build A gatehouse.js> <build B gatehouse.js> [--calls N]');
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  // Calls per client per block, and blocks per target.
  const calls = option('calls', 20);
  const rounds = option('rounds', 12);
  await withCleanup(async (defer) => {
    const targets: Target[] = [];
    const sessions = async (url: string, token?: (i: number) => Promise<string>) => {
      const clients: Client[] = [];
      for (let i = 0; i < CLIENTS; i++) {
        const client = await httpClient(url, await token?.(i));
        defer(() => client.close());
        clients.push(client);
      }
      return clients;
    };
    for (const [name, build] of [
      ['A', a],
      ['B', b],
    ] as const) {
      process.env.GATEHOUSE_BENCH_CLI = build;
      const gatehouse = await gatehouseWithEverything();
      defer(gatehouse.stop);
      const clients = await sessions(gatehouse.engine.mcpUrl, (i) =>
        authorize(gatehouse, `${name} ${i}`, 'write'),
      );
      targets.push({
        label: name,
        clients,
        tool: ECHO,
        pid: gatehouse.process.pid,
        ms: 0,
        cpuMs: 0,
        rates: [],
      });
    }
    const proxy = await startMcpProxy();
    defer(proxy.process.stop);
    const proxyClients = await sessions(proxy.url);
    targets.push({
      label: 'mcp-proxy',
      clients: proxyClients,
      tool: 'echo',
      pid: proxy.process.pid,
      ms: 0,
      cpuMs: 0,
      rates: [],
    });

    const block = async (target: Target, each: number) => {
      const cpu = cpuTimeMs(target.pid);
      const start = nowMs();
      await Promise.all(
        target.clients.map(async (client) => {
          for (let i = 0; i < each; i++) await echo(client, target.tool);
        }),
      );
      return { ms: nowMs() - start, cpuMs: cpuTimeMs(target.pid) - cpu };
    };
    for (const target of targets) await block(target, 20);
    const machine = load();
    for (let round = 0; round < rounds; round++) {
      // A new order each round, so no target always follows the same one nor lines up with anything
      // periodic (harness.ts, shuffled).
      for (const target of shuffled(targets)) {
        const { ms, cpuMs } = await block(target, calls);
        target.ms += ms;
        target.cpuMs += cpuMs;
        target.rates.push((CLIENTS * calls) / (ms / 1000));
      }
    }
    const total = CLIENTS * calls * rounds;
    console.log(
      `${CLIENTS} clients × ${calls} calls per block, ${rounds} interleaved rounds; ${machine}, ${load().replace(' at the start', ' at the end')}`,
    );
    for (const target of targets) {
      console.log(
        [
          target.label.padEnd(10),
          `${(total / (target.ms / 1000)).toFixed(0)} calls/s`,
          `block median ${median(target.rates).toFixed(0)} calls/s`,
          `server CPU ${((1000 * target.cpuMs) / total).toFixed(0)} µs/call`,
        ].join('  '),
      );
    }
    const [first, second, peer] = targets as [Target, Target, Target];
    const perRound = first.rates.map((rate, i) => rate / second.rates[i]!);
    console.log(
      `A ÷ B ${(second.ms / first.ms).toFixed(3)} (per round: median ${median(perRound).toFixed(3)}, ` +
        `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}); ` +
        `A ÷ mcp-proxy ${(peer.ms / first.ms).toFixed(3)}; B ÷ mcp-proxy ${(peer.ms / second.ms).toFixed(3)}`,
    );
  });
}
