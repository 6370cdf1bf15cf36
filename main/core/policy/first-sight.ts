// First-sight scanning: every string of a tool, prompt, resource, resource template or server
// instructions — names, titles, descriptions, every schema keyword's text at any depth, annotations,
// `_meta` — read for what a person reviewing it would not see or would not expect: hidden characters
// and look-alike names (first-sight-characters.ts), and what the text asks the model for (a secret
// handed over, the user kept in the dark, other tools, old rules dropped: first-sight-signals.ts), in
// any of ten languages, through leetspeak, spacing and encodings (first-sight-views.ts). A definition
// with findings is held before any client sees it (docs/security-model.md, "Tools held on first sight").
//
// The scan is in parts: its state and a finding's wording (first-sight-scan.ts), the fields walked
// (first-sight-fields.ts), a string judged (first-sight-judging.ts) and scored by the learned model
// (first-sight-scoring.ts); here, a definition scanned and its one decision.
import { foldedText } from './first-sight-characters.js';
import { readText, sentences, signalsOf } from './first-sight-signals.js';
import { firstSightModel, modelScore } from './first-sight-model.js';
import {
  decisionFeatures,
  decisionScore,
  fieldOf,
  holdThreshold,
  type Evidence,
} from './first-sight-decision.js';
import { gate, passed } from './first-sight-gate.js';
import {
  capitalised,
  excerpt,
  HeardStrings,
  MAX_MATCH,
  nameWords,
  push,
  spelled,
  type FirstSightFinding,
  type FirstSightKind,
  type ModelBest,
  type Scan,
  type ScannedText,
} from './first-sight-scan.js';
import { readDefinition } from './first-sight-fields.js';
import { signalReason } from './first-sight-judging.js';
import { judgeWhole } from './first-sight-whole.js';
import { scoreTogether } from './first-sight-scoring.js';

export { HeardStrings, type FirstSightFinding, type FirstSightKind };

/** Where a hold the model's reading of all the strings together explains stands (scoreTogether). */
export const TOGETHER_WHERE = 'all its fields, read together';
/** Said after a parameter's path when the model's reading of it with the definition's own fields explains a hold. */
const PAIR_NOTE = '(read with the name and description)';

/**
 * When the layer holds a definition no finding of the signals explains: the sentence of its
 * highest-scoring string (or of its strings read together, when they score higher) that contributed most, shown with the heaviest signal that sentence carries
 * in words (or, with none, that it reads like instructions to the AI). Never a bare score.
 */
function pushModel(scan: Scan, best: ModelBest): void {
  // The strings read together (scoreTogether) have no one path: the sentence is shown as theirs.
  const together = best.path.length === 0;
  // A parameter read with the definition's own fields (scorePairs): the sentence may be either's.
  const pair = best.note === PAIR_NOTE;
  const where = together ? TOGETHER_WHERE : spelled(best.path, best.note);
  const words = best.name ? nameWords(best.text) : best.text;
  const folded = foldedText(words);
  // The sentence that contributed most: the one whose absence lowers the string's score the most.
  const spans = sentences(folded);
  let top: [number, number] = [0, folded.length];
  let lowest = Infinity;
  for (const [start, end] of spans.length > 1 ? spans : []) {
    const rest = folded.slice(0, start) + folded.slice(end);
    gate(rest, best.name);
    const score = modelScore(rest, passed.concepts, best.name);
    if (score < lowest) [top, lowest] = [[start, end], score];
  }
  // A sentence's span opens with the blanks after the one before it.
  while (top[0] < top[1] && /\s/.test(folded[top[0]]!)) top[0]++;
  const sentence = folded.slice(top[0], top[1]);
  const readOf = readText(sentence);
  const signals = signalsOf(sentence, readOf.hits, readOf.marks).sort((a, b) => b.weight - a.weight);
  const said = signals[0] ? ` — it ${signalReason(signals[0])}` : '';
  push(scan, {
    rule: 'reads-as-instructions',
    // A field deeper than the definition's own (`outputSchema.properties.result.description`) is named
    // as a place, not as the sentence's subject.
    reason: together
      ? `Read together, its fields ask something of the AI that none of them says alone${said}.`
      : pair
        ? `Read with its name and description, the text at ${spelled(best.path, undefined)} asks something of the AI${said}.`
        : `${/[.[]/.test(where) ? `The text at ${where}` : capitalised(where)} reads like instructions to the AI, not a description of the tool${said}.`,
    where,
    excerpt: excerpt(folded, top[0], Math.min(top[1], top[0] + MAX_MATCH)),
  });
}

