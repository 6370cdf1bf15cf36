// The in-memory index of live access tokens, keyed by the token's SHA-256. It makes the check on
// every MCP request a hash plus a map lookup (no disk, no oidc-provider); the database stays the
// durable copy and refills this index at start.
import { RevokedTokens } from './revoked-tokens.js';

/** Tokens are stored and indexed only as this digest (defined by the store, which keys rows by it). */
export { tokenDigest } from '../store/oidc-store.js';

/** What the per-request check needs of a live access token. */
export interface AccessTokenRecord {
  clientId: string;
  grantId: string;
  /** The resource (RFC 8707 audience) the token was issued for. */
  audience: string;
  scopes: ReadonlySet<string>;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Live access tokens by digest, and each grant's tokens, so a revocation drops them at once. */
export class TokenIndex {
  /** Tokens revoked lately (access and refresh), so a refusal can say whose and why. */
  readonly revoked = new RevokedTokens();
  readonly #byDigest = new Map<string, AccessTokenRecord>();
  readonly #byGrant = new Map<string, Set<string>>();

  get size(): number {
    return this.#byDigest.size;
  }

  /** Indexes a live access token under its digest and its grant. */
  add(digest: string, record: AccessTokenRecord): void {
    this.#byDigest.set(digest, record);
    let digests = this.#byGrant.get(record.grantId);
    if (!digests) {
      digests = new Set();
      this.#byGrant.set(record.grantId, digests);
    }
    digests.add(digest);
  }

  get(digest: string): AccessTokenRecord | undefined {
    return this.#byDigest.get(digest);
  }

  /** Drops a token (revoked, expired or consumed) from both indexes. */
  delete(digest: string): void {
    const record = this.#byDigest.get(digest);
    if (!record) return;
    this.#byDigest.delete(digest);
    const digests = this.#byGrant.get(record.grantId);
    digests?.delete(digest);
    if (digests?.size === 0) this.#byGrant.delete(record.grantId);
  }

  /** Removes every token of a grant; returns how many there were. */
  deleteGrant(grantId: string): number {
    const digests = this.#byGrant.get(grantId);
    if (!digests) return 0;
    for (const digest of digests) this.#byDigest.delete(digest);
    this.#byGrant.delete(grantId);
    return digests.size;
  }

  /** Drops expired entries; called by the engine's periodic sweep. */
  sweep(nowSeconds: number): void {
    for (const [digest, record] of this.#byDigest) {
      if (record.expiresAt <= nowSeconds) this.delete(digest);
    }
  }
}
