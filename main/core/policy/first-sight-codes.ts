// First-sight scanning, the byte-level readings of an encoding (first-sight-views.ts finds the runs):
// whether decoded bytes read as text — as UTF-8, as UTF-16 either way round, or once a zlib or gzip
// stream in them is inflated — and the encodings written as groups rather than one run: base85 without
// a frame (Ascii85's, RFC 1924's and Z85's alphabets) and character codes written as numbers (binary,
// octal, decimal or hex, parted by blanks, commas, semicolons or bars).
import { gunzipSync, inflateSync } from 'node:zlib';

/** Chinese, Japanese or Korean written on: a sentence with no blanks between its words. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{6}/u;

/** Decoded text that reads as words: mostly printable, with spaces and letters in a row, or a CJK sentence. */
export function readsAsText(decoded: string): boolean {
  if (decoded.length < 12 && !(decoded.length >= 6 && CJK_RUN.test(decoded))) return false;
  let printable = 0;
  let spaces = 0;
  for (const char of decoded) {
    const code = char.codePointAt(0)!;
    if (code === 32) spaces++;
    if (
      (code >= 32 && code !== 127 && (code < 0x80 || code > 0x9f) && code !== 0xfffd) ||
      code === 10 ||
      code === 9
    )
      printable++;
  }
  if (printable / [...decoded].length <= 0.95) return false;
  return (spaces >= 2 && /\p{L}{3}/u.test(decoded)) || CJK_RUN.test(decoded);
}

/** What an inflated stream may grow to, at most: a sentence is far shorter, a zip bomb far longer. */
const INFLATED_MAX = 16_384;

/** A zlib stream's two header bytes: deflate, a window Node accepts, and the check that makes them a multiple of 31. */
const zlibHeader = (bytes: Uint8Array): boolean =>
  bytes.length >= 8 &&
  (bytes[0]! & 0x0f) === 8 &&
  bytes[0]! >> 4 <= 7 &&
  ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
const gzipHeader = (bytes: Uint8Array): boolean =>
  bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8;

/** The scripts a language writes its letters in: Japanese in three, the others in one each. */
const ONE_SCRIPT = [
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]+$/u,
  /^\p{Script=Hangul}+$/u,
  /^\p{Script=Latin}+$/u,
  /^\p{Script=Cyrillic}+$/u,
  /^\p{Script=Greek}+$/u,
  /^\p{Script=Arabic}+$/u,
  /^\p{Script=Hebrew}+$/u,
  /^\p{Script=Thai}+$/u,
  /^\p{Script=Devanagari}+$/u,
];
/** Letters UTF-16 text has at least: eight code units scattered at random read as Han ones once in some 10,000 runs. */
const ONE_SCRIPT_LETTERS = 12;
/** A decoded text's letters, with everything else (blanks, marks, digits, punctuation) left out. */
const NOT_LETTER = /[^\p{L}]+/gu;

/**
 * Whether UTF-16 text writes its letters in one language's scripts (ONE_SCRIPT_LETTERS at least): bytes
 * that are no UTF-16 text read as code units scattered over every script (Han, Hangul, Yi, private
 * use), and a run of them reads as a CJK sentence to readsAsText.
 */
function oneScript(text: string): boolean {
  const letters = text.replace(NOT_LETTER, '');
  return letters.length >= ONE_SCRIPT_LETTERS && ONE_SCRIPT.some((script) => script.test(letters));
}

/** What UTF-16 bytes read as UTF-8 show: an undecodable byte, or a NUL or other control character. */
// eslint-disable-next-line no-control-regex -- control characters are the sign looked for.
const UTF16_SIGNS = /[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]/;

/** UTF-16 bytes read in the order given (big-endian: swapped first), undefined when they cannot be. */
function utf16(bytes: Buffer, bigEndian: boolean): string | undefined {
  if (bytes.length < 12 || bytes.length % 2 !== 0) return undefined;
  const units = Buffer.from(bytes);
  if (bigEndian) units.swap16();
  return units.toString('utf16le');
}

/**
 * What decoded bytes say when they read as text: as UTF-8; as UTF-16 (big-endian first, the way
 * written code points read); or, a zlib or gzip stream, once inflated (and read the same ways). `how`
 * is what was undone beyond the encoding itself ("" for UTF-8).
 */
export function bytesText(bytes: Buffer): { how: string; text: string } | undefined {
  const text = bytes.toString('utf8');
  if (readsAsText(text)) return { how: '', text };
  // Bytes that are UTF-8 (nothing undecodable, no control character) are not read as UTF-16: ASCII
  // read two bytes a unit is all Han.
  if (UTF16_SIGNS.test(text))
    for (const bigEndian of [true, false]) {
      const wide = utf16(bytes, bigEndian);
      if (wide !== undefined && oneScript(wide) && readsAsText(wide))
        return { how: ' as UTF-16', text: wide };
    }
  const zlib = zlibHeader(bytes);
  if (zlib || gzipHeader(bytes)) {
    let inflated: Buffer;
    try {
      inflated = (zlib ? inflateSync : gunzipSync)(bytes, { maxOutputLength: INFLATED_MAX });
    } catch {
      return undefined;
    }
    const plain = inflated.toString('utf8');
    if (readsAsText(plain)) return { how: ', inflated', text: plain };
  }
  return undefined;
}

