// Secret shapes (secret-shapes.ts), tokens: those of well-known shapes (GitHub, GitLab, Slack, Stripe,
// npm, OpenAI, Anthropic, Hugging Face, signed JWTs, an `.npmrc`'s token), and the looser shapes only
// the audit's redaction hides (a lone AWS key id, Bearer credentials, passwords in URLs and in text).
import type { SecretKind } from '../api/secret-findings.js';
import {
  endsToken,
  exampleIf,
  looksLikeExample,
  matchAt,
  PUBLISHED_EXAMPLES,
  type ShapeRule,
  startsToken,
  tokenStart,
} from './shape-basics.js';

// ---- Tokens of well-known shapes -----------------------------------------------------------------

/**
 * A token rule: `shape`, its whole shape, starting where no token character is just before it (inside
 * a longer token or a base64 blob, a prefix is chance); `anchor`, the trigger, from the rare character
 * its prefix ends with. `kindOf` says what the token is (null: redacted only; undefined: not a secret),
 * and `prefix` how many of its first characters are not random.
 */
function token(
  shape: string,
  anchor: string,
  kindOf: (token: string) => SecretKind | null | undefined,
  prefix: number,
): ShapeRule {
  const whole = new RegExp(shape, 'y');
  return {
    trigger: anchor,
    confirm(text, at, _triggerEnd, found) {
      const start = tokenStart(text, at);
      const match = matchAt(whole, text, start);
      if (!match) return undefined;
      const value = match[0];
      const kind = kindOf(value);
      if (kind === undefined) return undefined;
      const end = start + value.length;
      found.push({ kind, start, end, ...exampleIf(looksLikeExample(value.slice(prefix))) });
      return end;
    },
  };
}

const github = token(
  'gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}',
  '_(?<=gh[pousr]_)[A-Za-z0-9]{20}|_pat_(?<=github_pat_)',
  (found) => (found.length >= 34 ? 'github-token' : null),
  4,
);
const gitlab = token(
  'gl(?:pat|dt|rt|rtr|ptt|cbt|oas|soat|ffct|imt|agent|ft|wt|cc)-[A-Za-z0-9_-]{20,255}(?:\\.[A-Za-z0-9_-]{2,40}){0,2}|GR1348941[A-Za-z0-9_-]{20,255}',
  '-(?<=gl(?:pat|dt|rt|rtr|ptt|cbt|oas|soat|ffct|imt|agent|ft|wt|cc)-)[A-Za-z0-9_-]{20}|R1348941(?<=GR1348941)',
  () => 'gitlab-token',
  6,
);
const slack = token(
  'xox[abposre]-[0-9A-Za-z-]{10,255}|xoxe\\.xox[bp]-[0-9A-Za-z-]{10,255}|xapp-[0-9]-[A-Za-z0-9-]{10,255}',
  '-(?<=xox[abposre]-)[0-9A-Za-z-]{10}|-[0-9]-(?<=xapp-[0-9]-)',
  (found) =>
    /^(?:xoxe\.)?xox[a-z]-[0-9]{4,}-|^xapp-[0-9]-[A-Z0-9]+-[0-9]+-/.test(found) ? 'slack-token' : null,
  5,
);
/** A Slack incoming webhook: its path is the secret. */
const slackWebhook = token(
  'hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,255}',
  '\\.slack\\.com/(?<=hooks\\.slack\\.com/)',
  () => 'slack-token',
  26,
);
const stripe = token(
  '[rs]k_(?:live|test)_[A-Za-z0-9]{10,247}',
  '_(?:live|test)_(?<=[rs]k_(?:live|test)_)',
  (found) => (found.includes('_live_') && found.length >= 28 ? 'stripe-live-key' : null),
  8,
);
const npm = token('npm_[A-Za-z0-9]{30,40}', '_(?<=npm_)[A-Za-z0-9]{30}', () => 'npm-token', 4);
const huggingFace = token(
  'hf_[A-Za-z0-9]{30,40}|api_org_[A-Za-z0-9]{30,40}',
  '_(?<=hf_|api_org_)[A-Za-z0-9]{30}',
  (found) => (/[A-Z]/.test(found) && /[a-z]/.test(found.slice(3)) ? 'huggingface-token' : null),
  3,
);

/** `sk-…`: Anthropic (`sk-ant-`), OpenAI (project, service and admin keys, and the older shapes). */
const skKey = token(
  'sk-[A-Za-z0-9_-]{16,255}',
  '-(?<=sk-)[A-Za-z0-9_-]{16}',
  (found) => {
    if (/^sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{20,}$/.test(found)) return 'anthropic-key';
    const random = found.replace(/^sk-(?:proj|svcacct|admin|None)-/, '');
    if (!/[0-9]/.test(random)) return undefined;
    if (random !== found || found.includes('T3BlbkFJ')) return random.length >= 20 ? 'openai-key' : null;
    return /^[A-Za-z0-9]{32,}$/.test(random.slice(3)) && /[A-Za-z]/.test(random) ? 'openai-key' : null;
  },
  3,
);

