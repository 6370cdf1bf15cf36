// Which of a connector's settings are credentials: its bearer token, OAuth client secret and tokens,
// a URL that holds a secret, and those of its environment variables and headers whose name says so or
// whose value is a secret's shape or random. The call inspection holds calls that carry one, the
// results and the logs lose them; a `LOG_LEVEL=debug` is sealed like the rest but is no credential.
import type { ConnectorSettings } from '../api/connector-config.js';
import { SEALED_ARGUMENT_PREFIX } from '../api/connector-config.js';
import { MIN_SEALED_LENGTH } from './sealed-values.js';
import { namesCredential } from './secret-names.js';
import { findSecretShapes, looksLikeExample } from './secret-shapes.js';

/** Shannon entropy in bits per character (how random a string looks; the audit's redaction reads it too). */
export function entropy(text: string): number {
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
 * A value written as a place — a path (`/tmp/run-f8dTeV/home`, `~/notes`, `C:\\data`) or a URL — is
 * where something is, not a secret, however random its parts look; a URL with a password is one
 * (`hasPassword`), and a token in one has a shape of its own that findSecretShapes knows.
 */
const PLACE = /^(?:[/~.]|[A-Za-z]:[\\/])|:\/\//;

/** A value that looks made by a random generator: 16 or more characters, letters and digits, varied. */
function randomLooking(value: string): boolean {
  return (
    value.length >= 16 &&
    !/\s/.test(value) &&
    !PLACE.test(value) &&
    /[A-Za-z]/.test(value) &&
    /[0-9]/.test(value) &&
    entropy(value) >= 3.5 &&
    !looksLikeExample(value)
  );
}

/**
 * Whether a named setting (an environment variable, a header) is a credential: its name says so
 * (`GITHUB_TOKEN`, `X-Api-Key`, `DB_PASSWORD`), or its value has a secret's shape or looks random.
 * @internal Exported for its tests only: each setting name the scan must know, checked directly.
 */
export function isCredentialSetting(name: string, value: string): boolean {
  if (value.length < MIN_SEALED_LENGTH) return false;
  if (namesCredential(name) || name.startsWith(SEALED_ARGUMENT_PREFIX)) return true;
  return (
    randomLooking(value) ||
    hasPassword(value) ||
    findSecretShapes(value).some((span) => span.kind !== null && !span.example)
  );
}

/** A URL with a password in it (`postgres://app:…@db/app`): the whole value is the credential. */
function hasPassword(value: string): boolean {
  if (!value.includes('://')) return false;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

/** A header's credential: the value, and without its scheme (`Bearer abc` → `abc`). */
function headerCredentials(value: string): string[] {
  const scheme = /^[A-Za-z][A-Za-z0-9-]*\s+(\S{6,})$/.exec(value);
  return scheme ? [value, scheme[1]!] : [value];
}

/** A URL that holds a secret: the whole URL, and its query values and long path parts. */
function urlCredentials(url: string): string[] {
  const parsed = new URL(url);
  return [
    url,
    ...[...parsed.searchParams.values()],
    ...parsed.pathname.split('/').filter((part) => part.length >= 16 || randomLooking(part)),
  ];
}

/** The credentials among a connector's unsealed settings (see the header). */
export function connectorCredentials(settings: ConnectorSettings): string[] {
  const found: string[] = [];
  if (settings.kind === 'stdio') {
    for (const [name, value] of Object.entries(settings.env))
      if (isCredentialSetting(name, value)) found.push(value);
  } else {
    for (const [name, value] of Object.entries(settings.headers))
      if (isCredentialSetting(name, value)) found.push(...headerCredentials(value));
    if (settings.auth.type === 'bearer') found.push(settings.auth.token);
    if (settings.auth.type === 'oauth' && settings.auth.clientSecret) found.push(settings.auth.clientSecret);
    if (settings.secretUrl) found.push(...urlCredentials(settings.url));
  }
  return found.filter((value) => value.length >= MIN_SEALED_LENGTH);
}
