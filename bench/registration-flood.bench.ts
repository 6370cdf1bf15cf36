// The registration flood, performed: one local process sends Dynamic Client Registrations under
// ever-new names at a real engine, first with the default limits (the bound for all sources together
// refuses it), then with that bound lifted so the client table grows to 20,000 unused registrations and
// the first registration after the grace forgets them. Beside it, the engine's event loop is watched
// (perf_hooks monitorEventLoopDelay) and a client on one kept-alive connection asks every 20 ms.
import { spawn } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from '../main/core/engine/engine-record.js';
import { startEngine, type EngineFixture } from '../test/support/engine-fixture.js';
import { register } from '../test/support/raw-oauth.js';
import { nowMs, percentile, type Benchmark, type Measurement } from './harness.js';

const FLOOD = 20_000;
const PARALLEL = 16;
const FLOODER = join(import.meta.dirname, '..', '..', 'bench', 'fixtures', 'registration-flooder.mjs');

interface FloodResult {
  statuses: Record<string, number>;
  errors: Record<string, number>;
  ms: number;
}

/** Runs the flooder as a process of its own against `issuer`. */
function floodFrom(issuer: string, count: number, prefix: string): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FLOODER, issuer, String(count), String(PARALLEL), prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as FloodResult) : reject(new Error(`flooder exited ${code}`)),
    );
  });
}

/** A client on one kept-alive connection asking `GET /` every 20 ms until stopped; counts failures. */
function keptAliveClient(issuer: string): {
  stop(): Promise<{ asked: number; failed: string[]; answerMs: number[] }>;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const failed: string[] = [];
  const answerMs: number[] = [];
  let asked = 0;
  let stopped = false;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = httpRequest(`${issuer}/`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        failed.push(error.code ?? error.message);
        resolve();
      });
      req.end();
    });
  const loop = (async () => {
    while (!stopped) {
      const t0 = nowMs();
      await once();
      answerMs.push(nowMs() - t0);
      asked += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return { asked, failed, answerMs };
    },
  };
}

/** The activity rows of one type, as the Activity page reads them (at most 10,000: far above a bound). */
const rowsOf = async (fixture: EngineFixture, type: string) =>
  (await fixture.engine.call('audit.list', { type, limit: 10_000 })).length;

/**
 * How many registrations the engine's table holds, read on a connection of the bench's own (the
 * Engine's stores are private, engine-parts.ts is for tests; a WAL reader sees each commit).
 */
function clientTable(fixture: EngineFixture): { count(): number; close(): void } {
  const db = new DatabaseSync(join(fixture.dataDir, DATABASE_FILE), { readOnly: true });
  const count = db.prepare('SELECT count(*) AS n FROM clients');
  return { count: () => Number((count.get() as { n: number }).n), close: () => db.close() };
}

