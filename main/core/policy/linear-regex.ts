// Regular expressions for rule conditions, matched in time linear in the subject. Rules are written by
// the user but tested against arguments an AI client chose, and JavaScript's backtracking RegExp takes
// exponential time on patterns like `(a+)+$` — a length cap alone does not help (30 characters are
// enough). Matching runs on RE2JS, the JavaScript port of Google's RE2 (automata, no backtracking);
// this module only translates the rule's pattern into RE2 syntax.
//
// Rules are written in JavaScript's syntax with the `u` flag (every pattern must also compile as
// `new RegExp(p, 'u')`, which gives JavaScript's own reasons for malformed ones), minus what needs
// backtracking: backreferences, lookahead/lookbehind, Unicode property escapes and modifiers are
// refused with a reason. Where the two dialects differ in meaning (`\s` and `.` are Unicode-aware in
// JavaScript and ASCII in RE2, `[]` and `[^]`), the translation spells out JavaScript's meaning as
// explicit code point ranges, so a rule means what it meant before: case-sensitive, searching anywhere
// in the subject unless anchored with ^ / $, code point by code point.
import { RE2JS, RE2JSException } from 're2js';

/** Longest pattern a rule condition may use, in characters. */
const MAX_PATTERN_LENGTH = 256;
/** Cap on RE2's program size: bounds the work per subject character (`{m,n}` expands). */
const MAX_PROGRAM_SIZE = 2_000;
/** Largest count a `{}` quantifier may name, as in RE2. */
const MAX_REPEAT = 1_000;

/** A rule pattern that cannot be used; the message says why, with the position where that helps. */
export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

/** A compiled rule pattern: `test` answers in time linear in the subject's length. */
export interface LinearRegex {
  readonly source: string;
  test(subject: string): boolean;
}

type Range = readonly [number, number];

const MAX_CODE_POINT = 0x10ffff;
// ECMAScript WhiteSpace + LineTerminator (ECMA-262 §22.2.2.9, CharacterClassEscape `s`).
const SPACE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
// What `.` does not match without the `s` flag (ECMA-262 §22.2.2.7).
const LINE_TERMINATORS: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const CONTROL_ESCAPES: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');

/** The code points outside `ranges` (sorted, disjoint), so a negated set can sit inside a class. */
function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const hex = (cp: number) => `\\x{${cp.toString(16)}}`;
const rangeText = (ranges: Range[]) =>
  ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');

/** A class escape as RE2 class content: `\d` and `\w` mean the same in both; `\s` does not. */
type ClassItem = number | string;

/**
 * Translates a JavaScript (`u` flag) pattern to RE2 syntax. Every literal becomes `\x{…}` and every
 * class is rebuilt from its parsed ranges, so nothing depends on where the dialects' quoting rules
 * differ. Refuses, with the position, what has no linear-time meaning.
 */
class Translator {
  #pos = 0;
  readonly #chars: string[];

  constructor(pattern: string) {
    this.#chars = Array.from(pattern);
  }

  translate(): string {
    let out = '';
    while (this.#pos < this.#chars.length) out += this.#token();
    return out;
  }

  #peek(offset = 0): string | undefined {
    return this.#chars[this.#pos + offset];
  }

