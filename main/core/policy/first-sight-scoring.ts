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
 * room adds nothing, so honest strings added after an ask cannot change how it reads together. It also goes to
 * the definition's own fields or to its parameter's, for the pairs (joinPair).
 */
export function joinTogether(scan: Scan, folded: string, concepts: number): void {
  scan.stringFolded = folded;
  scan.stringConcepts = concepts;
  if (folded !== '') joinPair(scan, folded, concepts);
  const room = TOGETHER_MAX_CHARS - scan.togetherChars;
  if (room <= 0 || folded === '') return;
  const piece = folded.length <= room ? folded : folded.slice(0, room);
  scan.together.push(piece);
  scan.togetherChars += piece.length + 1;
  scan.togetherConcepts |= concepts;
  scan.togetherStrings++;
}

/**
 * The model's score of the definition's strings read together (an ask split across fields: the file named
 * in one, "send it" in another, read as one request): all of them as one text, and its own fields with each
 * of its parameters in turn (scorePairs); the highest is kept. For the trainer, more strings. A definition
 * of fewer than TOGETHER_MIN_STRINGS strings is not read together (its strings are).
 */
export function scoreTogether(scan: Scan): void {
  if (scan.togetherStrings >= TOGETHER_MIN_STRINGS) scoreWhole(scan);
  scorePairs(scan);
}

/** The model's score of all the definition's strings read together (up to TOGETHER_MAX_CHARS), one text. */
function scoreWhole(scan: Scan): void {
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
  noteTogether(scan, modelScore(text, scan.togetherConcepts, false), text, []);
}

/** Keeps the reading together (all the strings, or a pair) the model scores highest, and where it stands. */
function noteTogether(scan: Scan, score: number, text: string, path: Array<string | number>): void {
  if (score <= scan.togetherScore) return;
  scan.togetherScore = score;
  scan.togetherBest = { text, path };
}

/** Characters of the definition's own fields (name, title, description) read with each of its parameters. */
const PAIR_HEAD_CHARS = 300;
/** Characters of one parameter's (or argument's) strings read with them. */
const PAIR_FIELD_CHARS = 400;

/** The definition's own fields, read with each parameter. */
const HEAD_FIELDS: ReadonlySet<string | number | undefined> = new Set(['name', 'title', 'description']);
/** Where a schema declares parameters besides `properties`: shared definitions, and alternatives at the top. */
const DEFINITIONS: ReadonlySet<string | number | undefined> = new Set(['$defs', 'definitions']);
const ALTERNATIVES: ReadonlySet<string | number | undefined> = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * The parameter (or argument) a string stands in, and how many steps of its path name it; undefined for
 * a string of no parameter. A definition a parameter refers to (`$defs.address`) is a parameter of its own;
 * a property declared in a top-level alternative is the property of that name.
 */
function pairKey(path: ReadonlyArray<string | number>): [key: string, steps: number] | undefined {
  if (path[0] === 'arguments' && path.length >= 2) return [String(path[1]), 2];
  if (path[0] !== 'inputSchema' || path.length < 3) return undefined;
  if (path[1] === 'properties') return [String(path[2]), 3];
  if (DEFINITIONS.has(path[1])) return [`${path[1]}.${path[2]}`, 3];
  if (ALTERNATIVES.has(path[1]) && path.length >= 5 && path[3] === 'properties') return [String(path[4]), 5];
  return undefined;
}

/** Adds a string, as the model reads it, to the definition's own fields or to its parameter's, while there is room. */
function joinPair(scan: Scan, folded: string, concepts: number): void {
  const pairs = (scan.pairs ??= { head: '', headConcepts: 0, fields: new Map() });
  // The definition's own fields: its name, title and description.
  if (scan.path.length === 1 && HEAD_FIELDS.has(scan.path[0])) {
    const room = PAIR_HEAD_CHARS - pairs.head.length - (pairs.head === '' ? 0 : 1);
    if (room > 0) {
      pairs.head += (pairs.head === '' ? '' : '\n') + folded.slice(0, room);
      pairs.headConcepts |= concepts;
    }
    return;
  }
  const at = pairKey(scan.path);
  if (at === undefined) return;
  let field = pairs.fields.get(at[0]);
  if (field === undefined) {
    field = { text: '', concepts: 0, path: scan.path.slice(0, at[1]) };
    pairs.fields.set(at[0], field);
  }
  const room = PAIR_FIELD_CHARS - field.text.length - (field.text === '' ? 0 : 1);
  if (room <= 0) return;
  field.text += (field.text === '' ? '' : '\n') + folded.slice(0, room);
  field.concepts |= concepts;
}

/**
 * The definition's own fields read with each of its parameters (or a prompt's arguments) in turn, one text
 * each: an ask split between the description and a parameter, read whole however many parameters stand around
 * it, whatever they say. Every parameter that says something the gate knows is read so: choosing some would let
 * parameters saying as much as the ask push it out. What that costs is bounded by the definition's strings (at
 * most 700 characters read per parameter that has any).
 */
function scorePairs(scan: Scan): void {
  const pairs = scan.pairs;
  // One parameter too: the whole reading holds it only while the definition's strings fit in TOGETHER_MAX_CHARS.
  if (pairs === undefined || pairs.head === '') return;
  for (const field of pairs.fields.values()) {
    if (field.concepts === 0) continue;
    const text = `${pairs.head}\n${field.text}`;
    const concepts = pairs.headConcepts | field.concepts;
    if (scan.texts !== undefined)
      scan.texts.push({ text, concepts, name: false, where: 'together', field: 'together', together: true });
    else noteTogether(scan, modelScore(text, concepts, false), text, field.path);
  }
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
