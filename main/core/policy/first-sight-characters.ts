// First-sight scanning, the character rules: what a person reading a definition cannot see but a model
// reads — Unicode tag characters, zero-width and bidi controls, terminal escapes, long whitespace runs —
// look-alike characters mixed into names and words, and words written in letters Unicode keeps for
// display (full-width, mathematical, circled, small capitals: read as the letters they stand for).
// Also how such text is shown: every invisible character made visible (docs/security-model.md, "Tools
// held on first sight").
/* eslint-disable no-control-regex, no-misleading-character-class -- finding control, joiner and
   invisible characters is what this module is for. */
import { createRequire } from 'node:module';
import type confusableSkeleton from 'unhomoglyph';
import { simplifiedHan } from './first-sight-han.js';

/** Unicode's confusables table as a function, loaded on the first look-alike check (skeleton). */
let unhomoglyph: typeof confusableSkeleton | undefined;

/**
 * A text's confusable skeleton. unhomoglyph compiles its table into one regular expression of some
 * 9 MB of memory when it is loaded: an idle engine with no connector never scans a name, so it is
 * loaded on the first name with a character outside ASCII, synchronously, and kept.
 */
function skeleton(text: string): string {
  unhomoglyph ??= createRequire(import.meta.url)('unhomoglyph') as typeof confusableSkeleton;
  return unhomoglyph(text);
}

/** One place a character rule matched: the span in the string, and what the user is told about it. */
export interface CharacterHit {
  rule: 'hidden-characters' | 'terminal-escape' | 'whitespace-run' | 'look-alike';
  start: number;
  end: number;
  reason: string;
  /** What the finding is called where it is said (undefined: "Look-alike"). */
  heading?: string;
}

/** Anything outside printable ASCII, tab and newline: text without it needs no character rule. */
const NOT_PLAIN = /[^\t\n\r\x20-\x7e]/;

/** Whether a text has anything outside printable ASCII, tab and line ends (the gate's NOT_PLAIN, read alone). */
export function notPlain(text: string): boolean {
  return NOT_PLAIN.test(text);
}

/** A letter outside ASCII: where the gate sets OTHER_SCRIPT. */
const NOT_ASCII_LETTER = /[^\p{ASCII}\P{L}]/u;

/** Whether a text has a letter outside ASCII (the gate's OTHER_SCRIPT, read alone: mixedScriptHits needs one). */
export function otherScript(text: string): boolean {
  return NOT_ASCII_LETTER.test(text);
}

/**
 * The blank runs the gate counts (its BLANK_RUN, read alone): 40 spaces or tabs in a row, or 12 line
 * feeds with nothing but spaces, tabs and carriage returns between them.
 */
const ASCII_BLANK_RUN = /[ \t]{40}|\n(?:[ \t\r]*\n){11}/;

/** Whether a text has a blank run the gate counts (its BLANK_RUN bit). */
export function blankRun(text: string): boolean {
  return ASCII_BLANK_RUN.test(text);
}

/** Runs of spaces/tabs this long push the rest of a line out of view (Trail of Bits, "line jumping"). */
const WHITESPACE_RUN = /[ \t\u00a0\u2000-\u200a\u3000]{40,}|(?:[ \t]*\r?\n){12,}/g;

/** Blanks outside ASCII: a blank run the gate (which counts ASCII blanks) did not count. */
const WIDE_BLANK = /[\u00a0\u2000-\u200a\u3000]/;

/** Characters no reader sees: tags, zero-width, bidi controls, variation selectors, other format marks. */
const HIDDEN =
  /[\u{e0000}-\u{e007f}]+|[\u200b\u200c\u200d\u2060-\u2064\ufeff\u00ad\u180e\u034f\u115f\u1160\u3164\uffa0]+|[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]+|[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]+/gu;

/**
 * Any code unit HIDDEN (or foldedText's removal) could match, read without the `u` flag: most text with
 * characters outside ASCII has none, and the Unicode-mode patterns cost far more a character.
 * U+DB40 is the lead surrogate of both the tag and the supplementary variation-selector ranges.
 */
