// oidc-provider's events, heard for the audit log and the client table: a client that registered
// itself, tokens issued, refreshed, refused and revoked, grants oidc-provider revoked on its own
// (refresh reuse, code replay, RFC 7009), refused authorization requests, and its server errors.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditLog } from '../audit/audit-log.js';
import type { SummarizedRows } from '../audit/summarized-rows.js';
import type { Logger } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import type { OidcStore } from '../store/oidc-store.js';
import { revokedSentence } from './revoked-tokens.js';

/** What oidc-provider's events are reported to. */
export interface ProviderEventsContext {
  audit: AuditLog;
  clients: ClientStore;
  store: Pick<OidcStore, 'revokedToken'>;
  logger: Logger;
  /** Called when oidc-provider revokes a grant itself (refresh reuse, code replay, RFC 7009). */
  onGrantRevoked(grantId: string, reason: string): void;
  /** A client registered itself: the oldest registrations nobody used make room (never a refusal). */
  makeRoom(): Promise<unknown>;
  /** Where self-registrations are written: a row each, up to a bound a minute, then summed up. */
  registered: Pick<SummarizedRows, 'add'>;
  /** A client's authorization started (sent to the consent page) or came back: it is not to be forgotten meanwhile. */
  authorizationStarted(clientId: string): void;
  authorizationEnded(clientId: string): void;
}

/** Listens to `provider`'s events for as long as it lives. */
export function reportProviderEvents(provider: Provider, context: ProviderEventsContext): void {
  const { audit, clients, store, onGrantRevoked, logger } = context;
  // Some of oidc-provider's events are missing from its type definitions; one typed door for all.
  const on = provider.on.bind(provider) as unknown as (
    event: string,
    listener: (...args: never[]) => void,
  ) => void;
  on(
    'registration_create.success',
    (
      _ctx: KoaContextWithOIDC,
      client: { clientId: string; clientName?: string; redirectUris?: string[] },
    ) => {
      clients.upsert({
        clientId: client.clientId,
        kind: 'dcr',
        name: client.clientName ?? 'Unnamed client',
        redirectUris: client.redirectUris ?? [],
      });
      context.registered.add(
        {
          type: 'client.registered',
          clientId: client.clientId,
          decision: 'info',
          reason: 'Registered itself (dynamic client registration)',
          detail: { redirectUris: client.redirectUris ?? [] },
        },
        `${client.clientName ?? 'Unnamed client'} (${client.clientId})`,
      );
      // The table's bound: the oldest registrations nobody used make room (never a refusal).
      void context
        .makeRoom()
        .catch((error: unknown) =>
          logger.warn('could not forget unused registrations', { error: (error as Error).message }),
        );
    },
  );
  on('interaction.started', (ctx: KoaContextWithOIDC) => {
    const clientId = ctx.oidc.client?.clientId;
    if (clientId) context.authorizationStarted(clientId);
  });
  on('interaction.ended', (ctx: KoaContextWithOIDC) => {
    const clientId = ctx.oidc.client?.clientId;
    if (clientId) context.authorizationEnded(clientId);
  });
  on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? '');
    const clientId = ctx.oidc.client?.clientId ?? null;
    const refreshed = grantType === 'refresh_token';
    audit.record({
      type: refreshed ? 'token.refreshed' : 'token.issued',
      clientId,
      decision: 'allow',
      reason: refreshed
        ? 'Refresh token rotated; new access token issued'
        : 'Authorization code exchanged for tokens',
      detail: { grantId: ctx.oidc.entities.AccessToken?.grantId ?? null },
    });
  });
  on(
    'grant.error',
    (
      ctx: KoaContextWithOIDC,
      error: Error & { error?: string; error_description?: string; error_detail?: string },
    ) => {
      const description = error.error_detail ?? error.error_description ?? error.message;
      const reuse = error.error_detail === 'refresh token already used';
      // A refresh token of a grant revoked lately: say whose it was and why it no longer works.
      const presented = ctx.oidc.params?.refresh_token;
      const revoked = typeof presented === 'string' && !reuse ? store.revokedToken(presented) : undefined;
      audit.record({
        type: reuse ? 'token.refresh_reuse' : 'token.denied',
        clientId: ctx.oidc.client?.clientId ?? revoked?.clientId ?? null,
        decision: 'deny',
        reason: reuse
          ? 'A rotated refresh token was used again: the whole grant was revoked'
          : revoked
            ? `Refresh refused: the refresh token was ${revokedSentence(revoked)}`
            : description,
        detail: { error: error.error ?? 'error', grantType: String(ctx.oidc.params?.grant_type ?? '') },
      });
    },
  );
  on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    const reason =
      ctx.oidc.route === 'revocation' ? 'revoked by the client (RFC 7009)' : 'revoked after token reuse';
    onGrantRevoked(grantId, reason);
  });
  on('access_token.destroyed', (token: { clientId?: string }) => {
    audit.record({
      type: 'token.revoked',
      clientId: token.clientId ?? null,
      decision: 'info',
      reason: 'An access token was revoked (RFC 7009)',
    });
  });
  on(
    'authorization.error',
    (ctx: KoaContextWithOIDC, error: Error & { error?: string; error_description?: string }) => {
      audit.record({
        type: 'authorization.denied',
        clientId: ctx.oidc.client?.clientId ?? null,
        decision: 'deny',
        reason: error.error_description ?? error.message,
        detail: { error: error.error ?? 'error' },
      });
    },
  );
  on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    logger.error('authorization server error', { error: error.message });
  });
}
