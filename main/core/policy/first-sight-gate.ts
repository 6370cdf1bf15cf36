// First-sight scanning's gate: one pass over a string, a few typed-array reads a character, that says
// which rules could match it at all — a character outside printable ASCII or a long blank run
// (character rules), the words some phrase rule needs (walked in first-sight-words.ts's trie), a long
// base64/hex run — and where each rule could start, so the phrase rules are tried only there.

import {
  DEAD,
  NEXT,
  NODE_BITS,
  NODE_HALVES,
  NODE_STARTS,
  PAIR_GROUPS,
  PAIR_MASKS,
  PHRASE_GROUP as G,
  ROOT,
  RULE_START,
  WORD_ADDRESS,
  WORD_LINE,
  WORD_SENDING,
} from './first-sight-words.js';

// The gate's answer is one number (no object per string: a big listing has hundreds of thousands):
// the phrase groups that could match (PHRASE_GROUP bits, only these run), and the bits below.
/** A character the character rules look at, or a long blank run: the character rules run. */
export const GATE_CHARACTERS = 256;
/** A long blank run (spaces/tabs or blank lines) in ASCII: without one, the whitespace rule need not run. */
export const GATE_BLANKS = 512;
/** A control character (C0 other than tab and line ends, DEL, C1): the terminal-escape rule runs. */
export const GATE_CONTROL = 1024;
/** A code unit the hidden-character rule (or folding's removal) could match. */
export const GATE_HIDDEN = 2048;
/** A blank outside ASCII (no-break, em, ideographic space): a blank run the gate did not count. */
export const GATE_WIDE_BLANK = 4096;
/** Every detail bit: what the character rules assume when nobody looked (every rule on every string). */
export const GATE_DETAIL = GATE_CONTROL | GATE_HIDDEN | GATE_WIDE_BLANK;

/** Blank characters in a row, and blank lines in a row, that count as pushing text out of view. */
const SPACE_RUN = 40;
const BLANK_LINES = 12;
/** Base64/hex characters in a row that could hold an encoded sentence. */
const ENCODED_RUN = 32;

/**
 * What a code unit from U+007F up is to the gate, one table read: GATE_CONTROL, GATE_HIDDEN,
 * GATE_WIDE_BLANK, and BLANK (a Unicode space, as the role rules' \s reads it). Built once.
 */
const BLANK = 1;
const SPECIAL = new Uint16Array(65536);
for (let c = 0x7f; c <= 0x9f; c++) SPECIAL[c] = GATE_CONTROL;
// first-sight-characters.ts's MAY_HIDE, as code units (U+DB40 leads the tag and supplementary
// variation-selector ranges).
for (const [from, to] of [
  [0x200b, 0x200f],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
  [0x00ad, 0x00ad],
  [0x180e, 0x180e],
  [0x034f, 0x034f],
  [0x115f, 0x1160],
  [0x3164, 0x3164],
  [0xffa0, 0xffa0],
  [0x202a, 0x202e],
  [0x061c, 0x061c],
  [0xfe00, 0xfe0f],
  [0xdb40, 0xdb40],
] as const)
  for (let c = from; c <= to; c++) SPECIAL[c]! |= GATE_HIDDEN;
