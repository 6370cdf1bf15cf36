// What each character is to first sight's gate (first-sight-gate.ts): the bits the gate answers with
// (which costly readings a string needs), a table per ASCII code of what the character is (a letter, a
// stand-in, a run's, a blank, a sentence's stop, a mark's start), and the few questions the pass asks
// of a run of characters (a mark begun, a wide blank, a word read back from leetspeak, a German head).
import { BACKWARDS_WORDS, FORWARDS, SUBSTITUTED_WORDS } from './first-sight-function-words.js';
import { ASCII_SYMBOL, SYMBOLS, wordTrie } from './first-sight-word-trie.js';

/** Something outside printable ASCII, tab and line ends: the character rules and folding run. */
export const NOT_PLAIN = 1;
/** 40 blanks or 12 blank lines in a row: the whitespace rule runs. */
export const BLANK_RUN = 2;
/**
 * What some mark starts with: `[`, `` ` ``, `|`, `【`; `<` before a letter, `/`, a blank, `|`, `!` or
 * `<`; `{{`, `##`, `$(`; `@` before a word; `:` after a role's name or before `//`; four digits.
 */
export const MARKS = 4;
/** A word that reads as one the lexicon knows once its digits, `@` and `$` are read as letters ("p4ssw0rd"). */
export const LEET = 8;
/** Single characters parted by one separator, four in a row ("s.e.n.d"): spaced-out letters. */
export const SPACED = 16;
/** 20 base64 or hex characters in a row: an encoded run could be there. */
export const LONG_RUN = 32;
/**
 * `%`, `&` or `\`: URL escapes, HTML entities or \u escapes could be there; "<~": an Ascii85 frame
 * could; or MORSE_MARKS dots and dashes, both, with MORSE_GAPS blanks or slashes between: Morse could.
 */
export const ESCAPES = 64;
/** A slash, or a dot opening a name (".env"): a path could be there. */
export const PATHS = 128;
/** Upper case after lower case, `_` or `-`: a name to split into words. */
export const NAME_PARTS = 256;
/**
 * "gur", "qr" or "qv" in any case (rot13's "the", "de", "di"), or a word of three letters or four that
 * is a function word as rot13 or Atbash spells it ("naq", "lbh", "dhr"; "gsv", "zmw"), or a text of
 * SHIFT_WORDS short words or more of which under a third are function words as written (shiftHint):
 * rot13, another shift or Atbash could be there.
 */
export const ROT13 = 512;
/** A letter or digit outside ASCII, or Chinese, Japanese or Korean: words the trie does not hold. */
export const OTHER_SCRIPT = 1024;
/**
 * A word of three letters or four that is a function word written backwards ("eht", "dna", "ruoy",
 * "euq", "dnu", "sel"), or a word ending on a capital after a small letter ("erofeB"): text written
 * backwards could be there.
 */
export const REVERSED = 2048;