const MAY_HIDE =
  /[\u200b-\u200f\u2060-\u2069\ufeff\u00ad\u180e\u034f\u115f\u1160\u3164\uffa0\u202a-\u202e\u061c\ufe00-\ufe0f\udb40]/;

/** ESC / CSI sequences and other C0/C1 controls: a terminal acts on them (Trail of Bits, ANSI escapes). */
const CONTROL =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]/g;

const EMOJI = /\p{Extended_Pictographic}/u;

/**
 * Whether a hidden run is ordinary emoji plumbing: a zero-width joiner between two pictographs, a
 * variation selector right after one (or after a keycap digit), or the tag sequence of a subdivision
 * flag (🏴 + tags + cancel tag). Everything else hidden is reported.
 */
function isEmojiPlumbing(text: string, start: number, run: string): boolean {
  const before = text.codePointAt(start - 1) ?? 0;
  const previous = before >= 0xdc00 && before <= 0xdfff ? text.codePointAt(start - 2) : before;
  const prevChar = previous === undefined ? '' : String.fromCodePoint(previous);
  if (run === '\u200d')
    return EMOJI.test(prevChar) && EMOJI.test(String.fromCodePoint(text.codePointAt(start + 1) ?? 0));
  if (run === '\ufe0f' || run === '\ufe0e') return EMOJI.test(prevChar) || /[0-9#*]/.test(prevChar);
  if (previous === 0x1f3f4 && /^[\u{e0061}-\u{e007a}]{2,6}\u{e007f}$/u.test(run)) return true;
  return false;
}

/** What a tag-character run spells: each tag is an ASCII character moved to U+E00xx. */
function decodeTags(run: string): string {
  let out = '';
  for (const char of run) {
    const code = char.codePointAt(0)!;
    if (code >= 0xe0020 && code <= 0xe007e) out += String.fromCharCode(code - 0xe0000);
  }
  return out;
}

function describeHidden(run: string): string {
  const first = run.codePointAt(0)!;
  const count = [...run].length;
  if (first >= 0xe0000 && first <= 0xe007f) {
    const said = decodeTags(run);
    return `${count} invisible Unicode tag characters${said ? ` that spell "${said.slice(0, 200)}"` : ''}`;
  }
  if ((first >= 0xfe00 && first <= 0xfe0f) || first >= 0xe0100)
    return `${count} invisible variation selector${count === 1 ? '' : 's'} (can carry hidden bytes)`;
  if (
    (first >= 0x202a && first <= 0x202e) ||
    (first >= 0x2066 && first <= 0x2069) ||
    first === 0x200e ||
    first === 0x200f ||
    first === 0x061c
  )
    return `${count} bidirectional control character${count === 1 ? '' : 's'} (reorders how the text reads)`;
  return `${count} zero-width or invisible character${count === 1 ? '' : 's'}`;
}

/**
 * The character rules' hits in one string: hidden characters, control characters and terminal
 * escapes, and blank runs that push text out of view (`blankRun`: the gate saw a long ASCII one).
 */
export function characterHits(text: string, blankRun = true): CharacterHit[] {
  const hits: CharacterHit[] = [];
  for (const match of blankRun || WIDE_BLANK.test(text) ? text.matchAll(WHITESPACE_RUN) : []) {
    const lines = match[0].split('\n').length - 1;
    hits.push({
      rule: 'whitespace-run',
      start: match.index,
      end: match.index + match[0].length,
      reason:
        lines >= 12
          ? `${lines} blank lines in a row push what follows out of view`
          : `${match[0].length} blank characters in a row push what follows out of view`,
    });
  }
  if (!NOT_PLAIN.test(text)) return hits;
  for (const match of MAY_HIDE.test(text) ? text.matchAll(HIDDEN) : []) {
    if (isEmojiPlumbing(text, match.index, match[0])) continue;
    hits.push({
      rule: 'hidden-characters',
      start: match.index,
      end: match.index + match[0].length,
      reason: describeHidden(match[0]),
    });
  }
  for (const match of text.matchAll(CONTROL)) {
    const escape = match[0].startsWith('\x1b');
    hits.push({
      rule: 'terminal-escape',
      start: match.index,
      end: match.index + match[0].length,
      reason: escape
        ? 'a terminal escape sequence (a terminal hides, recolours or rewrites text with it)'
        : `a control character (U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
    });
  }
  return hits;
}

/** Each non-ASCII character's ASCII reading (null: none), worked out once: the table is large. */
const READINGS = new Map<string, string | null>();

/** Letters and digits of another script that Unicode lists as confusable with ASCII ones. */
function lookAlike(char: string): string | undefined {
  if (char.charCodeAt(0) < 0x80) return undefined;
  let reading = READINGS.get(char);
  if (reading === undefined) {
    const ascii = skeleton(char);
    reading = ascii !== char && /^[A-Za-z0-9_-]+$/.test(ascii) ? ascii : null;
    if (READINGS.size < 10_000) READINGS.set(char, reading);
  }
  return reading ?? undefined;
}

/**
 * The letters of the Latin alphabets living languages write (Latin-1's and Latin Extended-A's, "ı" of
 * Turkish, "æ" of Danish, "œ" of French, "ĳ" of Dutch among them; not "×", nor the long "ſ"): letters of
 * a word in its own language, never look-alikes in a name.
 */
const ALPHABET_LETTER = /[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e]/;

/**
 * Look-alike characters in a name (tool, property, prompt, argument): a non-ASCII character that reads
 * as an ASCII one ("rеad_file" with a Cyrillic е), so the name passes for another.
 */
export function lookAlikeHits(name: string): CharacterHit[] {
  if (!NOT_PLAIN.test(name)) return [];
  const hits: CharacterHit[] = [];
  let index = 0;
  for (const char of name) {
    const reads = ALPHABET_LETTER.test(char) ? undefined : lookAlike(char);
    if (reads !== undefined) {
      hits.push({
        rule: 'look-alike',
        start: index,
        end: index + char.length,
        reason: `"${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) looks like "${reads}" but is a different character`,
      });
    }
    index += char.length;
  }
  return hits;
}

