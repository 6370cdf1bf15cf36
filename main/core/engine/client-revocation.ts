// Taking a client's access away, at once: its grants and tokens end, its rate-limit windows and
// "always allow" answers are forgotten, and its open MCP sessions close before the answer returns.
import type { EngineEvent } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { TokenIndex } from '../auth/token-index.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import type { GrantStore } from '../store/grant-store.js';
import type { OidcStore } from '../store/oidc-store.js';
import type { AlwaysAllowed } from '../store/always-allowed.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import type { PendingDecisions } from '../consent/pending-decisions.js';
import type { ApprovalDecision, ApprovalRequest } from '../gateway/tool-approval.js';

/** What revoking touches: the grants and the token store, sessions, per-grant state, the log. */
export interface RevocationContext {
  grants: Pick<GrantStore, 'forClient' | 'get' | 'remove'>;
  oidcStore: Pick<OidcStore, 'countActiveTokens' | 'revokeGrant' | 'destroy'>;
  tokens: Pick<TokenIndex, 'revoked'>;
  rateLimiter: Pick<RateLimiter, 'forget'>;
  mcp: Pick<McpEndpoint, 'closeSessionsOf'>;
  alwaysAllowed: Pick<AlwaysAllowed, 'forget'>;
  /** Its tool calls waiting for the user: denied at once, not left to time out. */
  gateway: {
    readonly approvals: Pick<PendingDecisions<ApprovalRequest, ApprovalDecision>, 'pending' | 'decide'>;
  };
  /** Remembers the revoke, so the client's next consent says so (or is refused for a while). */
  revokedClients: Pick<RevokedClients, 'record'>;
  audit: Pick<AuditLog, 'record'>;
  emit(event: EngineEvent): void;
}

/** How much a revoke ended, for the user's confirmation. */
export interface Revoked {
  grantsRevoked: number;
  tokensRevoked: number;
  sessionsClosed: number;
}

/**
 * Revokes every grant and token of a client, denies its waiting tool calls and closes its MCP
 * sessions, before returning.
 * @param cause What later refusals of its tokens say ("revoked by you at 14:05").
 * @param refuseForMs Also refuse the client's new authorization requests for this long, without asking.
 */
export async function revokeClient(
  context: RevocationContext,
  clientId: string,
  reason: string,
  cause: string,
  refuseForMs: number | null = null,
): Promise<Revoked> {
  const grants = context.grants.forClient(clientId);
  // Counted as the clients list counts them: live access and refresh tokens.
  const tokensRevoked = context.oidcStore.countActiveTokens(grants.map((grant) => grant.grantId));
  for (const grant of grants) {
    context.rateLimiter.forget(grant.grantId);
    context.oidcStore.revokeGrant(grant.grantId, cause);
    context.oidcStore.destroy('Grant', grant.grantId);
    context.grants.remove(grant.grantId);
  }
  // A call that waits for the user's answer fails now, with the revoke, instead of after its timeout.
  let denied = 0;
  for (const { id, item } of context.gateway.approvals.pending()) {
    if (item.clientId !== clientId) continue;
    context.gateway.approvals.decide(id, 'deny');
    denied += 1;
  }
  // Their refusals go out on the sessions before those close (else the client waits for an answer
  // that never comes).
  if (denied > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  context.revokedClients.record(clientId, refuseForMs);
  const sessionsClosed = await context.mcp.closeSessionsOf(clientId);
  context.alwaysAllowed.forget({ clientId });
  context.audit.record({
    type: 'client.revoked',
    clientId,
    decision: 'info',
    reason,
    detail: {
      grantsRevoked: grants.length,
      tokensRevoked,
      sessionsClosed,
      ...(refuseForMs ? { refuseForSeconds: Math.round(refuseForMs / 1000) } : {}),
    },
  });
  context.emit({ type: 'clients.changed' });
  return { grantsRevoked: grants.length, tokensRevoked, sessionsClosed };
}

/**
 * One grant oidc-provider ended itself (RFC 7009 revocation, refresh token reuse, code replay): the
 * engine's side of it — its record and rate window go, its client's sessions close.
 */
export async function dropGrant(context: RevocationContext, grantId: string, reason: string): Promise<void> {
  const grant = context.grants.get(grantId);
  context.grants.remove(grantId);
  context.rateLimiter.forget(grantId);
  context.tokens.revoked.relabel(grantId, reason);
  if (grant) {
    await context.mcp.closeSessionsOf(grant.clientId);
    context.audit.record({
      type: 'grant.revoked',
      clientId: grant.clientId,
      decision: 'info',
      reason: `Grant ${reason}`,
      detail: { grantId },
    });
    context.emit({ type: 'clients.changed' });
  }
}
