// What `gatehouse serve` costs while nothing happens: three connectors (server-everything and
// server-filesystem over stdio, the SDK's Streamable HTTP echo server as a remote connector) and two
// clients connected (a 2025-era session with its GET stream open, a client pinned to 2026-07-28), then
// the serve process's own CPU (user + system, from /proc) over a quiet minute.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nowMs, type Benchmark } from './harness.js';
import {
  addConnectors,
  authorize,
  echo,
  ECHO,
  everything,
  httpClient,
  load,
  root,
  startGatehouse,
  withCleanup,
} from './gateway-support.js';
import { startHttpFloor } from './peers.js';
import { cpuTimeMs, inspectorSession, serverSockets, waitFor } from './processes.js';
import { renderSummary, summarize, type CpuProfile } from './profile-summary.js';
import { difference, snapshot, type Counts } from './profile-serve.js';

/**
 * How long the quiet stretch is measured, and how long things settle before it: 30 s by default
 * (GATEHOUSE_BENCH_IDLE_SETTLE_S), because for the first ~10–20 s after start-up and the first calls
 * V8 runs its full collections (its memory reducer) — 200 ms of GC, most of a minute's CPU when measured
 * 5 s after the calls — which a tray app idle for hours pays once, not every minute.
 */
const WINDOW_MS = 60_000;
const SETTLE_MS = Number(process.env.GATEHOUSE_BENCH_IDLE_SETTLE_S ?? 30) * 1000;

