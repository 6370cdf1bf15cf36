// `node dist/bench/run.js profile`: profiles `gatehouse serve` (as the gateway benchmarks start it,
// with server-everything's echo behind it) over sequential echo calls from a 2025-era client and a
// client pinned to 2026-07-28, through the inspector's sampling profiler started after the warm-up, so the
// profile holds the calls alone. Writes one .cpuprofile per era and prints its summary (profile-summary.ts).
// With --count, the serve process instead runs with bench/fixtures/call-path-counters.mjs and the counts per call are printed;
// with --alloc, the inspector's sampling heap profiler runs instead of the CPU profiler (bytes allocated per call).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@modelcontextprotocol/client';
import {
  authorize,
  echo,
  ECHO,
  gatehouseWithEverything,
  httpClient,
  load,
  root,
  withCleanup,
} from './gateway-support.js';
import { cpuTimeMs, inspectorSession } from './processes.js';
import {
  renderAllocations,
  renderSummary,
  summarize,
  type CpuProfile,
  type HeapProfile,
} from './profile-summary.js';

type Era = 'legacy' | '2026-07-28';

const options = {
  calls: { type: 'string', default: '3000' },
  warmup: { type: 'string', default: '300' },
  interval: { type: 'string', default: '100' },
  era: { type: 'string', default: 'both' },
  out: { type: 'string', default: 'profiles' },
  rows: { type: 'string', default: '40' },
  count: { type: 'boolean', default: false },
  alloc: { type: 'boolean', default: false },
} as const;

/** Counts by kind and call site, as bench/fixtures/call-path-counters.mjs writes them. */
export type Counts = Record<string, Record<string, number>>;

/**
 * Asks a serve process started with a preload that writes what it gathered on SIGUSR2
 * (call-path-counters.mjs: counts so far; call-path-segments.mjs: the segments since the last ask)
 * for it, through `file`.
 */
export async function snapshot<T = Counts>(pid: number, file: string): Promise<T> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** `after` minus `before`, per kind and call site, the busiest sites first. */
export function difference(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [kind, sites] of Object.entries(after)) {
    const rows = Object.entries(sites)
      .map(([where, n]): [string, number] => [where, n - (before[kind]?.[where] ?? 0)])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    if (rows.length) out[kind] = Object.fromEntries(rows);
  }
  return out;
}

async function calls(client: Client, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await echo(client, ECHO);
}

/** Runs the profile; `args` are the command-line options after `profile`. */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options });
  const n = Number(values.calls);
  const eras: Era[] = values.era === 'both' ? ['legacy', '2026-07-28'] : [values.era as Era];
  if (!Number.isInteger(n) || n < 1 || eras.some((e) => e !== 'legacy' && e !== '2026-07-28')) {
    throw new Error(
      'usage: profile [--calls N] [--warmup N] [--interval µs] [--era legacy|2026-07-28|both] [--out dir] [--count | --alloc]',
    );
  }
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const countsFile = join(out, 'call-path-counts.json');
  if (values.count) {
    const preload = join(root, 'bench', 'fixtures', 'call-path-counters.mjs');
    process.env.GATEHOUSE_BENCH_NODE_ARGS = `--import ${preload}`;
    process.env.GATEHOUSE_COUNTERS_FILE = countsFile;
  }
  process.stdout.write(`${load()}\n`);
  await withCleanup(async (defer) => {
    const gatehouse = await gatehouseWithEverything({ inspect: !values.count });
    defer(gatehouse.stop);
    const token = await authorize(gatehouse, 'profile', 'write');
    const inspector = gatehouse.inspectorUrl ? await inspectorSession(gatehouse.inspectorUrl) : undefined;
    defer(async () => inspector?.close());
    for (const era of eras) {
      const client = await httpClient(gatehouse.engine.mcpUrl, token, era);
      defer(() => client.close());
      await calls(client, Number(values.warmup));
      const cpuBefore = cpuTimeMs(gatehouse.process.pid);
      if (inspector && values.alloc) {
        await inspector.send('HeapProfiler.enable');
        await inspector.send('HeapProfiler.startSampling', {
          samplingInterval: 1024,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      } else if (inspector) {
        await inspector.send('Profiler.enable');
        await inspector.send('Profiler.setSamplingInterval', { interval: Number(values.interval) });
        await inspector.send('Profiler.start');
      }
      const countsBefore = values.count ? await snapshot(gatehouse.process.pid, countsFile) : {};
      await calls(client, n);
      const cpuPerCall = (1000 * (cpuTimeMs(gatehouse.process.pid) - cpuBefore)) / n;
      process.stdout.write(
        `\n== ${era}: ${n} calls, serve process CPU ${cpuPerCall.toFixed(0)} µs per call (/proc, all threads)\n`,
      );
      if (inspector && values.alloc) {
        const { profile } = (await inspector.send('HeapProfiler.stopSampling')) as { profile: HeapProfile };
        const file = join(out, `serve-${era}.heapprofile`);
        writeFileSync(file, JSON.stringify(profile));
        process.stdout.write(`${file}\n${renderAllocations(profile, root, n, Number(values.rows))}\n`);
      } else if (inspector) {
        const { profile } = (await inspector.send('Profiler.stop')) as { profile: CpuProfile };
        const file = join(out, `serve-${era}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        process.stdout.write(`${file}\n${renderSummary(summarize(profile, root), n, Number(values.rows))}\n`);
      } else {
        const counts = difference(await snapshot(gatehouse.process.pid, countsFile), countsBefore);
        writeFileSync(join(out, `call-path-counts-${era}.json`), JSON.stringify(counts, null, 2));
        for (const [kind, sites] of Object.entries(counts)) {
          const total = Object.values(sites).reduce((a, b) => a + b, 0);
          process.stdout.write(`${kind}: ${(total / n).toFixed(2)} per call\n`);
          for (const [where, c] of Object.entries(sites).slice(0, 12)) {
            process.stdout.write(`  ${(c / n).toFixed(2).padStart(6)}  ${where}\n`);
          }
        }
      }
    }
  });
}
