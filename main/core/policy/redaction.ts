// Redaction for the audit log: tool-call arguments and error messages lose anything that looks like a
// secret, and are cut to a size the log can hold ("Every decision is audited; secrets in arguments are
// redacted" — docs/security-model.md, "Audit"). Redaction errs on the side of hiding: a lost commit hash in the log is a
// smaller harm than a leaked token. Input is never mutated.
//
// Three layers:
// 1. Keys. A value under a key whose words include token, secret, password, passwd, passphrase,
//    authorization, api key, cookie, session, private key or credential is replaced whole. Keys are split
//    into words at _ - . spaces and camelCase humps (`accessToken` → access, token; `X-Api-Key` → x,
//    api, key), so `tokenizer` and `max_tokens` are left alone. A word that ends with password, passwd,
//    secret, token, apikey or credential also counts (`PGPASSWORD`, `nexttoken`). A key written as an
//    environment variable (`DATABASE_URL`) is hidden unless secrets/environment.ts passes it (PATH, HOME…).
// 2. Known credential shapes anywhere in a string (JWTs, Bearer/Basic credentials, GitHub, OpenAI-style
//    sk-, Stripe, AWS access key ids, Slack, Google API keys, PEM private keys, passwords in URLs,
//    secret query parameters, `password=…`-style pairs in text) are replaced where they occur.
// 3. Long random-looking runs. A run of ≥ 32 characters from [A-Za-z0-9+=_-] (no / or ., so paths and
//    file names split into short pieces) is redacted when it is hex with both digits and letters; or
//    mixes upper case, lower case and digits, with upper case 25–75 % of the letters (camelCase sits
//    lower), under 80 % of the letters in camelCase words of 3+ lower-case letters and ≥ 3.8 bits of
//    entropy per character; or is lower case and digits with ≥ 10 % digits, ≥ 20 % letters and the
//    same entropy. Kept: UUIDs, runs whose every _/- separated piece is a word, a number or a word
//    with a number (`node_modules_typescript_lib_es2023`, slugs, `HKEY_LOCAL_MACHINE`), and hex under
//    keys like sha, commit, hash, digest. Measured on random tokens of 32–48 characters, this misses about 1 in 200; it is the
//    last net, after the key names and the known shapes above.
import { isSecretVariable } from '../secrets/environment.js';

/** What replaces a redacted value in the audit log. */
export const REDACTED = '[redacted]';

/** The size caps on what the audit log keeps of arguments; anything past them is cut with a marker. */
export interface RedactionLimits {
  /** Objects and arrays nested deeper than this are replaced by a marker. */
  maxDepth: number;
  maxKeys: number;
  maxItems: number;
  /** Strings longer than this are cut, with "…(+N chars)". */
  maxString: number;
  /** Rough cap on the characters of the whole result (keys and strings). */
  maxTotal: number;
}

const DEFAULT_REDACTION_LIMITS: RedactionLimits = {
  maxDepth: 8,
  maxKeys: 200,
  maxItems: 100,
  maxString: 1_000,
  maxTotal: 64_000,
};

/** Characters scanned beyond a cut, so a secret straddling the cut is still recognised whole. */
const SCAN_MARGIN = 4_096;
const MAX_KEY_LENGTH = 200;

// ---- Keys ----------------------------------------------------------------------------------------

const SENSITIVE_WORDS = new Set([
  'token',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'authorization',
  'apikey',
  'cookie',
  'cookies',
  'session',
  'credential',
  'credentials',
  'privatekey',
]);
const SENSITIVE_ENDINGS = ['password', 'passwd', 'secret', 'token', 'apikey', 'credential', 'credentials'];
const SENSITIVE_PAIRS = new Set(['api key', 'private key']);
const HASH_KEYS = new Set([
  'sha',
  'commit',
  'hash',
  'digest',
  'checksum',
  'etag',
  'oid',
  'revision',
  'rev',
  'ref',
]);

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * Whether an argument or header name says its value is a secret (token, password, api_key, …), so the
 * value is redacted whatever it looks like.
 */
export function isSensitiveKey(key: string): boolean {
  let verdict = sensitiveKeys.get(key);
  if (verdict === undefined) {
    verdict = keyIsSensitive(key);
    if (key.length > MAX_KEY_LENGTH) return verdict;
    if (sensitiveKeys.size >= KEY_CACHE_SIZE) sensitiveKeys.clear();
    sensitiveKeys.set(key, verdict);
  }
  return verdict;
}

/** The verdicts on key names seen so far: the same tools send the same argument names every call. */
const sensitiveKeys = new Map<string, boolean>();
const KEY_CACHE_SIZE = 2_000;

function keyIsSensitive(key: string): boolean {
  const words = keyWords(key.slice(0, MAX_KEY_LENGTH));
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (SENSITIVE_WORDS.has(word)) return true;
    if (SENSITIVE_ENDINGS.some((ending) => word.length > ending.length && word.endsWith(ending))) return true;
    if (i + 1 < words.length && SENSITIVE_PAIRS.has(`${word} ${words[i + 1]}`)) return true;
  }
  return false;
}

