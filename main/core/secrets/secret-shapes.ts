// Secret material known by its shape, found in text: private keys (PEM, OpenSSH, PuTTY, bare DER),
// cloud credentials (an AWS access key with its secret, a Google service-account key, Azure keys),
// tokens of well-known shapes (GitHub, GitLab, Slack, Stripe, npm, OpenAI, Anthropic, Hugging Face,
// signed JWTs) and `.env` or credentials-file dumps — and, in the same list, the looser shapes only the
// audit's redaction hides (a lone AWS key id, Bearer credentials, passwords in URLs and in text).
//
// One pass: every rule names a trigger, all triggers are one regex, and a rule looks closer only where
// its trigger matched (a sticky match from there), so text with none of them costs one scan. A trigger
// starts at the rarest character of its shape (the `_` of `ghp_`, the `J` of `eyJ`) and looks behind
// for the rest, so the scan stops at few places in prose and code. Strings joined with "\0" are
// scanned as one text: no rule matches across a "\0".
import type { SecretKind } from '../api/secret-findings.js';
import { keyWords, namesCredential } from './secret-names.js';
import { triggerRegex } from './shape-triggers.js';

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
interface ShapeRule {
  trigger: string;
  /**
   * The trigger matched text[at, triggerEnd) (`at`: its anchor, which may lie inside the shape): push
   * what is there onto `found`; the end of the last span.
   */
  confirm(text: string, at: number, triggerEnd: number, found: SecretSpan[]): number | undefined;
}

// ---- Characters ----------------------------------------------------------------------------------

/** [A-Za-z0-9] */
function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
/** [A-Za-z0-9_-]: a token goes on through these. */
function isTokenChar(code: number): boolean {
  return isAlnum(code) || code === 95 || code === 45;
}
/** [A-Za-z0-9+/]: base64 goes on through these. */
function isBase64Char(code: number): boolean {
  return isAlnum(code) || code === 43 || code === 47;
}
/** Whether the token starting at `at` starts there (nothing of a token just before it). */
function startsToken(text: string, at: number, inside = isTokenChar): boolean {
  return at === 0 || !inside(text.charCodeAt(at - 1));
}
/** Whether the token ending at `end` ends there. */
function endsToken(text: string, end: number, inside = isTokenChar): boolean {
  return end >= text.length || !inside(text.charCodeAt(end));
}

/** Token characters a token's fixed prefix has at most, before its anchor. */
const MAX_PREFIX = 16;

/** Where the token around an anchor starts: back over token characters (at most MAX_PREFIX). */
function tokenStart(text: string, anchor: number, inside = isTokenChar): number {
  let start = anchor;
  while (start > 0 && anchor - start < MAX_PREFIX && inside(text.charCodeAt(start - 1))) start--;
  return start;
}

