// Redaction for the audit log: tool-call arguments and error messages lose anything that looks like a
// secret, and are cut to a size the log can hold ("Every decision is audited; secrets in arguments are
// redacted" — docs/security-model.md, "Audit"). Redaction errs on the side of hiding: a lost commit hash in the log is a
// smaller harm than a leaked token. Input is never mutated.
//
// Three layers, the first two from the secrets layer that the call inspection reads too:
// 1. Keys. A value under a key whose name says it is a secret (secrets/secret-names.ts: token,
//    password, api key, cookie, session, private key, credential…) is replaced whole, and so is one
//    under a key written as an environment variable (`DATABASE_URL`) unless secrets/environment.ts
//    passes it (PATH, HOME…).
// 2. Secrets in text: every shape of secrets/secret-shapes.ts, the loose ones included (a lone AWS key
//    id, Bearer credentials, passwords in URLs, `password=…` pairs, Google API keys, Stripe test keys,
//    the documentation's examples), and every value Gatehouse keeps sealed for a connector, as it is,
//    base64- or URL-encoded (secrets/sealed-values.ts), wherever they occur.
// 3. Long random-looking runs. A run of ≥ 32 characters from [A-Za-z0-9+=_-] (no / or ., so paths and
//    file names split into short pieces) is redacted when it is hex with both digits and letters; or
//    mixes upper case, lower case and digits, with upper case 25–75 % of the letters (camelCase sits
//    lower), under 80 % of the letters in camelCase words of 3+ lower-case letters and ≥ 3.8 bits of
//    entropy per character; or is lower case and digits with ≥ 10 % digits, ≥ 20 % letters and the
//    same entropy. Kept: UUIDs, runs whose every _/- separated piece is a word, a number or a word
//    with a number (`node_modules_typescript_lib_es2023`, slugs, `HKEY_LOCAL_MACHINE`), and hex under
//    keys like sha, commit, hash, digest. A base64 run of ≥ 40 characters with / or + in it (an AWS
//    secret, an Azure key) is redacted whole when it looks random without them and its /-separated
//    pieces are not all words. Measured on random tokens of 32–48 characters, this misses about 1 in
//    200; it is the last net, after the key names and the shapes above.
import { entropy } from '../secrets/connector-credentials.js';
import { isSecretVariable } from '../secrets/environment.js';
import { NO_SEALED_VALUES, type SealedValues } from '../secrets/sealed-values.js';
import { isSensitiveKey, keyWords } from '../secrets/secret-names.js';
import { findSecretShapes, type SecretSpan } from '../secrets/secret-shapes.js';

/** What replaces a redacted value in the audit log. */
const REDACTED = '[redacted]';

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

function isHashKey(key: string | undefined): boolean {
  return (
    key !== undefined &&
    keyWords(key).some((word) => HASH_KEYS.has(word) || HASH_KEYS.has(word.replace(/e?s$/, '')))
  );
}

// ---- Secrets in text ----------------------------------------------------------------------------

const RUN = /[A-Za-z0-9+=_-]{32,}/g;
/** A piece of an identifier or slug: `node`, `Modules`, `HKEY`, `es2023`, `2024`, `v2`. */
const WORDISH = /^(?:[A-Za-z][a-z]*|[A-Z]+|[a-z]{1,3})\d*$|^\d+$/;
/** Mostly camelCase words ("useQueryClient2"): random strings rarely have long lower-case runs. */
const CAMEL_WORD = /[A-Z]?[a-z]{3,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a run of ≥ 32 token characters looks random (layer 3 in the header).
 * @internal Exported for its tests only: the randomness rule's edge cases, each checked directly.
 */
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

/** A base64 run with / or + in it: an AWS secret access key, an Azure key (layer 3). */
const SLASHED_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

function looksRandomSlashed(run: string): boolean {
  if (!/[+/]/.test(run)) return false;
  const pieces = run.split(/[+/=]+/).filter((piece) => piece.length > 0);
  if (pieces.every((piece) => WORDISH.test(piece))) return false;
  return looksRandom(pieces.join(''));
}

/** `text` with every span replaced by `marker` (overlapping spans as one). */
function replaceSpans(text: string, spans: SecretSpan[], marker: string): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + marker;
    at = span.end;
  }
  return out + text.slice(at);
}

function redactShapes(text: string, key: string | undefined, sealed: SealedValues): string {
  const spans = findSecretShapes(text, 'all');
  sealed.find(text, spans);
  const out = spans.length > 0 ? replaceSpans(text, spans, REDACTED) : text;
  if (key !== undefined && isHashKey(key) && /^[0-9a-fA-F]{7,64}$/.test(out)) return out;
  return out
    .replace(SLASHED_RUN, (run) => (looksRandomSlashed(run) ? REDACTED : run))
    .replace(RUN, (run) => (looksRandom(run) ? REDACTED : run));
}

/**
 * Redacts credentials in free text (error messages, stderr lines) and cuts it to `maxLength`; `sealed`:
 * the values Gatehouse keeps for its connectors, hidden however they are encoded.
 */
export function redactText(text: string, maxLength = 2_000, sealed: SealedValues = NO_SEALED_VALUES): string {
  return cutString(text, maxLength, sealed);
}

function cutString(text: string, maxLength: number, sealed: SealedValues, key?: string): string {
  if (text.length <= maxLength) return redactShapes(text, key, sealed);
  const redacted = redactShapes(text.slice(0, maxLength + SCAN_MARGIN), key, sealed);
  let kept = redacted.slice(0, maxLength);
  // Do not leave half a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…(+${text.length - maxLength} chars)`;
}

// ---- Structured arguments ------------------------------------------------------------------------

/**
 * A copy of `value` fit for the audit log: secrets redacted (see the header; `sealed`: the values
 * Gatehouse keeps for its connectors), strings cut, depth, keys per object, items per array and total
 * size capped with visible markers. JSON-safe output.
 */
export function redactArguments(
  value: unknown,
  limits?: Partial<RedactionLimits>,
  sealed: SealedValues = NO_SEALED_VALUES,
): unknown {
  // A tool call's audit row passes no limits: the defaults are used as they are, not copied.
  const chosen = limits ? { ...DEFAULT_REDACTION_LIMITS, ...limits } : DEFAULT_REDACTION_LIMITS;
  const state: RedactionState = {
    limits: chosen,
    budget: chosen.maxTotal,
    ancestors: new Set<object>(),
    sealed,
  };
  return redactValue(value, 0, undefined, state);
}

interface RedactionState {
  limits: RedactionLimits;
  budget: number;
  ancestors: Set<object>;
  sealed: SealedValues;
}

const OVER_BUDGET = '[truncated: audit entry size limit]';

function redactValue(value: unknown, depth: number, key: string | undefined, state: RedactionState): unknown {
  if (state.budget <= 0) return OVER_BUDGET;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    const out = cutString(value, state.limits.maxString, state.sealed, key);
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
      const outKey = uniqueKey(out, cutString(name, MAX_KEY_LENGTH, state.sealed));
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
