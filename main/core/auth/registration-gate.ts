// What happens before a Dynamic Client Registration (RFC 7591) request reaches oidc-provider: the
// user's registration policy (open / ask / closed), a rate limit, and the redirect-URI normalisation
// that lets loopback callbacks match on any port (RFC 8252 §7.3).
import type { RegistrationPolicy } from '../api/contract.js';
import type { Clock } from '../effects.js';

/** Callbacks of well-known native MCP clients that do not declare `application_type: native`. */
const KNOWN_NATIVE_SCHEMES = new Set(['cursor:', 'vscode:', 'vscode-insiders:', 'claude:']);
const KNOWN_WEB_CALLBACKS = new Set(['https://vscode.dev/redirect', 'https://insiders.vscode.dev/redirect']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(uri: unknown): URL | undefined {
  if (typeof uri !== 'string') return undefined;
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Whether a client's redirect URIs are those of a native app: loopback http callbacks or a known
 * client's private scheme, optionally beside a known web callback (VS Code registers both). Such a
 * client is treated as `application_type: native`, which makes oidc-provider accept its loopback
 * redirect on any port, as RFC 8252 §7.3 requires of the authorization server.
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

/** A sliding-window limit on registrations: loopback is open to every local process. */
export class RegistrationRateLimit {
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #times: number[] = [];

  constructor(clock: Clock, limit = 20, windowMs = 10 * 60_000) {
    this.#clock = clock;
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Takes a slot; returns the seconds to wait if none is free. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.#clock.now();
    while (this.#times.length > 0 && this.#times[0]! <= now - this.#windowMs) this.#times.shift();
    if (this.#times.length >= this.#limit) {
      return { ok: false, retryAfterSeconds: Math.ceil((this.#times[0]! + this.#windowMs - now) / 1000) };
    }
    this.#times.push(now);
    return { ok: true };
  }
}

export function registrationRefusal(policy: RegistrationPolicy): string | undefined {
  if (policy === 'closed') {
    return 'New client registration is closed in Gatehouse. Open Gatehouse → Settings → New clients to allow it, or register this client by hand.';
  }
  return undefined;
}
