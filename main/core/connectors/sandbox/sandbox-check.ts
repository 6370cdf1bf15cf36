// Whether the OS sandbox for local servers works on this machine, and if not, why and how to fix it:
// bubblewrap (with user namespaces) and socat on Linux (every sandboxed server reaches the network
// through its own proxy, which socat relays into the sandbox); sandbox-exec on macOS. Asked once per
// engine; `gatehouse status` and Settings show it.
import { spawnSync } from 'node:child_process';
import { constants, accessSync } from 'node:fs';
import path from 'node:path';

/** What the sandbox can do here, in words for the user. */
export interface SandboxCheck {
  /** A sandboxed connector can start. */
  works: boolean;
  /** What confines servers here: 'bubblewrap', 'sandbox-exec', or null where nothing does. */
  mechanism: 'bubblewrap' | 'sandbox-exec' | null;
  /** A connector limited to a list of hosts can start (the same as `works` since every server has a proxy). */
  hostLists: boolean;
  /** Why the sandbox (or its host lists) cannot run here; null when all works. */
  problem: string | null;
  /** What to do about it; null when all works. */
  fix: string | null;
}

/** The one line that makes the Linux sandbox work on Debian and Ubuntu. */
const LINUX_INSTALL = 'sudo apt install bubblewrap socat';

// Ubuntu 24.04 lets an unprivileged process create a user namespace only with an AppArmor profile
// that allows it; the apparmor package ships one for /usr/bin/bwrap (bwrap-userns-restrict).
const USERNS_FIX =
  'User namespaces are turned off or restricted here. On Ubuntu 24.04 use the distribution\'s bubblewrap at /usr/bin/bwrap (the apparmor package ships its "bwrap" profile; `sudo apparmor_parser -r /etc/apparmor.d/bwrap-userns-restrict` loads it), or allow them for everyone with `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; elsewhere `sudo sysctl -w kernel.unprivileged_userns_clone=1` or `user.max_user_namespaces=15000`.';

/** The first executable `name` on PATH (plus /usr/bin and /usr/local/bin), or null. */
function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin', '/bin'].filter(Boolean);
  for (const dir of dirs) {
    const full = path.join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

function linuxCheck(): SandboxCheck {
  const bwrap = findProgram('bwrap');
  const missing = [
    bwrap === null ? 'bubblewrap (bwrap)' : null,
    findProgram('socat') === null ? 'socat' : null,
  ].filter((program): program is string => program !== null);
  if (missing.length > 0 || bwrap === null) {
    return {
      works: false,
      mechanism: null,
      hostLists: false,
      problem: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed, so local servers cannot be sandboxed.`,
      fix: `Install them: \`${LINUX_INSTALL}\` (Fedora: \`sudo dnf install bubblewrap socat\`).`,
    };
  }
  // The same namespaces a connector's sandbox asks for, on a command that does nothing.
  const probe = spawnSync(
    bwrap,
    [
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--unshare-pid',
      '--unshare-user',
      '--proc',
      '/proc',
      '--die-with-parent',
      '--',
      '/bin/true',
    ],
    { timeout: 5000, encoding: 'utf8' },
  );
  if (probe.error || probe.status !== 0) {
    const said = (probe.stderr || String(probe.error ?? '')).trim().split('\n')[0] ?? '';
    return {
      works: false,
      mechanism: null,
      hostLists: false,
      problem: `bubblewrap cannot start a sandbox on this machine${said ? ` ("${said}")` : ''}.`,
      fix: USERNS_FIX,
    };
  }
  return { works: true, mechanism: 'bubblewrap', hostLists: true, problem: null, fix: null };
}

/** Checks this machine's sandbox (runs bubblewrap once on Linux, ~10 ms). */
export function checkSandbox(platform: NodeJS.Platform = process.platform): SandboxCheck {
  if (platform === 'linux') return linuxCheck();
  if (platform === 'darwin') {
    const present = findProgram('sandbox-exec') !== null;
    return present
      ? { works: true, mechanism: 'sandbox-exec', hostLists: true, problem: null, fix: null }
      : {
          works: false,
          mechanism: null,
          hostLists: false,
          problem: 'sandbox-exec is missing from /usr/bin, so local servers cannot be sandboxed.',
          fix: 'sandbox-exec is part of macOS; reinstall or update macOS.',
        };
  }
  return {
    works: false,
    mechanism: null,
    hostLists: false,
    problem: `Gatehouse sandboxes local servers on Linux and macOS; on ${platform === 'win32' ? 'Windows' : platform} it cannot yet.`,
    fix: 'Run a local server you trust unsandboxed: it then has your full rights.',
  };
}
