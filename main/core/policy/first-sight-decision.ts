// First sight's decision: one calibrated score a definition, from what its signals found (each signal,
// how much it weighed, the field and the reading it was found in) and the learned model's highest
// string score, weighed by a small logistic layer trained with the model (first-sight-model.json). A
// few findings no honest definition carries hold whatever the score (hardHold).
import type { DecisionLayer } from './first-sight-model.js';

/** Where in a definition a finding stands, as the layer tells fields apart. */
export type EvidenceField =
  | 'name'
  | 'title'
  | 'description'
  | 'property-name'
  | 'schema-text'
  | 'schema-value'
  | 'meta'
  | 'instructions'
  | 'together'
  | 'other';

/** How the text a finding stands in was read: as written, through a disguise, or decoded. */
export type EvidenceView = 'written' | 'disguised' | 'decoded';

/** One finding of a scan as the layer reads it. */
export interface Evidence {
  /** The finding's rule (a signal, a character rule, an encoded payload). */
  rule: string;
  /** What the signal weighed in its stretch (a character rule: 3). */
  weight: number;
  /** What the whole stretch weighed (every signal in it). */
  stretch: number;
  field: EvidenceField;
  view: EvidenceView;
  /**
   * The finding stands in the description of a property whose own name carries its words (a `confirm`
   * parameter said to skip the confirmation, a `hidden` field said to be hidden): a server documenting
   * its own parameter, which the layer weighs apart from an ask planted in some other property.
   */
  own: boolean;
  /** Evidence no honest definition carries (hardHold): held whatever the score. */
  hard: boolean;
}

/**
 * What holds whatever the layer says, because no honest definition carries it: characters no reader
 * sees (invisible, bidirectional controls, tag characters), a chat template's turn marker (a fake
 * system or user turn), a payload that, once decoded, asks something of the model, and an address a
 * schema fixes as what a call uses when the AI passes nothing (first-sight-fixed.ts). A real
 * server's honest wording (its own `confirm` parameter, a password manager's hidden fields) carries
 * none of these, so the layer can weigh everything else. Role tags and labels are not among them:
 * real query languages write `[System.Title]` and real docs `<system>` fields.
 */
export function hardHold(rule: string, view: EvidenceView, mark: string | undefined): boolean {
  if (rule === 'hidden-characters' || rule === 'fixed-address') return true;
  if (rule === 'role-marker') return mark === 'turn-marker';
  return view === 'decoded' && rule !== 'encoded-payload';
}

/** Shortest word of a property's name compared with the words that carry a finding. */
const OWN_WORD = 4;

/**
 * Whether a finding at `path` stands in a property's own description (or title) and the property's
 * name shares a word with the words that carry the finding (`said`): see Evidence.own.
 */
