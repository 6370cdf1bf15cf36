// The resident memory of a connector's root process, for the status line.
import { readFile } from 'node:fs/promises';
import { commandOutput } from './process-identity.js';

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
    const out = await commandOutput('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = out === null ? NaN : Number.parseInt(out.trim(), 10);
    return Number.isFinite(kb) ? kb * 1024 : null;
  }
  return null;
}
