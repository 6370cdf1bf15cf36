// The other ways first sight reads a string, besides as written: what spaced-out or dotted letters
// spell in any script ("i g n o r e", "p.a.s.s.w.o.r.d", "비 밀 번 호"), and what an encoding hides
// (base32; base64 — backwards, or inside another — hex, URL escapes (escaped twice too), HTML entities,
// \u, \x and octal escapes, Ascii85, base85 without a frame, character codes written as numbers,
// Morse, letters shifted as rot13 or a Caesar shift does or swapped as Atbash does, a sentence written
// backwards; bytes read as first-sight-codes.ts reads them). Each is judged like the text itself; an
// encoding that hides readable words (the view's `payload`) is a finding of its own, since no
// description needs one, and so is a stretch of ten letters or more spelled out one at a time.
import {
  ascii85Digit,
  base85Text,
  BRAILLE_RUN,
  brailleText,
  bytesText,
  fromBase85,
  MIXED_HINT,
  rot47,
  turnedBack,
  UPSIDE_DOWN,
  NUMBER_RUN,
  NUMBERS_HINT,
  numbersText,
  readsAsText,
  SOLID_RUN,
} from './first-sight-codes.js';
import type { CharacterHit } from './first-sight-characters.js';
import { FORWARDS } from './first-sight-function-words.js';
import { MORSE_MARKS } from './first-sight-gate-table.js';
import { mayBeShifted, readBack, reversedStretch, shiftedStretch, shiftName } from './first-sight-shifts.js';

/** A string read another way: how, and the text it reads as. */
export interface View {
  /** "decoded base64", "letters joined up", … (said in the finding's place). */
  how: string;
  text: string;
  /** The span of the original text it came from (the whole text for a whole-text reading). */
  start: number;
  end: number;
  /** Where in `text` it differs from what was written: only stretches there are judged (undefined: all). */
  changed?: Array<[number, number]>;
  /**
   * What was really encoded, decoded, when it reads as text (undefined: the encoding hides no words,
   * as an honest URL's escaped spaces do not): the view is then a finding of its own, and the model
   * scores it as it scores a string.
   */
  payload?: string;
}

/** Single letters parted by one separator other than a blank, at least four in a row ("p.a.s.s", "r_e_a_d"). */
const SEPARATED_LETTERS = /(?<![\p{L}\p{N}])\p{L}([._*·・-])\p{L}(?:\1\p{L}){2,}(?![\p{L}\p{N}])/gu;

/**
 * Single characters parted by one blank ("s e n d", "t h e", ". e n v", "비 밀 번 호"), or one alone: a
 * word spelled out (an address's or a path's marks too). A wider gap between two of them is where a
 * word ends.
 */
const SPACED_WORD = /(?<![\p{L}\p{N}])[\p{L}\p{N}.@'/:_-](?: [\p{L}\p{N}.@'/:_-])*(?![\p{L}\p{N}])/gu;
/** The gap between two spelled-out words of one stretch: two blanks or more (at most eight). */
const WORD_GAP = /^\s{2,8}$/;
/** Letters a stretch of spelled-out words has at least, and a lone spelled-out word. */
const SPACED_MIN = 4;

/** Three single characters parted by one separator: where spaced-out letters could be (a cheap test). */
const SPACED_HINT = /(?<![\p{L}\p{N}])[^\s][ ._*·・-][^\s][ ._*·・-][^\s][ ._*·・-][^\s]/u;

const letterCount = (text: string): number => text.match(/\p{L}/gu)?.length ?? 0;

/** A stretch of spaced-out letters: where it stands, and what it reads as joined up. */
export interface SpacedRun {
  start: number;
  end: number;
  joined: string;
}

/**
 * Where spaced-out letters stand: each spelled-out word, or stretch of them parted by wider gaps, with
 * four letters or more, and each run of single letters parted by another separator; with what each
 * reads as joined up (a stretch's words one blank apart).
 */
