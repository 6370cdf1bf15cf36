// First sight's gate: one pass over a string, a few comparisons a character, that says which of the
// costly readings it needs at all — the character rules (anything outside printable ASCII, a long
// blank run), look-alike folding, marks (tags, links, addresses), leetspeak, spaced-out letters, an
// encoded run, a path. A 5,000-tool listing has some 470,000 strings; most need none of them.

/** Something outside printable ASCII, tab and line ends: the character rules and folding run. */
export const NOT_PLAIN = 1;
/** 40 blanks or 12 blank lines in a row: the whitespace rule runs. */
export const BLANK_RUN = 2;
/** A character some mark starts with (`<`, `[`, `{`, `` ` ``, `@`, `!`, `#`, `+`, `|`, `$`, `:`) or four digits. */
export const MARKS = 4;
/** A letter next to a digit, `@` or `$`: leetspeak could be there. */
export const LEET = 8;
/** Single characters parted by one separator, four in a row ("s.e.n.d"): spaced-out letters. */
export const SPACED = 16;
/** 20 base64 or hex characters in a row: an encoded run could be there. */
export const LONG_RUN = 32;
/** `%`, `&` or `\`: URL escapes, HTML entities or \u escapes could be there. */
export const ESCAPES = 64;
/** A slash, or a dot opening a name (".env"): a path could be there. */
export const PATHS = 128;
/** Upper case after lower case, `_` or `-`: a name to split into words. */
export const NAME_PARTS = 256;

/** Per ASCII code: what it is to the gate (the bits below and the gate's own bits it sets alone). */
const LETTER = 1 << 16;
const UPPER = 1 << 17;
const LOWER = 1 << 18;
const STAND_IN = 1 << 19;
const RUN_CHAR = 1 << 20;
const SEPARATOR = 1 << 21;
const DIGIT = 1 << 22;
const BLANK = 1 << 23;
const NEWLINE = 1 << 24;
const DOT = 1 << 25;
const HEX = 1 << 26;
const CHAR = Int32Array.from({ length: 128 }, (_, code) => {
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
  if ('<[{`@!#+|$'.includes(char)) bits |= MARKS;
  if ('%&\\'.includes(char)) bits |= ESCAPES;
  if ('/\\'.includes(char)) bits |= PATHS;
  if ('_-'.includes(char)) bits |= NAME_PARTS;
  if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) bits |= NOT_PLAIN;
  return bits;
});
/** The gate's bits a character sets on its own. */
const ALONE = NOT_PLAIN | MARKS | ESCAPES | PATHS | NAME_PARTS;

/** The last letters of the roles a line can open with ("system", "assistant", "human"), lower case. */
const ROLE_END = [109, 116, 110];
const BLANKS = 40;
const BLANK_LINES = 12;
const RUN = 20;
const HEX_RUN = 32;

/** One pass over a string: the gate's bits (above). */
export function gate(text: string): number {
  let bits = 0;
  let blanks = 0;
  let newlines = 0;
  let run = 0;
  let digits = 0;
  let mix = 0;
  let hexOnly = true;
  // The last seven characters' kinds, two bits each: 1 letter, 2 separator ("s.e.n.d" reads 1212121).
  let shape = 0;
  let previous = 0;
  let previousCode = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? CHAR[c]! : NOT_PLAIN | (c === 0x3010 ? MARKS : 0);
    bits |= kind & ALONE;
    if ((kind & BLANK) !== 0) {
      if (++blanks >= BLANKS) bits |= BLANK_RUN;
    } else {
      blanks = 0;
      if ((kind & NEWLINE) !== 0) {
        if (++newlines >= BLANK_LINES) bits |= BLANK_RUN;
      } else if (c !== 13) newlines = 0;
    }
    // A run long enough to encode a sentence, with the mix of cases and digits base64 has (a URL or a
    // long name has not), or hex digits only.
    // Four digits in a row: a phone number, an account, an IP address could be there (marks).
    if ((kind & DIGIT) !== 0) {
      if (++digits >= 4) bits |= MARKS;
    } else digits = 0;
    if ((kind & RUN_CHAR) !== 0) {
      run++;
      mix |= kind;
      if ((kind & HEX) === 0) hexOnly = false;
      if (
        (run >= RUN && (mix & (UPPER | LOWER | DIGIT)) === (UPPER | LOWER | DIGIT)) ||
        (run >= HEX_RUN && hexOnly && (mix & DIGIT) !== 0)
      )
        bits |= LONG_RUN;
    } else {
      run = 0;
      mix = 0;
      hexOnly = true;
    }
    // A letter next to a stand-in ("p4ss", "us3r", "r34d"): leetspeak could be there.
    if (
      ((kind & LETTER) !== 0 && (previous & STAND_IN) !== 0) ||
      ((kind & STAND_IN) !== 0 && (previous & LETTER) !== 0)
    )
      bits |= LEET;
    // ":" after a role's last letter ("System:", "Assistant:", "Human:") or before "//": a mark could be there.
    if (c === 58 && (ROLE_END.includes(previousCode | 32) || text.startsWith('//', i + 1))) bits |= MARKS;
    if ((kind & LETTER) !== 0) {
      if ((kind & UPPER) !== 0 && (previous & LOWER) !== 0) bits |= NAME_PARTS;
    } else if ((kind & DOT) !== 0 && (previous & (LETTER | DIGIT)) === 0 && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next < 128 && (CHAR[next]! & LETTER) !== 0) bits |= PATHS;
    }
    shape =
      ((shape << 2) | ((kind & LETTER) !== 0 ? 1 : (kind & SEPARATOR) !== 0 || c === 0xb7 ? 2 : 0)) & 0x3fff;
    if (shape === 0x1999) bits |= SPACED;
    previous = kind;
    previousCode = c;
  }
  return bits;
}
