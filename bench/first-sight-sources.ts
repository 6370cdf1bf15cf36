// Which first-sight corpora are trained on and which one is held out, in one place: the corpus bench,
// the listing-cost bench and the model's trainer (scripts/train-first-sight-model.mjs, from dist/) read
// it. When the held-out corpus is retired into training, it moves to RETIRED here and a new one,
// written first, takes HELD_OUT.

/** The retired held-out corpora by source name, folders of test/fixtures/first-sight/: each measured once, trained on since. */
export const RETIRED: Readonly<Record<string, string>> = {
  A: 'held-out',
  B: 'held-out-2',
  C: 'held-out-3',
  D: 'held-out-4',
  E: 'held-out-5',
  F: 'held-out-6',
  G: 'held-out-7',
  H: 'held-out-8',
};

/** The held-out corpus: never read, tuned or trained on by whoever works on first sight. */
export const HELD_OUT = { name: 'I', folder: 'held-out-9' } as const;
