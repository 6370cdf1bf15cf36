// The memory of a connector's process tree, for the status line and the sandbox's bounds: the root
// and every process below it (a sandboxed server's root is bubblewrap, whose own 2 MB say nothing of
// the server it runs).
import { readdirSync, readFileSync } from 'node:fs';
import { commandOutput } from './process-identity.js';

/** A process tree's size: how many processes, and their resident memory together. */
export interface TreeSize {
  processes: number;
  residentBytes: number;
}

/** Linux: each living process's children (the `children` lists of proc(5) are not in every kernel). */
interface ProcessTable {
  children: Map<number, number[]>;
  takenAt: number;
}

let table: ProcessTable | undefined;
/** How long one look at the process table serves every tree that asks (the bounds of many servers). */
const TABLE_FRESH_MS = 1_000;

/**
 * The process table, read at most once a second whoever asks (or now, when `fresh`). Read
 * synchronously: procfs answers from memory in microseconds, and a thousand reads queued on libuv's
 * four threads at once would keep every other file operation of the engine waiting.
 */
function processTable(fresh: boolean): ProcessTable {
  const now = Date.now();
  if (!fresh && table && now - table.takenAt < TABLE_FRESH_MS) return table;
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command: state, ppid (proc(5)).
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  table = { children, takenAt: now };
  return table;
}

/**
 * Linux: the tree rooted at `pid` (the root and every descendant); null when the root is gone. The
 * bounds' loop over every server shares a table up to a second old; `fresh` reads it now.
 */
export function treeSize(pid: number, fresh = false): TreeSize | null {
  const { children } = processTable(fresh);
  let processes = 0;
  let residentBytes = 0;
  const seen = new Set<number>();
  const queue = [pid];
  while (queue.length > 0) {
    const member = queue.pop()!;
    if (seen.has(member)) continue;
    seen.add(member);
    let status: string;
    try {
      status = readFileSync(`/proc/${member}/status`, 'utf8');
    } catch {
      continue;
    }
    processes += 1;
    residentBytes += Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) * 1024;
    queue.push(...(children.get(member) ?? []));
  }
  return processes === 0 ? null : { processes, residentBytes };
}

/**
 * Resident memory of a connector's tree in bytes (Linux: the root and everything below it, from a
 * table read now: one read a second old may predate a just-started server's processes and show only
 * its sandbox's 2 MB; macOS and the BSDs: the root alone), or null when it cannot be read (Windows,
 * gone, denied).
 */
export async function residentMemoryBytes(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<number | null> {
  if (platform === 'linux') return treeSize(pid, true)?.residentBytes ?? null;
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
    const out = await commandOutput('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = out === null ? NaN : Number.parseInt(out.trim(), 10);
    return Number.isFinite(kb) ? kb * 1024 : null;
  }
  return null;
}
