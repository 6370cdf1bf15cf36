import { localTime } from '../text.js';
// A bounded memory of revoked tokens: digest → client, when, and why. Once a grant's rows are gone,
// a refused refresh ("refresh token not found") or MCP request ("unknown token") would otherwise be
// audited with no client and no reason; with this, the Activity log says which client kept trying
// and that it was "revoked by you at 14:05". Only digests are kept, never a token.

/** Digests remembered at most; past it the oldest are forgotten (their refusals lose the why). */
const MAX_REMEMBERED = 20_000;

/** What is remembered of a revoked token: whose it was, its grant, when and why it was revoked. */
export interface RevokedToken {
  clientId: string;
  grantId: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** Who or what revoked it, for a sentence: "revoked by you", "revoked after token reuse". */
  cause: string;
}

/** Revoked token digests, newest kept: past the bound the oldest is forgotten. */
export class RevokedTokens {
  readonly #byDigest = new Map<string, RevokedToken>();
  readonly #max: number;

  constructor(max = MAX_REMEMBERED) {
    this.#max = max;
  }

  /** Remembers the digests of a grant's tokens as revoked now. */
  remember(digests: readonly string[], revoked: RevokedToken): void {
    for (const digest of digests) {
      this.#byDigest.delete(digest);
      this.#byDigest.set(digest, revoked);
    }
    while (this.#byDigest.size > this.#max) this.#byDigest.delete(this.#byDigest.keys().next().value!);
  }

  /** Says why a grant's tokens were revoked, once that is known (oidc-provider tells after the fact). */
  relabel(grantId: string, cause: string): void {
    for (const [digest, revoked] of this.#byDigest)
      if (revoked.grantId === grantId) this.#byDigest.set(digest, { ...revoked, cause });
  }

  get(digest: string): RevokedToken | undefined {
    return this.#byDigest.get(digest);
  }

  get size(): number {
    return this.#byDigest.size;
  }
}

/** "revoked by you at 14:05" (local time). */
export function revokedSentence(revoked: RevokedToken): string {
  return `${revoked.cause} at ${localTime(revoked.at).slice(11, 16)}`;
}