/** A sticky match of `pattern` at `at`, or null. */
function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** The part of `text` around `at` within `radius`, not crossing a "\0" (another string's start). */
function segmentAround(text: string, at: number, radius: number): { from: number; to: number } {
  const from = Math.max(0, at - radius);
  const window = text.slice(from, Math.min(text.length, at + radius));
  const before = window.lastIndexOf('\0', at - from);
  const after = window.indexOf('\0', at - from);
  return { from: from + before + 1, to: after === -1 ? from + window.length : from + after };
}

/** Whether a "\0" (another string's start) lies in text[from, to). */
function crossesString(text: string, from: number, to: number): boolean {
  return text.slice(from, to).includes('\0');
}

// ---- Documentation's examples --------------------------------------------------------------------

/**
 * Credentials published as examples in their vendors' documentation: public, so not a secret (the
 * rest of the documentation's examples say EXAMPLE, or are filled with x, 0 or a counting run).
 */
const PUBLISHED_EXAMPLES = new Set([
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

// ---- Private keys --------------------------------------------------------------------------------

/**
 * A key's base64 body: base64, white space, the escapes a key takes inside JSON text (`\n`, `\\n`),
 * and the header lines of encrypted PEM and PuTTY files. Never "\0" (another string).
 */
const KEY_BODY =
  /(?:[A-Za-z0-9+/=\t \r\n]|\\+[nrt]|(?:Proc-Type|DEK-Info|Comment|Version|Hash|Encryption|Key-Derivation|Argon2-[A-Za-z]+):[^\n\\\0]{0,200})*/y;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** An END line a little further on, after an elided body ("MIIEvQ...\n-----END"). */
const PEM_END_AHEAD = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** Base64 characters a real key's body has at least. */
const MIN_KEY_CHARS = 40;

/** How many base64 characters a key body holds (white space, escapes and header lines left out). */
function keyChars(body: string): number {
  return body.replace(/\\+[nrt]|[A-Za-z0-9-]+:[^\n\\]*|[\s=]/g, '').length;
}

/** Whether a service account's JSON is near: the PEM key is then a Google Cloud service-account key. */
function inServiceAccount(text: string, at: number): boolean {
  const { from, to } = segmentAround(text, at, 4_000);
  return text.slice(from, to).includes('service_account');
}

const pemKey: ShapeRule = {
  trigger: '-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----',
  confirm(text, at, triggerEnd, found) {
    const body = matchAt(KEY_BODY, text, triggerEnd)![0];
    const bodyEnd = triggerEnd + body.length;
    const real = keyChars(body) >= MIN_KEY_CHARS;
    const header = text.slice(at, triggerEnd);
    let kind: SecretKind = header.includes('OPENSSH') ? 'private-key-openssh' : 'private-key-pem';
    if (real && kind === 'private-key-pem' && inServiceAccount(text, at)) kind = 'gcp-service-account';
    const end = matchAt(PEM_END, text, bodyEnd);
    if (end) {
      found.push({ kind, start: at, end: bodyEnd + end[0].length, ...exampleIf(!real) });
      return bodyEnd + end[0].length;
    }
    // An END line just after something that is not a body: an elided example ("MIIEvQ...").
    const { to } = segmentAround(text, bodyEnd, 400);
    const ahead = PEM_END_AHEAD.exec(text.slice(bodyEnd, to));
    if (ahead) {
      const stop = bodyEnd + ahead.index + ahead[0].length;
      found.push({ kind, start: at, end: stop, example: true });
      return stop;
    }
    // Cut off: a partial key is still one.
    found.push({ kind, start: at, end: bodyEnd, ...exampleIf(!real) });
    return bodyEnd;
  },
};

function exampleIf(example: boolean): { example?: true } {
  return example ? { example: true } : {};
}

/** A key's base64 without its armor: an OpenSSH key ("openssh-key-v1"), a DER RSA or EC key. */
const bareKey: ShapeRule = {
  trigger:
    '3BlbnNzaC1rZXktdjE(?<=b3BlbnNzaC1rZXktdjE)|MII[A-Za-z0-9+/]{3}IBA(?:AK|DAN)|MHcCAQEE|MIGHAgEAMBMGByqGSM49',
  confirm(text, anchor, _triggerEnd, found) {
    const at = text[anchor] === '3' ? anchor - 1 : anchor;
    if (!startsToken(text, at, isBase64Char)) return undefined;
    const body = matchAt(KEY_BODY, text, at)![0];
    if (keyChars(body) < 100) return undefined;
    const kind = text.startsWith('b3Blbn', at) ? 'private-key-openssh' : 'private-key-pem';
    found.push({ kind, start: at, end: at + body.length });
    return at + body.length;
  },
};

const PUTTY_PRIVATE = /Private-Lines: *[0-9]+/;
const PUTTY_MAC = /(?:\s|\\+[nr])*Private-MAC: *[0-9a-fA-F]+/y;

const puttyKey: ShapeRule = {
  trigger: 'PuTTY-User-Key-File-[0-9]+:',
  confirm(text, at, _triggerEnd, found) {
    const { to } = segmentAround(text, at, 8_000);
    const lines = PUTTY_PRIVATE.exec(text.slice(at, to));
    if (!lines) return undefined;
    const bodyStart = at + lines.index + lines[0].length;
    const body = matchAt(KEY_BODY, text, bodyStart)![0];
    let end = bodyStart + body.length;
    const mac = matchAt(PUTTY_MAC, text, end);
    if (mac) end += mac[0].length;
    found.push({ kind: 'private-key-putty', start: at, end, ...exampleIf(keyChars(body) < MIN_KEY_CHARS) });
    return end;
  },
};

// ---- Cloud credentials ---------------------------------------------------------------------------

/**
 * An AWS secret access key: 40 base64 characters, alone (tried only where a run of them starts, so a
 * window of other runs is read once).
 */
const AWS_SECRET = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
const AWS_SECRET_HERE = /[A-Za-z0-9+/]{40}/y;

function awsSecretAt(text: string, index: number): boolean {
  return (
    startsToken(text, index, isBase64Char) &&
    endsToken(text, index + 40, (code) => isBase64Char(code) || code === 61)
  );
}

/** An AWS access key id, and its secret near it: both are the credentials. The id alone is redacted. */
const awsKeyId: ShapeRule = {
  trigger: 'KIA(?<=AKIA)[A-Z0-9]{16}|SIA(?<=ASIA)[A-Z0-9]{16}',
  confirm(text, anchor, triggerEnd, found) {
    const at = anchor - 1;
    if (!startsToken(text, at, isAlnum) || !endsToken(text, triggerEnd, isAlnum)) return undefined;
    const id = text.slice(at, triggerEnd);
    const { from, to } = segmentAround(text, at, 600);
    // Read in the window only: a run of key ids with no secret stays linear.
    for (const m of text.slice(from, to).matchAll(AWS_SECRET)) {
      const index = from + m.index;
      // Upper and lower case: a random secret has both (one in a thousand has no digit).
      if (!awsSecretAt(text, index) || !/[A-Z]/.test(m[0]) || !/[a-z]/.test(m[0])) continue;
      const example = looksLikeExample(id) || looksLikeExample(m[0]);
      found.push({ kind: 'aws-credentials', start: at, end: triggerEnd, ...exampleIf(example) });
      found.push({ kind: 'aws-credentials', start: index, end: index + 40, ...exampleIf(example) });
      return triggerEnd;
    }
    found.push({ kind: null, start: at, end: triggerEnd });
    return triggerEnd;
  },
};

const NAMED_VALUE = /["']?[ \t]*[:=][ \t]*["']?/y;

/** `aws_secret_access_key = …`, `"SecretAccessKey": "…"`: a secret access key by its name. */
const awsNamedSecret: ShapeRule = {
  trigger:
    '[Kk]ey(?<=[Ss]ecret_?[Aa]ccess_?[Kk]ey|[Aa][Ww][Ss]_?[Ss]ecret_?[Kk]ey)|Y(?<=SECRET_ACCESS_KEY|AWS_SECRET_KEY)',
  confirm(text, at, triggerEnd, found) {
    const separator = matchAt(NAMED_VALUE, text, triggerEnd);
    if (!separator) return undefined;
    const start = triggerEnd + separator[0].length;
    const value = matchAt(AWS_SECRET_HERE, text, start);
    if (!value || !awsSecretAt(text, start) || !/[A-Z]/.test(value[0]) || !/[a-z]/.test(value[0]))
      return undefined;
    found.push({ kind: 'aws-credentials', start, end: start + 40, ...exampleIf(looksLikeExample(value[0])) });
    return start + 40;
  },
};

const AZURE_KEY = /[A-Za-z0-9+/]{20,}={0,2}/y;
const AZURE_SIGNATURE = /sig=([A-Za-z0-9%+/=]{20,})/;
const SAS_FIELDS = /[?&;]s[vre]=/;

/** Azure: a storage or Service Bus key in a connection string, a shared access signature. */
const azureKey: ShapeRule = {
  trigger: '=(?<=(?:AccountKey|SharedAccessKey|SharedSecretValue|[?&;]sig)=)|SharedAccessSignature[= ]',
  confirm(text, at, triggerEnd, found) {
    const { from, to } = segmentAround(text, at, 600);
    const signature = text[at] === 'S';
    if (!signature && !text.startsWith('sig', at - 3)) {
      const key = matchAt(AZURE_KEY, text, triggerEnd);
      if (!key || !endsToken(text, triggerEnd + key[0].length, isBase64Char)) return undefined;
      const end = triggerEnd + key[0].length;
      const example = looksLikeExample(key[0]) || text.slice(from, to).includes('devstoreaccount1');
      found.push({ kind: 'azure-connection-string', start: triggerEnd, end, ...exampleIf(example) });
      return end;
    }
    // A signature: in a SharedAccessSignature, or in a query that has the other SAS fields.
    if (!signature && !SAS_FIELDS.test(text.slice(from, to))) return undefined;
    const after = signature ? triggerEnd : at - 3;
    const found_ = AZURE_SIGNATURE.exec(text.slice(after, to));
    if (!found_) return undefined;
    const start = after + found_.index + 4;
    const end = start + found_[1]!.length;
    found.push({
      kind: 'azure-connection-string',
      start,
      end,
      ...exampleIf(looksLikeExample(found_[1]!)),
    });
    return end;
  },
};

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

const looser: ShapeRule[] = [
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

// ---- .env and credentials-file dumps -------------------------------------------------------------

/**
 * One line of a `.env`, ini, YAML or JSON credentials file: `NAME=value`, `export NAME=value`,
 * `name = value`, `name: value`, `"name": "value",` — at a line's (or a string's) start.
 */
const ENV_LINE =
  /[ \t]*(?:export[ \t]+)?(\\?["']?)([A-Za-z_][A-Za-z0-9_.-]{0,63})\1[ \t]*[=:][ \t]*((?:[^\n\r\0\\]|\\(?![nr])){0,4096})/y;
/** Last words of a name that say what a credential's setting is about, not the credential itself. */
const NOT_THE_SECRET = new Set([
  'url',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'ttl',
  'timeout',
  'expiry',
  'expires',
  'expiration',
  'length',
  'min',
  'max',
  'file',
  'path',
  'dir',
  'type',
  'name',
  'user',
  'username',
  'header',
  'prefix',
  'mode',
  'enabled',
  'scope',
  'scopes',
  'issuer',
  'audience',
  'algorithm',
  'region',
  'id',
  'method',
  'format',
  'version',
  'count',
  'limit',
  'size',
]);

/**
 * Whether a named value is a secret setting: its name names a credential (`DB_PASSWORD`, `api_key`,
 * not `TOKEN_URL` nor `PUBLIC_KEY`) and its value looks like one (secretLookingValue).
 */
export function isSecretSetting(name: string, value: string): boolean {
  if (!namesCredential(name)) return false;
  const words = keyWords(name);
  if (NOT_THE_SECRET.has(words.at(-1) ?? '') || words.includes('public')) return false;
  return secretLookingValue(value);
}

/**
 * What a setting's example value says, in documentation, tutorials and tests (`DB_PASSWORD=test1234`,
 * `API_KEY=demo-key`, `PASSWORD=password1`): said of a token's random part these would be chance, so
 * only settings are read with them.
 */
const EXAMPLE_SETTING =
  /test|demo|mock|fake|dummy|sample|example|changeit|foo|bar|^(?:password|passw0rd|secret|admin|root|pass|qwerty|letmein)[0-9!]*$/i;

/**
 * Whether a dump's value looks like a secret: 8 or more characters without spaces, letters with a digit
 * or a symbol (or 20 mixed-case letters); not an example, a reference (`${VAR}`, `%VAR%`), code
 * (`req.body.password`, `getenv(…)`), a path, a number or a URL without a password.
 */
function secretLookingValue(raw: string): boolean {
  let value = raw
    .trim()
    .replace(/[,;]$/, '')
    .replace(/\s+#.*$/, '');
  const quoted = /^(["'`])(.*)\1$/.exec(value);
  if (quoted) value = quoted[2]!;
  if (value.length < 8 || value.length > 4096 || /\s/.test(value)) return false;
  if (/^[$%{[<]|\$\{|process\.env|environ\[|getenv/.test(value)) return false;
  // Unquoted, brackets, a call or a member is code or a type (`getPassword()`, `req.body.password`,
  // `SecretFinding[]`); quoted, it may be a key.
  if (!quoted && (/[()[\]{}<>]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)))
    return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return urlPasswordLooksSecret(value);
  if (/^(?:[/~.]|[A-Za-z]:\\)/.test(value) || /^[0-9.:_-]+$/.test(value)) return false;
  if (/^(?:true|false|null|none|undefined|yes|no|on|off)$/i.test(value)) return false;
  if (looksLikeExample(value) || EXAMPLE_SETTING.test(value)) return false;
  return (
    /[A-Za-z]/.test(value) &&
    (/[0-9]/.test(value) ||
      /[^A-Za-z0-9]/.test(value) ||
      (value.length >= 20 && /[A-Z]/.test(value) && /[a-z]/.test(value)))
  );
}

/** A URL whose password looks like a secret (`postgres://postgres:postgres@…` is a default, not one). */
function urlPasswordLooksSecret(url: string): boolean {
  const password = /^["']?[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:([^/@\s]+)@/i.exec(url)?.[1];
  return password !== undefined && secretLookingValue(password);
}

/** A line of a dump whose value is a secret: the span of its value, and where the line began. */
interface DumpLine {
  start: number;
  end: number;
  line: number;
}

/** Secret lines closer than this to each other belong to one dump. */
const DUMP_GAP = 4_000;

/**
 * Finds the secret lines of dumps: a line counts when its name names a credential and its value looks
 * like one, or its value is a URL with a password. Two or more in one string, close together, are a
 * dump (a line that is one shape or another counts too: the shape is also found on its own).
 */
function dumpLine(text: string, at: number, lines: DumpLine[]): number | undefined {
  const match = matchAt(ENV_LINE, text, at);
  if (!match) return undefined;
  const name = match[2]!;
  const rawValue = match[3]!;
  const secret = isSecretSetting(name, rawValue) || urlPasswordLooksSecret(rawValue.trim());
  if (!secret) return undefined;
  const trimmed = rawValue.replace(/\s+$/, '');
  const valueStart = at + match[0].length - rawValue.length;
  lines.push({ start: valueStart, end: valueStart + trimmed.length, line: at });
  return undefined;
}

/** Dump lines in clusters of two or more (no "\0" between, each within DUMP_GAP of the last) as spans. */
function dumpSpans(text: string, lines: DumpLine[], found: SecretSpan[]): void {
  let cluster: DumpLine[] = [];
  const flush = () => {
    if (cluster.length >= 2)
      for (const line of cluster) found.push({ kind: 'env-dump', start: line.start, end: line.end });
    cluster = [];
  };
  for (const line of lines) {
    const last = cluster.at(-1);
    if (last && (line.line - last.end > DUMP_GAP || crossesString(text, last.end, line.line))) flush();
    cluster.push(line);
  }
  flush();
}

// ---- The pass ------------------------------------------------------------------------------------

/** The rules that find what a call is held for (and masked in results). */
const HOLDING_RULES: ShapeRule[] = [
  pemKey,
  puttyKey,
  bareKey,
  awsKeyId,
  awsNamedSecret,
  azureKey,
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

/** Rules read in one pass: their triggers as one regex, and each alone. */
interface Pass {
  rules: ShapeRule[];
  triggers: RegExp;
  /** Group number of `triggers` → the index of the rule it stands for. */
  ruleOf: number[];
  /** Each rule's trigger, sticky: tried at a position where an earlier rule's trigger matched but it found nothing. */
  each: RegExp[];
}

/**
 * A pass over `rules`. Case-sensitive triggers are grouped by their first character (shape-triggers.ts:
 * a text of base64 or JSON is read about a fifth faster, and matched exactly alike); triggers read in
 * any case are joined as they are, each in a group of its own.
 */
function passOf(rules: ShapeRule[], flags = ''): Pass {
  // Named groups (a redaction-only rule's value) do not number the rules: only the rules' groups do.
  const sources = rules.map((rule) => rule.trigger.replace(/\(\?<[a-z]+>/g, '(?:'));
  const each = sources.map((source) => new RegExp(source, `y${flags}`));
  if (flags === '') return { rules, each, ...grouped(sources) };
  return {
    rules,
    triggers: new RegExp(sources.map((source) => `(${source})`).join('|'), `g${flags}`),
    ruleOf: [0, ...rules.keys()],
    each,
  };
}

function grouped(sources: string[]): { triggers: RegExp; ruleOf: number[] } {
  const { regex, ruleOf } = triggerRegex(sources);
  return { triggers: regex, ruleOf };
}

const HOLDING = passOf(HOLDING_RULES);
/** The looser shapes, in any case, as the audit's redaction always read them. */
const LOOSER = passOf(looser, 'i');

function readPass(text: string, pass: Pass, found: SecretSpan[]): void {
  const { rules, triggers, ruleOf, each } = pass;
  triggers.lastIndex = 0;
  for (let match = triggers.exec(text); match; match = triggers.exec(text)) {
    const at = match.index;
    let group = 1;
    while (match[group] === undefined) group++;
    const rule = ruleOf[group]!;
    let end = rules[rule]!.confirm(text, at, at + match[0].length, found);
    // Nothing there for that rule: a later rule whose trigger also matches here may find something.
    for (let next = rule + 1; end === undefined && next < rules.length; next++) {
      const trigger = matchAt(each[next]!, text, at);
      if (trigger) end = rules[next]!.confirm(text, at, at + trigger[0].length, found);
    }
    // A confirmed shape is not read again for others (a hostile run of them stays linear).
    if (end !== undefined && end > triggers.lastIndex) triggers.lastIndex = end;
  }
}

/**
 * A line that starts like an assignment — after a line break, a "\0" (another string's start) or a line
 * break escaped in JSON text — where a dump's line is tried. A pass of its own: alone, the regex engine
 * finds line breaks far faster than as one more alternative. (JSON without line breaks is read as the
 * object it is: secret-scan.ts.)
 */
const LINE_STARTS =
  /(?:[\n\r\0]|\\[nr])[ \t]*(?:export[ \t]+)?\\?["']?[A-Za-z_][A-Za-z0-9_.-]{0,63}\\?["']?[ \t]*[=:]/g;

/**
 * Whether a string in `text` may have two lines: a dump is two lines of one string, and without a line
 * break or a backslash (of "\\n") each string is one line, however many "\0" join them. Found by
 * `indexOf`, which skips text far faster than the regex engine: compact JSON and many short strings
 * joined are not read by LINE_STARTS at all.
 */
function mayHaveLines(text: string): boolean {
  return text.includes('\n') || text.includes('\\') || text.includes('\r');
}

/**
 * The secret shapes in `text` (see SecretSpan), in the order each rule found them: spans of different
 * rules may overlap. `scope` "holding": only what a call is held for (a tool call's arguments and
 * results are read so); "all": the looser shapes as well, for the audit's redaction. A text of
 * several strings joined with "\0" is read as those strings.
 */
export function findSecretShapes(text: string, scope: 'holding' | 'all' = 'holding'): SecretSpan[] {
  const found: SecretSpan[] = [];
  readPass(text, HOLDING, found);
  if (scope === 'all') readPass(text, LOOSER, found);
  if (!mayHaveLines(text)) return found;
  const lines: DumpLine[] = [];
  dumpLine(text, 0, lines);
  LINE_STARTS.lastIndex = 0;
  for (let match = LINE_STARTS.exec(text); match; match = LINE_STARTS.exec(text)) {
    // After a line break, or after the two characters of one escaped in JSON text ("\\n").
    dumpLine(text, match.index + (text.charCodeAt(match.index) === 92 ? 2 : 1), lines);
  }
  if (lines.length >= 2) dumpSpans(text, lines, found);
  return found;
}
