// Secret shapes (secret-shapes.ts), dumps: `.env` and credentials-file lines whose values look like
// secrets, two or more close together.
import { keyWords, namesCredential } from './secret-names.js';
import { crossesString, looksLikeExample, matchAt, type SecretSpan } from './shape-basics.js';

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
export interface DumpLine {
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
export function dumpLine(text: string, at: number, lines: DumpLine[]): number | undefined {
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
export function dumpSpans(text: string, lines: DumpLine[], found: SecretSpan[]): void {
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
