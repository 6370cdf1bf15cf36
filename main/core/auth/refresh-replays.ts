// Refresh rotation without a second chain. A client that refreshes twice at once (two requests
// racing, a lost response retried) presents a refresh token that the first request has just
// rotated. oidc-provider would call that reuse and revoke the grant; simply tolerating it would
// mint a second token pair — a second chain, which a thief replaying a stolen token inside the
// window would keep. Instead, for a short grace after a rotation, the same token presented with the
// same client authentication gets the very answer the rotation gave (RFC 6749 §6 idempotently):
// one chain, so any later use of a rotated token is reuse, detected, and the grant revoked.
// The answers (raw tokens) live only in memory, only for the grace.
import { hash } from 'node:crypto';
import type { Clock } from '../effects.js';
import { tokenDigest } from './token-index.js';

/** At most this many rotations are remembered at once; past it the oldest is forgotten. */
const MAX_REMEMBERED = 1_000;

/** What oidc-provider answered to a rotation: the token response body. */
export type RotationAnswer = Record<string, unknown>;

interface Rotation {
  presenter: string;
  /** Settles once oidc-provider has answered the first request. */
  settled: Promise<void>;
  settle: () => void;
  answer?: RotationAnswer;
  clientId?: string;
  until?: number;
}

/** What to do with a refresh request before oidc-provider sees it. */
export type RefreshVerdict =
  /**
   * Not rotated within the grace: oidc-provider decides (it rotates a live token, and calls a
   * consumed one reuse), then `settle`.
   */
  | { kind: 'rotate'; settle: () => void }
  /** Presented again inside the grace by the same client: answer this, unchanged. */
  | { kind: 'replay'; answer: RotationAnswer; clientId: string | undefined }
  /** Presented again inside the grace with other client authentication: oidc-provider decides. */
  | { kind: 'pass' };

/**
 * The client authentication a token request carried, as a digest: a replay must present exactly
 * what the request oidc-provider authenticated presented.
 */
export function presenterOf(authorization: string | undefined, params: URLSearchParams): string {
  const parts = [
    authorization ?? null,
    params.get('client_id'),
    params.get('client_secret'),
    params.get('client_assertion'),
  ];
  return hash('sha256', JSON.stringify(parts), 'base64url');
}

/**
 * The memory behind the refresh grace: which refresh tokens were rotated lately, by whom, and what the
 * rotation answered.
 */
export class RefreshReplays {
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #rotations = new Map<string, Rotation>();

  constructor(clock: Clock, graceMs: number) {
    this.#clock = clock;
    this.#graceMs = graceMs;
  }

  /** Decides a refresh request: rotate (the first), replay (the same, inside the grace), or pass. */
  async begin(refreshToken: string, presenter: string): Promise<RefreshVerdict> {
    this.#prune();
    const digest = tokenDigest(refreshToken);
    const earlier = this.#rotations.get(digest);
    if (earlier) {
      // Racing the rotation itself: wait for its answer rather than present a consumed token.
      await earlier.settled;
      const { answer, until, clientId } = earlier;
      if (answer && until !== undefined && this.#clock.now() < until && earlier.presenter === presenter)
        return { kind: 'replay', answer, clientId };
      return { kind: 'pass' };
    }
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const rotation: Rotation = { presenter, settled, settle };
    this.#rotations.set(digest, rotation);
    if (this.#rotations.size > MAX_REMEMBERED) this.#rotations.delete(this.#rotations.keys().next().value!);
    return {
      kind: 'rotate',
      settle: () => {
        // No rotation happened (refused, failed): nothing to give again.
        if (!rotation.answer && this.#rotations.get(digest) === rotation) this.#rotations.delete(digest);
        rotation.settle();
      },
    };
  }

  /** oidc-provider rotated `refreshToken` and answered this: remember it for the grace. */
  record(refreshToken: string, answer: RotationAnswer, clientId: string | undefined): void {
    const digest = tokenDigest(refreshToken);
    const rotation = this.#rotations.get(digest);
    if (!rotation || rotation.answer) return;
    rotation.answer = structuredClone(answer);
    if (clientId !== undefined) rotation.clientId = clientId;
    rotation.until = this.#clock.now() + this.#graceMs;
    // The raw tokens leave memory with the grace, whether or not another refresh comes.
    const forget = setTimeout(() => {
      if (this.#rotations.get(digest) === rotation) this.#rotations.delete(digest);
    }, this.#graceMs);
    forget.unref?.();
  }

  /** Rotations remembered now (answered or in flight). */
  get size(): number {
    this.#prune();
    return this.#rotations.size;
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [digest, rotation] of this.#rotations)
      if (rotation.until !== undefined && rotation.until <= now) this.#rotations.delete(digest);
  }
}
