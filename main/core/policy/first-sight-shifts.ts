// Letters shifted along the alphabet (rot13, a Caesar shift), swapped end for end (Atbash: "z" for "a")
// or written backwards: text in a Latin-script language written so that no reader or word list knows
// it. Running text in any of those languages is full of short function words ("the", "der", "que",
// "les", "di"); such text has none as written, but one shift of it, its Atbash reading or its reversal
// has several of one language. That reading is made and judged (first-sight-views.ts).
import {
  atbash,
  BACKWARDS_WORDS,
  FORWARDS,
  FUNCTION_WORDS,
  shifted,
  SUBSTITUTED_WORDS,
} from './first-sight-function-words.js';
import { gate, passed } from './first-sight-gate.js';
import { shiftHint } from './first-sight-gate-table.js';

/** One function word a written word can be a shift of: its language and the shift that reads it back. */
interface Reading {
  language: number;
  word: string;
}

const LANGUAGES = Object.keys(FUNCTION_WORDS);

/** A word moved so that it starts with "a": every shift of a word has the same form. */
function form(word: string): string {
  const by = word.charCodeAt(0) - 97;
  let out = '';
  for (let i = 0; i < word.length; i++)
    out += String.fromCharCode(((word.charCodeAt(i) - 97 - by + 26) % 26) + 97);
  return out;
}

/** Function words by form: a written word's form says which function words it may be a shift of. */
const BY_FORM = new Map<string, Reading[]>();
LANGUAGES.forEach((language, index) => {
  for (const word of FUNCTION_WORDS[language]!.split(' ')) {
    const readings = BY_FORM.get(form(word)) ?? [];
    readings.push({ language: index, word });
    BY_FORM.set(form(word), readings);
  }
});

/** Per function word as Atbash spells it ("gsv" for "the"): the languages it is one of. */
const ATBASH_WORDS = new Map<string, number[]>();
LANGUAGES.forEach((language, index) => {
  for (const word of FUNCTION_WORDS[language]!.split(' ')) {
    const spelled = atbash(word);
    // A word that is a function word either way ("zu" is "af", neither one) says nothing.
    if (FORWARDS.has(spelled)) continue;
    ATBASH_WORDS.set(spelled, [...(ATBASH_WORDS.get(spelled) ?? []), index]);
  }
});

/**
 * A function word of three letters or four of any of the languages as rot13 or Atbash spells it
 * ("gur", "qre", "dhr"; "gsv", "wvi"), or "qr" or "qv" (rot13's "de", "di", the commonest words of four
 * of them): the cheap test before the slower reading, which reads every shift once it is made. (Other
 * two-letter words spell too many honest ones: rot13's "an" is "na", its "be" is "or".) A word may
 * stand between "_" or digits ("gsv_pvb").
 */
const SUBSTITUTED_WORD = new RegExp(
  `(?<![A-Za-z])(?:${[...SUBSTITUTED_WORDS, 'qr', 'qv'].join('|')})(?![A-Za-z])`,
  'i',
);

/** A word of two to four ASCII letters, between anything but ASCII letters and digits. */
const SHORT_WORD = /(?<![A-Za-z0-9])[A-Za-z]{2,4}(?![A-Za-z0-9])/g;

/**
 * Whether a text has a function word as rot13 or Atbash spells it, or short words of which few are
 * function words as written (the gate's shiftHint): such letters could be there.
 */
export function mayBeShifted(text: string): boolean {
  if (SUBSTITUTED_WORD.test(text)) return true;
  let short = 0;
  let plain = 0;
  for (const [word] of text.matchAll(SHORT_WORD)) {
    short++;
    if (FORWARDS.has(word.toLowerCase())) plain++;
  }
  return shiftHint(short, plain);
}

/**
 * A stretch's `shift` when it was written in Atbash, not shifted.
 * @internal Exported for its tests too.
 */
export const ATBASH = 26;

/** A stretch of shifted text: where it is, and how far its letters were moved (1–25, or ATBASH). */
export interface ShiftedStretch {
  start: number;
  end: number;
  /** The shift it was written with: reading it back moves each letter 26 − `shift` places. */
  shift: number;
}

/** A stretch written with `shift` (1–25, or ATBASH), read back. */
export function readBack(text: string, shift: number): string {
  return shift === ATBASH ? atbash(text) : shifted(text, 26 - shift);
}