function spacedRuns(text: string): SpacedRun[] {
  const runs: SpacedRun[] = [];
  let stretch: Array<{ start: number; end: number; word: string }> = [];
  const close = () => {
    const letters = stretch.reduce((sum, word) => sum + letterCount(word.word), 0);
    if (letters >= SPACED_MIN && (stretch.length > 1 || letterCount(stretch[0]!.word) >= SPACED_MIN))
      runs.push({
        start: stretch[0]!.start,
        end: stretch[stretch.length - 1]!.end,
        joined: stretch.map((word) => word.word).join(' '),
      });
    stretch = [];
  };
  for (const match of text.matchAll(SPACED_WORD)) {
    const word = { start: match.index, end: match.index + match[0].length, word: match[0].replace(/ /g, '') };
    const last = stretch[stretch.length - 1];
    if (last !== undefined && !WORD_GAP.test(text.slice(last.end, word.start))) close();
    stretch.push(word);
  }
  if (stretch.length > 0) close();
  for (const match of text.matchAll(SEPARATED_LETTERS))
    if (!runs.some((run) => run.start < match.index + match[0].length && match.index < run.end))
      runs.push({
        start: match.index,
        end: match.index + match[0].length,
        joined: match[0].split(match[1]!).join(''),
      });
  return runs.sort((a, b) => a.start - b.start);
}

/** Letters one stretch of spaced-out ones has, at least, to be a sentence written so (spacedLetterHits). */
const SPACED_HELD = 10;

/**
 * Whether a stretch's letters rise in the alphabet's order ("A B C D E F G H I J K", "あ い う え お か
 * き く け こ"): columns, grades or a syllabary listed, not words spelled out.
 */
function inOrder(joined: string): boolean {
  const letters = [...joined.toLowerCase()].filter((char) => /\p{L}/u.test(char));
  return letters.every((char, k) => k === 0 || char.codePointAt(0)! > letters[k - 1]!.codePointAt(0)!);
}

/**
 * A stretch of ten letters or more written one at a time ("s e n d  t h e  k e y", "비 밀 번 호 를   메
 * 모 에", "告.诉.买.家"): no language writes words so, a person reads them as words and a word list as
 * single letters. One hit for the text, over its stretches that long.
 */
export function spacedLetterHits(text: string, runs = spacedRunsIn(text)): CharacterHit[] {
  const long = runs.filter((run) => letterCount(run.joined) >= SPACED_HELD && !inOrder(run.joined));
  if (long.length === 0) return [];
  const first = long[0]!;
  const letters = long.reduce((sum, run) => sum + letterCount(run.joined), 0);
  return [
    {
      rule: 'look-alike',
      heading: 'Letters spaced apart',
      start: first.start,
      end: Math.min(long[long.length - 1]!.end, first.start + 120),
      reason: `${letters} letters are written one at a time ("${first.joined.slice(0, 40)}"): they read as words to you and as single letters to a word list, and no language writes words so`,
    },
  ];
}

/**
 * Where spaced-out letters stand in a text (spacedRuns), after the cheap test: the joined-up reading and
 * the spaced-letters finding read the same runs.
 */
export function spacedRunsIn(text: string): SpacedRun[] {
  return SPACED_HINT.test(text) ? spacedRuns(text) : [];
}

/** The text with `runs` of spaced-out letters joined up (words apart by wider gaps one blank apart); undefined: none. */
function joinedLetters(
  text: string,
  runs: SpacedRun[],
): { text: string; changed: Array<[number, number]> } | undefined {
  if (runs.length === 0) return undefined;
  const changed: Array<[number, number]> = [];
  let joined = '';
  let at = 0;
  for (const run of runs) {
    joined += text.slice(at, run.start);
    changed.push([joined.length, joined.length + run.joined.length]);
    joined += run.joined;
    at = run.end;
  }
  return { text: joined + text.slice(at), changed };
}

/**
 * Base64 or hex runs long enough to hide a sentence (wrapped lines joined first). A base64 run may be
 * written backwards: its padding then opens it.
 */