  #error(message: string, at = this.#pos): RegexSyntaxError {
    return new RegexSyntaxError(`${message} at position ${at + 1}`);
  }

  #token(): string {
    const c = this.#chars[this.#pos]!;
    this.#pos++;
    switch (c) {
      case '^':
      case '$':
      case '|':
      case ')':
      case '*':
      case '+':
      case '?':
        // `?` after a quantifier makes it lazy: RE2 reads it the same way, and for "does it match"
        // lazy and greedy agree.
        return c;
      case '.':
        return `[^${rangeText(LINE_TERMINATORS)}]`;
      case '(':
        return this.#group();
      case '[':
        return this.#characterClass();
      case '{':
        return this.#quantifier();
      case '\\':
        return this.#atomEscape();
      default:
        return hex(c.codePointAt(0)!);
    }
  }

  #group(): string {
    if (this.#peek() !== '?') return '(?:'; // captures are not used: every group is non-capturing
    const next = this.#peek(1);
    if (next === ':') {
      this.#pos += 2;
      return '(?:';
    }
    if (next === '<' && this.#peek(2) !== '=' && this.#peek(2) !== '!') {
      // Named group: the name only labels a capture, which is not used here.
      this.#pos = this.#chars.indexOf('>', this.#pos) + 1;
      return '(?:';
    }
    if (next === '=' || next === '!' || next === '<')
      throw this.#error('lookahead and lookbehind are not supported in rule patterns');
    throw this.#error('inline modifiers are not supported in rule patterns');
  }

  #quantifier(): string {
    const start = this.#pos - 1;
    const close = this.#chars.indexOf('}', this.#pos);
    const body = this.#chars.slice(this.#pos, close).join('');
    this.#pos = close + 1;
    const counts = body.split(',').map((n) => (n === '' ? 0 : Number(n)));
    if (counts.some((n) => n > MAX_REPEAT))
      throw this.#error(`a {} quantifier may count to ${MAX_REPEAT} at most`, start);
    return `{${body}}`;
  }

  #characterClass(): string {
    const negate = this.#peek() === '^';
    if (negate) this.#pos++;
    const items: string[] = [];
    while (this.#peek() !== ']') {
      const from = this.#classAtom();
      if (this.#peek() === '-' && this.#peek(1) !== ']') {
        this.#pos++;
        const to = this.#classAtom();
        // JavaScript (u flag) already refused ranges of sets and ranges out of order.
        items.push(`${hex(from as number)}-${hex(to as number)}`);
      } else items.push(typeof from === 'number' ? hex(from) : from);
    }
    this.#pos++;
    // `[]` matches nothing and `[^]` anything in JavaScript; RE2 would read `]` as a member.
    if (items.length === 0)
      return negate ? `[${rangeText([[0, MAX_CODE_POINT]])}]` : `[^${rangeText([[0, MAX_CODE_POINT]])}]`;
    return `[${negate ? '^' : ''}${items.join('')}]`;
  }

  #classAtom(): ClassItem {
    const c = this.#chars[this.#pos]!;
    this.#pos++;
    if (c !== '\\') return c.codePointAt(0)!;
    const next = this.#peek();
    if (next === 'b' || next === '-') {
      this.#pos++;
      return next === 'b' ? 0x08 : 0x2d;
    }
    return this.#escape(true);
  }

  #atomEscape(): string {
    const next = this.#peek();
    if (next === 'b' || next === 'B') {
      // Word boundaries: ASCII word characters in both dialects (no `i` flag).
      this.#pos++;
      return `\\${next}`;
    }
    const item = this.#escape(false);
    return typeof item === 'number' ? hex(item) : item;
  }

  /** One escape after the backslash: a code point, or a set as RE2 text (class content if `inClass`). */
  #escape(inClass: boolean): ClassItem {
    const start = this.#pos - 1; // errors point at the backslash
    const c = this.#chars[this.#pos]!;
    this.#pos++;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        // ASCII digits and word characters in both dialects.
        return `\\${c}`;
      case 's':
        return inClass ? rangeText(SPACE) : `[${rangeText(SPACE)}]`;
      case 'S':
        return inClass ? rangeText(complement(SPACE)) : `[^${rangeText(SPACE)}]`;
      case 'x': {
        const digits = this.#chars.slice(this.#pos, this.#pos + 2).join('');
        this.#pos += 2;
        return parseInt(digits, 16);
      }
      case 'u':
        return this.#unicodeEscape();
      case 'c':
        this.#pos++;
        return this.#chars[this.#pos - 1]!.codePointAt(0)! % 32;
      case '0':
        return 0;
      case 'k':
        throw this.#error('backreferences are not supported in rule patterns', start);
      case 'p':
      case 'P':
        throw this.#error('Unicode property escapes are not supported in rule patterns', start);
      default:
        if (CONTROL_ESCAPES[c] !== undefined) return CONTROL_ESCAPES[c];
        if (/[1-9]/.test(c)) throw this.#error('backreferences are not supported in rule patterns', start);
        if (SYNTAX_CHARS.has(c)) return c.codePointAt(0)!;
        // JavaScript's `u` flag refuses every other identity escape before we get here.
        throw this.#error(`unknown escape \\${c}`, start);
    }
  }

  #unicodeEscape(): number {
    if (this.#peek() === '{') {
      const close = this.#chars.indexOf('}', this.#pos);
      const value = parseInt(this.#chars.slice(this.#pos + 1, close).join(''), 16);
      this.#pos = close + 1;
      return value;
    }
    const unit = parseInt(this.#chars.slice(this.#pos, this.#pos + 4).join(''), 16);
    this.#pos += 4;
    // A surrogate pair written as two escapes is one code point in `u` mode.
    const low = this.#chars.slice(this.#pos, this.#pos + 6).join('');
    if (unit >= 0xd800 && unit <= 0xdbff && /^\\u[dD][c-fC-F][0-9A-Fa-f]{2}$/.test(low)) {
      this.#pos += 6;
      return 0x10000 + ((unit - 0xd800) << 10) + (parseInt(low.slice(2), 16) - 0xdc00);
    }
    return unit;
  }
}

const TOO_COMPLEX = 'the pattern is too complex (it expands to too many states; use smaller {} counts)';

/** Compiles a rule pattern, or throws RegexSyntaxError with a reason a person can act on. */
export function compileLinearRegex(pattern: string): LinearRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexSyntaxError(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new RegexSyntaxError((error as Error).message.replace(/^Invalid regular expression: /, ''));
  }
  const translated = new Translator(pattern).translate();
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated);
  } catch (error) {
    // What JavaScript accepted and the translation kept, RE2 refuses only for size (nested counts
    // past 1000 in all).
    if (error instanceof RE2JSException) throw new RegexSyntaxError(TOO_COMPLEX);
    throw error;
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) throw new RegexSyntaxError(TOO_COMPLEX);
  return { source: pattern, test: (subject) => compiled.test(subject) };
}
