// What every secret shape (secret-shapes.ts) is made of: a span found and a rule, the characters a
// token or base64 goes on through, the text around a match, and what documentation's examples look
// like (AKIAIOSFODNN7EXAMPLE, `xxxx`, a counting run), which are hidden but never held for.
import type { SecretKind } from '../api/secret-findings.js';

/**
 * A secret found in a text: characters [start, end) and what it is. `kind` null: a shape only the
 * audit's redaction hides (a call is not held for it); `example`: written the way documentation writes
 * an example (AKIAIOSFODNN7EXAMPLE, `xxxx`, a counting run), which the redaction hides and a call passes.
 */
export interface SecretSpan {
  kind: SecretKind | null;
  start: number;
  end: number;
  example?: true;
}

/** A rule: where it may match (its trigger, a regex source) and how it looks closer there. */
export interface ShapeRule {
  trigger: string;
  /**
   * The trigger matched text[at, triggerEnd) (`at`: its anchor, which may lie inside the shape): push
   * what is there onto `found`; the end of the last span.
   */
  confirm(text: string, at: number, triggerEnd: number, found: SecretSpan[]): number | undefined;
}

// ---- Characters ----------------------------------------------------------------------------------

/** [A-Za-z0-9] */
export function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
/** [A-Za-z0-9_-]: a token goes on through these. */
function isTokenChar(code: number): boolean {
  return isAlnum(code) || code === 95 || code === 45;
}
/** [A-Za-z0-9+/]: base64 goes on through these. */
export function isBase64Char(code: number): boolean {
  return isAlnum(code) || code === 43 || code === 47;
}
/** Whether the token starting at `at` starts there (nothing of a token just before it). */
export function startsToken(text: string, at: number, inside = isTokenChar): boolean {
  return at === 0 || !inside(text.charCodeAt(at - 1));
}
/** Whether the token ending at `end` ends there. */
export function endsToken(text: string, end: number, inside = isTokenChar): boolean {
  return end >= text.length || !inside(text.charCodeAt(end));
}

/** Token characters a token's fixed prefix has at most, before its anchor. */
const MAX_PREFIX = 16;

/** Where the token around an anchor starts: back over token characters (at most MAX_PREFIX). */
export function tokenStart(text: string, anchor: number, inside = isTokenChar): number {
  let start = anchor;
  while (start > 0 && anchor - start < MAX_PREFIX && inside(text.charCodeAt(start - 1))) start--;
  return start;
}

/** A sticky match of `pattern` at `at`, or null. */
export function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** The part of `text` around `at` within `radius`, not crossing a "\0" (another string's start). */
export function segmentAround(text: string, at: number, radius: number): { from: number; to: number } {
  const from = Math.max(0, at - radius);
  const window = text.slice(from, Math.min(text.length, at + radius));
  const before = window.lastIndexOf('\0', at - from);
  const after = window.indexOf('\0', at - from);
  return { from: from + before + 1, to: after === -1 ? from + window.length : from + after };
}

/** Whether a "\0" (another string's start) lies in text[from, to). */
export function crossesString(text: string, from: number, to: number): boolean {
  return text.slice(from, to).includes('\0');
}

// ---- Documentation's examples --------------------------------------------------------------------

/**
 * Credentials published as examples in their vendors' documentation: public, so not a secret (the
 * rest of the documentation's examples say EXAMPLE, or are filled with x, 0 or a counting run).
 */
export const PUBLISHED_EXAMPLES = new Set([
  // RFC 7519 §3.1's (and RFC 7515 A.1's) example token.
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  // jwt.io's token, in countless tutorials.
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  // The Azure Storage emulator's account key (devstoreaccount1), published by Microsoft.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

/**
 * Words that say a value is an example, as people write them: lower case, upper case or capitalised
 * (in any other mix of cases they are chance in a random string: `HeRe`). A fill of x is a run (five
 * of one character), not a word: `xxx` is chance in one random string in two thousand.
 */
const EXAMPLE_WORDS = new RegExp(
  [
    ...[
      'example',
      'sample',
      'dummy',
      'placeholder',
      'changeme',
      'change_me',
      'replace',
      'your_',
      'your-',
      'insert',
      'redacted',
      'fake',
      'here',
    ].flatMap((word) => [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]),
    '\\.\\.\\.',
    '\\*\\*\\*',
    '<',
    '>',
  ].join('|'),
);

/**
 * Whether a secret's random part is written as an example: a word that says so, a character repeated
 * six times (a digit seven), a counting run of six (`abcdef`; of digits, seven: `1234567`), or too few
 * distinct characters for a key.
 */
export function looksLikeExample(secret: string): boolean {
  if (PUBLISHED_EXAMPLES.has(secret)) return true;
  if (EXAMPLE_WORDS.test(secret)) return true;
  let repeated = 1;
  let counting = 1;
  const distinct = new Set<number>();
  for (let i = 0; i < secret.length; i++) {
    const code = secret.charCodeAt(i);
    distinct.add(code);
    const previous = i > 0 ? secret.charCodeAt(i - 1) : -2;
    repeated = code === previous ? repeated + 1 : 1;
    counting = isAlnum(code) && code === previous + 1 ? counting + 1 : 1;
    // Ten digits (or sixteen hex digits) repeat or count by chance far sooner than 62 letters and
    // digits do (a Slack token's numbers and hex): a run must be long to be a filler.
    const digit = code >= 48 && code <= 57;
    if (repeated >= (digit ? 7 : 6) || counting >= (digit ? 7 : 6)) return true;
  }
  return secret.length >= 16 && distinct.size < Math.min(10, secret.length / 3);
}

/** A span's `example` flag, set only when the secret is written as documentation writes an example. */
export function exampleIf(example: boolean): { example?: true } {
  return example ? { example: true } : {};
}