const ENCODED =
  /(?<![\w+/=-])(?:={0,2}[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{32,}|[A-Z2-7]{32,}={0,6}|(?:[0-9a-fA-F]{2}){16,})(?![\w+/=])/g;
const WRAPPED_BASE64 = /(?:[A-Za-z0-9+/]{20,}\r?\n){1,}[A-Za-z0-9+/]{4,}={0,2}/g;
/** A base64 run that a line break continues: where a wrapped run could be. */
const WRAPPED_HINT = /[A-Za-z0-9+/]{20}\r?\n[A-Za-z0-9+/]{4}/;
/** A run of 20 base64 or hex characters: where an encoded run could be. */
const ENCODED_START = /[A-Za-z0-9+/_-]{20}/;
/** A whole decoded text that is itself an encoded run: base64 inside hex, hex inside base64. */
const WHOLE_RUN = /^\s*(?:={0,2}[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{32,}|(?:[0-9a-fA-F]{2}){16,})\s*$/;
/** Layers of encoding undone at most: one inside another inside another is not honest either. */
const MAX_LAYERS = 3;
const URL_ESCAPES = /(?:%[0-9a-fA-F]{2}[^%\s]{0,12}){3,}/;
const HTML_ENTITIES = /(?:&#x?[0-9a-fA-F]{1,6};|&[a-z]{2,8};){4,}/i;
const UNICODE_ESCAPES = /(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[0-3][0-7]{2}){4,}/;
/** Each escape of its kind, for finding the stretches an encoding covers. */
const URL_ESCAPE = /%[0-9a-fA-F]{2}/g;
/** An escaped "%" before two hex digits: a URL escape escaped again. */
const ESCAPED_ESCAPE = /%25[0-9a-fA-F]{2}/;
const NUMERIC_ENTITY = /&#x([0-9a-f]{1,6});|&#(\d{1,7});/gi;
const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([0-3][0-7]{2})/g;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A base32 run decoded (its padding dropped). */
function fromBase32(run: string): string {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (const char of run.replace(/=+$/, '')) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A base64 run's bytes (URL-safe if it has "-" or "_"). */
function fromBase64(compact: string): Buffer {
  const url = compact.includes('-') || compact.includes('_');
  return Buffer.from(compact, url ? 'base64url' : 'base64');
}

/**
 * What an encoded run says, when it reads as text: hex, base32, base64, base64 written backwards, or any of
 * them inside another (up to MAX_LAYERS).
 */
function decodeRun(run: string, layer = 1): { how: string; text: string } | undefined {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(run) && run.length >= 32) {
    if (!/[0-9]/.test(run)) return undefined;
    const bytes = Buffer.from(run, 'hex');
    const read = bytesText(bytes);
    return read === undefined
      ? innerRun(bytes.toString('utf8'), 'hex', layer)
      : { how: `decoded hex${read.how}`, text: read.text };
  }
  if (/^[A-Z2-7]{32,}={0,6}$/.test(run)) {
    // Capitals and 2–7 only: base32 (base64 of a sentence has small letters on every line).
    const text = fromBase32(run);
    return readsAsText(text) ? { how: 'decoded base32', text } : innerRun(text, 'base32', layer);
  }
  if (/[^A-Za-z0-9+/=_\s-]/.test(run)) return undefined;
  // Base64 of a sentence mixes cases and digits on every line; a name in capitals does not (the gate
  // looks for the same mix, first-sight-gate.ts LONG_RUN).
  if (
    !run
      .split(/\s+/)
      .some((line) => line.length >= 20 && /[A-Z]/.test(line) && /[a-z]/.test(line) && /[0-9]/.test(line))
  )
    return undefined;
  const compact = run.replace(/\s+/g, '');
  // Padding first: written backwards, and read only that way.
  const bytes = compact.startsWith('=') ? undefined : fromBase64(compact);
  const read = bytes === undefined ? undefined : bytesText(bytes);
  if (read !== undefined) return { how: `decoded base64${read.how}`, text: read.text };
  const inner = bytes === undefined ? undefined : innerRun(bytes.toString('utf8'), 'base64', layer);
  if (inner) return inner;
  const backwards = fromBase64([...compact].reverse().join('')).toString('utf8');
  if (readsAsText(backwards)) return { how: 'decoded base64 written backwards', text: backwards };
  return undefined;
}

/** A decoded text that is itself a whole encoded run, decoded in its turn (one layer further down). */
function innerRun(decoded: string, outer: string, layer: number): { how: string; text: string } | undefined {
  if (layer >= MAX_LAYERS || !WHOLE_RUN.test(decoded)) return undefined;
  const inner = decodeRun(decoded.trim(), layer + 1);
  return inner && { how: `${inner.how} inside ${outer}`, text: inner.text };
}

/** Escapes at most this many characters apart are one encoded stretch. */
const ESCAPE_GAP = 3;
/** Escapes of letters or digits one stretch needs, at least, to be an encoding of words. */
const MIN_ESCAPED = 4;

/**
 * What a text's escapes really encode: each stretch of escapes (a few plain characters between them
 * at most) whose escapes spell letters or digits (`spells`) — four or more, and at least half the
 * letters and digits the stretch reads as — decoded (`decode`) and kept when it reads as text. An
 * escape of a space, a mark or a byte of a character outside ASCII is what honest text escapes.
 */
function escapedPayload(
  text: string,
  escape: RegExp,
  spells: (match: RegExpExecArray) => boolean,
  decode: (stretch: string) => string,
): { payload: string; start: number; end: number } | undefined {
  const found: Array<{ start: number; end: number; letters: number }> = [];
  for (const match of text.matchAll(escape)) {
    const last = found[found.length - 1];
    const letter = spells(match) ? 1 : 0;
    if (last !== undefined && match.index - last.end <= ESCAPE_GAP) {
      last.end = match.index + match[0].length;
      last.letters += letter;
    } else found.push({ start: match.index, end: match.index + match[0].length, letters: letter });
  }
  const payloads: string[] = [];
  let start = -1;
  let end = -1;
  for (const stretch of found) {
    if (stretch.letters < MIN_ESCAPED) continue;
    let decoded: string;
    try {
      decoded = decode(text.slice(stretch.start, stretch.end));
    } catch {
      continue;
    }
    const letters = decoded.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    if (stretch.letters * 2 < letters || !readsAsText(decoded)) continue;
    payloads.push(decoded);
    if (start < 0) start = stretch.start;
    end = stretch.end;
  }
  return payloads.length === 0 ? undefined : { payload: payloads.join(' … '), start, end };
}

/** Whether a URL escape spells an ASCII letter or digit (honest URLs escape neither). */
const urlLetter = (match: RegExpExecArray): boolean =>
  /[A-Za-z0-9]/.test(String.fromCharCode(parseInt(match[0].slice(1), 16)));
/** Whether an escape's code point (hex or decimal, as captured) is a letter or digit of any script. */
const codeLetter = (hex: string | undefined, dec: string | undefined): boolean => {
  const code = parseInt(hex ?? dec ?? '', hex === undefined ? 10 : 16);
  return code <= 0x10ffff && /[\p{L}\p{N}]/u.test(String.fromCodePoint(code));
};

function htmlDecoded(text: string): string {
  return text.replace(NUMERIC_ENTITY, (_, hex: string, dec: string) =>
    String.fromCodePoint(Math.min(parseInt(hex ?? dec, hex ? 16 : 10), 0x10ffff)),
  );
}

function escapesDecoded(text: string): string {
  return text.replace(UNICODE_ESCAPE, (_, u: string, x: string, octal: string) =>
    String.fromCharCode(octal === undefined ? parseInt(u ?? x, 16) : parseInt(octal, 8)),
  );
}

/** A whole-text view, with its payload where the encoding really hides words. */
function wholeView(
  how: string,
  text: string,
  decoded: string,
  found: { payload: string; start: number; end: number } | undefined,
): View {
  return found === undefined
    ? { how, text: decoded, start: 0, end: text.length }
    : { how, text: decoded, start: found.start, end: found.end, payload: found.payload };
}

/** Morse: dots and dashes, letters one blank apart, words apart by a slash or wider gaps. */
const MORSE = /[.-]{1,7}(?:(?: {1,3}| ?\/ ?)[.-]{1,7})+/g;
/** Each letter, digit and mark Morse has, by its code. */
const MORSE_CODES: Readonly<Record<string, string>> = Object.fromEntries(
  (
    'a.- b-... c-.-. d-.. e. f..-. g--. h.... i.. j.--- k-.- l.-.. m-- n-. o--- p.--. q--.- r.-. s... t- ' +
    'u..- v...- w.-- x-..- y-.-- z--.. 0----- 1.---- 2..--- 3...-- 4....- 5..... 6-.... 7--... 8---.. ' +
    "9----. ..-.-.- ,--..-- ?..--.. @.--.-. /-..-. :---... '.----. --....- =-...-"
  )
    .split(' ')
    .map((entry) => [entry.slice(1), entry[0]!]),
);

/**
 * A stretch of Morse read as text (undefined: too short, or not Morse: a code it has no letter for).
 * Letters one blank apart; words apart by a slash or two blanks or more.
 */
function fromMorse(run: string): string | undefined {
  let text = '';
  for (const word of run.trim().split(/ ?\/ ?| {2,}/)) {
    for (const code of word.split(' ')) {
      const letter = MORSE_CODES[code];
      if (letter === undefined) return undefined;
      text += letter;
    }
    text += ' ';
  }
  return text.trim();
}

/**
 * Ascii85 as Adobe frames it: "<~", characters "!" to "u" (and "z" for four zero bytes) in groups of five,
 * blanks and line breaks anywhere, "~>". Ten characters at least: eight bytes.
 */
const ASCII85 = /<~([!-uz\s]{10,}?)~>/g;

/** An Ascii85 frame's body decoded (undefined: not Ascii85 — a group too large, or a "z" inside one). */
function fromAscii85(body: string): Buffer | undefined {
  return fromBase85(body.replace(/\s+/g, ''), ascii85Digit, true);
}

/** Printable characters with no blank between them an unframed base85 run has at least (SOLID_RUN's 20). */
const SOLID = 20;

/** Whether a text has SOLID printable ASCII characters in a row: a loop, far cheaper than a pattern's scan. */
function solidRun(text: string): boolean {
  let solid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 32 && c < 127) {
      if (++solid >= SOLID) return true;
    } else solid = 0;
  }
  return false;
}

/**
 * Whether a text could hold an encoding written as groups (first-sight-codes.ts): an unframed base85
 * run, or character codes written as numbers. The gate has no bit for them: this is its cheap test.
 */
export function mayHaveGroups(text: string): boolean {
  return (
    text.length >= SOLID &&
    (solidRun(text) || NUMBERS_HINT.test(text) || BRAILLE_HINT.test(text) || MIXED_HINT.test(text))
  );
}

/** Three Braille cells in a row; four upside-down letters anywhere: where those readings could find something. */
const BRAILLE_HINT = /[\u2800-\u28ff]{3}/;
const UPSIDE_DOWN_HINT =
  /[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ∀ƆƎℲ⅁ꓘ˥Ԁᴚ⊥∩Λ⅄](?:[^ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ∀ƆƎℲ⅁ꓘ˥Ԁᴚ⊥∩Λ⅄]*[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ∀ƆƎℲ⅁ꓘ˥Ԁᴚ⊥∩Λ⅄]){3}/u;
/** Words ROT47 writes (or letters only upside-down writing uses) for the reading to be tried, and function words it reads back, at least. */
const CODED_WORDS = 4;
const READ_BACK_WORDS = 3;

/**
 * How many of a text's words (blank to blank, marks at either end left out) are function words of the
 * languages first sight knows (FORWARDS), and of how many words: a word is whole or none ("9:DE@" is no
 * "de").
 */
function functionWords(text: string): { count: number; distinct: number; words: number } {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((word) => word !== '');
  const found = words.filter((word) => FORWARDS.has(word));
  return { count: found.length, distinct: new Set(found).size, words: words.length };
}

/** Of a reading's words, the share that are function words, at least (running text has a fifth or more). */
const READ_BACK_SHARE = 0.2;

/** A reading that says what the text as written does not: function words read back, few as written. */
function readsBack(written: string, read: string): boolean {
  const back = functionWords(read);
  return (
    back.count >= READ_BACK_WORDS &&
    back.distinct >= 2 &&
    back.count >= READ_BACK_SHARE * back.words &&
    functionWords(written).count <= 1
  );
}

/**
 * ROT47 (every printable character but the blank moved 47 places: "E96" for "the"; small letters become
 * digits, marks and capitals, so no word of it has a small letter): the longest run of such words, four
 * or more, read back when it then has function words and as written had none or one.
 */
function rot47View(text: string): View | undefined {
  let best: [number, number] | undefined;
  let runStart = -1;
  let runEnd = -1;
  let words = 0;
  const close = () => {
    if (words >= CODED_WORDS && (best === undefined || runEnd - runStart > best[1] - best[0]))
      best = [runStart, runEnd];
    words = 0;
  };
  for (const match of text.matchAll(/\S+/g)) {
    if (ROT47_WORD.test(match[0])) {
      if (words === 0) runStart = match.index;
      runEnd = match.index + match[0].length;
      words++;
    } else close();
  }
  close();
  if (best === undefined) return undefined;
  const [start, end] = best;
  const written = text.slice(start, end);
  const read = rot47(written);
  if (!readsBack(written, read)) return undefined;
  return { how: 'ROT47 decoded', text: read, start, end, payload: readsAsText(read) ? read : undefined };
}

/** A word as ROT47 writes one: printable ASCII with no small letter. */
const ROT47_WORD = /^[!-`{-~]+$/;

/**
 * Text written upside down ("ɟɟo sᴉ ɯɹɐlɐ ǝɥʇ"): the stretch of its words turned back, when it then reads
 * as words. Read on the text as written (folding makes look-alikes of some of its letters).
 */
export function upsideDownView(text: string): View | undefined {
  if (!UPSIDE_DOWN_HINT.test(text)) return undefined;
  const marks = [...text.matchAll(UPSIDE_DOWN)];
  if (marks.length < CODED_WORDS) return undefined;
  // From the word of the first upside-down letter to the word of the last.
  let start = marks[0]!.index;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  let end = marks[marks.length - 1]!.index + 1;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  const written = text.slice(start, end);
  const read = turnedBack(written);
  if (!readsBack(written, read)) return undefined;
  return {
    how: 'turned the right way up',
    text: read,
    start,
    end,
    payload: readsAsText(read) ? read : undefined,
  };
}

/** A string shorter than this is not read for shifted letters. */
export const SHIFTED_MIN = 40;

/**
 * What a string says once encodings are undone: each decoded run or whole-text reading. `shifts`:
 * look for letters shifted along the alphabet; `backwards`: for text written backwards (the gate saw a
 * hint of them).
 */
export function decodedViews(
  text: string,
  mayHaveRuns = true,
  shifts = true,
  backwards = true,
  groups = mayHaveGroups(text),
): View[] {
  const views: View[] = [];
  // Most strings have no run long enough to hold anything: a cheap test first.
  const long = mayHaveRuns && ENCODED_START.test(text);
  const runs = long
    ? [...(WRAPPED_HINT.test(text) ? text.matchAll(WRAPPED_BASE64) : []), ...text.matchAll(ENCODED)]
    : [];
  for (const match of runs) {
    const decoded = decodeRun(match[0]);
    if (decoded)
      views.push({
        ...decoded,
        payload: decoded.text,
        start: match.index,
        end: match.index + match[0].length,
      });
  }
  if (text.includes('%') && URL_ESCAPES.test(text)) {
    try {
      const decoded = decodeURIComponent(text);
      const found = escapedPayload(text, URL_ESCAPE, urlLetter, decodeURIComponent);
      views.push(wholeView('URL-decoded', text, decoded, found));
      // Escaped twice ("%2541" for "%41", for "A"): the escapes the first decoding leaves spell it.
      if (found === undefined && ESCAPED_ESCAPE.test(text) && URL_ESCAPES.test(decoded)) {
        const inner = escapedPayload(decoded, URL_ESCAPE, urlLetter, decodeURIComponent);
        if (inner !== undefined) {
          const escapes = [...text.matchAll(URL_ESCAPE)];
          const last = escapes[escapes.length - 1]!;
          views.push({
            how: 'URL-decoded twice',
            text: decodeURIComponent(decoded),
            start: escapes[0]!.index,
            end: last.index + last[0].length,
            payload: inner.payload,
          });
        }
      }
    } catch {
      // Not a valid escape sequence: nothing hidden there to read.
    }
  }
  if (text.includes('&') && HTML_ENTITIES.test(text)) {
    // Named entities (`&amp;`) are what honest text writes, and none spells a letter of ASCII: only
    // numeric ones are read for a payload.
    const found = escapedPayload(
      text,
      NUMERIC_ENTITY,
      (match) => codeLetter(match[1], match[2]),
      htmlDecoded,
    );
    views.push(wholeView('HTML entities decoded', text, htmlDecoded(text), found));
  }
  if (text.includes('\\') && UNICODE_ESCAPES.test(text)) {
    const found = escapedPayload(
      text,
      UNICODE_ESCAPE,
      (match) =>
        codeLetter(match[1] ?? match[2], match[3] === undefined ? undefined : String(parseInt(match[3], 8))),
      escapesDecoded,
    );
    views.push(wholeView('escapes decoded', text, escapesDecoded(text), found));
  }
  if (text.includes('<~')) {
    for (const match of text.matchAll(ASCII85)) {
      const bytes = fromAscii85(match[1]!);
      const read = bytes === undefined ? undefined : bytesText(bytes);
      if (read !== undefined)
        views.push({
          how: `decoded Ascii85${read.how}`,
          text: read.text,
          payload: read.text,
          start: match.index,
          end: match.index + match[0].length,
        });
    }
  }
  if (groups) {
    for (const match of text.matchAll(SOLID_RUN)) {
      // A sentence's stop or a closing mark after the run is no digit of it.
      const run = match[0].replace(/[.,;:)]$/, '');
      const read = base85Text(run);
      if (read !== undefined)
        views.push({ ...read, payload: read.text, start: match.index, end: match.index + run.length });
    }
    for (const match of NUMBERS_HINT.test(text) ? text.matchAll(NUMBER_RUN) : []) {
      const read = numbersText(match[0]);
      if (read !== undefined)
        views.push({ ...read, payload: read.text, start: match.index, end: match.index + match[0].length });
    }
    for (const match of BRAILLE_HINT.test(text) ? text.matchAll(BRAILLE_RUN) : []) {
      const read = brailleText(match[0]);
      if (read !== undefined)
        views.push({ ...read, payload: read.text, start: match.index, end: match.index + match[0].length });
    }
    const rotated = MIXED_HINT.test(text) ? rot47View(text) : undefined;
    if (rotated !== undefined) views.push(rotated);
  }
  if (text.includes('-') && text.includes('.') && text.includes(' ')) {
    for (const match of text.matchAll(MORSE)) {
      const marks = match[0].replace(/[^.-]/g, '').length;
      if (marks < MORSE_MARKS || !match[0].includes('.') || !match[0].includes('-')) continue;
      const decoded = fromMorse(match[0]);
      if (decoded !== undefined)
        views.push({
          how: 'Morse decoded',
          text: decoded,
          start: match.index,
          end: match.index + match[0].length,
          payload: readsAsText(decoded) ? decoded : undefined,
        });
    }
  }
  const stretch =
    shifts && text.length >= SHIFTED_MIN && mayBeShifted(text) ? shiftedStretch(text) : undefined;
  if (stretch) {
    // Words joined by "_" (an enum value, a name) are read apart.
    const decoded = readBack(text.slice(stretch.start, stretch.end), stretch.shift).replace(/_/g, ' ');
    views.push({
      how: `${shiftName(stretch.shift)} decoded`,
      text: decoded,
      start: stretch.start,
      end: stretch.end,
      payload: readsAsText(decoded) ? decoded : undefined,
    });
  }
  const reversed = backwards && text.length >= SHIFTED_MIN ? reversedStretch(text) : undefined;
  if (reversed) {
    const decoded = [...text.slice(reversed.start, reversed.end)].reverse().join('');
    views.push({
      how: 'read backwards',
      text: decoded,
      start: reversed.start,
      end: reversed.end,
      payload: readsAsText(decoded) ? decoded : undefined,
    });
  }
  return views;
}

/** Spaced-out letters joined up, as a view of the whole text (undefined: there are none). */
export function joinedView(text: string, runs = spacedRunsIn(text)): View | undefined {
  const joined = joinedLetters(text, runs);
  return joined === undefined
    ? undefined
    : { how: 'letters joined up', text: joined.text, changed: joined.changed, start: 0, end: text.length };
}