/** A Cyrillic or Greek letter: the scripts whose letters pass for Latin ones. */
const CYRILLIC_OR_GREEK = /[\u0370-\u04ff]/;
/** A word with a Cyrillic or Greek letter in it (the run read once). */
const CYRILLIC_OR_GREEK_WORD = /(?=[\p{L}\p{M}]*[\u0370-\u04ff])[\p{L}\p{M}]+/gu;

/**
 * Words of a text that mix Latin letters with Cyrillic or Greek look-alikes ("ѕеmрrе" with Cyrillic ѕ,
 * е, р): no language writes a word so, but it reads as Latin to a person and as another word to a
 * word list. Russian or Greek written as such (whole words in one script) is not one; nor is one Greek
 * letter among Latin ones (a unit's "μs", "kΩ"), which needs two to count. One hit for the text.
 */
export function mixedScriptHits(text: string): CharacterHit[] {
  if (!CYRILLIC_OR_GREEK.test(text)) return [];
  const mixed: Array<{ word: string; start: number }> = [];
  for (const match of text.matchAll(CYRILLIC_OR_GREEK_WORD)) {
    const word = match[0];
    if (!/[A-Za-z]/.test(word)) continue;
    let cyrillic = 0;
    let greek = 0;
    for (const char of word) {
      if (!CYRILLIC_OR_GREEK.test(char) || lookAlike(char) === undefined) continue;
      if (char >= '\u0400') cyrillic++;
      else greek++;
    }
    if (cyrillic > 0 || greek > 1) mixed.push({ word, start: match.index });
  }
  if (mixed.length === 0) return [];
  const first = mixed[0]!;
  const last = mixed[mixed.length - 1]!;
  const shown = mixed.slice(0, 3).map(({ word }) => `"${word}"`);
  return [
    {
      rule: 'look-alike',
      start: first.start,
      end: Math.min(last.start + last.word.length, first.start + 120),
      reason: `${mixed.length === 1 ? 'a word mixes' : `${mixed.length} words mix`} Latin letters with Cyrillic or Greek look-alikes (${shown.join(', ')}${mixed.length > 3 ? ', …' : ''}), so it reads as one word to you and as another to a word list`,
    },
  ];
}

