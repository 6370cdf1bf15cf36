// Which redirect URIs a client may register, whatever the way it registers (dynamic registration,
// Client ID Metadata Document, by hand): OAuth 2.1 §2.3.1 and RFC 8252 allow https, plain http only
// to this computer's loopback, and private-use URI schemes only for native apps. Everything else
// would let an authorization code travel in clear text, or to a page that is not the client's.

/** The only host names an http redirect may use (RFC 8252 §7.3, and §8.3's `localhost`). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** Callbacks of well-known native MCP clients that do not declare `application_type: native`. */
const KNOWN_NATIVE_SCHEMES = new Set(['cursor:', 'vscode:', 'vscode-insiders:', 'claude:']);
const KNOWN_WEB_CALLBACKS = new Set(['https://vscode.dev/redirect', 'https://insiders.vscode.dev/redirect']);
/** Schemes that are never a private-use app scheme: they run code, read files or leave the app. */
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'vbscript:',
  'data:',
  'blob:',
  'file:',
  'about:',
  'filesystem:',
  'ftp:',
  'ws:',
  'wss:',
  'mailto:',
  'tel:',
  'sms:',
]);

/**
 * OpenID Connect Dynamic Registration's `application_type`: which redirect URIs a client may register
 * depends on it (RFC 8252 for native).
 */
export type ApplicationType = 'web' | 'native';

function parse(uri: unknown): URL | undefined {
  return typeof uri === 'string' && URL.canParse(uri) ? new URL(uri) : undefined;
}

/** An http URL whose host is exactly a loopback name (not `127.0.0.1.evil.com`, not `127.0.0.1@evil.com`). */
export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !url.username && !url.password;
}

/**
 * Whether a client's redirect URIs are those of a native app: loopback http callbacks or a known
 * client's private scheme, optionally beside a known web callback (VS Code registers both). A client
 * that does not declare `application_type` is taken to be what its redirect URIs say; native makes
 * oidc-provider accept its loopback redirect on any port, as RFC 8252 §7.3 requires of the
 * authorization server. Another private-use scheme needs `application_type: native` declared.
 */
export function looksNative(redirectUris: unknown): boolean {
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) return false;
  let nativeEvidence = false;
  for (const uri of redirectUris) {
    const url = parse(uri);
    if (!url) return false;
    if (isLoopbackRedirect(url) || KNOWN_NATIVE_SCHEMES.has(url.protocol)) nativeEvidence = true;
    else if (!KNOWN_WEB_CALLBACKS.has(url.href)) return false;
  }
  return nativeEvidence;
}

/**
 * Why a redirect URI may not be registered by a client of this type, in words for its developer;
 * undefined when it may.
 * @internal Exported for its tests only: each refusal's sentence, checked without a registration.
 */
export function redirectUriRefusal(uri: unknown, applicationType: ApplicationType): string | undefined {
  if (typeof uri !== 'string') return 'a redirect URI must be a string';
  const url = parse(uri);
  if (!url) return `${uri} is not an absolute URI`;
  if (url.hash || uri.includes('#')) return `${uri} has a fragment, which a redirect URI must not have`;
  if (url.username || url.password)
    return `${uri} carries user information before its host, which a redirect URI must not have`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackRedirect(url)
      ? undefined
      : `${uri} uses plain http to ${url.hostname}: http is allowed only to this computer (http://127.0.0.1, http://[::1] or http://localhost); use https`;
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol))
    return `${uri} uses the ${url.protocol.slice(0, -1)} scheme, which can never be a redirect URI`;
  if (applicationType !== 'native')
    return `${uri} uses a private-use scheme (${url.protocol.slice(0, -1)}), which only native apps may register; register with application_type "native"`;
  return undefined;
}

/** The first refusal among a client's redirect URIs, or undefined when all may be registered. */
export function redirectUrisRefusal(uris: unknown, applicationType: ApplicationType): string | undefined {
  if (!Array.isArray(uris)) return undefined;
  for (const uri of uris) {
    const refusal = redirectUriRefusal(uri, applicationType);
    if (refusal) return refusal;
  }
  return undefined;
}
