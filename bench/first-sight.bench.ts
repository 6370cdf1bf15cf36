// What first sight adds to a connector's first listing: the engine scans each new tool on the main
// thread, one listing at a time (first-sight-loader.ts: scanListedDefinition, with one HeardStrings per
// listing, so a string repeated across its tools is read once), and a listing waits for the scan of all
// its tools. Measured on the real servers' listings of the corpora in test/fixtures/first-sight/ (the
// listing at the 99th percentile of tools per server, which the < 50 ms budget applies to, the largest,
// and the one with the most bytes), each scanned whole as a first listing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeardStrings, scanListedDefinition } from '../main/core/policy/first-sight.js';
import { RETIRED, WRITTEN } from './first-sight-sources.js';
import { median, nowMs, percentile, type Benchmark, type Measurement } from './harness.js';
import { load, root } from './gateway-support.js';

const ROUNDS = 30;
const WARMUP = 3;
const FIRST_SIGHT = join(root, 'test', 'fixtures', 'first-sight');

/** One real server's tools/list, as collected. */
interface RealListing {
  server: string;
  tools: unknown[];
  /** Bytes of the listing's JSON. */
  bytes: number;
}

/** The corpora trained on: the tuning one, the retired held-out ones and those written for training. */
const RETIRED_FOLDERS = [
  'tuning',
  ...Object.values(RETIRED),
  ...Object.values(WRITTEN).map(({ folder }) => folder),
];

/**
 * Every real server's tool listing in the corpora (real-definitions.json, and the real.json of the
 * tuning folder, the retired held-out ones and those written for training), one per package: a package collected twice
 * keeps its longer listing. The held-out corpus still to be measured once is never read here.
 */
function realListings(): RealListing[] {
  const byServer = new Map<string, unknown[]>();
  const main = JSON.parse(readFileSync(join(FIRST_SIGHT, 'real-definitions.json'), 'utf8')) as {
    servers: Array<{ package: string; version: string; tools: unknown[] }>;
  };
  for (const server of main.servers) byServer.set(`${server.package}@${server.version}`, server.tools);
  for (const folder of RETIRED_FOLDERS) {
    const { items } = JSON.parse(readFileSync(join(FIRST_SIGHT, folder, 'real.json'), 'utf8')) as {
      items: Array<{ server: string; kind: string; definition: unknown }>;
    };
    const listed = new Map<string, unknown[]>();
    for (const item of items) {
      if (item.kind !== 'tool') continue;
      const tools = listed.get(item.server) ?? [];
      tools.push(item.definition);
      listed.set(item.server, tools);
    }
    for (const [server, tools] of listed) byServer.set(server, tools);
  }
  const byPackage = new Map<string, RealListing>();
  for (const [server, tools] of byServer) {
    const name = server.slice(0, server.lastIndexOf('@'));
    const kept = byPackage.get(name);
    if (kept && kept.tools.length >= tools.length) continue;
    byPackage.set(name, { server, tools, bytes: Buffer.byteLength(JSON.stringify(tools)) });
  }
  return [...byPackage.values()].filter((listing) => listing.tools.length > 0);
}

/**
 * The engine's scan of a first listing: every tool, each round on a freshly parsed listing with a fresh
 * HeardStrings (nothing carried over from the round before); wall and CPU ms.
 */
function timeScan(listing: RealListing): { wall: number; cpu: number; held: number } {
  const text = JSON.stringify(listing.tools);
  const wall: number[] = [];
  const cpu: number[] = [];
  let held = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    // A first listing's strings are new to V8: parsed afresh outside the timing.
    const tools = JSON.parse(text) as unknown[];
    const start = nowMs();
    const startCpu = process.cpuUsage();
    held = 0;
    const heard = new HeardStrings();
    for (const tool of tools) if (scanListedDefinition('tool', tool, heard).length > 0) held++;
    const used = process.cpuUsage(startCpu);
    if (round < WARMUP) continue;
    wall.push(nowMs() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), held };
}

const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;

export const firstSight: Benchmark = {
  id: 'first-sight',
  run: async () => {
    const machine = load();
    const listings = realListings();
    const tools = listings.map((listing) => listing.tools.length);
    const bytes = listings.map((listing) => listing.bytes);
    const byTools = [...listings].sort((a, b) => a.tools.length - b.tools.length);
    const p99Tools = percentile(tools, 99);
    const measured: Array<{ what: string; listing: RealListing; target: boolean }> = [
      { what: 'the p99 listing', listing: byTools.find((l) => l.tools.length === p99Tools)!, target: true },
      { what: 'the largest listing', listing: byTools.at(-1)!, target: false },
      {
        what: 'the listing of most bytes',
        listing: [...listings].sort((a, b) => a.bytes - b.bytes).at(-1)!,
        target: false,
      },
    ];
    const measurements: Measurement[] = [
      { name: 'real servers’ tools per listing, median', value: percentile(tools, 50), unit: 'tools' },
      { name: 'real servers’ tools per listing, p99', value: p99Tools, unit: 'tools' },
      { name: 'real servers’ tools per listing, max', value: byTools.at(-1)!.tools.length, unit: 'tools' },
      { name: 'real servers’ listing bytes, p99', value: percentile(bytes, 99) / 1024, unit: 'KB' },
    ];
    const notes: string[] = [];
    for (const { what, listing, target } of measured) {
      const { wall, cpu, held } = timeScan(listing);
      const of = `${what} (${listing.tools.length} tools, ${kb(listing.bytes)})`;
      notes.push(`${what}: ${listing.server}, ${held} held`);
      measurements.push(
        {
          name: `first sight of ${of}, on the main thread, median`,
          value: wall,
          unit: 'ms',
          ...(target ? { target: { op: '<' as const, value: 50 } } : {}),
        },
        { name: `first sight of ${what}, CPU, median`, value: cpu, unit: 'ms' },
      );
    }
    return {
      title: 'First sight of a real listing',
      description:
        `What first sight adds to a connector's first listing: the first-sight rules (main/core/policy/first-sight.ts, scanListedDefinition) over every tool of a real server's tools/list, as the engine runs them on the main thread: one listing at a time, with one HeardStrings per listing (first-sight-loader.ts), so a string its tools repeat is read once. The listings are the ${listings.length} real servers with tools in the corpora (test/fixtures/first-sight/real-definitions.json and the real.json of tuning/, the retired held-out folders, ${Object.keys(RETIRED)[0]} to ${Object.keys(RETIRED).at(-1)}, and those written for training, one listing per package); the p99 is of tools per server, and the < 50 ms budget applies to it. ${ROUNDS} rounds after ${WARMUP} warm-up rounds each, each on a freshly parsed listing with a fresh HeardStrings; "CPU" is this process's own CPU time, which a machine busy with other work inflates less than the wall clock. ` +
        `${notes.join('; ')}. ${machine}.`,
      measurements,
    };
  },
};