export const idleCpu: Benchmark = {
  id: 'idle-cpu',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      // GATEHOUSE_BENCH_IDLE_COUNTS=1: the serve process runs with bench/fixtures/call-path-counters.mjs and
      // the description lists the timers that fired during the minute (what keeps it awake).
      const countsFile = process.env.GATEHOUSE_BENCH_IDLE_COUNTS
        ? join(mkdtempSync(join(tmpdir(), 'gatehouse-idle-counts-')), 'counts.json')
        : undefined;
      if (countsFile) {
        process.env.GATEHOUSE_BENCH_NODE_ARGS = `--import ${join(root, 'bench', 'fixtures', 'call-path-counters.mjs')}`;
        process.env.GATEHOUSE_COUNTERS_FILE = countsFile;
      }
      // GATEHOUSE_BENCH_IDLE_PROFILE=<folder>: the minute is also profiled (1 ms samples) into
      // <folder>/idle.cpuprofile and its summary printed; the sampler's own CPU then counts too.
      const profileDir = process.env.GATEHOUSE_BENCH_IDLE_PROFILE;
      const folder = mkdtempSync(join(tmpdir(), 'gatehouse-idle-files-'));
      defer(async () => rmSync(folder, { recursive: true, force: true }));
      const gatehouse = await startGatehouse({ inspect: Boolean(profileDir) });
      defer(gatehouse.stop);
      const inspector = gatehouse.inspectorUrl ? await inspectorSession(gatehouse.inspectorUrl) : undefined;
      defer(async () => inspector?.close());
      const remote = await startHttpFloor();
      defer(remote.process.stop);
      const filesystem = join(
        root,
        'node_modules',
        '@modelcontextprotocol',
        'server-filesystem',
        'dist',
        'index.js',
      );
      await addConnectors(gatehouse, [
        { name: 'everything', ...everything },
        { name: 'files', command: process.execPath, args: [filesystem, folder] },
      ]);
      await gatehouse.api.call('connectors.add', {
        name: 'remote',
        settings: { kind: 'http', url: remote.url, transport: 'streamable-http' },
      });
      await waitFor('the remote connector did not connect', 30_000, async () => {
        const { status } = await gatehouse.api.call('connectors.get', { name: 'remote' });
        return status.connection === 'connected';
      });
      await gatehouse.api.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'never' });

      const token = await authorize(gatehouse, 'bench idle', 'write');
      const streams = getStreams(gatehouse.port);
      defer(async () => streams.close());
      const session = await httpClient(gatehouse.engine.mcpUrl, token);
      defer(() => session.close());
      const modern = await httpClient(gatehouse.engine.mcpUrl, token, '2026-07-28');
      defer(() => modern.close());
      // One call each, so both clients have been all the way through the gate before the quiet minute.
      await echo(session, ECHO);
      await echo(modern, ECHO);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

      const sockets = serverSockets(gatehouse.port);
      if (streams.opened() < 1) throw new Error('the 2025-era client did not open its GET stream');
      const status = (await gatehouse.api.call('connectors.list', {})).map(
        (c) => `${c.name} ${c.status.connection}`,
      );
      const countsBefore = countsFile ? await snapshot(gatehouse.process.pid, countsFile) : undefined;
      if (inspector) {
        await inspector.send('Profiler.enable');
        await inspector.send('Profiler.setSamplingInterval', { interval: 1000 });
        await inspector.send('Profiler.start');
      }
      const cpuBefore = cpuTimeMs(gatehouse.process.pid);
      const started = nowMs();
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const cpuMs = cpuTimeMs(gatehouse.process.pid) - cpuBefore;
      const elapsedMs = nowMs() - started;
      if (inspector && profileDir) {
        const { profile } = (await inspector.send('Profiler.stop')) as { profile: CpuProfile };
        mkdirSync(profileDir, { recursive: true });
        writeFileSync(join(profileDir, 'idle.cpuprofile'), JSON.stringify(profile));
        // "Per call" here is the whole minute: the rows read as ms of CPU in it (µs ÷ 1000).
        process.stdout.write(`${renderSummary(summarize(profile, root), 1, 25)}\n`);
      }
      const ticked = countsFile
        ? firings(difference(await snapshot(gatehouse.process.pid, countsFile), countsBefore!))
        : '';
      // Still connected at the end: the minute was measured with everything up.
      await echo(session, ECHO);
      await echo(modern, ECHO);
      return {
        title: 'Idle CPU: gatehouse serve with 3 connectors and 2 clients',
        description: `\`gatehouse serve\` with three connectors (${status.join(', ')}: server-everything and server-filesystem on a temporary folder over stdio, sandboxed as by default, and bench/fixtures/echo-http-server.mjs as a remote Streamable HTTP connector) and two clients connected: an SDK client speaking the 2025 handshake (a session, its standalone GET stream open: ${streams.opened()} GET answered with an event stream) and one pinned to 2026-07-28, each after one echo call; ${sockets} established sockets on Gatehouse's port. After ${SETTLE_MS / 1000} s to settle, the serve process's own CPU (user + system, all threads, from /proc in 10 ms ticks; not its connectors' processes) over ${(elapsedMs / 1000).toFixed(0)} s of nothing happening${profileDir ? ' (profiled: the sampler counts too)' : ''}; ${machine}.${ticked}`,
        measurements: [
          {
            name: 'idle CPU of gatehouse serve',
            value: (100 * cpuMs) / elapsedMs,
            unit: '% of one core',
            target: { op: '<', value: 0.5 },
          },
          { name: 'CPU time over the minute', value: cpuMs, unit: 'ms' },
        ],
      };
    }),
};

/** The timers that fired during the minute, by the place that made them. */
function firings(counts: Counts): string {
  const fired = Object.entries(counts)
    .filter(([kind]) => kind.endsWith(' fired'))
    .flatMap(([kind, sites]) =>
      Object.entries(sites).map(([where, n]) => `${n}× ${kind.replace(' fired', '')} from ${where}`),
    );
  return fired.length
    ? ` Timers that fired during the minute: ${fired.join('; ')}.`
    : ' No timer fired during the minute.';
}

/** Counts this process's GET requests to `port` answered with an event stream (undici's diagnostics channel). */
function getStreams(port: number): { opened(): number; close(): void } {
  let opened = 0;
  const listener = (message: unknown) => {
    const { request, response } = message as {
      request: { method: string; origin: string };
      response: { statusCode: number; headers: Buffer[] };
    };
    if (request.method !== 'GET' || new URL(request.origin).port !== String(port)) return;
    const headers = response.headers.map((h) => h.toString('latin1').toLowerCase());
    const type = headers[headers.indexOf('content-type') + 1] ?? '';
    if (response.statusCode === 200 && type.startsWith('text/event-stream')) opened++;
  };
  subscribe('undici:request:headers', listener);
  return { opened: () => opened, close: () => void unsubscribe('undici:request:headers', listener) };
}
