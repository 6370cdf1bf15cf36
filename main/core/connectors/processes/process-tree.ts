// Ends a stdio connector's whole process tree, not just the process Gatehouse started: `npx` starts
// node, which starts the server, which may start helpers. On POSIX the root is spawned detached, so
// it leads its own process group and one signal to the group reaches every member; on Windows
// `taskkill /T` walks the tree. Which trees run, and the leftovers of a killed Gatehouse, are
// tree-ledger.ts's.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** How a process tree is ended; tests pass the platform to exercise the other one. */
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

/** Sends `signal` to every process of the group `pgid` leads (POSIX); a group already gone is no error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
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

/** Windows: ends `pid` and every process below it, forcibly (`taskkill /T /F`). */
export function taskkill(pid: number): Promise<void> {
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