function isHashKey(key: string | undefined): boolean {
  return (
    key !== undefined &&
    keyWords(key).some((word) => HASH_KEYS.has(word) || HASH_KEYS.has(word.replace(/e?s$/, '')))
  );
}

// ---- Credential shapes in text -------------------------------------------------------------------

type Replacer = (match: string, ...groups: string[]) => string;

const hasDigitOrSymbol = (s: string): boolean => /[0-9=+/._~-]/.test(s);

const SHAPES: Array<[RegExp, Replacer]> = [
  // PEM private keys, also when the END line was cut off.
  [
    /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g,
    () => REDACTED,
  ],
  // Passwords in URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/]{0,200}:)[^\s@/]{1,200}@/gi, (_m, head) => `${head}${REDACTED}@`],
  // Secret query parameters.
  [
    /([?&](?:access_token|refresh_token|id_token|token|api[_-]?key|apikey|key|password|secret|client_secret|sig|signature|code)=)[^&#\s]+/gi,
    (_m, head) => `${head}${REDACTED}`,
  ],
  // `password=…`, `"api_key": "…"`, `Authorization: Bearer …` in text.
  [
    /\b([A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|secret|token|api[_-]?key|authorization|cookie|credentials?|private[_-]?key|session[_-]?(?:id|key|token)))(["']?\s{0,4}[:=]\s{0,4})("[^"\n]{0,4096}"|'[^'\n]{0,4096}'|(?:(?:Bearer|Basic|Digest|Token|Bot)\s+)?[^\s"',;&})\]]{1,4096})/gi,
    (match, key, separator, value) =>
      value.replace(/^["']/, '').startsWith('[redacted')
        ? match
        : `${key}${separator}${value.startsWith('"') ? `"${REDACTED}"` : value.startsWith("'") ? `'${REDACTED}'` : REDACTED}`,
  ],
  // Authorization schemes; the credential must contain a digit or symbol ("Bearer of bad news" stays).
  [
    /\b(Bearer|Basic|Digest)\s+([A-Za-z0-9._~+/=-]{8,4096})/gi,
    (match, scheme, credential) => (hasDigitOrSymbol(credential) ? `${scheme} ${REDACTED}` : match),
  ],
  // JSON Web Tokens (base64url header starting with `{"`).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
  // GitHub tokens.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, () => REDACTED],
  // OpenAI / Anthropic style `sk-…` keys (random, so they carry digits; "sk-learn-tutorial" stays).
  [/\bsk-[A-Za-z0-9_-]{16,}/g, (match) => (/[0-9]/.test(match.slice(3)) ? REDACTED : match)],
  // Stripe secret and restricted keys.
  [/\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}/g, () => REDACTED],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, () => REDACTED],
  // Slack tokens.
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/g, () => REDACTED],
  // Google API keys.
  [/\bAIza[0-9A-Za-z_-]{35}/g, () => REDACTED],
];

