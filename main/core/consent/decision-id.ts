// Ids of the questions a person answers by id — consents, registrations, tool approvals — as they
// are printed and typed back: `gatehouse consents approve <id>`. Base64url starts with "-" one time
// in 64, and a command-line parser takes such an argument for an option ("has no option -C").
import type { Random } from '../effects.js';

/**
 * A random, unguessable id (`bytes` of randomness, base64url) that never starts with "-": one that
 * would is drawn again, which costs under 2 % of the id space and nothing in unpredictability.
 */
export function decisionId(random: Random, bytes = 9): string {
  for (;;) {
    const id = random.bytes(bytes).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
