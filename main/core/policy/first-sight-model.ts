// First sight's learned model: a logistic regression over one string's hashed character and word
// n-grams and the lexicon's concepts, shipped as data (first-sight-model.json, trained by
// scripts/train-first-sight-model.mjs), with the layer that weighs a definition's highest string
// score beside its signals (first-sight-decision.ts). Read from the file on the first scan.
import MODEL from './first-sight-model.json' with { type: 'json' };

/** Hashed feature slots: a power of two (the weights file's length). */
const SLOTS_BITS = 19;
const SLOTS = 1 << SLOTS_BITS;
/** Concepts' bits in the lexicon (first-sight-concept-bits.ts CONCEPT), each a feature and each pair too. */
const CONCEPT_BITS = 31;
/** Seeds that keep the kinds of feature apart in the one table. */
const CHAR_SEED = 0x811c9dc5;
const WORD_SEED = 0x01000193;
const PAIR_SEED = 0x2545f491;
const CONCEPT_SEED = 0x9e3779b9;
const NAME_SEED = 0x85ebca6b;
const HAN_SEED = 0xc2b2ae35;
/** Longest text read by the model, in characters: past it a hostile string costs no more. */
const MAX_CHARS = 4000;

/**
 * Whether a layer feature grows as honest strings are added to a definition (a second string's score, a
 * long string's sentence's, and what that adds to the highest), or speaks only for holding (what the strings
 * read together add to the highest, which honest strings dilute): its weight is never below zero (the
 * trainer projects it there, and modelFrom refuses a file where it is), so that padding a poisoned
 * definition with honest text never lowers its score.
 * @internal Exported for the trainer (scripts/train-first-sight-model.mjs, which reads it from dist/).
 */
export function risingFeature(feature: string): boolean {
  return (
    feature === 'model2>0' ||
    feature === 'part>0' ||
    feature === 'part-model>0' ||
    feature === 'together-model>0'
  );
}

/** The weights file as written by the trainer. */
interface ModelFile {
  format: typeof FORMAT;
  slots: number;
  /** Each weight is `scale * (byte - 128)`: an unsigned byte per slot, base64. */
  scale: number;
  bias: number;
  weights: string;
  /** The definition's layer (first-sight-decision.ts): its bias, weights by feature, and thresholds. */
  layer: {
    bias: number;
    holdAt: number;
    holdAtModelAlone: number;
    holdAtModelAloneShort: number;
    weights: Record<string, number>;
  };
  trainedOn: Record<string, unknown>;
}

const FORMAT = 'gatehouse-first-sight-model/5';

/** The definition's layer: a logistic regression over its features (first-sight-decision.ts). */
export interface DecisionLayer {
  bias: number;
  /**
   * A definition a signal found something in is held at this score (logit), picked by cross-validation
   * over the corpora.
   */
  holdAt: number;
  /**
   * A definition no signal found anything in is held at this score: the model's reading alone, which
   * misreads unseen honest text (another language, a long manual) more than the signals do, so it has
   * a threshold and a share of the false-hold budget of its own.
   */
  holdAtModelAlone: number;
  /**
   * A short definition (first-sight-decision.ts, `isShort`: a name and a sentence) no signal found anything
   * in is held at this score, never lower than `holdAtModelAlone` (padding a short definition must not
   * raise its bar): its one sentence is read whole and reads higher; on one threshold for all, short
   * honest definitions bore about twice their share of the false holds.
   */
  holdAtModelAloneShort: number;
  weights: ReadonlyMap<string, number>;
}

/** The model, read once: its string weights (a byte each, times `scale`), and the definition's layer. */
export interface FirstSightModel {
  /**
   * One signed byte a slot, its weight the byte times `scale`: 512 KB, an eighth of the trainer's doubles, so a
   * scan's scattered reads of it stay mostly in the processor's caches.
   */
  weights: Int8Array;
  scale: number;
  bias: number;
  layer: DecisionLayer;
}

/**
 * Reads a weights file's content; a file that is not one the trainer wrote (wrong format, slots or
 * length, a score out of range) is an error that says what is wrong, never a model that holds nothing.
 * @internal Exported for its tests only: a broken weights file (the shipped one is imported whole), and the features the trainer must compute the same way.
 */
export function modelFrom(file: unknown): FirstSightModel {
  const broken = (what: string): Error =>
    new Error(
      `First sight's model (main/core/policy/first-sight-model.json) is broken: ${what}. Run \`npm run build && node scripts/train-first-sight-model.mjs\` to write it again.`,
    );
  if (typeof file !== 'object' || file === null) throw broken('it is not a JSON object');
  const model = file as Partial<ModelFile>;
  if (model.format !== FORMAT) throw broken(`its format is ${String(model.format)}`);
  if (model.slots !== SLOTS) throw broken(`it has ${String(model.slots)} slots, not ${SLOTS}`);
  for (const key of ['scale', 'bias'] as const)
    if (typeof model[key] !== 'number' || !Number.isFinite(model[key]))
      throw broken(`its ${key} is not a number`);
  const layer = model.layer;
  if (typeof layer !== 'object' || layer === null) throw broken('it has no layer');
  for (const key of ['bias', 'holdAt', 'holdAtModelAlone', 'holdAtModelAloneShort'] as const)
    if (typeof layer[key] !== 'number' || !Number.isFinite(layer[key]))
      throw broken(`its layer's ${key} is not a number`);
  if (layer.holdAtModelAloneShort < layer.holdAtModelAlone)
    throw broken("its layer's holdAtModelAloneShort is below its holdAtModelAlone");
  if (typeof layer.weights !== 'object' || layer.weights === null) throw broken('its layer has no weights');
  const layerWeights = new Map<string, number>();
  for (const [feature, weight] of Object.entries(layer.weights)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight))
      throw broken(`its layer's weight for ${feature} is not a number`);
    if (risingFeature(feature) && weight < 0)
      throw broken(
        `its layer's weight for ${feature} is below 0 (padding with honest text would lower a score)`,
      );
    layerWeights.set(feature, weight);
  }
  if (!(model.scale! > 0)) throw broken('its scale is not above 0');
  if (typeof model.weights !== 'string') throw broken('it has no weights');
  const bytes = Buffer.from(model.weights, 'base64');
  if (bytes.length !== SLOTS) throw broken(`its weights hold ${bytes.length} bytes, not ${SLOTS}`);
  const weights = new Int8Array(SLOTS);
  for (let i = 0; i < SLOTS; i++) weights[i] = bytes[i]! - 128;
  return {
    weights,
    scale: model.scale!,
    bias: model.bias!,
    layer: {
      bias: layer.bias,
      holdAt: layer.holdAt,
      holdAtModelAlone: layer.holdAtModelAlone,
      holdAtModelAloneShort: layer.holdAtModelAloneShort,
      weights: layerWeights,
    },
  };
}

