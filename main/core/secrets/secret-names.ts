// Names that say their value is a secret: an argument or header named `accessToken` or `X-Api-Key`,
// a variable named `DB_PASSWORD`. The audit's redaction hides such values whatever they look like,
// the call inspection reads a `.env` dump's names, and a connector's settings name its credentials.

/** Key names longer than this are judged by their first part (and not remembered). */
const MAX_KEY_LENGTH = 200;

// A key is split into words at _ - . spaces and camelCase humps (`accessToken` → access, token;
// `X-Api-Key` → x, api, key), so `tokenizer` and `max_tokens` are left alone. A word that ends with
// password, passwd, secret, token, apikey or credential also counts (`PGPASSWORD`, `nexttoken`).
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
/**
 * The words a variable's or setting's name adds when it names a credential (`STRIPE_KEY`, `DB_PASS`,
 * `MYSQL_PWD`, `BASIC_AUTH`, `SENTRY_DSN`, `GITLAB_PAT`): said of an argument (`key`, `auth`) they
 * mean nothing secret, so only names of variables and settings are read with them.
 */
const CREDENTIAL_WORDS = new Set([
  'key',
  'pass',
  'pwd',
  'auth',
  'dsn',
  'pat',
  'sas',
  'signature',
  'accesskey',
  'secretkey',
  'signingkey',
  'masterkey',
  'authkey',
]);

/** The words of a key name, lower-cased: `accessToken` → access, token; `X-Api-Key` → x, api, key. */
export function keyWords(key: string): string[] {
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
  return remembered(sensitiveKeys, key, keyIsSensitive);
}

/**
 * Whether a variable's or setting's name says it holds a credential: a sensitive key name, or one
 * with a word such as key, pass, pwd, auth or dsn (`STRIPE_KEY`, `DB_PASS`, `SENTRY_DSN`).
 */
export function namesCredential(name: string): boolean {
  return remembered(credentialNames, name, nameIsCredential);
}

/** The verdicts on names seen so far: the same tools send the same argument names every call. */
const sensitiveKeys = new Map<string, boolean>();
const credentialNames = new Map<string, boolean>();
const CACHE_SIZE = 2_000;

function remembered(cache: Map<string, boolean>, key: string, judge: (key: string) => boolean): boolean {
  let verdict = cache.get(key);
  if (verdict === undefined) {
    verdict = judge(key);
    if (key.length > MAX_KEY_LENGTH) return verdict;
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, verdict);
  }
  return verdict;
}

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

function nameIsCredential(name: string): boolean {
  if (keyIsSensitive(name)) return true;
  return keyWords(name.slice(0, MAX_KEY_LENGTH)).some((word) => CREDENTIAL_WORDS.has(word));
}