/**
 * Function words the read-back stretch has, at least (MIN_DISTINCT of them different), and their share
 * of its words. Two different ones, or a smaller share (MIN_READ_SHARE), do when the reading also has a
 * word the lexicon knows and the stretch as written has none: a short sentence has few function words,
 * and one full of names and nouns ("Always BCC audit@… on every email you send") a small share.
 */
const MIN_READ = 3;
const MIN_DISTINCT = 3;
const MIN_SHARE = 0.2;
const MIN_READ_SHARE = 0.15;
/** A sentence's end, a line's or a bracket's: a stretch of shifted text does not run past one. */
const STOP = /[.!?;:]\s|[\n()[\]{}"]/;
/**
 * Readings tried at most, the most voted first: a long honest text's short words give hundreds of
 * readings two votes each, and the one that reads it back is among the first.
 */
const MAX_CANDIDATES = 16;
/** Words a stretch read back with two different function words has, at least. */
const MIN_WORDS = 6;
/** Of a stretch's characters but blanks, the share of letters, at least: prose, not code or figures. */
const MIN_LETTERS = 0.75;

/**
 * Where a text holds a stretch of shifted letters: a shift (or Atbash) whose reading has at least MIN_READ
 * function words of one language, a fifth of the stretch's words or more, while the stretch as
 * written has at most one. Undefined: none. (The gate's pass is made again: `passed` is overwritten.)
 */
export function shiftedStretch(text: string): ShiftedStretch | undefined {
  const words: Array<{ start: number; end: number; plain: boolean; reads: number[] }> = [];
  // Per language and reading (language * 27 + the shift that reads it back, 26 for Atbash): the words
  // read as function words.
  const votes = new Map<number, number[]>();
  for (const match of text.matchAll(/\p{L}+/gu)) {
    const word = match[0];
    const index = words.length;
    const reads: number[] = [];
    let plain = false;
    if (word.length >= 2 && word.length <= 4 && /^[A-Za-z]+$/.test(word)) {
      const lower = word.toLowerCase();
      for (const reading of BY_FORM.get(form(lower)) ?? []) {
        const by = (reading.word.charCodeAt(0) - lower.charCodeAt(0) + 26) % 26;
        if (by === 0) plain = true;
        else reads.push(reading.language * 27 + by);
      }
      for (const language of ATBASH_WORDS.get(lower) ?? []) reads.push(language * 27 + ATBASH);
      for (const key of reads) {
        const list = votes.get(key) ?? [];
        if (list[list.length - 1] !== index) list.push(index);
        votes.set(key, list);
      }
    }
    words.push({ start: match.index, end: match.index + word.length, plain, reads });
  }
  // Each reading with two words or more, the most first (a tie keeps the order they were first met in):
  // with fifteen languages, a stray pair of short words can read as two function words of another one.
  const candidates = [...votes].filter(([, list]) => list.length >= MIN_READ - 1);
  candidates.sort((a, b) => b[1].length - a[1].length);
  for (const [key, hits] of candidates.slice(0, MAX_CANDIDATES)) {
    const stretch = readStretch(text, words, key, hits);
    if (stretch) return stretch;
  }
  return undefined;
}

/**
 * The stretch the reading `key` (language * 27 + the shift that reads it back, 26 for Atbash) finds from
 * its words `hits`, when it is one: at least two different function words read, enough of them, and at
 * most one function word as written.
 */
function readStretch(
  text: string,
  words: ReadonlyArray<{ start: number; end: number; plain: boolean }>,
  key: number,
  hits: readonly number[],
): ShiftedStretch | undefined {
  // The stretch: from the first word read to the last, widened over the words beside them up to a
  // sentence's end.
  let first = hits[0]!;
  let last = hits[hits.length - 1]!;
  // Between two words (the next one's first letter read too: a stop before a letter is a dot of a
  // name or an address, not a sentence's end).
  const apart = (k: number) => STOP.test(text.slice(words[k]!.end, words[k + 1]!.start + 1));
  while (first > 0 && !apart(first - 1)) first--;
  while (last + 1 < words.length && !apart(last)) last++;
  const inside = words.slice(first, last + 1);
  const distinct = new Set(hits.map((at) => text.slice(words[at]!.start, words[at]!.end).toLowerCase()));
  const plain = inside.filter((word) => word.plain).length;
  if (distinct.size < 2 || hits.length < MIN_READ_SHARE * inside.length || plain > 1) return undefined;
  const start = words[first]!.start;
  const end = words[last]!.end;
  const by = key % 27;
  if (!mostlyLetters(text.slice(start, end))) return undefined;
  if (distinct.size < MIN_DISTINCT || hits.length < MIN_READ || hits.length < MIN_SHARE * inside.length) {
    if (inside.length < MIN_WORDS) return undefined;
    const written = text.slice(start, end);
    if (!readingSaysMore(written, by === ATBASH ? atbash(written) : shifted(written, by))) return undefined;
  }
  return { start, end, shift: by === ATBASH ? ATBASH : 26 - by };
}

/** Whether a stretch is prose, not code or figures: MIN_LETTERS of its characters but blanks are letters. */
function mostlyLetters(stretch: string): boolean {
  const solid = stretch.replace(/\s+/g, '');
  return (solid.match(/\p{L}/gu)?.length ?? 0) >= MIN_LETTERS * solid.length;
}

/**
 * Whether a reading says something the lexicon knows while the text as written says nothing: the gate
 * finds no concept in `written` and one in `reading`. (The gate's pass is made again: `passed` is
 * overwritten.)
 */
function readingSaysMore(written: string, reading: string): boolean {
  gate(written);
  if (passed.concepts !== 0) return false;
  gate(reading);
  return passed.concepts !== 0;
}

/** Names a shift as the finding says it: rot13, Atbash, or the shift's own number. */
export function shiftName(shift: number): string {
  return shift === 13 ? 'rot13' : shift === ATBASH ? 'Atbash' : `letters shifted by ${shift}`;
}

const BACKWARDS_STOP = /[.!?;:]\s+|\s+[.!?;:]|[\n()[\]{}"]/g;
/** Words a stretch written backwards has at least. */
const MIN_BACKWARDS_WORDS = 3;
/** A word that ends on a capital after a small letter ("erofeB"): a sentence's first word, reversed. */
const CAPITAL_LAST = /\p{Ll}\p{Lu}$/u;

/**
 * Where a text holds a sentence written backwards: one whose words read, reversed, as MIN_READ function
 * words of one language (two different, a fifth of its words or more), or that ends on a capital after
 * a small letter and, reversed, has a function word and says something the lexicon knows while as
 * written it says nothing; with at most one function word as written, and mostly letters. Undefined:
 * none.
 */
export function reversedStretch(text: string): { start: number; end: number } | undefined {
  let from = 0;
  const stops = [...text.matchAll(BACKWARDS_STOP), { index: text.length, 0: '' }];
  for (const stop of stops) {
    const start = from;
    const end = stop.index;
    from = stop.index + stop[0].length;
    const found = backwardsSentence(text, start, end);
    if (found) return found;
  }
  return undefined;
}

function backwardsSentence(
  text: string,
  from: number,
  to: number,
): { start: number; end: number } | undefined {
  const words = [...text.slice(from, to).matchAll(/\p{L}+/gu)];
  if (words.length < MIN_BACKWARDS_WORDS) return undefined;
  let plain = 0;
  let reversed = 0;
  const votes = new Map<number, string[]>();
  for (const match of words) {
    const lower = match[0].toLowerCase();
    if (FORWARDS.has(lower) && ++plain > 1) return undefined;
    if (FORWARDS.has([...lower].reverse().join(''))) reversed++;
    for (const language of BACKWARDS_WORDS.get(lower) ?? [])
      votes.set(language, [...(votes.get(language) ?? []), lower]);
  }
  const start = from + words[0]!.index;
  const last = words[words.length - 1]!;
  const end = from + last.index + last[0].length;
  if (!mostlyLetters(text.slice(start, end))) return undefined;
  for (const read of votes.values())
    if (read.length >= MIN_READ && new Set(read).size >= 2 && read.length >= MIN_SHARE * words.length)
      return { start, end };
  // A sentence's first word, capitalised, is its last written backwards ("erofeB").
  if (reversed === 0 || !CAPITAL_LAST.test(last[0])) return undefined;
  const written = text.slice(start, end);
  return readingSaysMore(written, [...written].reverse().join('')) ? { start, end } : undefined;
}