/**
 * A solid run of printable ASCII long enough to hold a sentence in base85: where an unframed one
 * could be. Base64 and hex runs are read as such (first-sight-views.ts ENCODED) first.
 */
export const SOLID_RUN = /(?<![!-~])[!-~]{20,}(?![!-~])/g;
/** Base85's alphabets apart from Ascii85's ("!" to "u"), each digit's value its place. */
const RFC1924 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const DIGITS = [RFC1924, Z85].map((alphabet) => {
  const values = new Int8Array(128).fill(-1);
  for (let k = 0; k < alphabet.length; k++) values[alphabet.charCodeAt(k)] = k;
  return values;
});

/**
 * Five base-85 digits a group of four bytes, the last group short (filled with the highest digit); `z`
 * four zero bytes where `zeros` (Ascii85). Undefined when a group is over 32 bits, a digit is not the
 * alphabet's, or a group is one digit long.
 */
export function fromBase85(run: string, digit: (code: number) => number, zeros: boolean): Buffer | undefined {
  const bytes: number[] = [];
  let group: number[] = [];
  const flush = (count: number): boolean => {
    let value = 0;
    for (const d of group) value = value * 85 + d;
    if (value > 0xffffffff) return false;
    for (let k = 0; k < count; k++) bytes.push((value >>> (24 - 8 * k)) & 0xff);
    group = [];
    return true;
  };
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    if (zeros && code === 122 && group.length === 0) {
      bytes.push(0, 0, 0, 0);
      continue;
    }
    const d = digit(code);
    if (d < 0) return undefined;
    group.push(d);
    if (group.length === 5 && !flush(4)) return undefined;
  }
  if (group.length === 1) return undefined;
  if (group.length > 0) {
    const count = group.length - 1;
    while (group.length < 5) group.push(84);
    if (!flush(count)) return undefined;
  }
  return Buffer.from(bytes);
}

/** An Ascii85 digit ("!" to "u"), -1 for anything else. */
export const ascii85Digit = (code: number): number => (code >= 33 && code <= 117 ? code - 33 : -1);

/**
 * What an unframed base85 run says, in whichever of the three alphabets it reads as text. A run of
 * base64's characters only is base64's to read; base85 of a sentence mixes cases, digits and marks.
 */
export function base85Text(run: string): { how: string; text: string } | undefined {
  if (/^[A-Za-z0-9+/=_-]+$/.test(run) || !/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run))
    return undefined;
  const readings: Array<[string, (code: number) => number, boolean]> = [
    ['Ascii85', ascii85Digit, true],
    ['base85', (code) => (code < 128 ? DIGITS[0]![code]! : -1), false],
    ['Z85', (code) => (code < 128 ? DIGITS[1]![code]! : -1), false],
  ];
  for (const [name, digit, zeros] of readings) {
    const bytes = fromBase85(run, digit, zeros);
    const read = bytes === undefined ? undefined : bytesText(bytes);
    if (read !== undefined) return { how: `decoded ${name}${read.how}`, text: read.text };
  }
  return undefined;
}

/**
 * Twelve numbers or more in a row, one separator between each (blanks; or a comma, semicolon or bar
 * with blanks around it or not): where character codes could be written out. Each number is of hex
 * digits (two to eight) or decimal ones (one to eight).
 */
export const NUMBER_RUN =
  /(?<![\w.])[0-9A-Fa-f]{1,8}(?:(?:[ \t]*[,;|][ \t]*|[ \t]+)[0-9A-Fa-f]{1,8}){11,}(?![\w.])/g;
/** A cheap test before NUMBER_RUN: three numbers parted so. */
export const NUMBERS_HINT =
  /[0-9A-Fa-f](?:[ \t]*[,;|][ \t]*|[ \t]+)[0-9A-Fa-f]{1,8}(?:[ \t]*[,;|][ \t]*|[ \t]+)[0-9]/;

/**
 * What a run of numbers says as character codes, when it reads as text: eight (or seven) binary digits
 * a byte; three octal digits a byte; decimal numbers as bytes (when none is over 255) or as code points;
 * two hex digits a byte. The first that reads as text is kept (the wrong base reads as no text). Bytes are read as bytesText reads them.
 */