let shipped: FirstSightModel | undefined;

/**
 * The shipped model, decoded on the first call (the first scan: an idle engine with no connector
 * never holds its weights) and kept.
 */
export function firstSightModel(): FirstSightModel {
  shipped ??= modelFrom(MODEL);
  return shipped;
}

/**
 * Calls `slot` with every feature of a string: its character 3-, 4- and 5-grams and word 1- and
 * 2-grams (lower case; anything not a letter or digit read as one blank), its pairs of Chinese and
 * Japanese characters (whose words, mostly two characters, no blank parts: a run of them is one
 * "word" and its 3-grams straddle words), each of its concepts
 * (`concepts`, the gate's bits) and each pair of them, and whether it is a name. A feature may come
 * more than once (counted each time). Returns how many features were given.
 * @internal Exported for its tests only: a broken weights file (the shipped one is imported whole), and the features the trainer must compute the same way.
 */
export function eachFeature(
  text: string,
  concepts: number,
  name: boolean,
  slot: (index: number) => void,
): number {
  let count = 0;
  // The last five characters (as codes, a blank for anything else), for the character n-grams.
  let c1 = 32;
  let c2 = 32;
  let c3 = 32;
  let c4 = 32;
  let word = WORD_SEED;
  let previousWord = 0;
  let inWord = false;
  const length = Math.min(text.length, MAX_CHARS);
  for (let i = 0; i <= length; i++) {
    let code = i < length ? text.charCodeAt(i) : 32;
    if (code >= 65 && code <= 90) code += 32;
    else if (code >= 128) {
      const lower = text[i]!.toLowerCase().charCodeAt(0);
      code = isLetter(lower) ? lower : 32;
    } else if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) code = 32;
    if (code === 32 && c4 === 32) continue;
    // Character n-grams ending here: c2 c3 c4 code (3), c1… (4), and one more (5).
    let h = Math.imul(CHAR_SEED ^ c4, 16777619);
    h = Math.imul(h ^ code, 16777619);
    const h3 = Math.imul(h ^ c3, 16777619);
    slot(mix(h3));
    const h4 = Math.imul(h3 ^ c2, 16777619);
    slot(mix(h4));
    slot(mix(Math.imul(h4 ^ c1, 16777619)));
    count += 3;
    if (code >= 0x3040 && c4 >= 0x3040 && isHan(code) && isHan(c4)) {
      slot(mix(Math.imul(Math.imul(HAN_SEED ^ c4, 16777619) ^ code, 16777619)));
      count++;
    }
    if (code === 32) {
      if (inWord) {
        slot(mix(word));
        count++;
        if (previousWord !== 0) {
          slot(mix(Math.imul(previousWord ^ PAIR_SEED, 16777619) ^ word));
          count++;
        }
        previousWord = word;
        word = WORD_SEED;
        inWord = false;
      }
    } else {
      word = Math.imul(word ^ code, 16777619);
      inWord = true;
    }
    c1 = c2;
    c2 = c3;
    c3 = c4;
    c4 = code;
  }
  for (let a = 0; a < CONCEPT_BITS; a++) {
    if ((concepts & (1 << a)) === 0) continue;
    slot(mix(CONCEPT_SEED + a));
    count++;
    for (let b = a + 1; b < CONCEPT_BITS; b++)
      if ((concepts & (1 << b)) !== 0) {
        slot(mix(Math.imul(CONCEPT_SEED ^ (a * 64 + b), 16777619)));
        count++;
      }
  }
  if (name) {
    slot(mix(NAME_SEED));
    count++;
  }
  return count;
}

/** Whether a (lower-cased) code outside ASCII is a letter or digit: any script's words are read. */
function isLetter(code: number): boolean {
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(code));
}

/** Whether a code is a Chinese character or Japanese kana (the scripts written without blanks). */
function isHan(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** A hash spread over the slots: Fibonacci hashing (the product's top bits). */
function mix(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> (32 - SLOTS_BITS);
}

let sum = 0;
let weights: Int8Array = new Int8Array(0);
const add = (index: number): void => {
  sum += weights[index]!;
};

/**
 * The model's score of one string (a logit, weighed with the signals by the definition's layer): its
 * features' weights summed (whole bytes, scaled once), over the square root of their count, plus the bias.
 */
export function modelScore(
  text: string,
  concepts: number,
  name: boolean,
  model: FirstSightModel = firstSightModel(),
): number {
  sum = 0;
  weights = model.weights;
  const count = eachFeature(text, concepts, name, add);
  return model.bias + (count === 0 ? 0 : (model.scale * sum) / Math.sqrt(count));
}
