// The token endpoint's side of the refresh grace (refresh-replays.ts): each rotation's answer is
// recorded as it leaves oidc-provider, and a refresh token the same client presents again inside
// the grace gets that answer back (RFC 6749 §6, idempotently) instead of reaching oidc-provider.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditLog } from '../audit/audit-log.js';
import { sendJson } from '../http/http-io.js';
import { presenterOf, type RefreshReplays, type RotationAnswer } from './refresh-replays.js';
import { readOAuthBody, replayRequest } from './replay-request.js';

const TOKEN_BODY_LIMIT = 56 * 1024;

/** A token request to hand oidc-provider, and what to call once it has answered. */
interface RoutedTokenRequest {
  req: IncomingMessage;
  /** Lets a racing refresh of the same token go on once this rotation's answer is recorded. */
  settle?: () => void;
}

/** The refresh grace at `/token`: before oidc-provider sees a request, and after it answers. */
export class RefreshGrace {
  readonly #replays: RefreshReplays;
  readonly #audit: AuditLog;

  constructor(replays: RefreshReplays, audit: AuditLog) {
    this.#replays = replays;
    this.#audit = audit;
  }

  /** oidc-provider middleware: remembers the answer of every successful refresh (a rotation). */
  readonly recordRotations = async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const params = ctx.oidc?.params as { grant_type?: unknown; refresh_token?: unknown } | undefined;
    if (
      ctx.oidc?.route === 'token' &&
      ctx.status === 200 &&
      params?.grant_type === 'refresh_token' &&
      typeof params.refresh_token === 'string' &&
      typeof ctx.body === 'object' &&
      ctx.body !== null
    )
      this.#replays.record(params.refresh_token, ctx.body as RotationAnswer, ctx.oidc.client?.clientId);
  };

  /**
   * A refresh presented again inside the grace by the same client gets the answer its rotation gave
   * (answered here: returns undefined); every other token request goes to oidc-provider unchanged.
   */
  async route(req: IncomingMessage, res: ServerResponse): Promise<RoutedTokenRequest | undefined> {
    const body = await readOAuthBody(req, res, TOKEN_BODY_LIMIT);
    if (!body) return undefined;
    const replay = replayRequest(req, body);
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
      return { req: replay };
    const params = new URLSearchParams(body.toString('utf8'));
    const refreshToken = params.get('refresh_token');
    if (params.get('grant_type') !== 'refresh_token' || !refreshToken) return { req: replay };
    const verdict = await this.#replays.begin(refreshToken, presenterOf(req.headers.authorization, params));
    if (verdict.kind === 'rotate') return { req: replay, settle: verdict.settle };
    if (verdict.kind === 'pass') return { req: replay };
    this.#audit.record({
      type: 'token.refresh_replayed',
      clientId: verdict.clientId ?? null,
      decision: 'info',
      reason:
        'A refresh token was presented again just after its rotation: answered with the same tokens, no new chain',
    });
    sendJson(res, 200, verdict.answer, { pragma: 'no-cache' });
    return undefined;
  }
}
