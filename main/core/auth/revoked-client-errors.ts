// A token request refused because the user revoked its client says so. oidc-provider answers a
// refresh token it no longer holds with `invalid_grant` and "grant request is invalid" (RFC 6749
// §5.2), which tells the client's user nothing; this middleware, around oidc-provider's own token
// route, puts the revoke into that answer's `error_description` (when, and until when the client's
// requests are refused) and leaves everything else of the answer — its status, its error code — as
// oidc-provider made it.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../effects.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import { revokedClientError } from '../text.js';

/** What the middleware reads: the user's revokes, and the time. */
export interface RevokedClientErrorsContext {
  revokedClients: Pick<RevokedClients, 'of'>;
  clock: Clock;
}

/**
 * oidc-provider middleware: a refresh refused while the client's revoke still counts (the hour after
 * it, or a refusal the user chose) names the revoke. A revoke ends every token of the client, and an
 * approval clears the revoke, so while it counts no other refresh of that client can have been good.
 */
export function revokedClientErrors(
  context: RevokedClientErrorsContext,
): (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> {
  return async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 400) return;
    const body = ctx.body as { error?: unknown; error_description?: unknown } | null | undefined;
    if (typeof body !== 'object' || body === null || body.error !== 'invalid_grant') return;
    if ((ctx.oidc.params as { grant_type?: unknown } | undefined)?.grant_type !== 'refresh_token') return;
    const clientId = ctx.oidc.client?.clientId;
    const revoke = clientId === undefined ? null : context.revokedClients.of(clientId);
    if (!revoke) return;
    ctx.body = { ...body, error_description: revokedClientError(context.clock.now(), revoke) };
  };
}
