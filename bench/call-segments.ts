// `node dist/bench/run.js segments`: where a sequential tools/call spends its time inside
// `gatehouse serve`, stretch by stretch, for a 2025-era session and a 2026-07-28 client side by side
// in one serve process (docs/profiling.md §7). The serve process runs with
// bench/fixtures/call-path-segments.mjs, which stamps each call at fixed points of its path; this
// prints the median of each stretch per era, and beside them the same clients' calls answered by a
// replaying HTTP server (bench/fixtures/replaying-floor.mjs), which is what the protocol era costs the
// client and the wire before any server does anything.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@modelcontextprotocol/client';
import { median, nowMs, shuffled } from './harness.js';
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
import { startReplayingFloor } from './peers.js';
import { snapshot } from './profile-serve.js';

const options = {
  calls: { type: 'string', default: '3000' },
  warmup: { type: 'string', default: '4000' },
  block: { type: 'string', default: '100' },
  out: { type: 'string', default: 'profiles' },
} as const;

/** What call-path-segments.mjs writes: the points in order, and per protocol version each call's times (ns). */
interface Segments {
  points: string[];
  records: Record<string, string[][]>;
}

const ERAS = [
  { label: '2025 session', version: '2025-11-25', era: 'legacy' },
  { label: '2026-07-28 client', version: '2026-07-28', era: '2026-07-28' },
] as const;

/** Runs the measurement; `args` are the command-line options after `segments`. */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options });
  const [calls, warmup, block] = [Number(values.calls), Number(values.warmup), Number(values.block)];
  if (![calls, warmup, block].every((n) => Number.isInteger(n) && n > 0) || calls % block !== 0)
    throw new Error(
      'usage: segments [--calls N (a multiple of --block)] [--warmup N] [--block N] [--out dir]',
    );
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'call-path-segments.json');
  process.env.GATEHOUSE_BENCH_NODE_ARGS = `--import ${join(root, 'bench', 'fixtures', 'call-path-segments.mjs')}`;
  process.env.GATEHOUSE_SEGMENTS_FILE = file;
  process.stdout.write(`${load()}\n`);
  await withCleanup(async (defer) => {
    const gatehouse = await gatehouseWithEverything();
    defer(gatehouse.stop);
    const token = await authorize(gatehouse, 'segments', 'write');
    const floor = await startReplayingFloor(new URL(gatehouse.engine.mcpUrl).origin);
    defer(floor.process.stop);
    const targets: Array<{ key: string; client: Client; samples: number[] }> = [];
    for (const { label, era } of ERAS) {
      targets.push({
        key: label,
        client: await httpClient(gatehouse.engine.mcpUrl, token, era),
        samples: [],
      });
      targets.push({ key: `floor ${label}`, client: await httpClient(floor.url, token, era), samples: [] });
    }
    for (const { client } of targets) defer(() => client.close());
    for (let i = 0; i < warmup; i++) for (const { client } of targets) await echo(client, ECHO);
    await floor.expectReplayingBothEras();
    await snapshot<Segments>(gatehouse.process.pid, file);
    for (let round = 0; round < calls / block; round++) {
      for (const target of shuffled(targets)) {
        for (let i = 0; i < block; i++) {
          const start = nowMs();
          await echo(target.client, ECHO);
          target.samples.push(nowMs() - start);
        }
      }
    }
    const segments = await snapshot<Segments>(gatehouse.process.pid, file);
    process.stdout.write(render(segments, targets, calls));
  });
}

/** The table: each stretch's median per era (µs), its difference, and the clients' own medians. */
function render(
  segments: Segments,
  targets: Array<{ key: string; samples: number[] }>,
  calls: number,
): string {
  const { points, records } = segments;
  const perEra = ERAS.map(({ version }) => records[version] ?? []);
  for (const [i, kept] of perEra.entries()) {
    if (kept.length < calls / 2)
      throw new Error(
        `segments: only ${kept.length} of ${calls} ${ERAS[i]!.label} calls went through every point (is the connector stdio, and the hook's table current?)`,
      );
  }
  /** The median time (µs) from point `from` to point `to` over an era's calls. */
  const span = (kept: string[][], from: number, to: number) =>
    median(kept.map((times) => Number(BigInt(times[to]!) - BigInt(times[from]!)) / 1000));
  const row = (label: string, [a, b]: number[]) =>
    label.padEnd(34) +
    `${a!.toFixed(0).padStart(20)}${b!.toFixed(0).padStart(20)}  ${b! >= a! ? '+' : ''}${(b! - a!).toFixed(0)}`;
  const rows = [
    `stretch (median µs)`.padEnd(34) + ERAS.map((e) => e.label.padStart(20)).join('') + '  difference',
  ];
  for (let k = 0; k + 1 < points.length; k++)
    rows.push(
      row(
        `${points[k]} → ${points[k + 1]}`,
        perEra.map((kept) => span(kept, k, k + 1)),
      ),
    );
  rows.push(
    row(
      'request → finish, whole',
      perEra.map((kept) => span(kept, 0, points.length - 1)),
    ),
  );
  const client = (key: string) => median(targets.find((t) => t.key === key)!.samples) * 1000;
  rows.push(
    '',
    `as the clients saw it (median µs)`.padEnd(34) + ERAS.map((e) => e.label.padStart(20)).join(''),
  );
  for (const [label, prefix] of [
    ['through Gatehouse', ''],
    ['replaying floor', 'floor '],
  ] as const) {
    const [a, b] = ERAS.map((e) => client(`${prefix}${e.label}`)) as [number, number];
    rows.push(`${row(label, [a, b])} (${(b / a).toFixed(3)}×)`);
  }
  return `\n${rows.join('\n')}\n`;
}
