// First-sight scanning (issue 18): what reading every string of 5,000 new tools adds to a connector's
// first listing, on real definitions (the corpus in test/fixtures/first-sight/). On the main thread
// (a remote connector's listing), that is the whole scan; for a stdio connector the scan runs in a
// worker while the main thread reads the same listing (first-sight-off-thread.ts), and what it adds
// is measured in a real `gatehouse serve`, as the engine logs it for each such listing.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { scanDefinition } from '../main/core/policy/first-sight.js';
import { scanListingLine } from '../main/core/connectors/first-sight/first-sight-thread.js';
import { median, nowMs, percentile, type Benchmark, type Measurement } from './harness.js';
import { load, startGatehouse, withCleanup } from './gateway-support.js';
import { waitFor } from './processes.js';

const TOOLS = 5000;
const ROUNDS = 30;
const WARMUP = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Rounds of the worker's own scan of a listing line, in this process, after WARMUP. */
const LINE_ROUNDS = 10;

/**
 * The CPU the worker spends on a listing's line (first-sight-thread.ts scanListingLine: its parse, and
 * the scan, each string repeated within the listing read once), median of LINE_ROUNDS.
 */
function lineScanCpu(tools: unknown[]): number {
  const line = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools } });
  const cpu: number[] = [];
  for (let round = 0; round < WARMUP + LINE_ROUNDS; round++) {
    const startCpu = process.cpuUsage();
    scanListingLine(line);
    const used = process.cpuUsage(startCpu);
    if (round >= WARMUP) cpu.push((used.user + used.system) / 1000);
  }
  return median(cpu);
}

/** First listings of each kind of connector through `gatehouse serve`, each under a new connector name. */
const LISTINGS = 8;

type Listing = { addedMs: number; scanned: number; tools: number };

/** How the remote listings answer, in turn: a JSON body, an SSE event, the legacy HTTP+SSE stream. */
const REMOTE_KINDS: Array<{ env: Record<string, string>; transport: 'streamable-http' | 'sse' }> = [
  { env: { LARGE_LISTING_RESPONSE: 'json' }, transport: 'streamable-http' },
  { env: { LARGE_LISTING_RESPONSE: 'sse' }, transport: 'streamable-http' },
  { env: { LARGE_LISTING_TRANSPORT: 'sse' }, transport: 'sse' },
];