const RUN = /[A-Za-z0-9+=_-]{32,}/g;
/** A piece of an identifier or slug: `node`, `Modules`, `HKEY`, `es2023`, `2024`, `v2`. */
const WORDISH = /^(?:[A-Za-z][a-z]*|[A-Z]+|[a-z]{1,3})\d*$|^\d+$/;
/** Mostly camelCase words ("useQueryClient2"): random strings rarely have long lower-case runs. */
const CAMEL_WORD = /[A-Z]?[a-z]{3,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a run of ≥ 32 token characters looks random (layer 3 in the header). */
export function looksRandom(run: string): boolean {
  if (UUID.test(run)) return false;
  const pieces = run.split(/[_-]+/).filter((p) => p.length > 0);
  if (pieces.length >= 2 && pieces.every((p) => WORDISH.test(p))) return false;
  const digits = countMatches(run, /[0-9]/g);
  const upper = countMatches(run, /[A-Z]/g);
  const lower = countMatches(run, /[a-z]/g);
  if (/^[0-9a-fA-F]+$/.test(run)) return digits > 0 && upper + lower > 0;
  if (digits === 0) return false;
  const letters = upper + lower;
  if (upper > 0 && lower > 0) {
    const ratio = upper / letters;
    const inWords = (run.match(CAMEL_WORD) ?? []).reduce((sum, word) => sum + word.length, 0);
    return ratio >= 0.25 && ratio <= 0.75 && inWords / letters < 0.8 && entropy(run) >= 3.8;
  }
  return digits / run.length >= 0.1 && letters / run.length >= 0.2 && entropy(run) >= 3.8;
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Every shape above and the random-run pattern as one case-insensitive alternation: a superset of what
 * any of them matches (each source is kept whole; `i` only widens the case-sensitive ones), so a string
 * it does not match has nothing to redact and skips the thirteen replacements (issue 23, cut 5).
 * test/core/policy/redaction-pretest.test.ts checks it against samples of every shape.
 */
export const ANY_SECRET_SHAPE = new RegExp(
  [...SHAPES.map(([pattern]) => pattern.source), RUN.source].map((source) => `(?:${source})`).join('|'),
  'i',
);

/** The shape patterns themselves (with RUN last), for the test that checks the pre-test against them. */
export const SECRET_SHAPES: readonly RegExp[] = [...SHAPES.map(([pattern]) => pattern), RUN];

function redactShapes(text: string, key?: string, pretest = true): string {
  if (pretest && !ANY_SECRET_SHAPE.test(text)) return text;
  let out = text;
  for (const [pattern, replace] of SHAPES) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  }
  if (key !== undefined && isHashKey(key) && /^[0-9a-fA-F]{7,64}$/.test(out)) return out;
  return out.replace(RUN, (run) => (looksRandom(run) ? REDACTED : run));
}

/**
 * What redaction does to one string without the pre-test: every replacement runs. The reference the
 * pre-test's fast path must equal, output for output (test/core/policy/redaction-pretest.test.ts);
 * `key` is the argument name the string was found under (a hash key keeps a bare hex digest).
 */
export function redactTextEveryShape(text: string, key?: string): string {
  return redactShapes(text, key, false);
}

/** Redacts credentials in free text (error messages, stderr lines) and cuts it to `maxLength`. */
export function redactText(text: string, maxLength = 2_000): string {
  return cutString(text, maxLength);
}

function cutString(text: string, maxLength: number, key?: string): string {
  if (text.length <= maxLength) return redactShapes(text, key);
  const redacted = redactShapes(text.slice(0, maxLength + SCAN_MARGIN), key);
  let kept = redacted.slice(0, maxLength);
  // Do not leave half a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…(+${text.length - maxLength} chars)`;
}

// ---- Structured arguments ------------------------------------------------------------------------

/**
 * A copy of `value` fit for the audit log: secrets redacted (see the header), strings cut, depth,
 * keys per object, items per array and total size capped with visible markers. JSON-safe output.
 */
export function redactArguments(value: unknown, limits?: Partial<RedactionLimits>): unknown {
  // A tool call's audit row passes no limits: the defaults are used as they are, not copied.
  const chosen = limits ? { ...DEFAULT_REDACTION_LIMITS, ...limits } : DEFAULT_REDACTION_LIMITS;
  const state: RedactionState = { limits: chosen, budget: chosen.maxTotal, ancestors: new Set<object>() };
  return redactValue(value, 0, undefined, state);
}

interface RedactionState {
  limits: RedactionLimits;
  budget: number;
  ancestors: Set<object>;
}

const OVER_BUDGET = '[truncated: audit entry size limit]';

function redactValue(value: unknown, depth: number, key: string | undefined, state: RedactionState): unknown {
  if (state.budget <= 0) return OVER_BUDGET;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    const out = cutString(value, state.limits.maxString, key);
    state.budget -= out.length;
    return out;
  }
  if (typeof value === 'bigint') return redactValue(value.toString(), depth, key, state);
  if (typeof value !== 'object') return undefined; // undefined, functions, symbols: not JSON
  if (state.ancestors.has(value)) return '[circular]';
  if (depth >= state.limits.maxDepth) return `[nested deeper than ${state.limits.maxDepth} levels]`;

  state.ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      const shown = Math.min(value.length, state.limits.maxItems);
      for (let i = 0; i < shown; i++) {
        if (state.budget <= 0) {
          items.push(`…(+${value.length - i} items)`);
          return items;
        }
        const item = redactValue(value[i], depth + 1, key, state);
        items.push(item === undefined ? null : item);
      }
      if (value.length > shown) items.push(`…(+${value.length - shown} items)`);
      return items;
    }

    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    const shown = Math.min(keys.length, state.limits.maxKeys);
    for (let i = 0; i < shown; i++) {
      const name = keys[i]!;
      if (state.budget <= 0) {
        define(out, '…', `(+${keys.length - i} keys)`);
        return out;
      }
      const child = (value as Record<string, unknown>)[name];
      const outKey = uniqueKey(out, cutString(name, MAX_KEY_LENGTH));
      state.budget -= outKey.length;
      const redacted =
        (isSensitiveKey(name) || isSecretVariable(name)) &&
        child !== null &&
        child !== undefined &&
        typeof child !== 'boolean'
          ? REDACTED
          : redactValue(child, depth + 1, name, state);
      if (redacted !== undefined) define(out, outKey, redacted);
    }
    if (keys.length > shown) define(out, '…', `(+${keys.length - shown} keys)`);
    return out;
  } finally {
    state.ancestors.delete(value);
  }
}

/** Own data property even for "__proto__", which plain assignment would turn into a prototype change. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

function uniqueKey(target: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(target, key)) return key;
  for (let n = 2; ; n++) if (!Object.hasOwn(target, `${key} (${n})`)) return `${key} (${n})`;
}
