// The user's answers to consent requests, given only in Gatehouse's trusted surfaces (the window,
// the CLI, the browser UI behind its cookie), never on the waiting page. An approval records the
// grant at once — oidc-provider's, with the MCP scopes granted and refused per RFC 8707 resource,
// and Gatehouse's, with the connectors and expiry — and the interaction delivers it when the
// browser comes back.
import type Provider from 'oidc-provider';
import type { AccessLevel, ConnectorSelection, PendingConsentView } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';
import type { GrantStore } from '../store/grant-store.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import type { Settings } from '../store/settings-store.js';
import { OWNER_ACCOUNT, requestedAccess, type ConsentQueue } from './consent-request.js';
import { mcpPathOf, MCP_SCOPES, READ_SCOPE, WRITE_SCOPE } from '../resources.js';

/** What answering a consent uses of the authorization server. */
export interface ConsentAnswersContext {
  provider: Provider;
  consents: ConsentQueue;
  issuer: string;
  settings: Settings;
  grants: GrantStore;
  /** An approval ends the client's revoke: its mark and any refusal. */
  revokedClients: Pick<RevokedClients, 'clear'>;
  audit: AuditLog;
  clock: Clock;
}

/** The user's choice when approving: the access, the connectors it reaches, and how long it lasts. */
export interface ConsentChoice {
  access: AccessLevel;
  connectors: ConnectorSelection;
  expiresInSeconds: number | null;
}

/** Lists, approves and denies the consents waiting for the user. */
export class ConsentAnswers {
  readonly #context: ConsentAnswersContext;

  constructor(context: ConsentAnswersContext) {
    this.#context = context;
  }

  /** The waiting consents, as the contract's `consents.list` shows them. */
  list(): PendingConsentView[] {
    return this.#context.consents.pending().map(({ id, item, createdAt, expiresAt }) => ({
      id,
      clientId: item.clientId,
      clientName: item.clientName,
      kind: item.kind,
      redirectHost: item.redirectHost,
      matchCode: item.matchCode,
      requestedScopes: item.requestedScopes,
      requestedAccess: requestedAccess(item),
      resource: item.resource,
      viaBridge: item.viaBridge,
      revokedAt: item.revokedAt,
      createdAt,
      expiresAt,
    }));
  }

  /** The user approved in a trusted surface: record the grant now, deliver it when the browser returns. */
  async approve(id: string, choice: ConsentChoice): Promise<string> {
    const { provider, consents, issuer, settings, grants, revokedClients, audit, clock } = this.#context;
    const pending = consents.get(id);
    if (!pending)
      throw new GatehouseError(
        'not_found',
        `No consent request with id ${id} is waiting (it may have expired).`,
      );
    if (pending.decision) throw new GatehouseError('conflict', 'That consent request was already answered.');
    const request = pending.item;
    const ceiling = settings.get().accessCeiling;
    // A token for /mcp/<connector> can only ever reach that connector: its grant says so.
    const connectorPath = mcpPathOf(request.resource, issuer)?.slice('/mcp/'.length);
    if (connectorPath) choice = { ...choice, connectors: [connectorPath] };
    const granted: string[] = choice.access === 'write' ? [READ_SCOPE, WRITE_SCOPE] : [READ_SCOPE];
    const requestedMcp = request.requestedScopes.filter((scope) =>
      (MCP_SCOPES as readonly string[]).includes(scope),
    );
    const grant = new provider.Grant({ accountId: OWNER_ACCOUNT, clientId: request.clientId });
    grant.addResourceScope(request.resource, granted.join(' '));
    const refused = requestedMcp.filter((scope) => !granted.includes(scope));
    if (refused.length > 0) grant.rejectResourceScope(request.resource, refused.join(' '));
    const oidcScopes = request.requestedScopes.filter(
      (scope) => scope === 'openid' || scope === 'offline_access',
    );
    if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
    const now = clock.now();
    const grantId = await grant.save();
    grants.add({
      grantId,
      clientId: request.clientId,
      connectors: choice.connectors,
      access: choice.access,
      scopes: granted,
      resource: request.resource,
      createdAt: now,
      expiresAt: choice.expiresInSeconds === null ? null : now + choice.expiresInSeconds * 1000,
    });
    consents.decide(id, { outcome: 'approved', grantId });
    revokedClients.clear(request.clientId);
    audit.record({
      type: 'consent.granted',
      clientId: request.clientId,
      decision: 'allow',
      reason: `The user granted ${choice.access === 'write' ? 'read & write' : 'read-only'} access to ${choice.connectors === '*' ? 'all connectors' : choice.connectors.join(', ')}${ceiling !== 'write' && choice.access === 'write' ? ` (capped by the access ceiling: ${ceiling})` : ''}`,
      detail: {
        grantId,
        access: choice.access,
        connectors: choice.connectors,
        expiresInSeconds: choice.expiresInSeconds,
      },
    });
    return grantId;
  }

  /** The user denied a consent: the client gets `access_denied` when its browser comes back. */
  deny(id: string): void {
    const { item } = this.#context.consents.decide(id, { outcome: 'denied' });
    this.#context.audit.record({
      type: 'consent.denied',
      clientId: item.clientId,
      decision: 'deny',
      reason: 'The user denied the request in Gatehouse',
      detail: { resource: item.resource },
    });
  }

  /** Denies every waiting consent request, or every one of a client; returns the ids denied. */
  denyAll(clientId?: string): string[] {
    const ids = this.#context.consents
      .pending()
      .filter((consent) => clientId === undefined || consent.item.clientId === clientId)
      .map((consent) => consent.id);
    for (const id of ids) this.deny(id);
    return ids;
  }
}
