// The memory of a connector's process tree, for the status line and the sandbox's bounds: the root
// and every process below it (a sandboxed server's root is bubblewrap, whose own 2 MB say nothing of
// the server it runs).
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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

/** The start of a /proc/<pid>/stat line: pid, command (at most 16 bytes, in parentheses), state, ppid. */
const STAT_HEAD = Buffer.alloc(128);
const CLOSE_PAREN = 0x29;
const SPACE = 0x20;

/** The parent of the process whose stat file is open as `fd` (NaN when it cannot be read). */
function parentOf(fd: number): number {
  const length = readSync(fd, STAT_HEAD, 0, STAT_HEAD.length, 0);
  // The command may hold parentheses; the last one in the head closes it (every later field is a number).
  const close = STAT_HEAD.lastIndexOf(CLOSE_PAREN, length - 1);
  // ") S 1234 …": the state, then the parent.
  let parent = 0;
  let at = close + 4;
  if (close < 0 || at >= length) return NaN;
  for (; at < length && STAT_HEAD[at] !== SPACE; at++) parent = parent * 10 + STAT_HEAD[at]! - 0x30;
  return parent;
}

/**
 * The process table, read at most once a second whoever asks (or now, when `fresh`). Read
 * synchronously: procfs answers from memory in microseconds, and a thousand reads queued on libuv's
 * four threads at once would keep every other file operation of the engine waiting. Each process's
 * stat file is read into one reused buffer, its parent parsed from the bytes: a desktop has hundreds
 * of processes, and a string per file was most of an idle engine's CPU, the rest its garbage.
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
    const code = entry.charCodeAt(0);
    if (code < 0x30 || code > 0x39) continue;
    let fd: number;
    try {
      fd = openSync(`/proc/${entry}/stat`, 'r');
    } catch {
      continue;
    }
    let parent = NaN;
    try {
      parent = parentOf(fd);
    } catch {
      // Gone while being read.
    } finally {
      closeSync(fd);
    }
    if (!Number.isInteger(parent)) continue;
    const siblings = children.get(parent);
    if (siblings) siblings.push(Number(entry));
    else children.set(parent, [Number(entry)]);
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
