// Two builds of `gatehouse serve` side by side in one run, with the peers and direct stdio, calls
// interleaved in short blocks so that a loaded, shared machine slows every target alike (a single
// gateway-latency run per build moves by more than most cuts save). docs/profiling.md §4.
import type { Client } from '@modelcontextprotocol/client';
import { median, nowMs, shuffled } from './harness.js';
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
import { startMcpProxy, startSupergateway } from './peers.js';
import { cpuTimeMs } from './processes.js';

interface Target {
  label: string;
  client: Client;
  tool: string;
  pid: number | null;
  samples: number[];
  cpuMs: number;
}

/** `compare <gatehouse.js of build A> <gatehouse.js of build B> [--calls N] [--rounds R]` */
export async function main(args: string[]): Promise<void> {
  const [a, b] = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!a || !b) throw new Error('usage: compare <build A gatehouse.js> <build B gatehouse.js> [--calls N]');
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const calls = option('calls', 2_000);
  const rounds = option('rounds', 20);
  await withCleanup(async (defer) => {
    const machine = load();
    const targets: Target[] = [];
    const add = (label: string, client: Client, tool: string, pid: number | null) =>
      targets.push({ label, client, tool, pid, samples: [], cpuMs: 0 });
    add('direct stdio', await stdioClient(), 'echo', null);
    for (const [name, build] of [
      ['A', a],
      ['B', b],
    ] as const) {
      process.env.GATEHOUSE_BENCH_CLI = build;
      const gatehouse = await gatehouseWithEverything();
      defer(gatehouse.stop);
      const token = await authorize(gatehouse, `compare ${name}`, 'write');
      const pid = gatehouse.process.pid;
      add(`${name} 2025 session`, await httpClient(gatehouse.engine.mcpUrl, token), ECHO, pid);
      add(`${name} 2026-07-28`, await httpClient(gatehouse.engine.mcpUrl, token, '2026-07-28'), ECHO, pid);
    }
    const proxy = await startMcpProxy();
    defer(proxy.process.stop);
    add('mcp-proxy', await httpClient(proxy.url), 'echo', proxy.process.pid);
    const supergateway = await startSupergateway();
    defer(supergateway.process.stop);
    add('supergateway', await httpClient(supergateway.url), 'echo', supergateway.process.pid);
    for (const target of targets) defer(() => target.client.close());

    for (const target of targets) for (let i = 0; i < 200; i++) await echo(target.client, target.tool);
    for (let round = 0; round < rounds; round++) {
      // A new order each round, so no target always follows the same one (a build's 2026-07-28 block
      // would otherwise always come right after its 2025 session's, on the same process, and be
      // charged what that block left behind) nor lines up with anything periodic (harness.ts).
      for (const target of shuffled(targets)) {
        for (let i = 0; i < 10; i++) await echo(target.client, target.tool);
        const before = target.pid ? cpuTimeMs(target.pid) : 0;
        for (let i = 0; i < calls / rounds; i++) {
          const start = nowMs();
          await echo(target.client, target.tool);
          target.samples.push(nowMs() - start);
        }
        if (target.pid) target.cpuMs += cpuTimeMs(target.pid) - before;
      }
    }
    const direct = median(targets[0]!.samples);
    const peers = targets.filter((t) => t.label === 'mcp-proxy' || t.label === 'supergateway');
    const bestAdded = Math.min(...peers.map((t) => median(t.samples) - direct));
    const bestCpu = Math.min(...peers.map((t) => (1000 * t.cpuMs) / calls));
    console.log(`${calls} calls per target in ${rounds} interleaved rounds; ${machine}`);
    for (const target of targets) {
      const added = median(target.samples) - direct;
      const cpu = target.pid ? (1000 * target.cpuMs) / calls : undefined;
      console.log(
        [
          target.label.padEnd(18),
          `median ${median(target.samples).toFixed(3)} ms`,
          `added ${added.toFixed(3)} ms (${(added / bestAdded).toFixed(2)}× the better peer's)`,
          cpu === undefined
            ? ''
            : `CPU ${cpu.toFixed(0)} µs/call (${(cpu / bestCpu).toFixed(2)}× the better peer's)`,
        ].join('  '),
      );
    }
  });
}
