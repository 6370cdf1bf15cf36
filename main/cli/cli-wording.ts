// Engine messages are written for the window ("the registry URL in Settings"); on the command line the
// same sentence names the command that changes the setting, and a mistyped word gets a suggestion.
import { REGISTRY_URL_IN_SETTINGS } from '../core/text.js';

/** The window's pointers to Settings and what the CLI says in their place. */
const SETTINGS_POINTERS: ReadonlyArray<readonly [string, string]> = [
  [REGISTRY_URL_IN_SETTINGS, 'the registry URL (`gatehouse settings set registryUrl URL`)'],
];

/** An engine message as the command line should say it: settings pointed at by their command. */
export function forCommandLine(message: string): string {
  let text = message;
  for (const [window, cli] of SETTINGS_POINTERS) text = text.split(window).join(cli);
  return text;
}

/**
 * The candidate closest to what was typed, if it is close enough to be a slip: a prefix of it
 * (`conn` → `connectors`), or at most 2 edits away (and fewer than half the word).
 */
export function closestWord(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word === '') return undefined;
  const prefixed = candidates.filter((candidate) => candidate.startsWith(word) && word.length >= 3);
  if (prefixed.length === 1) return prefixed[0];
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= Math.min(2, Math.floor(word.length / 2)) && (!best || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

/** Damerau–Levenshtein (optimal string alignment): a swap of two letters counts as one slip. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
