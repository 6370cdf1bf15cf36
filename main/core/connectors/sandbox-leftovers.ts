// The network bridge a killed engine left behind: the runtime's socat processes (started in the
// engine's process group, so a kill -9 orphans them) and their sockets in the temp folder. Written
// down when started; ended and removed at the next start, by the socket paths recorded — never by
// name alone, since another program (Claude Code) may run the same runtime.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RECORD = 'sandbox-network.json';

/** Writes down the bridge sockets this engine started. */
export function recordBridge(dataDir: string, sockets: string[]): void {
  writeFileSync(path.join(dataDir, RECORD), JSON.stringify({ sockets }), { mode: 0o600 });
}

/** A process's command line as words (Linux /proc); none when it is gone. */
function readCommandLine(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * Ends the socat processes listening on these sockets (Linux /proc) and removes the sockets; returns
 * how many it ended. Also used at a clean stop: the runtime's own reset() ends them only after an
 * await, which a quitting process may not reach.
 */
export function endBridges(sockets: string[]): number {
  let ended = 0;
  if (sockets.length > 0 && process.platform === 'linux') {
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const words = readCommandLine(entry);
      if (!path.basename(words[0] ?? '').startsWith('socat')) continue;
      if (!sockets.some((socket) => words.some((word) => word.startsWith(`UNIX-LISTEN:${socket},`))))
        continue;
      try {
        process.kill(Number(entry), 'SIGKILL');
        ended++;
      } catch {
        // already gone
      }
    }
  }
  for (const socket of sockets) rmSync(socket, { force: true });
  return ended;
}

/** Crosses the record out once the bridge was stopped cleanly. */
export function forgetBridge(dataDir: string): void {
  rmSync(path.join(dataDir, RECORD), { force: true });
}

/** Whether something still listens on a Unix socket. */
function listening(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Ends the socat bridges of the engine that ran before this one (found by the socket path on their
 * command line, Linux /proc) and removes their sockets; then removes any runtime socket in the temp
 * folder that nothing listens on. Returns how many processes it ended.
 */
export async function reapLeftoverBridges(dataDir: string, temp: string = tmpdir()): Promise<number> {
  let sockets: string[] = [];
  try {
    sockets = (JSON.parse(readFileSync(path.join(dataDir, RECORD), 'utf8')) as { sockets: string[] }).sockets;
  } catch {
    // none recorded
  }
  const ended = endBridges(sockets);
  rmSync(path.join(dataDir, RECORD), { force: true });
  let names: string[] = [];
  try {
    names = readdirSync(temp).filter((name) => /^claude-(http|socks)-[0-9a-f]+\.sock$/.test(name));
  } catch {
    // no temp folder to sweep
  }
  for (const name of names) {
    const socket = path.join(temp, name);
    if (!(await listening(socket))) rmSync(socket, { force: true });
  }
  return ended;
}
