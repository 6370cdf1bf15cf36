// The memory of a connector's process tree, for the status line and the sandbox's bounds: the root
// and every process below it (a sandboxed server's root is bubblewrap, whose own 2 MB say nothing of
// the server it runs).
import { readdir, readFile } from 'node:fs/promises';
import { commandOutput } from './process-identity.js';

/** A process tree's size: how many processes, and their resident memory together. */
export interface TreeSize {
  processes: number;
  residentBytes: number;
}

/** Linux: each living process's children (the `children` lists of proc(5) are not in every kernel). */
async function childrenByParent(): Promise<Map<number, number[]>> {
  const entries = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry));
  const children = new Map<number, number[]>();
  await Promise.all(
    entries.map(async (entry) => {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
      // Fields after the parenthesised command: state, ppid (proc(5)).
      const parent = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
      if (Number.isInteger(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    }),
  );
  return children;
}

/** Linux: the tree rooted at `pid` (the root and every descendant); null when the root is gone. */
export async function treeSize(pid: number): Promise<TreeSize | null> {
  const children = await childrenByParent();
  let processes = 0;
  let residentBytes = 0;
  const seen = new Set<number>();
  const queue = [pid];
  while (queue.length > 0) {
    const member = queue.pop()!;
    if (seen.has(member)) continue;
    seen.add(member);
    const status = await readFile(`/proc/${member}/status`, 'utf8').catch(() => null);
    if (status === null) continue;
    processes += 1;
    residentBytes += Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) * 1024;
    queue.push(...(children.get(member) ?? []));
  }
  return processes === 0 ? null : { processes, residentBytes };
}

/**
 * Resident memory of a connector's tree in bytes (Linux: the root and everything below it; macOS and
 * the BSDs: the root alone), or null when it cannot be read (Windows, gone, denied).
 */
export async function residentMemoryBytes(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<number | null> {
  if (platform === 'linux') return (await treeSize(pid))?.residentBytes ?? null;
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
    const out = await commandOutput('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = out === null ? NaN : Number.parseInt(out.trim(), 10);
    return Number.isFinite(kb) ? kb * 1024 : null;
  }
  return null;
}