export function numbersText(run: string): { how: string; text: string } | undefined {
  const tokens = run.split(/[ \t]*[,;|][ \t]*|[ \t]+/);
  const all = (pattern: RegExp) => tokens.every((token) => pattern.test(token));
  const bytesOf = (radix: number) => Buffer.from(tokens.map((token) => parseInt(token, radix)));
  const tried: Array<[string, () => Buffer | string | undefined]> = [
    ['binary', () => (all(/^[01]{7,8}$/) ? bytesOf(2) : undefined)],
    ['octal', () => (all(/^[0-3][0-7]{2}$/) ? bytesOf(8) : undefined)],
    [
      'decimal',
      () => {
        if (!all(/^\d{1,7}$/)) return undefined;
        const codes = tokens.map((token) => parseInt(token, 10));
        if (codes.every((code) => code <= 255)) return Buffer.from(codes);
        return codes.every((code) => code <= 0x10ffff && (code < 0xd800 || code > 0xdfff))
          ? String.fromCodePoint(...codes)
          : undefined;
      },
    ],
    ['hex', () => (all(/^[0-9A-Fa-f]{2}$/) ? bytesOf(16) : undefined)],
  ];
  for (const [name, decode] of tried) {
    const decoded = decode();
    if (decoded === undefined) continue;
    if (typeof decoded === 'string') {
      if (readsAsText(decoded)) return { how: `${name} character codes read`, text: decoded };
      continue;
    }
    const read = bytesText(decoded);
    if (read !== undefined) return { how: `${name} character codes read${read.how}`, text: read.text };
  }
  return undefined;
}

/** Braille's grade-1 letters by their cell (U+2801 "a" to U+2835 "z"), the blank cell a space. */
const BRAILLE_LETTERS: ReadonlyMap<number, string> = new Map(
  [
    0x01, 0x03, 0x09, 0x19, 0x11, 0x0b, 0x1b, 0x13, 0x0a, 0x1a, 0x05, 0x07, 0x0d, 0x1d, 0x15, 0x0f, 0x1f,
    0x17, 0x0e,
  ]
    .concat([0x1e, 0x25, 0x27, 0x3a, 0x2d, 0x3d, 0x35])
    .map((dots, k): [number, string] => [0x2800 + dots, String.fromCharCode(97 + k)])
    .concat([[0x2800, ' ']]),
);
/** Six Braille cells or more in a stretch (blanks, apostrophes and stops between them): words written in Braille. */
export const BRAILLE_RUN = /[\u2800-\u28ff](?:[\u2800-\u28ff' .,-]*[\u2800-\u28ff]){5,}/g;

/** A stretch of Braille read as grade-1 letters (a cell that is no letter read as nothing), when it reads as text. */
export function brailleText(run: string): { how: string; text: string } | undefined {
  let text = '';
  for (const char of run) {
    const code = char.codePointAt(0)!;
    text += code >= 0x2800 && code <= 0x28ff ? (BRAILLE_LETTERS.get(code) ?? '') : char;
  }
  return readsAsText(text) ? { how: 'Braille read', text } : undefined;
}

/** Each printable ASCII character but the blank moved 47 places round the 94 of them (ROT47 undoes itself). */
export function rot47(text: string): string {
  return text.replace(/[!-~]/g, (char) => String.fromCharCode(33 + ((char.charCodeAt(0) - 33 + 47) % 94)));
}

/** Where ROT47 could be (a cheap test): a letter next to a digit or a mark other than a stop, comma or quote. */
export const MIXED_HINT =
  /[A-Za-z][0-9!#$%&()*+/:;<=>?@[\\\]^_`{|}~]|[0-9!#$%&()*+/:;<=>?@[\\\]^_`{|}~][A-Za-z]/;

/** Letters written upside down (read back: "ɐ" is "a", "ǝ" is "e"), and the ones that are their own or each other's. */
const FLIPPED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ɐ: 'a',
    q: 'b',
    ɔ: 'c',
    p: 'd',
    ǝ: 'e',
    ɟ: 'f',
    ƃ: 'g',
    ɥ: 'h',
    ᴉ: 'i',
    ɾ: 'j',
    ʞ: 'k',
    l: 'l',
    ɯ: 'm',
    u: 'n',
    o: 'o',
    d: 'p',
    b: 'q',
    ɹ: 'r',
    s: 's',
    ʇ: 't',
    n: 'u',
    ʌ: 'v',
    ʍ: 'w',
    x: 'x',
    ʎ: 'y',
    z: 'z',
    '∀': 'A',
    Ɔ: 'C',
    Ǝ: 'E',
    Ⅎ: 'F',
    '⅁': 'G',
    ſ: 'J',
    ꓘ: 'K',
    '˥': 'L',
    Ԁ: 'P',
    ᴚ: 'R',
    '⊥': 'T',
    '∩': 'U',
    Λ: 'V',
    '⅄': 'Y',
    '˙': '.',
    "'": ',',
    ',': "'",
    '¿': '?',
    '¡': '!',
  }),
);
/** The letters only upside-down writing uses (an IPA transcription shares some, seldom four of them). */
export const UPSIDE_DOWN = /[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ∀ƆƎℲ⅁ꓘ˥Ԁᴚ⊥∩Λ⅄]/g;

/** A stretch written upside down read the right way up: its characters turned back, in reverse order. */
export function turnedBack(stretch: string): string {
  return [...stretch]
    .reverse()
    .map((char) => FLIPPED.get(char) ?? char)
    .join('');
}
