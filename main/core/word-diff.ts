// What changed between two texts, word by word: a held tool's description (or schema) before and
// after, so a long definition shows the few words an upstream slipped in. Pure, with no Node imports:
// the window marks the words, `gatehouse tools review` prints them git-style.

/** A run of words both texts share, or that only the old (`removed`) or new (`added`) one has. */
export interface DiffPart {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
}

/** Past this many word pairs (about 1,000 words a side) the comparison costs too much: the texts are shown whole. */
const MAX_CELLS = 4_000_000;

/** Words and the whitespace between them, so the parts put back together give each text exactly. */
function words(text: string): string[] {
  return text.match(/\S+|\s+/g) ?? [];
}

/**
 * The two texts as runs of shared, removed and added words (a longest common subsequence of words);
 * null when the texts are too long to compare here.
 */
export function wordDiff(before: string, after: string): DiffPart[] | null {
  const a = words(before);
  const b = words(after);
  if (a.length * b.length > MAX_CELLS) return null;
  // lengths[i][j]: the longest common run of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] =
        a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  // Walk the table: one step per word or space, shared, taken out or put in.
  const steps: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      steps.push({ kind: 'same', text: b[j]! });
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
      steps.push({ kind: 'removed', text: a[i++]! });
    } else {
      steps.push({ kind: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) steps.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) steps.push({ kind: 'added', text: b[j++]! });
  return readable(steps);
}

/**
 * Steps as a reader wants them: a lone shared space between two changes belongs to the change (so
 * "a b" → "c d" is one change, not four), and each change is its removed words then its added words.
 */
function readable(steps: readonly DiffPart[]): DiffPart[] {
  const parts: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed === '' && added === '') return;
    if (removed) parts.push({ kind: 'removed', text: removed });
    if (added) parts.push({ kind: 'added', text: added });
    removed = '';
    added = '';
  };
  const same = (text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last?.kind === 'same') parts[parts.length - 1] = { kind: 'same', text: last.text + text };
    else parts.push({ kind: 'same', text });
  };
  steps.forEach((step, index) => {
    const between =
      step.kind === 'same' &&
      /^\s+$/.test(step.text) &&
      (removed !== '' || added !== '') &&
      steps[index + 1] !== undefined &&
      steps[index + 1]!.kind !== 'same';
    if (between) {
      removed += step.text;
      added += step.text;
    } else if (step.kind === 'same') {
      flush();
      same(step.text);
    } else if (step.kind === 'removed') removed += step.text;
    else added += step.text;
  });
  flush();
  return parts;
}

/** The changes as a terminal shows them, as `git diff --word-diff` does: `[-old-]{+new+}`. */
export function wordDiffText(parts: readonly DiffPart[]): string {
  return parts
    .map((part) => {
      if (part.kind === 'same') return part.text;
      const { lead, words, trail } = spacedWords(part.text);
      return part.kind === 'removed' ? `${lead}[-${words}-]${trail}` : `${lead}{+${words}+}${trail}`;
    })
    .join('');
}

/** A change's words apart from the spaces around them, which are shown unmarked. */
export function spacedWords(text: string): { lead: string; words: string; trail: string } {
  const lead = /^\s*/.exec(text)![0];
  const rest = text.slice(lead.length);
  const trail = /\s*$/.exec(rest)![0];
  return { lead, words: rest.slice(0, rest.length - trail.length), trail };
}
