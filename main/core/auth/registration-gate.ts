// What happens before a Dynamic Client Registration (RFC 7591) request reaches oidc-provider: the
// user's registration policy (open / ask / closed) and a rate limit. Which redirect URIs a client may
// register is `redirect-uris.ts`.
import type { RegistrationPolicy } from '../api/contract.js';
import type { Clock } from '../effects.js';

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
