// What a refusal of the sandbox tells the user: for a host its gate refused, the grant that would let
// the connector reach it (none for Gatehouse's own port, link-local addresses or the way the machine's
// proxy settings send it); for a write the
// observer saw, why it was refused and the folder grant that would allow it, where one may be given.
import path from 'node:path';
import type { HostRefusal } from './sandbox-gate-rules.js';
import type { Refusal, RefusalGrant } from './sandbox-refusals.js';
import type { SandboxPlace, SandboxProfile } from './sandbox-profile.js';
import { isAtOrUnder, refusedGrant } from './sandbox-grants.js';
import { warningFor } from './grant-proposals.js';
import { knownSearchDirs } from '../processes/stdio-launch.js';

/** The grant that lets a connector reach what its gate refused, or null where nothing may. */
export function hostAllow(refused: HostRefusal): RefusalGrant | null {
  const { host, port } = refused;
  // No grant reaches Gatehouse's port or cloud metadata, nor changes what the machine's proxy settings say.
  if (/Gatehouse's own port|the machine's proxy/.test(refused.reason) || /^169\.254\./.test(host))
    return null;
  const literal = /^[0-9.]+$/.test(host) || host.includes(':');
  if (literal || host === 'localhost' || host.endsWith('.localhost')) {
    return { kind: 'local', value: `${host.includes(':') ? `[${host}]` : host}:${port}` };
  }
  return { kind: 'domain', value: host };
}

/**
 * A write the observer saw attempted, judged: undefined where it lies in what the server may write
 * (or in /dev, /proc, /sys and __pycache__, which need no word); else the refusal to record.
 */
export function writeRefusal(
  name: string,
  profile: SandboxProfile,
  place: SandboxPlace,
  target: string,
): Pick<Refusal, 'kind' | 'target' | 'reason' | 'grant' | 'allow'> | undefined {
  if (/^\/(dev|proc|sys)(\/|$)/.test(target) || target.includes('/__pycache__/')) return undefined;
  if (profile.protected.some((p) => isAtOrUnder(target, p.path))) {
    return {
      kind: 'write',
      target,
      reason: 'git, an editor or an AI client runs what is there later, so no server may change it',
      grant: null,
      allow: null,
    };
  }
  if (profile.write.some((granted) => isAtOrUnder(target, granted))) return undefined;
  const folder = path.dirname(target);
  const refused = refusedGrant(folder, place);
  const careful = refused === null ? warningFor(folder, 'write', place, knownSearchDirs()) : null;
  return {
    kind: 'write',
    target,
    reason:
      refused === null
        ? `it is outside what it may write (its workspace, scratch and temp folders)${careful ? `; careful: ${careful}` : ''}`
        : `it is outside what it may write, and ${folder} cannot be granted (${refused}); grant a folder of its own instead`,
    grant:
      refused === null
        ? `gatehouse connectors edit ${name} --add-folder ${tildeOf(folder, place.home)}`
        : null,
    allow: refused === null ? { kind: 'folder', value: tildeOf(folder, place.home) } : null,
  };
}

const tildeOf = (target: string, home: string) =>
  isAtOrUnder(target, home) && target !== home ? `~/${path.relative(home, target)}` : target;
