// The word someone probably meant when they mistyped one: a command, an option, a connector's or a
// tool's name. Shared by the CLI's own words and the engine's "no such name" sentences.

/**
 * The candidate closest to what was typed, if it is close enough to be a slip: a prefix of it
 * (`conn` → `connectors`), or at most 2 edits away (and fewer than half the word); case is ignored.
 */
export function closestWord(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word === '') return undefined;
  const prefixed = candidates.filter(
    (candidate) => candidate.toLowerCase().startsWith(word) && word.length >= 3,
  );
  if (prefixed.length === 1) return prefixed[0];
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
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