/**
 * Reads every string of a definition on first sight; returns why it should be held (empty: nothing
 * found). `definition` is the item as the upstream listed it (or the instructions string). Each string
 * passes the gate (first-sight-gate.ts) first, and only the readings it calls for are made — unless
 * `everyReading`, which makes every reading of every string: the same findings, far slower (the tests
 * hold the gate to it).
 */
export function scanDefinition(
  kind: FirstSightKind,
  definition: unknown,
  everyReading = false,
): FirstSightFinding[] {
  return scanOf(kind, definition, everyReading).findings;
}

/** One definition read through: its findings, and how many strings were read. */
function scanOf(
  kind: FirstSightKind,
  definition: unknown,
  everyReading = false,
  heard?: HeardStrings,
  texts?: ScannedText[],
): Scan {
  const scan: Scan = {
    everyReading,
    heard: everyReading ? undefined : heard,
    pushed: 0,
    kept: null,
    strings: 0,
    findings: [],
    seen: new Set(),
    path: [],
    read: [],
    readChars: 0,
    note: undefined,
    where: undefined,
    score: 0,
    top: undefined,
    second: -Infinity,
    part: -Infinity,
    stringPart: -Infinity,
    evidence: [],
    stringFolded: '',
    stringConcepts: 0,
    together: [],
    togetherChars: 0,
    togetherConcepts: 0,
    togetherStrings: 0,
    togetherScore: -Infinity,
    togetherBest: undefined,
    pairs: undefined,
    texts,
  };
  readDefinition(scan, kind, definition);
  scoreTogether(scan);
  judgeWhole(scan);
  if (texts === undefined) decide(scan, kind);
  return scan;
}

/**
 * The definition's one decision: held whatever the score on hard evidence (first-sight-decision.ts
 * hardHold); otherwise held when the layer's score of its findings and the model's highest string
 * score reaches the threshold — the findings then say why, or, with none, the model's strongest
 * sentence does — and let pass, its findings dropped, when it does not.
 */
function decide(scan: Scan, kind: FirstSightKind): void {
  if (scan.evidence.some((evidence) => evidence.hard)) return;
  const { layer } = firstSightModel();
  const top = scan.top;
  const features = decisionFeatures(
    scan.evidence,
    top?.score ?? -Infinity,
    kind,
    scan.second,
    top === undefined ? undefined : fieldOf(top.path, top.note),
    scan.part,
    scan.togetherScore,
  );
  const holdAt = holdThreshold(layer, scan.evidence.length > 0, scan.strings);
  if (decisionScore(features, layer) < holdAt) scan.findings.length = 0;
  else if (scan.findings.length > 0 || top === undefined) return;
  // Said by the strings together more than by any alone: their sentence that weighs most is shown.
  else if (scan.togetherBest !== undefined && scan.togetherScore > top.score)
    pushModel(scan, {
      score: scan.togetherScore,
      text: scan.togetherBest.text,
      name: false,
      path: scan.togetherBest.path,
      note: scan.togetherBest.path.length === 0 ? undefined : PAIR_NOTE,
    });
  else pushModel(scan, top);
}

/**
 * A definition as the model and its layer read it (scripts/train-first-sight-model.mjs trains on it):
 * every string folded, names as their words, with the gate's concepts and where each stands; and the
 * evidence of every finding the signals pushed, before the layer's decision.
 * @internal Exported for its tests only: the scan's intermediate text, which a finding does not show.
 */
export function scannedDefinition(
  kind: FirstSightKind,
  definition: unknown,
): { texts: ScannedText[]; evidence: Evidence[]; strings: number } {
  const texts: ScannedText[] = [];
  const scan = scanOf(kind, definition, false, undefined, texts);
  return { texts, evidence: scan.evidence, strings: scan.strings };
}

/**
 * scanDefinition for one definition of a listing: `listing` holds the strings this listing's earlier
 * definitions held nothing with, which are not read again (and it is added to). Same findings as
 * scanDefinition; made per listing by the tool store's sync.
 */
export function scanListedDefinition(
  kind: FirstSightKind,
  definition: unknown,
  listing: HeardStrings,
): FirstSightFinding[] {
  return scanOf(kind, definition, false, listing).findings;
}