/** An ASCII letter (the character classes below are bits of CHAR, above the gate's own). */
export const LETTER = 1 << 16;
/** An upper-case letter. */
export const UPPER = 1 << 17;
/** A lower-case letter. */
export const LOWER = 1 << 18;
/** A leetspeak stand-in for a letter ("0" "1" "3" "4" "5" "7" "@" "$"). */
export const STAND_IN = 1 << 19;
/** A character of a base64 or hex run. */
export const RUN_CHAR = 1 << 20;
/** A character that parts spaced-out letters ("s.e.n.d"). */
export const SEPARATOR = 1 << 21;
/** An ASCII digit. */
export const DIGIT = 1 << 22;
/** A space or a tab. */
export const BLANK = 1 << 23;
/** A line feed. */
export const NEWLINE = 1 << 24;
/** A dot. */
export const DOT = 1 << 25;
/** A hex digit. */
export const HEX = 1 << 26;
/** Blank to a sentence (JavaScript's `\s` within ASCII). */
export const SPACE = 1 << 27;
/** Ends a sentence when a blank or the end follows (`.`, `!`, `?`, `;`, `:`). */
export const STOP = 1 << 28;
/** A mark when the next character says so (`<`, `{`, `#`, `$`, `@`). */
export const MARK_START = 1 << 29;
/** Per ASCII code: what it is to the gate (the bits above and the gate's own bits it sets alone). */
export const CHAR = Int32Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  let bits = 0;
  if (/[A-Za-z]/.test(char)) bits |= LETTER | RUN_CHAR | (/[A-Z]/.test(char) ? UPPER : LOWER);
  if (/[0-9]/.test(char)) bits |= DIGIT | RUN_CHAR;
  if (/[0-9a-fA-F]/.test(char)) bits |= HEX;
  if ('013457@$'.includes(char)) bits |= STAND_IN;
  if ('+/_-='.includes(char)) bits |= RUN_CHAR;
  if (' ._*-'.includes(char)) bits |= SEPARATOR;
  if (char === ' ' || char === '\t') bits |= BLANK;
  if (char === '\n') bits |= NEWLINE;
  if (char === '.') bits |= DOT;
  if (/\s/.test(char)) bits |= SPACE;
  if ('.!?;:'.includes(char)) bits |= STOP;
  if ('[`|'.includes(char)) bits |= MARKS;
  if ('<{#$@'.includes(char)) bits |= MARK_START;
  if ('%&\\'.includes(char)) bits |= ESCAPES;
  if ('/\\'.includes(char)) bits |= PATHS;
  if ('_-'.includes(char)) bits |= NAME_PARTS;
  if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) bits |= NOT_PLAIN;
  return bits;
});
/** The gate's bits a character sets on its own. */
export const ALONE = NOT_PLAIN | MARKS | ESCAPES | PATHS | NAME_PARTS;

/** Leetspeak's stand-ins ("0" "1" "3" "4" "5" "7" "8" "@" "$"), by code: the trie symbol of the letter each reads as. */
const LEET_SYMBOL = Uint8Array.from({ length: 128 }, (_, code) => {
  const letter = { 48: 'o', 49: 'i', 51: 'e', 52: 'a', 53: 's', 55: 't', 56: 'b', 64: 'a', 36: 's' }[code];
  if (letter) return ASCII_SYMBOL[letter.charCodeAt(0)]!;
  return ASCII_SYMBOL[code]! < 26 ? ASCII_SYMBOL[code]! : 99;
});

/** The last letters of the roles a line can open with ("system", "assistant", "human"), lower case. */
export const ROLE_END = [109, 116, 110];
/** Blanks in a row that make a blank run (BLANK_RUN). */
export const BLANKS = 40;
/** Blank lines in a row that make a blank run. */
export const BLANK_LINES = 12;
/** Base64 characters in a row that make an encoded run (LONG_RUN). */
export const RUN = 20;
/** Hex characters in a row that make an encoded run. */
export const HEX_RUN = 32;
/** Capitals and the digits 2–7 in a row (base32's alphabet, no small letter) that make an encoded run. */
export const BASE32_RUN = 32;
/** Dots and dashes a stretch of Morse has at least. */
export const MORSE_MARKS = 16;
/** Blanks or slashes between the dots and dashes of a stretch of Morse, at least. */
export const MORSE_GAPS = 4;
/** Words of two to four ASCII letters a text has at least before its share of function words says anything. */
const SHIFT_WORDS = 5;

/**
 * Whether a text's short words (two to four ASCII letters, `short` of them, `plain` function words as
 * written) read like shifted text: many, and few function words among them (running text in the
 * Latin-script languages has more).
 */
export function shiftHint(short: number, plain: number): boolean {
  return short >= SHIFT_WORDS && plain * 3 < short;
}

/**
 * A word of two to four ASCII letters, any case, as a number: its letters 1–26 as digits of base 27, so
 * no two words share one ("of" and "aof" too). -1: anything else in it.
 */
function wordKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return -1;
    key = key * 27 + c - 96;
  }
  return key;
}

