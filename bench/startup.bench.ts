// The headless engine from process start to accepting requests, and its idle memory: the real
// `gatehouse serve` process, spawned cold (new data directory) and warm (existing one).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, nowMs, type Benchmark } from './harness.js';
import { freePort } from './processes.js';

const RUNS = 5;
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'main', 'cli', 'gatehouse.js');

/** When the resident set is read after start: soon after, and idle once settled (see SETTLED_MS). */
const EARLY_MS = 3_000;
/**
 * Idle: V8's memory reducer compacts the heap about 9 s after start (what start-up left behind, and with
 * the compile cache on some 10 MB more of it); idle-cpu.bench.ts lets things settle the same way.
 */
const SETTLED_MS = 15_000;

async function startOnce(dataDir: string): Promise<{ startupMs: number; earlyMb: number; rssMb: number }> {
  const port = await freePort();
  const started = nowMs();
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    let ready = 0;
    while (!ready) {
      if (child.exitCode !== null) throw new Error(`gatehouse serve exited: ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        if (res.status === 200) ready = nowMs();
        await res.arrayBuffer();
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
      if (nowMs() - started > 10_000) throw new Error('gatehouse serve did not accept requests within 10 s');
    }
    const residentMb = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    await new Promise((r) => setTimeout(r, EARLY_MS));
    const earlyMb = residentMb();
    await new Promise((r) => setTimeout(r, SETTLED_MS - EARLY_MS));
    return { startupMs: ready - started, earlyMb, rssMb: residentMb() };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export const startup: Benchmark = {
  id: 'startup',
  async run() {
    const cold: number[] = [];
    const warm: number[] = [];
    const rss: number[] = [];
    const early: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
      try {
        const first = await startOnce(dataDir);
        cold.push(first.startupMs);
        const second = await startOnce(dataDir);
        warm.push(second.startupMs);
        rss.push(first.rssMb, second.rssMb);
        early.push(first.earlyMb, second.earlyMb);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return {
      title: 'Headless engine start-up and idle memory',
      description: `\`node dist/main/cli/gatehouse.js serve\` spawned ${RUNS} times with a new data directory (cold: creates the database, signing key and secrets) and ${RUNS} times again on it (warm). Start-up is from spawn until \`GET /\` answers 200; memory is the process's resident set (VmRSS) ${EARLY_MS / 1000} s after it answered, and idle ${SETTLED_MS / 1000} s after, once V8's memory reducer has compacted what start-up left (about 9 s after start).`,
      measurements: [
        { name: 'cold start, median', value: median(cold), unit: 'ms', target: { op: '<', value: 1000 } },
        { name: 'warm start, median', value: median(warm), unit: 'ms', target: { op: '<', value: 1000 } },
        { name: 'slowest start', value: Math.max(...cold, ...warm), unit: 'ms' },
        {
          name: 'idle resident memory, median',
          value: median(rss),
          unit: 'MB',
          target: { op: '<', value: 120 },
        },
        { name: 'idle resident memory, max', value: Math.max(...rss), unit: 'MB' },
        {
          name: `resident memory ${EARLY_MS / 1000} s after start, median`,
          value: median(early),
          unit: 'MB',
        },
      ],
    };
  },
};
