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

async function startOnce(dataDir: string): Promise<{ startupMs: number; rssMb: number }> {
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
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { startupMs: ready - started, rssMb: rssKb / 1024 };
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
    for (let i = 0; i < RUNS; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
      try {
        const first = await startOnce(dataDir);
        cold.push(first.startupMs);
        const second = await startOnce(dataDir);
        warm.push(second.startupMs);
        rss.push(first.rssMb, second.rssMb);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return {
      title: 'Headless engine start-up and idle memory',
      description: `\`node dist/main/cli/gatehouse.js serve\` spawned ${RUNS} times with a new data directory (cold: creates the database, signing key and secrets) and ${RUNS} times again on it (warm). Start-up is from spawn until \`GET /\` answers 200; memory is the process's resident set (VmRSS) after 3 s idle.`,
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
      ],
    };
  },
};
