// First sight's threshold, and the most a set of concepts could weigh under it: what lets the one
// pass over a string (first-sight-gate.ts) and the judgement of its stretches (first-sight-signals.ts)
// leave a text unread once nothing in it could be held.
import { CONCEPT as K } from './first-sight-concept-bits.js';

/** A stretch of text is held when its signals weigh this much. */
export const HOLD_AT = 3;

/**
 * The most the signals of a text with these concepts (and no mark) could weigh: each signal whose
 * concepts are all there, at its heaviest. An upper bound of signalsOf (first-sight-signals.ts), read
 * from the bits alone. Nothing checks the bound by itself: the gate test (gated scan against every
 * reading, on the tuning corpus and generated definitions) would fail if it were ever too low.
 */
export function mostWeight(c: number): number {
  let weight = 0;
  if ((c & (K.secret | K.place)) !== 0 && (c & (K.hand | K.passive | K.tell | K.read)) !== 0) weight += 5;
  if (((c & K.tell) !== 0 && (c & (K.not | K.notAfter)) !== 0) || (c & K.hide) !== 0) weight += 3;
  if ((c & K.consent) !== 0 && (c & (K.not | K.notAfter)) !== 0) weight += 3;
  if (
    ((c & K.ignore) !== 0 && (c & (K.prior | K.rules)) !== 0) ||
    ((c & K.now) !== 0 && (c & (K.rules | K.model | K.authority)) !== 0)
  )
    weight += 3;
  if ((c & K.tool) !== 0 && (c & (K.other | K.all)) !== 0) weight += 6;
  if ((c & (K.recipient | K.replace)) !== 0) weight += 2;
  if ((c & K.authority) !== 0) weight += 1;
  if ((c & (K.deceive | K.despite)) !== 0) weight += 3;
  if ((c & (K.model | K.you)) !== 0) weight += 1;
  return weight;
}

/** Egress a mark can carry: none, to an address (1 or 2), through a data link or into a shell (3). */
const NO_EGRESS = 0;
const TO_ADDRESS = 1;
const THROUGH_LINK = 3;

/** What a mark found in a text (first-sight-concepts.ts markHits) adds as a role marker: its weight, or 0. */
export function markRole(mark: { mark: string; weight: number }): number {
  return mark.mark === 'data-link' ||
    mark.mark === 'pipe-to-shell' ||
    mark.mark === 'address' ||
    mark.mark === 'personal-address' ||
    mark.mark === 'destination'
    ? 0
    : mark.weight;
}

/** What a mark found in a text adds as egress: NO_EGRESS, TO_ADDRESS or THROUGH_LINK. */
export function markEgress(mark: { mark: string }): number {
  if (mark.mark === 'data-link' || mark.mark === 'pipe-to-shell') return THROUGH_LINK;
  return mark.mark === 'address' || mark.mark === 'personal-address' ? TO_ADDRESS : NO_EGRESS;
}

/**
 * The most a stretch could weigh with these concepts and marks: its concepts' most (mostWeight), the
 * heaviest role marker (`role`), the heaviest egress (`egress`: a data link 3; an address 2 with a verb
 * that hands something over, else 1), and one for words read through a disguise.
 */
export function mostWeightWith(concepts: number, role: number, egress: number, disguised: boolean): number {
  const out =
    egress === THROUGH_LINK
      ? 3
      : egress === TO_ADDRESS
        ? (concepts & (K.hand | K.passive)) !== 0
          ? 2
          : 1
        : 0;
  return mostWeight(concepts) + role + out + (disguised ? 1 : 0);
}