/** A JSON Web Token (or JWE): a header of base64url JSON, two or four more parts; signed when its last part is. */
const jwt: ShapeRule = {
  trigger:
    'J(?<=eyJ)[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)?',
  confirm(text, anchor, triggerEnd, found) {
    const at = anchor - 2;
    if (!startsToken(text, at) || !endsToken(text, triggerEnd)) return undefined;
    const whole = text.slice(at, triggerEnd);
    const parts = whole.split('.');
    const signed = parts.at(-1)!.length >= 16 && isJoseHeader(parts[0]!);
    found.push({
      kind: signed ? 'jwt' : null,
      start: at,
      end: triggerEnd,
      ...exampleIf(PUBLISHED_EXAMPLES.has(whole)),
    });
    return triggerEnd;
  },
};

/** Whether base64url text decodes to a JOSE header (RFC 7515 §4: a JSON object naming `alg` or `enc`). */
function isJoseHeader(part: string): boolean {
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4));
    return /^\{\s*"/.test(json) && /"(?:alg|enc|typ)"\s*:/.test(json);
  } catch {
    return false;
  }
}

/** `//registry.npmjs.org/:_authToken=…` in an `.npmrc`: an npm token whatever its shape. */
const npmrcToken: ShapeRule = {
  trigger: '_authToken[ \\t]*=[ \\t]*',
  confirm(text, at, triggerEnd, found) {
    const value = /["']?([^\s"'\0]{8,512})/y;
    const match = matchAt(value, text, triggerEnd);
    if (!match || /^\$|^\{/.test(match[1]!)) return undefined;
    const start = triggerEnd + match[0].length - match[1]!.length;
    found.push({
      kind: 'npm-token',
      start,
      end: start + match[1]!.length,
      ...exampleIf(looksLikeExample(match[1]!)),
    });
    return start + match[1]!.length;
  },
};

/** The token rules a call is held for, in the order the pass tries them (after the keys). */
export const TOKEN_RULES: ShapeRule[] = [
  github,
  gitlab,
  slack,
  slackWebhook,
  stripe,
  npm,
  npmrcToken,
  huggingFace,
  skKey,
  jwt,
];

// ---- The looser shapes the audit's redaction hides -----------------------------------------------

/** A redaction-only rule: the span is the match (or its group `value`, when the pattern has one). */
function redactOnly(trigger: string, accept?: (match: RegExpExecArray) => boolean): ShapeRule {
  // Read in the looser pass, which ignores case.
  const pattern = new RegExp(trigger, 'iy');
  return {
    trigger,
    confirm(text, at, _triggerEnd, found) {
      const match = matchAt(pattern, text, at);
      if (!match || (accept && !accept(match))) return undefined;
      const value = match.groups?.value;
      const start = value === undefined ? at : at + match[0].length - value.length;
      found.push({ kind: null, start, end: at + match[0].length });
      return at + match[0].length;
    },
  };
}

const hasDigitOrSymbol = (s: string): boolean => /[0-9=+/._~-]/.test(s);

/** A value after a name that says it is a secret, in text: `password=…`, `"api_key": "…"`. */
const NAMED_SECRET_VALUE =
  /["']?\s{0,4}[:=]\s{0,4}(?:"([^"\n\0]{0,4096})"|'([^'\n\0]{0,4096})'|((?:(?:Bearer|Basic|Digest|Token|Bot)\s+)?[^\s"',;&})\]\0]{1,4096}))/iy;

const namedSecret: ShapeRule = {
  trigger:
    'pass(?:word|wd|phrase)|secret|token|api[_-]?key|authorization|cookie|credentials?|private[_-]?key|session[_-]?(?:id|key|token)',
  confirm(text, _at, triggerEnd, found) {
    const match = matchAt(NAMED_SECRET_VALUE, text, triggerEnd);
    if (!match) return undefined;
    const value = match[1] ?? match[2] ?? match[3]!;
    const end = triggerEnd + match[0].length - (match[3] === undefined ? 1 : 0);
    if (value.length === 0) return undefined;
    found.push({ kind: null, start: end - value.length, end });
    return end;
  },
};

/** The looser shapes, which only the audit's redaction hides. */
export const looser: ShapeRule[] = [
  namedSecret,
  // Passwords in URLs: scheme://user:password@host
  redactOnly('://[^\\s:@/\\0]{0,200}:(?<value>[^\\s@/\\0]{1,200})(?=@)'),
  // Secret query parameters.
  redactOnly(
    '[?&](?:access_token|refresh_token|id_token|token|api[_-]?key|apikey|key|password|secret|client_secret|sig|signature|code)=(?<value>[^&#\\s\\0]+)',
  ),
  // Authorization schemes; the credential must contain a digit or symbol ("Bearer of bad news" stays).
  redactOnly('(?:Bearer|Basic|Digest)\\s+(?<value>[A-Za-z0-9._~+/=-]{8,4096})', (m) =>
    hasDigitOrSymbol(m.groups!.value!),
  ),
  // Google API keys.
  redactOnly('AIza[0-9A-Za-z_-]{35}'),
];
