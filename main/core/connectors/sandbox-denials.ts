// Says what the sandbox refused a server, from what the server printed: a write outside its
// workspace (EROFS, "Read-only file system"; EPERM under Seatbelt), a read of a secret or of
// Gatehouse's data (hidden, so ENOENT), each with how to allow it. Network refusals are reported by
// the runtime's proxy instead (connector-sandbox.ts), with the host.
import path from 'node:path';
import type { SandboxPlace, SandboxProfile } from './sandbox-profile.js';
import { SECRET_PATHS } from '../secrets/secret-locations.js';

// Node: "EROFS: read-only file system, open '/x'"; C tools and shells: "/x: Read-only file system";
// Python: "[Errno 30] Read-only file system: '/x'"; macOS: "EPERM: operation not permitted, open '/x'".
const WRITE_REFUSED = [
  /EROFS: read-only file system, \w+ '([^']+)'/i,
  /Read-only file system: '([^']+)'/i,
  /(\/[^\s:'"]+): Read-only file system/i,
  /EPERM: operation not permitted, (?:open|mkdir|rename|unlink|symlink|copyfile|rmdir) '([^']+)'/i,
];
const READ_MISSING = [
  /ENOENT: no such file or directory, \w+ '([^']+)'/i,
  /No such file or directory: '([^']+)'/i,
  /(\/[^\s:'"]+): No such file or directory/i,
];

const isAtOrUnder = (child: string, parent: string) => child === parent || child.startsWith(`${parent}/`);

/**
 * Sentences for the user, one per refused path (at most three), saying what the sandbox refused and
 * how to allow it; none when the lines show no refusal.
 */
export function explainDenials(
  name: string,
  lines: string[],
  profile: SandboxProfile,
  place: SandboxPlace,
): string[] {
  const sentences = new Map<string, string>();
  const secrets = SECRET_PATHS.map((rel) => path.join(place.home, rel));
  for (const line of lines) {
    for (const pattern of WRITE_REFUSED) {
      const target = pattern.exec(line)?.[1];
      if (!target || sentences.has(target)) continue;
      if (isAtOrUnder(target, place.dataDir) || secrets.some((secret) => isAtOrUnder(target, secret))) {
        sentences.set(target, protectedSentence(name, target, place));
        continue;
      }
      const folder = path.dirname(target);
      sentences.set(
        target,
        `The sandbox refused ${name} a write to ${target}: it may write only to its workspace (${profile.workspace.join(', ') || 'no folder yet'}), its own scratch folder and temp. To allow it: gatehouse connectors edit ${name} --add-folder ${folder}`,
      );
    }
    for (const pattern of READ_MISSING) {
      const target = pattern.exec(line)?.[1];
      if (!target || sentences.has(target)) continue;
      if (isAtOrUnder(target, place.dataDir) || secrets.some((secret) => isAtOrUnder(target, secret))) {
        sentences.set(target, protectedSentence(name, target, place));
      }
    }
  }
  return [...sentences.values()].slice(0, 3);
}

function protectedSentence(name: string, target: string, place: SandboxPlace): string {
  if (isAtOrUnder(target, place.dataDir)) {
    return `The sandbox hid ${target} from ${name}: it is Gatehouse's own data, which no local server may read or write.`;
  }
  return `The sandbox hid ${target} from ${name}: it is one of your secrets (docs/security-model.md lists them). If ${name} truly needs it, run it without a sandbox: gatehouse connectors edit ${name} --no-sandbox`;
}
