// The benchmarks' processes and what they measure of them: each target started in its own process group
// and stopped by that group's id (so nothing a gateway spawned outlives a run), free ports, readiness,
// and the machinery read from /proc, undici's diagnostics channel and the inspector.
import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'node:http';
import { createServer } from 'node:net';
import { nowMs } from './harness.js';

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `ready` every 50 ms until it resolves true; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (nowMs() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

// ---- Processes ----------------------------------------------------------------------------------------

/** A target's process: its child, its group's id, its stderr's tail, and a stop that ends the group. */
export interface Process {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last 64 KiB of its stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

const groups = new Set<number>();
process.once('exit', () => {
  // A benchmark that threw leaves no process group behind.
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Starts `file` in a process group of its own, keeping the tail of its stderr. */
export function launch(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Process {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  const pid = child.pid;
  groups.add(pid);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5_000)]);
      }
      // Whatever it started and did not stop (its upstream servers) goes with its group.
      if (killGroup(pid, 0)) {
        killGroup(pid, 'SIGTERM');
        for (let i = 0; i < 40 && killGroup(pid, 0); i++) await sleep(50);
        killGroup(pid, 'SIGKILL');
      }
      groups.delete(pid);
    },
  };
}

/** True once `url` gives any HTTP answer. */
export async function httpReady(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return true;
}

// ---- Measuring the machinery --------------------------------------------------------------------------

/**
 * Counts the TCP connections this process's fetch (undici) opens, per destination port, through
 * undici's diagnostics channel: a keep-alive client opens none while it makes sequential calls.
 */
export function connectionCounter(): { opened(port: number): number; close(): void } {
  const counts = new Map<number, number>();
  const listener = (message: unknown) => {
    const port = Number((message as { connectParams?: { port?: unknown } }).connectParams?.port);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  };
  subscribe('undici:client:connected', listener);
  return {
    opened: (port) => counts.get(port) ?? 0,
    close: () => void unsubscribe('undici:client:connected', listener),
  };
}

/** Established TCP sockets whose local end is `port` (the server's side), from /proc/net/tcp{,6}. */
export function serverSockets(port: number): number {
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== '01') continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) count++;
    }
  }
  return count;
}

/** User + system CPU time a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** A process's resident memory in MB, from /proc/<pid>/status. */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** A Chrome DevTools Protocol session on a process started with --inspect (to force a GC there). */
export async function inspectorSession(url: string): Promise<{
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not open the inspector at ${url}`)), {
      once: true,
    });
  });
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve(value: Record<string, unknown>): void; reject(e: Error): void }
  >();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result ?? {});
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 30_000);
        waiting.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