export const registrationFlood: Benchmark = {
  id: 'registration-flood',
  async run() {
    const measurements: Measurement[] = [];
    const delay = monitorEventLoopDelay({ resolution: 5 });

    // 1. The flood against the default limits, after 10 s of the same engine idle: the machine's own
    // share of the event loop's delays (a busy shared machine leaves a process unscheduled too).
    let fixture = await startEngine({ registrationLimit: undefined });
    try {
      delay.reset();
      delay.enable();
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      delay.disable();
      measurements.push({
        name: 'engine event loop idle for 10 s first (the machine alone), longest delay',
        value: delay.max / 1e6,
        unit: 'ms',
      });
      const prober = keptAliveClient(fixture.engine.issuer);
      delay.reset();
      delay.enable();
      const flood = await floodFrom(fixture.engine.issuer, FLOOD, 'Flood');
      delay.disable();
      const probe = await prober.stop();
      const rows =
        (await rowsOf(fixture, 'client.registered')) + (await rowsOf(fixture, 'client.registration_refused'));
      measurements.push(
        {
          name: `${FLOOD} registrations from one process, ${PARALLEL} at a time: time`,
          value: flood.ms / 1000,
          unit: 's',
        },
        {
          name: 'registered (the bound for all sources: 300 in 10 minutes)',
          value: flood.statuses['201'] ?? 0,
          unit: '',
          target: { op: '<=', value: 300 },
        },
        { name: 'refused with 429', value: flood.statuses['429'] ?? 0, unit: '' },
        {
          name: 'activity rows written for them',
          value: rows,
          unit: 'rows',
          target: { op: '<', value: 100 },
        },
        // A flood keeps the loop busy answering it (queueing, not one long task): no target here.
        {
          name: 'engine event loop during the flood, longest delay',
          value: delay.max / 1e6,
          unit: 'ms',
        },
        {
          name: 'engine event loop during the flood, p99 delay',
          value: delay.percentile(99) / 1e6,
          unit: 'ms',
        },
        {
          name: 'kept-alive client: requests failed',
          value: probe.failed.length,
          unit: `of ${probe.asked}`,
          target: { op: '<=', value: 0 },
        },
        { name: 'kept-alive client: answer time, p99', value: percentile(probe.answerMs, 99), unit: 'ms' },
        { name: 'kept-alive client: answer time, longest', value: Math.max(...probe.answerMs), unit: 'ms' },
      );
    } finally {
      await fixture.stop();
    }

    // 2. The bound lifted: a table of 20,000 unused registrations, forgotten after the grace.
    fixture = await startEngine({ registrationLimit: { count: 10, windowMs: 600_000, total: 1_000_000 } });
    try {
      const { engine, clock } = fixture;
      const clients = clientTable(fixture);
      const grown = await floodFrom(engine.issuer, FLOOD, 'Leftover');
      clock.advance(6 * 60_000);
      const prober = keptAliveClient(engine.issuer);
      await new Promise((resolve) => setTimeout(resolve, 100));
      delay.reset();
      delay.enable();
      const t0 = nowMs();
      await register(engine, { client_name: 'After the grace' });
      // Looked at every 20 ms: a count is a scan of the table, on the engine's own event loop.
      while (clients.count() > 200) await new Promise((resolve) => setTimeout(resolve, 20));
      const evictionMs = nowMs() - t0;
      clients.close();
      delay.disable();
      const evictionP99 = delay.percentile(99) / 1e6;
      const probe = await prober.stop();
      measurements.push(
        {
          name: `${FLOOD} registrations accepted with the bound lifted: time`,
          value: grown.ms / 1000,
          unit: 's',
        },
        {
          name: `forgetting ${FLOOD - 200} unused registrations after the grace: time`,
          value: evictionMs,
          unit: 'ms',
        },
        {
          name: 'engine event loop while forgetting, p99 delay',
          value: evictionP99,
          unit: 'ms',
        },
        {
          name: 'engine event loop while forgetting, longest delay',
          value: delay.max / 1e6,
          unit: 'ms',
          target: { op: '<', value: 50 },
        },
        {
          name: 'kept-alive client while forgetting: requests failed',
          value: probe.failed.length,
          unit: `of ${probe.asked}`,
          target: { op: '<=', value: 0 },
        },
        {
          name: 'kept-alive client while forgetting: answer time, longest',
          value: Math.max(...probe.answerMs),
          unit: 'ms',
        },
        {
          name: 'activity rows for the forgetting',
          value: await rowsOf(fixture, 'client.registration_evicted'),
          unit: 'rows',
        },
      );
    } finally {
      await fixture.stop();
    }
    measurements.push({ name: 'load average (1 min) at the end', value: loadavg()[0]!, unit: '' });
    return {
      title: 'Registration flood',
      description: `One local process (bench/fixtures/registration-flooder.mjs) sends ${FLOOD} Dynamic Client Registrations, ${PARALLEL} at a time, each under a new name, to an engine with the default limits; then, with the bound for all sources lifted, grows the client table to ${FLOOD} unused registrations and triggers their forgetting after the 5-minute grace. The engine's event loop is watched with monitorEventLoopDelay (5 ms resolution), first for 10 s idle (the machine's own share of the delays), and a client on one kept-alive connection asks GET / every 20 ms throughout. The engine runs in the bench's process; the flood comes from another.`,
      measurements,
    };
  },
};