/**
 * Latin letters NFKC leaves as they are: the small capitals (ᴀ to ᴢ, with the IPA letters that serve as
 * ʙ, ɢ, ʜ, ɪ, ʟ, ɴ, ʀ, ʏ and the ꜰ, ꜱ of Latin Extended-D), read as small letters; the negative circled
 * and squared capitals (🅐, 🅰) as capitals.
 */
const SMALL_CAPITALS: ReadonlyMap<string, string> = new Map(
  [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ']
    .map((char, k): [string, string] => [char, String.fromCharCode(97 + k)])
    // No small capital x is in Unicode: the place keeps the alphabet's order.
    .filter(([char]) => char !== 'x'),
);
const CAPITAL_FORM = /[ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ]|[\u{1f150}-\u{1f169}\u{1f170}-\u{1f189}]/u;
/** A word with a small capital or negative capital in it. */
const CAPITAL_FORM_WORD =
  /[\p{L}\p{M}\p{N}\p{So}]*(?:[ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ]|[\u{1f150}-\u{1f169}\u{1f170}-\u{1f189}])[\p{L}\p{M}\p{N}\p{So}]*/gu;

/** One small or negative capital as the letter it stands for (undefined: not one). */
function capitalRead(char: string): string | undefined {
  const small = SMALL_CAPITALS.get(char);
  if (small !== undefined) return small;
  const code = char.codePointAt(0)!;
  if (code >= 0x1f150 && code <= 0x1f169) return String.fromCharCode(65 + code - 0x1f150);
  if (code >= 0x1f170 && code <= 0x1f189) return String.fromCharCode(65 + code - 0x1f170);
  return undefined;
}

/**
 * Words written in small or negative capitals, read as the letters they stand for: a word with two of
 * them or more, or only them (an IPA transcription's one "ɪ" stays as written).
 */
function capitalsRead(text: string): string {
  if (!CAPITAL_FORM.test(text)) return text;
  return text.replace(CAPITAL_FORM_WORD, (word) => {
    let read = '';
    let forms = 0;
    let others = 0;
    for (const char of word) {
      const letter = capitalRead(char);
      if (letter === undefined) others++;
      else forms++;
      read += letter ?? char;
    }
    return forms >= 2 || others === 0 ? read : word;
  });
}

/** Whether a character is a Latin letter written for display (displayLetterHits): which kind, or undefined. */
function displayLetter(char: string): string | undefined {
  const code = char.codePointAt(0)!;
  if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) return 'full-width';
  if (code >= 0x1d400 && code <= 0x1d6a5) return 'mathematical';
  if ((code >= 0x249c && code <= 0x24e9) || (code >= 0x1f110 && code <= 0x1f189)) return 'enclosed';
  if (capitalRead(char) !== undefined) return 'small-capital';
  return undefined;
}

/** A character displayLetter could name: where a text needs reading word by word. */
const MAY_DISPLAY =
  /[\uff21-\uff3a\uff41-\uff5a\u249c-\u24e9ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ]|\ud835[\udc00-\udea5]|\ud83c[\udd10-\udd89]/;
/** Two to five full-width capitals: how Chinese, Japanese and Korean text writes an abbreviation ("ＡＰＩ", "ＣＳＶ"). */
const FULL_WIDTH_ABBREVIATION =
  /^[^\uff21-\uff3a\uff41-\uff5a]*[\uff21-\uff3a]{2,5}[^\uff21-\uff3a\uff41-\uff5a]*$/;
