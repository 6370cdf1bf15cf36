// The learned model's part in first sight (first-sight-model.ts): each string's score, a long string's
// sentences scored apart, and the definition's highest-scoring string kept to say why if it is held —
// or, for the model's trainer, each string as the model would read it.
import { foldedText } from './first-sight-characters.js';
import { modelScore } from './first-sight-model.js';
import { fieldOf } from './first-sight-decision.js';
import { gate, passed } from './first-sight-gate.js';
import { MARKS } from './first-sight-gate-table.js';
import { masked } from './first-sight-concepts.js';
import { sentences } from './first-sight-signals.js';
import { TOGETHER_MAX_CHARS, TOGETHER_MIN_STRINGS, whereNow, type Scan } from './first-sight-scan.js';

/** The model's score of a string (folded, with the gate's concepts), noted for the definition. */
export function scoreString(scan: Scan, text: string, folded: string, concepts: number, name: boolean): void {
  joinTogether(scan, folded, concepts);
  // The trainer's reading: what the model would score, not scored by the model it is replacing.
  if (scan.texts !== undefined) {
    scan.texts.push({
      text: folded,
      concepts,
      name,
      where: whereNow(scan),
      field: fieldOf(scan.path, scan.note),
    });
    return;
  }
  scan.score = modelScore(folded, concepts, name);
}

/**
 * Adds a string, as the model reads it, to the definition's strings read together: while there is room
 * (TOGETHER_MAX_CHARS; the string that crosses it is cut there), with its concepts. A string past the
 * room adds nothing, so honest strings added after an ask cannot change how it reads together.
 */
export function joinTogether(scan: Scan, folded: string, concepts: number): void {
  scan.stringFolded = folded;
  scan.stringConcepts = concepts;
  const room = TOGETHER_MAX_CHARS - scan.togetherChars;
  if (room <= 0 || folded === '') return;
  const piece = folded.length <= room ? folded : folded.slice(0, room);
  scan.together.push(piece);
  scan.togetherChars += piece.length + 1;
  scan.togetherConcepts |= concepts;
  scan.togetherStrings++;
}

/**
 * The model's score of the definition's strings read together, one text (an ask split across fields:
 * the file named in one, "send it" in another, read as one request); for the trainer, one more string.
 * A definition of fewer than TOGETHER_MIN_STRINGS strings is not read together (its strings are).
 */
export function scoreTogether(scan: Scan): void {
  if (scan.togetherStrings < TOGETHER_MIN_STRINGS) return;
  const text = scan.together.join('\n');
  if (scan.texts !== undefined) {
    scan.texts.push({
      text,
      concepts: scan.togetherConcepts,
      name: false,
      where: 'together',
      field: 'together',
      together: true,
    });
    return;
  }
  scan.togetherScore = modelScore(text, scan.togetherConcepts, false);
}

/** A string this long or longer, of two sentences or more, is scored sentence by sentence too. */
const PARTS_FROM = 80;
/** A sentence shorter than this is scored with the one after it. */
const PART_CHARS = 24;
/** Sentences scored apart, at most, in one string: past them a long string costs no more. */
const MAX_PARTS = 32;

/**
 * A long string's sentences, each scored apart as well (a sentence buried among honest ones is
 * diluted in the whole): the highest is the definition's part score, which the layer weighs beside
 * the strings' own (first-sight-decision.ts). Then the string's score is noted. Names are scored whole.
 */
export function scoreParts(scan: Scan, text: string, folded: string, name: boolean): void {
  const parts = name || folded.length < PARTS_FROM ? [] : partsOf(folded);
  const entry = scan.texts === undefined ? undefined : scan.texts[scan.texts.length - 1];
  scan.stringPart = -Infinity;
  for (const part of parts) {
    // The concepts of the sentence alone, code and links left out, as the whole's are found.
    if ((gate(part, false) & MARKS) !== 0) gate(masked(part), false);
    if (entry !== undefined) (entry.parts ??= []).push({ text: part, concepts: passed.concepts });
    else scan.stringPart = Math.max(scan.stringPart, modelScore(part, passed.concepts, false));
  }
  if (entry !== undefined) return;
  if (scan.stringPart > scan.part) scan.part = scan.stringPart;
  noteScore(scan, scan.score, text, name);
}

/** A text's sentences as the model scores them apart (none when it is one sentence). */
function partsOf(folded: string): string[] {
  const parts: string[] = [];
  let from = -1;
  for (const [start, end] of sentences(folded)) {
    if (from < 0) from = start;
    if (end - from < PART_CHARS) continue;
    parts.push(folded.slice(from, end).trim());
    from = -1;
    if (parts.length >= MAX_PARTS) break;
  }
  if (from >= 0 && parts.length > 0) parts[parts.length - 1] += folded.slice(from);
  return parts.length > 1 ? parts : [];
}

/** Keeps the string (as written) the model scores highest. */
export function noteScore(scan: Scan, score: number, text: string, name: boolean): void {
  if (scan.top !== undefined && score <= scan.top.score) {
    if (score > scan.second) scan.second = score;
    return;
  }
  if (scan.top !== undefined) scan.second = scan.top.score;
  scan.top = { score, text, name, path: [...scan.path], note: scan.note };
}

/**
 * What an encoding hid (a decoded base64 run, escapes, shifted letters: first-sight-views.ts `payload`),
 * scored as a string of the field it stands in, so the model reads a decoded sentence as it reads a
 * written one; for the trainer, one more string. Not counted as a string of the definition.
 */
export function scoreDecoded(scan: Scan, how: string, decoded: string): void {
  const folded = foldedText(decoded);
  if ((gate(folded, false) & MARKS) !== 0) gate(masked(folded), false);
  if (scan.texts !== undefined) {
    scan.texts.push({
      text: folded,
      concepts: passed.concepts,
      name: false,
      where: `${whereNow(scan)} (${how})`,
      field: fieldOf(scan.path, scan.note),
    });
    return;
  }
  noteScore(scan, modelScore(folded, passed.concepts, false), folded, false);
}
