// Ends a stdio connector's whole process tree, not just the process Gatehouse started: `npx` starts
// node, which starts the server, which may start helpers. On POSIX the root is spawned detached, so
// it leads its own process group and one signal to the group reaches every member; on Windows
// `taskkill /T` walks the tree. Also reads the root's resident memory for the status line.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessTreeOptions {
  platform?: NodeJS.Platform;
  /** How long the tree gets to exit after SIGTERM before SIGKILL. */
  graceMs?: number;
}

/** Whether the process `pid` (Windows) or any process of the group `pid` leads (POSIX) still exists. */
export function treeAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  try {
    process.kill(platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the id now belongs to someone else's process, so ours is gone too.
    return false;
  }
}

/**
 * Linux: whether the group has a member that is not a zombie. A killed helper whose parent died is
 * reparented to init and stays a zombie until init reaps it; it still answers kill(-pgid, 0), but it
 * is dead, and waiting for init's reaping would make every stop slow.
 */
async function groupHasLivingMember(pgid: number): Promise<boolean> {
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return true;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    // Fields after the parenthesised command: state, ppid, pgrp (proc(5)).
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields && Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

async function stillRunning(pid: number, platform: NodeJS.Platform): Promise<boolean> {
  if (!treeAlive(pid, platform)) return false;
  return platform === 'linux' ? groupHasLivingMember(pid) : true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function waitUntilGone(pid: number, platform: NodeJS.Platform, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await stillRunning(pid, platform)) {
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
  }
  return true;
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => resolve());
  });
}

/**
 * Terminates the tree rooted at `pid` (the leader of its own process group on POSIX): SIGTERM to the
 * group, SIGKILL to whatever is left after the grace period. Resolves once nothing of it is left (or
 * after the SIGKILL, which cannot be refused).
 */
export async function killProcessTree(pid: number, options: ProcessTreeOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  const graceMs = options.graceMs ?? 2000;
  if (platform === 'win32') {
    // Console programs ignore a polite taskkill (WM_CLOSE), so force it; stdin was closed already.
    await taskkill(pid);
    return;
  }
  if (!(await stillRunning(pid, platform))) return;
  signalGroup(pid, 'SIGTERM');
  if (await waitUntilGone(pid, platform, graceMs)) return;
  signalGroup(pid, 'SIGKILL');
  await waitUntilGone(pid, platform, 1000);
}

// Trees still running when Gatehouse exits (a crash, a forgotten stop()) die with it: `exit` handlers
// must be synchronous, and a signal to a group is. SIGKILL of Gatehouse itself cannot be caught; the
// servers then see their stdin close, which is how MCP tells a stdio server to exit.
const liveTrees = new Set<number>();
let exitHookInstalled = false;

export function trackTree(pid: number): () => void {
  if (process.platform !== 'win32') {
    liveTrees.add(pid);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const pgid of liveTrees) signalGroup(pgid, 'SIGKILL');
      });
    }
  }
  return () => liveTrees.delete(pid);
}

function run(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 2000, windowsHide: true }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

/** Resident memory of one process in bytes, or null when it cannot be read (Windows, gone, denied). */
export async function residentMemoryBytes(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<number | null> {
  if (platform === 'linux') {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
    const match = status && /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : null;
  }
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
    const out = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = out === null ? NaN : Number.parseInt(out.trim(), 10);
    return Number.isFinite(kb) ? kb * 1024 : null;
  }
  return null;
}
