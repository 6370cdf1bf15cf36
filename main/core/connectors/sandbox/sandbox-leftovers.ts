// The network bridge an engine of an earlier version left behind: that version started the runtime's
// shared proxy with socat processes in the engine's process group, which a kill -9 orphaned, and
// wrote their sockets down. Each sandboxed server now has its own proxy in the engine and its relays
// inside its own sandbox, so nothing of the kind is started; what an earlier version left is ended and
// removed at the next start, by the socket paths recorded — never by name alone, since another program
// (Claude Code) may run the same runtime.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RECORD = 'sandbox-network.json';

/** A process's command line as words (Linux /proc); none when it is gone. */
function readCommandLine(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Ends the socat processes listening on these sockets (Linux /proc) and removes the sockets. */
function endBridges(sockets: string[]): number {
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