for (const c of [0xa0, 0x3000]) SPECIAL[c]! |= GATE_WIDE_BLANK;
for (let c = 0x2000; c <= 0x200a; c++) SPECIAL[c]! |= GATE_WIDE_BLANK | BLANK;
for (const c of [0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) SPECIAL[c]! |= BLANK;

/**
 * Blank as the role rules' \s reads it (and as a name reads _ and -, which become spaces before the
 * phrase rules read a name): ASCII blanks and controls, and Unicode's spaces.
 */
function isBlank(c: number): boolean {
  return c <= 32 || c === 95 || c === 45 || (c > 126 && (SPECIAL[c]! & BLANK) !== 0);
}

/**
 * Where the last gate() call's encoded runs (ENCODED_RUN or more of [A-Za-z0-9+/=_-]) start, so the
 * encoded rule tries only there: read with encodedRunStarts().
 */
const RUN_STARTS = new Int32Array(16);
let runCount = 0;

function noteRun(start: number): void {
  if (runCount < RUN_STARTS.length) RUN_STARTS[runCount] = start;
  runCount++;
}

/**
 * Where the encoded runs of the string last passed to gate() start, in order (undefined: more than
 * are kept). Every match of the encoded rule starts one (the character before a match is none of
 * the run's), so the rule need try nowhere else on that same text.
 */
export function encodedRunStarts(): Int32Array | undefined {
  return runCount <= RUN_STARTS.length ? RUN_STARTS.subarray(0, runCount) : undefined;
}

/** Where phrase rules could start in a string: `at[k]` (ascending) and the rules there, `rules[k]`. */
export interface RuleStarts {
  readonly count: number;
  readonly at: Int32Array;
  /** RULE_START bits. */
  readonly rules: Int32Array;
}

const MAX_STARTS = 2048;
const starts = { count: 0, at: new Int32Array(MAX_STARTS), rules: new Int32Array(MAX_STARTS) };
let startCount = 0;

function noteStart(at: number, rules: number): void {
  if (startCount < MAX_STARTS) {
    starts.at[startCount] = at;
    starts.rules[startCount] = rules;
  }
  startCount++;
}

/**
 * Where the phrase rules could start in the string last passed to gate(): each rule's first words
 * (RULE_START bits on first-sight-words.ts's words) and marks (`<`, `[`, a line's end for the role
 * rules), in order; undefined when there were more than are kept (the rules then read everywhere).
 */
export function ruleStarts(): RuleStarts | undefined {
  if (startCount > MAX_STARTS) return undefined;
  starts.count = startCount;
  return starts;
}

/**
 * Reads a string once and says which rules could match it: PHRASE_GROUP bits, GATE_CHARACTERS,
 * GATE_BLANKS and the detail bits. Also notes where encoded runs and phrase rules could start in it
 * (encodedRunStarts(), ruleStarts()), until the next call.
 */
export function gate(text: string): number {
  let words = 0;
  let halves = 0;
  let groups = 0;
  let characters = 0;
  let blanks = false;
  let spaces = 0;
  let newlines = 0;
  let encoded = 0;
  let digits = 0;
  let phone = 0;
  // Whether only blanks and # came since the line began.
  let atLine = true;
  runCount = 0;
  startCount = 0;
  // The trie's tables in locals: an imported binding is re-read (and checked) at every use in a loop.
  const trie = NEXT;
  const nodeBits = NODE_BITS;
  const nodeHalves = NODE_HALVES;
  const nodeStarts = NODE_STARTS;
  const special = SPECIAL;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    // A space ends a word and an encoded run and lengthens a blank run (and a phone number's).
    if (c === 32) {
      encoded = 0;
      if (++spaces >= SPACE_RUN) blanks = true;
      if (phone > 0) phone++;
      i++;
      continue;
    }
    // A run of letters: walked in the trie, case folded, one table read a letter. (Never a read past
    // the end: V8's charCodeAt would answer NaN, and the whole loop would run slower for it.)
    let letter = (c | 32) - 97;
    if (letter >= 0 && letter < 26) {
      const start = i;
      const wordAtLine = atLine;
      atLine = false;
      let node = ROOT;
      do {
        node = trie[(node << 5) | letter]!;
        if (++i === length) break;
        letter = (text.charCodeAt(i) | 32) - 97;
      } while (letter >= 0 && letter < 26);
      const run = i - start;
      encoded += run;
      if (encoded >= ENCODED_RUN && encoded - run < ENCODED_RUN) {
        groups |= G.encoded;
        noteRun(i - encoded);
      }
      spaces = newlines = digits = phone = 0;
      if (node !== DEAD) {
        const bits = nodeBits[node]!;
        words |= bits;
        halves |= nodeHalves[node]!;
        if ((bits & WORD_LINE) !== 0 && wordAtLine) groups |= G.role;
        const rules = nodeStarts[node]!;
        if (rules !== 0) noteStart(start, rules);
      }
      continue;
    }
    const blank = isBlank(c);
    if (c === 10) atLine = true;
    else if (!blank && c !== 35) atLine = false;
    // Digits, + / = _ - continue an encoded run (letters did above); slashes too: base64 has them, and
    // text can be made to encode to one every few characters.
    if ((c >= 47 && c <= 57) || c === 43 || c === 61 || c === 95 || c === 45) {
      if (++encoded === ENCODED_RUN) {
        groups |= G.encoded;
        noteRun(i + 1 - encoded);
      }
    } else encoded = 0;
    if (c === 9) {
      if (++spaces >= SPACE_RUN) blanks = true;
    } else {
      spaces = 0;
      if (c === 10) {
        if (++newlines >= BLANK_LINES) blanks = true;
      } else if (c !== 13) newlines = 0;
    }
    // An address: an IP (four digits or more, apart from . - + and spaces) or a phone number (a digit,
    // eight or more digits, spaces or dashes, a digit: the rule's `\d[\d -]{8,}\d`).
    if (c >= 48 && c <= 57) {
      digits++;
      phone++;
      if (digits >= 4 || phone >= 10) words |= WORD_ADDRESS;
    } else {
      if (c !== 46 && c !== 45 && c !== 43) digits = 0;
      if (c === 45) {
        if (phone > 0) phone++;
      } else phone = 0;
    }
    if (c > 126) characters |= GATE_CHARACTERS | special[c]!;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13) characters |= GATE_CHARACTERS | GATE_CONTROL;
    // Marks some rules start with or need: tags and role markers (<IMPORTANT>, <|im_start|>, < system>,
    // [INST]), a line's end (role markers start a line), an email address's @, an image (![), a URL
    // that fills in data (={, = $, <).
    else if (c === 60) {
      noteStart(i, RULE_START.role);
      const after = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      const afterLetter = (after | 32) - 97;
      if (after === 47 || after === 124 || (afterLetter >= 0 && afterLetter < 26) || isBlank(after))
        groups |= G.role;
    } else if (c === 91) {
      noteStart(i, RULE_START.role);
      const after = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if ((after | 32) === 105 || after === 47) groups |= G.role;
    } else if (c === 10) noteStart(i, RULE_START.role);
    else if (c === 64) {
      const after = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      const afterLetter = (after | 32) - 97;
      if (
        i >= 1 &&
        ((afterLetter >= 0 && afterLetter < 26) ||
          (after >= 48 && after <= 57) ||
          after === 95 ||
          after === 45)
      )
        words |= WORD_ADDRESS;
    } else if (c === 33) {
      if (i + 1 < length && text.charCodeAt(i + 1) === 91) groups |= G.link;
    } else if (c === 61) {
      let j = i + 1;
      while (j < length && isBlank(text.charCodeAt(j))) j++;
      const after = j < length ? text.charCodeAt(j) : 0;
      if (after === 123 || after === 36 || after === 60) groups |= G.link;
    }
    i++;
  }
  let phrases = (words & G.all) | groups;
  // An address and a sending verb: the exfiltration rule could match.
  if ((words & WORD_ADDRESS) !== 0 && (words & WORD_SENDING) !== 0) phrases |= G.exfiltration;
  // Only a string with a pair half in it looks at the pairs.
  if (halves !== 0)
    for (let k = 0; k < PAIR_MASKS.length; k++) {
      const both = PAIR_MASKS[k]!;
      if ((halves & both) === both) phrases |= PAIR_GROUPS[k]!;
    }
  if (blanks) characters |= GATE_CHARACTERS | GATE_BLANKS;
  return phrases | characters;
}