/** Starts test/fixtures/large-listing-http-server.mjs with `env`; its URL. */
async function remoteServer(
  env: Record<string, string>,
  defer: (cleanup: () => Promise<unknown>) => void,
): Promise<string> {
  const server = spawn(process.execPath, [join(root, 'test', 'fixtures', 'large-listing-http-server.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  defer(async () => server.kill('SIGKILL'));
  return new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
}

/**
 * What first sight added to each of LISTINGS first listings of 5,000 tools, as `gatehouse serve` logs
 * it ("first sight of a listing, off the main thread": handing the answer to the worker, and waiting
 * for its scan after the listing's own parse, check and comparison), with how many tools the worker
 * scanned: of a stdio server (test/fixtures/large-listing-server.mjs), or of a remote one
 * (large-listing-http-server.mjs, its answer in turn a JSON body, an event of the request's SSE stream,
 * an event of the legacy HTTP+SSE transport's stream).
 */
async function firstListings(kind: 'stdio' | 'remote'): Promise<Listing[]> {
  return withCleanup(async (defer) => {
    const gatehouse = await startGatehouse();
    defer(gatehouse.stop);
    const listings: Listing[] = [];
    for (let i = 0; i < LISTINGS; i++) {
      const name = `${kind}${i}`;
      const settings =
        kind === 'stdio'
          ? {
              kind: 'stdio' as const,
              command: process.execPath,
              args: [join(root, 'test', 'fixtures', 'large-listing-server.mjs')],
              env: {},
            }
          : {
              kind: 'http' as const,
              url: await remoteServer(REMOTE_KINDS[i % 3]!.env, defer),
              transport: REMOTE_KINDS[i % 3]!.transport,
            };
      await gatehouse.api.call('connectors.add', { name, settings });
      let line: string | undefined;
      await waitFor(`connector ${name} did not list its tools`, 90_000, () => {
        line = gatehouse.process
          .stderr()
          .split('\n')
          .find(
            (l) => l.includes('first sight of a listing, off the main thread') && l.includes(`"${name}"`),
          );
        return Promise.resolve(line !== undefined);
      });
      listings.push(JSON.parse(line!.slice(line!.indexOf('{'))) as Listing);
      await gatehouse.api.call('connectors.remove', { name });
    }
    return listings;
  });
}

/** What first sight added to one kind of connector's first listings: the median (the target) and the worst. */
function addedRows(kind: 'stdio' | 'remote', listings: Listing[]): Measurement[] {
  const added = listings.map((l) => l.addedMs);
  const what = `added to a ${kind} connector’s first listing of 5,000 tools`;
  return [
    {
      name: `${what} (scanned off the main thread), median`,
      value: median(added),
      unit: 'ms',
      target: { op: '<', value: 50 },
    },
    { name: `${what}, worst of run`, value: Math.max(...added), unit: 'ms' },
  ];
}

export const firstSight: Benchmark = {
  id: 'first-sight',
  run: async () => {
    const machine = load();
    const corpus = JSON.parse(
      readFileSync(join(root, 'test', 'fixtures', 'first-sight', 'real-definitions.json'), 'utf8'),
    ) as { servers: Array<{ tools: Array<{ name: string }> }> };
    const real = corpus.servers.flatMap((server) => server.tools);
    // 5,000 tools cycling through the real definitions, each name numbered: each definition comes some
    // 14 times. scanDefinition keeps nothing between definitions, so on the main thread a pass through
    // them costs what the first did; the worker reads a string repeated within one listing once
    // (HeardStrings), so its own scan is measured twice: on this listing, and on one whose every
    // description is new too (numbered), which leaves it only property names and their descriptions to share.
    const tools = Array.from({ length: TOOLS }, (_, i) => ({
      ...real[i % real.length]!,
      name: `${real[i % real.length]!.name}_${i}`,
    }));
    const listing = JSON.stringify(tools);
    const lineCpu = lineScanCpu(tools);
    const newDescriptionsCpu = lineScanCpu(
      tools.map((tool, i) => {
        const { description } = tool as { description?: unknown };
        return typeof description === 'string' ? { ...tool, description: `${description} (${i})` } : tool;
      }),
    );
    const times: number[] = [];
    const cpu: number[] = [];
    let held = 0;
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      // Each round is a first listing: its strings are new to V8, parsed from the listing's JSON outside
      // the timing (rounds over one reused parse measured some 10 % faster than a real listing).
      const parsed = JSON.parse(listing) as unknown[];
      const start = nowMs();
      const startCpu = process.cpuUsage();
      held = 0;
      for (const tool of parsed) if (scanDefinition('tool', tool).length > 0) held++;
      const used = process.cpuUsage(startCpu);
      if (round >= WARMUP) {
        times.push(nowMs() - start);
        cpu.push((used.user + used.system) / 1000);
      }
    }
    const stdio = await firstListings('stdio');
    const remote = await firstListings('remote');
    const offThread = (listings: Listing[]) => listings.filter((l) => l.scanned === l.tools).length;
    return {
      title: 'First-sight scanning of 5,000 new tools',
      description:
        `On the main thread: the first-sight rules (main/core/policy/first-sight.ts) over ${TOOLS.toLocaleString('en')} tool definitions made from the ${real.length} real ones in the corpus (${(listing.length / 1024 / 1024).toFixed(1)} MB of JSON; ${held} of them held), as a listing whose answer is not scanned off the thread runs them once per new tool (a definition the worker leaves out, a name listed twice, a worker that failed); ${ROUNDS} rounds after ${WARMUP} warm-up rounds, in one process, each on a freshly parsed listing. "CPU" is the scanning process's own CPU time, which a machine busy with other work inflates less than the wall clock. ` +
        `A connector's first listing: ${LISTINGS} stdio connectors added in turn to one \`gatehouse serve\`, each test/fixtures/large-listing-server.mjs listing the same ${TOOLS.toLocaleString('en')} tools on one line, then ${LISTINGS} remote ones on loopback, each test/fixtures/large-listing-http-server.mjs listing them in turn as a Streamable HTTP JSON body, as an event of its SSE answer, and as an event of the legacy HTTP+SSE transport's stream; what first sight added to each listing is what serve logs for it (the main thread handing the answer to the worker, and waiting for the worker's scan after its own parse, check and comparison of the listing); the worker scanned every tool in ${offThread(stdio)} of the ${LISTINGS} stdio listings and ${offThread(remote)} of the ${LISTINGS} remote ones. The listing repeats each real definition some ${Math.round(TOOLS / real.length)} times (names numbered), and the worker reads a string repeated within one listing once, so what it adds is that of a listing whose strings are mostly repeats; "the worker's parse and scan" rows give its CPU for the line, in this process, on this listing and on one whose every description is new (${LINE_ROUNDS} rounds after ${WARMUP} warm-up rounds each). ${machine}.`,
      measurements: [
        {
          name: 'scan 5,000 tools on the main thread (an answer not scanned off the thread), median',
          value: median(times),
          unit: 'ms',
        },
        { name: 'scan 5,000 tools on the main thread, p99', value: percentile(times, 99), unit: 'ms' },
        { name: 'scan 5,000 tools on the main thread, CPU, median', value: median(cpu), unit: 'ms' },
        {
          name: 'the worker’s parse and scan of the listing’s line (a repeated string read once), CPU, median',
          value: lineCpu,
          unit: 'ms',
        },
        {
          name: 'the worker’s parse and scan, every description new, CPU, median',
          value: newDescriptionsCpu,
          unit: 'ms',
        },
        ...addedRows('stdio', stdio),
        ...addedRows('remote', remote),
      ],
    };
  },
};