/** Words written so that make a sentence: fewer is an abbreviation ("ＡＰＩ") or a heading's word. */
const DISPLAY_WORDS = 3;

/**
 * Three words or more written in letters Unicode keeps for display — full-width, mathematical bold or
 * italic, circled or squared, small capitals — in text that is not a name: a person reads them as
 * ordinary words, a word list as other characters. No language writes a sentence in them (Chinese,
 * Japanese and Korean text writes an abbreviation so: a word of two to five full-width capitals is
 * one, and does not count). A word counts with two such letters, at least half of its letters; digits
 * in such forms (Japanese lists' ①, ②) are no letters. One hit.
 */
export function displayLetterHits(text: string): CharacterHit[] {
  if (!MAY_DISPLAY.test(text)) return [];
  const words: Array<{ word: string; start: number }> = [];
  const kinds = new Set<string>();
  for (const match of text.matchAll(/[^\s\u3000]+/g)) {
    let display = 0;
    let letters = 0;
    const seen: string[] = [];
    for (const char of match[0]) {
      const kind = displayLetter(char);
      if (kind !== undefined) {
        display++;
        seen.push(kind);
      }
      if (kind !== undefined || /\p{L}/u.test(char)) letters++;
    }
    if (display < 2 || display * 2 < letters || FULL_WIDTH_ABBREVIATION.test(match[0])) continue;
    words.push({ word: match[0], start: match.index });
    for (const kind of seen) kinds.add(kind);
  }
  if (words.length < DISPLAY_WORDS) return [];
  const first = words[0]!;
  const last = words[words.length - 1]!;
  const shown = words.slice(0, 3).map(({ word }) => `"${word}"`);
  return [
    {
      rule: 'look-alike',
      heading: 'Display letters',
      start: first.start,
      end: Math.min(last.start + last.word.length, first.start + 120),
      reason: `${words.length} words are written in ${[...kinds].join(' and ')} letters (${shown.join(', ')}${words.length > 3 ? ', …' : ''}): they read as ordinary words to you and as other characters to a word list, and no language writes a sentence so`,
    },
  ];
}

/** A combining mark of the Latin, Greek and Cyrillic alphabets (U+0300 to U+036F). */
const COMBINING = /[\u0300-\u036f]/g;
/**
 * Combining marks a text keeps after NFKC has composed every letter a language writes with one ("é",
 * "ệ"), at least, for them to be stacked on letters to hide words ("ṕr̖i̴d́a̖j̴"): no real definition has
 * six.
 */
const STACKED_MARKS = 6;

/** How many combining marks a (NFKC) text keeps. */
const combiningMarks = (text: string): number => text.match(COMBINING)?.length ?? 0;

/** The text without its combining marks, when it has STACKED_MARKS of them or more. */
function marksDropped(text: string): string {
  return text.length > 0 && combiningMarks(text) >= STACKED_MARKS ? text.replace(COMBINING, '') : text;
}

/**
 * Combining marks stacked on letters, STACKED_MARKS or more left once NFKC has composed every letter a
 * language writes with one: a person reads the words under them, a word list reads other words. One hit.
 */
export function stackedMarkHits(text: string): CharacterHit[] {
  if (!/[\u0300-\u036f]/.test(text)) return [];
  const composed = text.normalize('NFKC');
  const marks = combiningMarks(composed);
  if (marks < STACKED_MARKS) return [];
  const first = text.search(/[\u0300-\u036f]/);
  return [
    {
      rule: 'look-alike',
      heading: 'Marks stacked on letters',
      start: Math.max(0, first - 1),
      end: Math.min(text.length, first + 120),
      reason: `${marks} combining marks are stacked on letters: they read as words to you and as other words to a word list`,
    },
  ];
}

