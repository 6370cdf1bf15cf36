// The check on every MCP request: an opaque bearer token looked up by digest in memory, then its
// expiry, its audience (RFC 8707) and its grant. Failures carry the RFC 6750 §3 challenge that MCP
// clients follow: 401 to (re)authorize, 403 insufficient_scope to step up.
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../effects.js';
import { tokenDigest, type TokenIndex } from '../auth/token-index.js';
import { revokedSentence } from '../auth/revoked-tokens.js';
import type { GrantRecord, GrantStore } from '../store/grant-store.js';
import { gatehouseResource, MCP_SCOPES, READ_SCOPE } from '../resources.js';

/** Who an authenticated MCP request comes from: its token, client, grant and scopes. */
export interface Caller {
  token: string;
  digest: string;
  clientId: string;
  grant: GrantRecord;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

/** The bearer check's answer: the caller, or the HTTP status and RFC 6750 error to refuse with. */
export type BearerResult =
  | { ok: true; caller: Caller }
  | {
      ok: false;
      status: 401 | 403;
      error?: 'invalid_token' | 'insufficient_scope';
      description: string;
      /** Whose token it was, when known (a token revoked lately): for the audit log. */
      clientId?: string;
      /** The refusal in the user's words, for the audit log ("…revoked by you at 14:05"). */
      reason?: string;
    };

/**
 * Checks the bearer token of an MCP request against the token index and grants (RFC 6750, RFC 8707
 * audience).
 */
export class BearerCheck {
  readonly #tokens: TokenIndex;
  readonly #grants: GrantStore;
  readonly #clock: Clock;

  constructor(tokens: TokenIndex, grants: GrantStore, clock: Clock) {
    this.#tokens = tokens;
    this.#grants = grants;
    this.#clock = clock;
  }

  /** `resource` is the canonical URI of the endpoint the request addressed. */
  check(authorization: string | undefined, resource: string): BearerResult {
    if (!authorization || !/^Bearer /i.test(authorization)) {
      return {
        ok: false,
        status: 401,
        description: 'This MCP endpoint needs an access token from Gatehouse.',
      };
    }
    const token = authorization.slice(7).trim();
    const digest = tokenDigest(token);
    const record = this.#tokens.get(digest);
    const revoked = record ? undefined : this.#tokens.revoked.get(digest);
    if (revoked) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: 'The access token was revoked.',
        clientId: revoked.clientId,
        reason: `MCP request refused: the access token was ${revokedSentence(revoked)}`,
      };
    }
    if (!record) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: 'The access token is unknown, expired or revoked.',
      };
    }
    if (record.expiresAt * 1000 <= this.#clock.now()) {
      return { ok: false, status: 401, error: 'invalid_token', description: 'The access token has expired.' };
    }
    if (gatehouseResource(record.audience) !== resource) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: `The access token was issued for ${record.audience}, not for ${resource}.`,
      };
    }
    const grant = this.#grants.active(record.grantId);
    if (!grant) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: 'The grant behind this token was revoked or has expired.',
      };
    }
    if (!record.scopes.has(READ_SCOPE)) {
      return {
        ok: false,
        status: 403,
        error: 'insufficient_scope',
        description: `The access token carries none of the scopes this endpoint needs (${MCP_SCOPES.join(', ')}).`,
      };
    }
    return {
      ok: true,
      caller: {
        token,
        digest,
        clientId: record.clientId,
        grant,
        scopes: record.scopes,
        expiresAt: record.expiresAt,
      },
    };
  }
}

/** The resource a request addressed, in canonical form (e.g. http://127.0.0.1:42830/mcp). */
export function requestResource(req: IncomingMessage, path: string): string {
  return gatehouseResource(`http://${req.headers.host ?? '127.0.0.1'}${path}`) ?? path;
}
