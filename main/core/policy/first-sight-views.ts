// The other ways first sight reads a string, besides as written: what spaced-out or dotted letters
// spell ("i g n o r e", "p.a.s.s.w.o.r.d"), and what an encoding hides (base64, hex, URL escapes, HTML
// entities, \u escapes, rot13). Each is judged like the text itself; an encoded run that decodes to
// readable words is a finding of its own, since no description needs one.

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
}

/** Single letters parted by one separator, at least four in a row ("s e n d", "p.a.s.s", "r_e_a_d"). */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])\p{L}([ ._*·-])\p{L}(?:\1\p{L}){2,}(?![\p{L}\p{N}])/gu;

/** Three single characters parted by one separator: where spaced-out letters could be (a cheap test). */
const SPACED_HINT = /(?:^|[\s(])[^\s][ ._*·-][^\s][ ._*·-][^\s][ ._*·-][^\s]/;

/** The text with spaced-out letters joined up (words apart by wider gaps stay apart); undefined: none. */
function joinedLetters(text: string): { text: string; changed: Array<[number, number]> } | undefined {
  if (!SPACED_HINT.test(text)) return undefined;
  const changed: Array<[number, number]> = [];
  let shift = 0;
  const joined = text.replace(SPACED_LETTERS, (run: string, separator: string, at: number) => {
    // With spaces as the separator, a wider gap between two runs is where a word ends.
    const word = run.split(separator).join('');
    changed.push([at - shift, at - shift + word.length]);
    shift += run.length - word.length;
    return word;
  });
  return changed.length > 0 ? { text: joined, changed } : undefined;
}

/** Base64 or hex runs long enough to hide a sentence (wrapped lines joined first). */
const ENCODED =
  /(?<![\w+/=-])(?:[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{32,}|(?:[0-9a-fA-F]{2}){16,})(?![\w+/=])/g;
const WRAPPED_BASE64 = /(?:[A-Za-z0-9+/]{20,}\r?\n){1,}[A-Za-z0-9+/]{4,}={0,2}/g;
/** A base64 run that a line break continues: where a wrapped run could be. */
const WRAPPED_HINT = /[A-Za-z0-9+/]{20}\r?\n[A-Za-z0-9+/]{4}/;
/** A run of 20 base64 or hex characters: where an encoded run could be. */
const ENCODED_START = /[A-Za-z0-9+/_-]{20}/;
const ROT13_HINT = /\b(?:gur|naq|lbh|vf|gb)\b/i;
const URL_ESCAPES = /(?:%[0-9a-fA-F]{2}[^%\s]{0,12}){3,}/;
const HTML_ENTITIES = /(?:&#x?[0-9a-fA-F]{1,6};|&[a-z]{2,8};){4,}/i;
const UNICODE_ESCAPES = /(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}){4,}/;

/** Decoded text that reads as words: mostly printable, with spaces, letters in a row. */
function readsAsText(decoded: string): boolean {
  if (decoded.length < 12) return false;
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
  return printable / [...decoded].length > 0.95 && spaces >= 2 && /\p{L}{3}/u.test(decoded);
}

function decodeRun(run: string): { how: string; text: string } | undefined {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(run) && run.length >= 32)
    return /[0-9]/.test(run)
      ? { how: 'decoded hex', text: Buffer.from(run, 'hex').toString('utf8') }
      : undefined;
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
  const url = compact.includes('-') || compact.includes('_');
  return { how: 'decoded base64', text: Buffer.from(compact, url ? 'base64url' : 'base64').toString('utf8') };
}

/** rot13 of a text. */
function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * English's commonest short words as rot13 spells them ("the" is "gur", "you" "lbh"): a text with
 * several of them is rot13, and read again decoded. Plain English has almost none of these.
 */
const ROT13_WORDS = /\b(?:gur|naq|lbh|lbhe|gb|bs|vf|vg|sbe|jvgu|guvf|gung|nyy|hfre|sebz|nf|ba|or)\b/gi;

/** What a string says once encodings are undone: each decoded run or whole-text reading. */
export function decodedViews(text: string, mayHaveRuns = true): View[] {
  const views: View[] = [];
  // Most strings have no run long enough to hold anything: a cheap test first.
  const long = mayHaveRuns && ENCODED_START.test(text);
  const runs = long
    ? [...(WRAPPED_HINT.test(text) ? text.matchAll(WRAPPED_BASE64) : []), ...text.matchAll(ENCODED)]
    : [];
  for (const match of runs) {
    const decoded = decodeRun(match[0]);
    if (decoded && readsAsText(decoded.text))
      views.push({ ...decoded, start: match.index, end: match.index + match[0].length });
  }
  if (text.includes('%') && URL_ESCAPES.test(text)) {
    try {
      views.push({ how: 'URL-decoded', text: decodeURIComponent(text), start: 0, end: text.length });
    } catch {
      // Not a valid escape sequence: nothing hidden there to read.
    }
  }
  if (text.includes('&') && HTML_ENTITIES.test(text)) {
    const decoded = text.replace(/&#x([0-9a-f]{1,6});|&#(\d{1,7});/gi, (_, hex: string, dec: string) =>
      String.fromCodePoint(Math.min(parseInt(hex ?? dec, hex ? 16 : 10), 0x10ffff)),
    );
    views.push({ how: 'HTML entities decoded', text: decoded, start: 0, end: text.length });
  }
  if (text.includes('\\') && UNICODE_ESCAPES.test(text)) {
    const decoded = text.replace(/\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (_, u: string, x: string) =>
      String.fromCharCode(parseInt(u ?? x, 16)),
    );
    views.push({ how: 'escapes decoded', text: decoded, start: 0, end: text.length });
  }
  // "gur" is rot13's "the": without it (in any case) no rot13 English is there to read.
  const rotWords =
    text.length >= 40 &&
    (text.includes('gur') || text.includes('Gur') || text.includes('GUR')) &&
    ROT13_HINT.test(text)
      ? text.match(ROT13_WORDS)
      : null;
  if (rotWords && rotWords.length >= 3)
    views.push({ how: 'rot13 decoded', text: rot13(text), start: 0, end: text.length });
  return views;
}

/** Spaced-out letters joined up, as a view of the whole text (undefined: there are none). */
export function joinedView(text: string): View | undefined {
  const joined = joinedLetters(text);
  return joined === undefined
    ? undefined
    : { how: 'letters joined up', text: joined.text, changed: joined.changed, start: 0, end: text.length };
}
