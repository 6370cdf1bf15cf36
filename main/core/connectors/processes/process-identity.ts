// Which process a pid names, in a form that differs for a later process given the same pid (its start
// time), so that a recorded pid the system has since given to someone else's process is never touched;
// and the short commands (ps, PowerShell) that read it where /proc does not.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** PowerShell takes a second or more to start on a busy Windows machine. */
export const POWERSHELL_TIMEOUT_MS = 15_000;

/**
 * Says which process `pid` is, in a form that differs for a later process given the same pid: its
 * start time (Linux: clock ticks since boot, with the boot's id; macOS and BSD: `ps -o lstart`;
 * Windows: the creation time). Null when no such process exists (or it cannot be read).
 */
export async function processIdentity(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  if (platform === 'linux') {
    const start = linuxStartTicks(pid);
    return start === null ? null : `linux:${bootId()}:${start}`;
  }
  if (platform === 'win32') {
    const out = await commandOutput(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CreationDate.ToFileTimeUtc()`,
      ],
      POWERSHELL_TIMEOUT_MS,
    );
    const time = out?.trim();
    return time && /^\d+$/.test(time) ? `win32:${time}` : null;
  }
  const out = await commandOutput('ps', ['-o', 'lstart=', '-p', String(pid)]);
  const started = out?.trim();
  return started ? `ps:${started}` : null;
}

/** Linux: the fields of /proc/<pid>/stat after the command name, or null when it cannot be read. */
export function linuxStat(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command (which may itself hold spaces and parentheses): state,
    // ppid, pgrp, … starttime is field 22 of proc(5), so index 19 here.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A zombie has ended: it only waits for its parent to collect its exit status. */
function linuxStartTicks(pid: number | string): string | null {
  const fields = linuxStat(pid);
  return fields && fields[0] !== 'Z' ? (fields[19] ?? null) : null;
}

let cachedBootId: string | undefined;
/** Linux: this boot's id, so a start time from an earlier boot never matches. */
export function bootId(): string {
  cachedBootId ??= (() => {
    try {
      return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      return 'unknown-boot';
    }
  })();
  return cachedBootId;
}

/** Runs a short command and resolves to its stdout, or null when it fails or outlasts `timeoutMs`. */
export function commandOutput(file: string, args: string[], timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}