/** The function words of three letters or more written backwards (BACKWARDS_WORDS), as keys (wordKey). */
const BACKWARDS_KEYS: ReadonlySet<number> = new Set(
  [...BACKWARDS_WORDS.keys()].filter((word) => word.length >= 3).map((word) => wordKey(word, 0, word.length)),
);
/** SUBSTITUTED_WORDS as keys (wordKey). */
const SUBSTITUTED_KEYS: ReadonlySet<number> = new Set(
  SUBSTITUTED_WORDS.map((word) => wordKey(word, 0, word.length)),
);

/** Whether text[start, end) (three letters or four, any case) is a function word written backwards ("eht"). */
export function backwardsWord(text: string, start: number, end: number): boolean {
  return BACKWARDS_KEYS.has(wordKey(text, start, end));
}

/** shortWord's answer for a word of two to four ASCII letters. */
const SHORT_WORD = 1;
/** shortWord's answer, with SHORT_WORD, for a function word as written. */
export const FUNCTION_WORD = 2;

/** The function words as written, as keys (wordKey). */
const FORWARD_WORDS: ReadonlySet<number> = new Set(
  [...FORWARDS].map((word) => wordKey(word, 0, word.length)),
);

/**
 * What text[start, end) is (a run of ASCII letters and digits): SHORT_WORD for a word of two to four
 * letters, with FUNCTION_WORD when it is a function word as written ("the", "und"); 0 for anything else.
 */
export function shortWord(text: string, start: number, end: number): number {
  if (end - start < 2 || end - start > 4) return 0;
  const key = wordKey(text, start, end);
  return key < 0 ? 0 : FORWARD_WORDS.has(key) ? SHORT_WORD | FUNCTION_WORD : SHORT_WORD;
}

/**
 * Whether text[start, end) (three letters or four, any case) is a function word as rot13 or Atbash
 * spells it ("naq", "zmw").
 */
export function substitutedWord(text: string, start: number, end: number): boolean {
  return SUBSTITUTED_KEYS.has(wordKey(text, start, end));
}

/** Whether `c` (a MARK_START character) starts a mark, given the character after it. */
export function startsMark(c: number, next: number): boolean {
  switch (c) {
    case 60: // "<": a tag, a comment, a turn marker ("<|", "<<SYS>>")
      return (
        next >= 128 ||
        (CHAR[next]! & LETTER) !== 0 ||
        next === 47 ||
        next === 32 ||
        next === 9 ||
        next === 124 ||
        next === 33 ||
        next === 60
      );
    case 123: // "{{#system}}"
      return next === 123;
    case 35: // "## SYSTEM ##"
      return next === 35;
    case 36: // "$(curl …)"
      return next === 40;
    default: // "@": an address
      return next < 128 && ((CHAR[next]! & (LETTER | DIGIT)) !== 0 || next === 95 || next === 45);
  }
}

/** Blanks outside ASCII, as JavaScript's `\s` reads them. */
export function isWideSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The concepts of a long word (a German compound) ending in one of the lexicon's heads ("suchwerkzeug"). */
export function endingConcepts(text: string, start: number, end: number): number {
  let concepts = 0;
  for (const { ending, concepts: of } of wordTrie().asciiEndings) {
    const from = end - ending.length;
    if (from < start) continue;
    let same = true;
    for (let j = 0; same && j < ending.length; j++)
      same = (text.charCodeAt(from + j) | 32) === ending.charCodeAt(j);
    if (same) concepts |= of;
  }
  return concepts;
}

/**
 * Whether a run of letters, digits, "@" and "$" (as first-sight-concepts.ts unleetText reads a word)
 * reads as a word the lexicon knows once its stand-ins are read as letters.
 */
export function readsBack(text: string, start: number, end: number): boolean {
  const { next: NEXT, stems: STEMS, wordEnds: WORD_ENDS, phraseNodes: PHRASE_NODES } = wordTrie();
  let node = 0;
  let stems = 0;
  for (let i = start; i < end; i++) {
    const y = LEET_SYMBOL[text.charCodeAt(i)]!;
    if (y === 99) return false;
    node = NEXT[node * SYMBOLS + y]!;
    if (node === 0) return stems !== 0;
    stems |= STEMS[node]!;
  }
  return stems !== 0 || WORD_ENDS[node] !== 0 || PHRASE_NODES[node] === 1;
}