export function ownProperty(path: ReadonlyArray<string | number>, said: readonly string[]): boolean {
  const last = path[path.length - 1];
  const key = path[path.length - 2];
  if ((last !== 'description' && last !== 'title') || typeof key !== 'string') return false;
  if (path[path.length - 3] !== 'properties') return false;
  const names = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= OWN_WORD);
  const words = said.flatMap((text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return names.some((name) =>
    words.some((word) => word.length >= OWN_WORD && (word.startsWith(name) || name.startsWith(word))),
  );
}

/** The field of a string at `path` (`note`: it is a key itself, `(name)` or `(key)`). */
export function fieldOf(path: ReadonlyArray<string | number>, note: string | undefined): EvidenceField {
  const head = path[0];
  const last = path[path.length - 1];
  if (head === 'instructions') return 'instructions';
  if (head === '_meta' || head === 'annotations') return 'meta';
  if (path.length === 1)
    return head === 'name'
      ? 'name'
      : head === 'title'
        ? 'title'
        : head === 'description'
          ? 'description'
          : 'other';
  if (note !== undefined || (head === 'arguments' && last === 'name')) return 'property-name';
  if (head === 'inputSchema' || head === 'outputSchema' || head === 'arguments')
    return last === 'description' || last === 'title' ? 'schema-text' : 'schema-value';
  return 'other';
}

/** Scores below this are read as this: a definition with no string at all. */
const LOWEST = -10;
/** Hinges of the model's score: the layer weighs it piece by piece (a straight line bends there). */
const HINGES = [0, 2, 4];

/**
 * The layer's features of a definition: the model's highest string score (and its hinges), the field
 * that string stands in (a property's description asking for something weighs apart from the tool's
 * own description), the second-highest string score (an ask spread over two fields), the highest
 * score of a long string's sentences scored apart (one buried among honest ones), what its strings read
 * together add to the highest (an ask split across fields: first-sight-scoring.ts scoreTogether), and
 * for each finding its rule, weight, field and reading, the heaviest stretch, how many rules, the kind.
 * Nothing here falls as honest strings are added but what the strings read together add, which speaks
 * only where no string alone says as much: how many strings a definition has is not a feature (a count
 * that discounts would let an attacker pad a poisoned tool with honest parameters until it passes),
 * and the trainer keeps the weights of the second score and of what is added at zero or above.
 */
export function decisionFeatures(
  evidence: readonly Evidence[],
  top: number,
  kind: string,
  second = -Infinity,
  topField?: EvidenceField,
  part = -Infinity,
  together = -Infinity,
): Map<string, number> {
  const features = new Map<string, number>();
  const most = (feature: string, value: number) =>
    features.set(feature, Math.max(features.get(feature) ?? -Infinity, value));
  const score = Math.max(LOWEST, top);
  features.set('model', score);
  for (const hinge of HINGES) features.set(`model>${hinge}`, Math.max(0, score - hinge));
  features.set(`kind:${kind}`, 1);
  if (topField !== undefined) {
    features.set(`model@${topField}`, score);
    features.set(`model>0@${topField}`, Math.max(0, score));
  }
  // Only what the second string adds: a name's low score says nothing of a small definition.
  if (second > 0) features.set('model2>0', second);
  // A sentence of a long string scored apart (one buried among honest ones), where it scores above
  // zero: what it adds to the strings' own highest score.
  if (part > 0) {
    features.set('part>0', part);
    features.set('part-model>0', Math.max(0, part - score));
  }
  // The strings read together, only where they score above every string alone (and above zero): what
  // reading them together adds. Honest strings added dilute the reading together, so it must never be
  // what holds an ask a string says alone: padding then takes away only what the fields say together.
  if (together > 0 && together > score) features.set('together-model>0', together - Math.max(0, score));
  const rules = new Set<string>();
  for (const e of evidence) {
    rules.add(e.rule);
    most(e.rule, 1);
    most(`${e.rule}:weight`, e.weight / 3);
    // A property's own description is a field of its own: a server documenting its `confirm`
    // parameter is weighed apart from an ask planted in some other property's description.
    most(`${e.rule}@${e.own ? 'own-property' : e.field}`, 1);
    most(`${e.rule}~${e.view}`, 1);
    most('stretch', e.stretch / 3);
    for (const at of [4, 5, 6]) if (e.stretch >= at) most(`stretch>=${at}`, 1);
  }
  if (rules.size > 0) {
    features.set('rules', rules.size);
    if (rules.size > 1) features.set('rules>1', 1);
    features.set('found*model', score);
  }
  return features;
}

/** A definition's highest string score, the field of that string, and the second-highest score. */
export interface TopScores {
  top: number;
  second: number;
  field: EvidenceField | undefined;
}

/**
 * The highest and second-highest of a definition's string scores, in its strings' order, as the scan
 * keeps them (a tie stays with the first): what the trainer and the tests give `decisionFeatures`.
 * @internal Exported for its tests only: the scores behind a decision, which a finding does not show.
 */
export function topScores(scored: Iterable<{ score: number; field: EvidenceField }>): TopScores {
  const best: TopScores = { top: -Infinity, second: -Infinity, field: undefined };
  for (const { score, field } of scored) {
    if (best.field !== undefined && score <= best.top) best.second = Math.max(best.second, score);
    else {
      if (best.field !== undefined) best.second = best.top;
      [best.top, best.field] = [score, field];
    }
  }
  return best;
}

/** A definition of at most this many strings is short (a name and a sentence). */
const SHORT_STRINGS = 2;

/**
 * Whether a definition of `strings` strings (as the scan counts them) is short.
 * @internal Exported for the trainer (scripts/train-first-sight-model.mjs, which reads it from dist/) and its tests.
 */
export const isShort = (strings: number): boolean => strings <= SHORT_STRINGS;

/**
 * The score a definition is held at: its layer's threshold for what a signal found something in, or for
 * the model's reading alone — a short definition's own there (a name and one sentence, read whole, reads
 * higher than one sentence among many). The short one's is never the lower (modelFrom refuses a file
 * where it is): one honest string added to a short definition must not raise the bar it is held at.
 */
export function holdThreshold(
  layer: Pick<DecisionLayer, 'holdAt' | 'holdAtModelAlone' | 'holdAtModelAloneShort'>,
  found: boolean,
  strings: number,
): number {
  if (found) return layer.holdAt;
  return isShort(strings) ? layer.holdAtModelAloneShort : layer.holdAtModelAlone;
}

/** The layer's score of a definition's features (a logit, held at `holdThreshold`'s). */
export function decisionScore(features: ReadonlyMap<string, number>, layer: DecisionLayer): number {
  let score = layer.bias;
  for (const [feature, value] of features) score += (layer.weights.get(feature) ?? 0) * value;
  return score;
}