/**
 * The text the phrase rules read: hidden characters dropped (tag runs replaced by what they spell),
 * look-alikes folded to ASCII, Traditional Chinese read as Simplified, and NFKC, so "іgnоre" in Cyrillic
 * or tags reads as "ignore".
 */
export function foldedText(text: string): string {
  if (!NOT_PLAIN.test(text)) return text;
  const shown = MAY_HIDE.test(text)
    ? text
        .replace(/[\u{e0000}-\u{e007f}]+/gu, (run) => ` ${decodeTags(run)} `)
        .replace(
          /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u180e\u034f\u061c\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu,
          '',
        )
    : text;
  // Arabic's tatweel only stretches a word ("يـتـم"): the word is read without it. Traditional Chinese
  // is read as Simplified (first-sight-han.ts).
  const revealed = simplifiedHan(
    capitalsRead(
      marksDropped(
        shown
          .normalize('NFKC')
          .replace(/[\u2018\u2019\u02bc]/g, "'")
          .replace(/\u0640/g, ''),
      ),
    ),
  );
  if (!NOT_PLAIN.test(revealed) || !mayFold(revealed)) return revealed;
  // Folded a word at a time, and one character at a time (the table also maps ASCII to ASCII, "m" →
  // "rn", which would mangle words): a Latin word with look-alikes in it ("іgnоrе" with Cyrillic і, о,
  // е) reads as ASCII; a word wholly of another script is folded only in a mostly Latin text, so
  // Russian stays Russian.
  let latin = 0;
  let others = 0;
  let letters = false;
  for (let i = 0; i < revealed.length; i++) {
    const c = revealed.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
    else if (c >= 0x370 && c <= 0x52f) others++;
    if (c >= 128 && !letters) letters = LETTER_LIKE.test(revealed.charAt(i));
  }
  // Dashes, quotes and emoji are no look-alikes: only a letter or digit outside ASCII can be one.
  if (!letters) return revealed;
  // Only words with a character outside ASCII can hold a look-alike.
  return revealed.replace(OUTSIDE_ASCII_WORD, (word) => {
    let folded = '';
    for (const char of word) folded += char < '\u0080' || LATIN.test(char) ? char : (lookAlike(char) ?? char);
    if (/[A-Za-z]/.test(word) || (latin > others && !NOT_PLAIN.test(folded))) return folded;
    return word;
  });
}

/**
 * Per code unit outside ASCII, what folding makes of it, worked out once each: 0 not yet known, 1
 * nothing (a Latin letter with a diacritic, a character no word has, a letter with no ASCII reading),
 * 2 maybe something (a look-alike, or half of a surrogate pair, left to the whole reading).
 */
const FOLDING = new Uint8Array(65536);

/**
 * Whether folding could change a word of `text`: a text of another language with no look-alike in it
 * (French, German, Spanish: their letters are Latin) is its own folding, found without the slower
 * reading word by word.
 */
function mayFold(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    let folding = FOLDING[c]!;
    if (folding === 0) {
      folding = foldingOf(c);
      FOLDING[c] = folding;
    }
    if (folding === 2) return true;
  }
  return false;
}

/** What folding makes of one code unit outside ASCII (FOLDING): a word's letter is read as foldedText reads it. */
function foldingOf(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return 2;
  const char = String.fromCharCode(code);
  if (LATIN.test(char) || !LETTER_LIKE.test(char)) return 1;
  return lookAlike(char) === undefined ? 1 : 2;
}

/** A word with a character outside ASCII in it (no backtracking: the run is read once). */
const OUTSIDE_ASCII_WORD = /(?=[\p{L}\p{M}\p{N}]*[^\x00-\x7f])[\p{L}\p{M}\p{N}]+/gu;
const LETTER_LIKE = /[\p{L}\p{M}\p{N}]/u;

/** Latin letters with diacritics ("ñ", "ü", "é"): words of Latin-script languages, never look-alikes to fold. */
const LATIN = /[\u00c0-\u024f\u1e00-\u1eff]/;
