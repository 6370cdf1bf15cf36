// Which first-sight corpora are trained on and which one is held out, in one place: the corpus bench,
// the listing-cost bench and the model's trainer (scripts/train-first-sight-model.mjs, from dist/) read
// it. When the held-out corpus is retired into training, it moves to RETIRED here and a new one,
// written first, takes HELD_OUT. WRITTEN are corpora written for training only.

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
  I: 'held-out-9',
  J: 'held-out-10',
  K: 'held-out-11',
  L: 'held-out-12',
  M: 'held-out-13',
  N: 'held-out-14',
  O: 'held-out-15',
  P: 'held-out-16',
  Q: 'held-out-17',
  R: 'held-out-18',
  S: 'held-out-19',
  U: 'held-out-20',
  V: 'held-out-21',
  Z: 'held-out-22',
  AB: 'held-out-23',
  AD: 'held-out-24',
  AG: 'held-out-25',
  AI: 'held-out-26',
  AK: 'held-out-27',
  AM: 'held-out-28',
  AO: 'held-out-29',
  AQ: 'held-out-30',
  AS: 'held-out-31',
  AU: 'held-out-32',
  AW: 'held-out-33',
  AY: 'held-out-34',
  BA: 'held-out-35',
  BC: 'held-out-36',
};

/** A corpus written for training: its folder, and whether its poisoned half is trained on. */
export interface WrittenCorpus {
  folder: string;
  /**
   * False keeps the poisoned half out of training (its real half is trained on). W's is trained on: kept out
   * while it made the model hold honest prompts that summarise the conversation and e-mail tools with copies,
   * it has held none of the tests' honest ones since X's real half taught the model those kinds
   * (docs/decisions.md, "One score: signals, a small learned model, and a layer over both").
   */
  poisoned: boolean;
}

/**
 * Corpora written for training by source name, folders of test/fixtures/first-sight/: written by
 * helpers the way the held-out ones are (by hand, from a brief that shows no part of first sight; real
 * definitions listed live from servers no other corpus has), but never held out. Trained on and
 * validated like a retired corpus.
 */
export const WRITTEN: Readonly<Record<string, WrittenCorpus>> = {
  W: { folder: 'written-10', poisoned: true },
  Y: { folder: 'written-17', poisoned: true },
  AA: { folder: 'written-22', poisoned: true },
  AE: { folder: 'written-24', poisoned: true },
  AX: { folder: 'written-34', poisoned: true },
  AZ: { folder: 'written-35', poisoned: true },
  BB: { folder: 'written-36', poisoned: true },
  BD: { folder: 'written-37', poisoned: true },
  BE: { folder: 'written-38', poisoned: true },
  BG: { folder: 'written-39', poisoned: true },
  BI: { folder: 'written-40', poisoned: true },
};

/**
 * Real definitions collected for training by source name, folders of test/fixtures/first-sight/: copied
 * verbatim from the published sources of servers no other corpus lists (each item's file and line in its
 * `SOURCES.txt`), by helpers whose briefs showed no part of first sight and no corpus; never written. A real
 * half only: honest e-mail, messaging and conversation tools and prompts, the kinds written attacks imitate.
 * Trained on and held back in validation like a written corpus's real half.
 */
export const COLLECTED: Readonly<Record<string, string>> = {
  X: 'collected-12',
  AC: 'collected-23',
  AF: 'collected-25',
  AH: 'collected-26',
  AJ: 'collected-27',
  AL: 'collected-28',
  AN: 'collected-29',
  AP: 'collected-30',
};

/**
 * Held-out corpora read once by the model that shipped with them and not trained on yet: first sight's
 * rules may have been written since with what they missed in view, so their figures are no longer held-out
 * ones, nor fit. The next model round trains on them (they move to RETIRED). BF, read once by stamp 33 (round
 * 39's model); round 42 trains on it.
 */
export const READ: Readonly<Record<string, string>> = { BF: 'held-out-37' };

/**
 * The held-out corpus: never read, tuned or trained on by whoever works on first sight, and read once by each
 * first sight that ships. BH (held-out-38/) was written apart while round 39 trained, and read by no first sight
 * until stamp 34 (round 41) shipped. BJ (held-out-39/), written apart while round 40 trained, is the next, then BL
 * (held-out-40/): read by no first sight until the next one that changes a finding ships.
 */
export const HELD_OUT = { name: 'BH', folder: 'held-out-38' } as const;
