// Operations on clients: the registry view (name, kind, grants, last used, tokens, sessions),
// revoke, forget, manual registration, and token introspection.
import type { ClientView, EngineEvent, GrantView, OperationInput, OperationOutput } from '../api/contract.js';
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import type { OidcStore } from '../store/oidc-store.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import type { ClientStore } from '../store/client-store.js';
import type { GrantRecord, GrantStore } from '../store/grant-store.js';
import { revocationEnds, type RevokedClients } from '../store/revoked-clients.js';
import type { Settings } from '../store/settings-store.js';
import { GatehouseError } from '../errors.js';
import { effectiveAccess, lowestAccess, type EffectiveAccess } from '../policy/effective-access.js';
import { mcpPathOf, WRITE_SCOPE } from '../resources.js';
import { closestWord } from '../closest-word.js';
import { periodText, redirectHost } from '../text.js';

/** What a client's view is made from. */
interface ClientViewContext {
  readonly issuer: string;
  readonly clients: ClientStore;
  readonly grants: GrantStore;
  readonly revokedClients: Pick<RevokedClients, 'of' | 'clear'>;
  readonly settings: Settings;
  readonly oidcStore: OidcStore;
  readonly mcp: McpEndpoint;
}

/** What the client operations use of the engine. */
export interface ClientsContext extends ClientViewContext {
  readonly audit: AuditLog;
  readonly authorization: Pick<AuthorizationServer, 'registerManualClient' | 'deleteRegistration'>;
  emit(event: EngineEvent): void;
  /** `cause`: what later refusals of its tokens say ("revoked by you at 14:05"). */
  revokeClient(
    clientId: string,
    reason: string,
    cause?: string,
    refuseForMs?: number | null,
  ): Promise<{ grantsRevoked: number; tokensRevoked: number; sessionsClosed: number }>;
  introspect(token: string): Promise<OperationOutput<'tokens.introspect'>>;
  /** Changes one of a client's grants as the user chose it (engine/grant-change.ts). */
  changeGrant(clientName: string, edit: OperationInput<'clients.grant'>): GrantRecord;
}

function clientView(context: ClientViewContext, clientId: string): ClientView {
  const record = context.clients.get(clientId);
  if (!record) throw unknownClient(context, clientId);
  const ceiling = context.settings.get().accessCeiling;
  const grants = context.grants.forClient(clientId).filter((grant) => context.grants.active(grant.grantId));
  const grantViews: GrantView[] = grants.map(
    ({ grantId, connectors, access, scopes, resource, createdAt, expiresAt }) => ({
      grantId,
      connectors,
      access,
      scopes,
      writable: scopes.includes(WRITE_SCOPE),
      resource,
      connectorPath: (mcpPathOf(resource, context.issuer) ?? '/mcp') !== '/mcp',
      createdAt,
      expiresAt,
    }),
  );
  const revoke = context.revokedClients.of(clientId);
  // The widest of the client's grants, each capped by the ceiling.
  const best = grants.reduce<EffectiveAccess>((widest, grant) => {
    const level = effectiveAccess(ceiling, grant.access);
    return lowestAccess(widest, level) === widest ? level : widest;
  }, 'none');
  return {
    clientId,
    name: record.name,
    kind: record.kind,
    redirectHosts: [...new Set(record.redirectUris.map(redirectHost))],
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    activeTokens: context.oidcStore.countActiveTokens(grants.map((grant) => grant.grantId)),
    openSessions: context.mcp.sessionsOf(clientId),
    openConnections: context.mcp.connectionsOf(clientId),
    setupClient: record.setupClient,
    grants: grantViews,
    effectiveAccess: best,
    revoked: revoke && {
      at: revoke.revokedAt,
      refusedUntil: revoke.refusedUntil,
      endsAt: revocationEnds(revoke),
    },
  };
}

/** No client has this id: the sentence says where to look, and which client was meant by a slip. */
function unknownClient(context: ClientViewContext, clientId: string): GatehouseError {
  const known = context.clients.list();
  const meant = closestClient(known, clientId);
  return new GatehouseError(
    'not_found',
    `No client with id ${clientId} is known to Gatehouse (see gatehouse clients list).${
      meant ? ` Did you mean ${meant.name} (${meant.clientId})?` : ''
    }`,
  );
}

/** The client an id slip, or a client's name typed for its id, most likely meant. */
function closestClient(
  known: ReadonlyArray<{ clientId: string; name: string }>,
  typed: string,
): { clientId: string; name: string } | undefined {
  const byName = known.filter((client) => client.name.toLowerCase() === typed.toLowerCase());
  if (byName.length === 1) return byName[0];
  const id = closestWord(
    typed,
    known.map((client) => client.clientId),
  );
  return known.find((client) => client.clientId === id);
}

/** The handlers of clients.* (list, get, revoke, forget, register, grant, stopRefusing) and tokens.introspect. */
export function clientOperations(
  context: ClientsContext,
): Pick<
  OperationHandlers,
  | 'clients.list'
  | 'clients.get'
  | 'clients.revoke'
  | 'clients.forget'
  | 'clients.register'
  | 'clients.grant'
  | 'clients.stopRefusing'
  | 'tokens.introspect'
> {
  return {
    'clients.list': () => context.clients.list().map((client) => clientView(context, client.clientId)),
    'clients.get': ({ clientId }) => clientView(context, clientId),
    'clients.revoke': async ({ clientId, refuseForSeconds }) => {
      clientView(context, clientId);
      const reason = refuseForSeconds
        ? `Access revoked by the user, who refuses its new requests for ${periodText(refuseForSeconds * 1000)}`
        : 'Access revoked by the user';
      return {
        clientId,
        ...(await context.revokeClient(
          clientId,
          reason,
          undefined,
          refuseForSeconds ? refuseForSeconds * 1000 : null,
        )),
      };
    },
    'clients.forget': async ({ clientId }) => {
      const record = context.clients.get(clientId);
      if (!record) throw unknownClient(context, clientId);
      const revoked = await context.revokeClient(
        clientId,
        'Access revoked because the user forgot the client',
        'forgotten by you',
      );
      if (record.kind !== 'metadata-document') await context.authorization.deleteRegistration(clientId);
      context.clients.remove(clientId);
      // A client forgotten is no one's to refuse: a new registration starts afresh.
      context.revokedClients.clear(clientId);
      context.audit.record({
        type: 'client.forgotten',
        clientId: null,
        decision: 'info',
        reason: `The user forgot ${record.name} (${clientId})`,
      });
      context.emit({ type: 'clients.changed' });
      return { clientId, ...revoked };
    },
    'clients.grant': (edit) => {
      const { name } = clientView(context, edit.clientId);
      context.changeGrant(name, edit);
      return clientView(context, edit.clientId);
    },
    'clients.stopRefusing': ({ clientId }) => {
      const view = clientView(context, clientId);
      if (view.revoked?.refusedUntil == null)
        throw new GatehouseError(
          'conflict',
          `Gatehouse is not refusing ${view.name}'s requests; its next request asks for your consent.`,
        );
      context.revokedClients.clear(clientId);
      context.audit.record({
        type: 'client.refusal_ended',
        clientId,
        decision: 'info',
        reason: `The user stopped refusing ${view.name}'s requests: its next request asks for consent`,
      });
      context.emit({ type: 'clients.changed' });
      return clientView(context, clientId);
    },
    'clients.register': async (input) => {
      const result = await context.authorization.registerManualClient(input);
      context.emit({ type: 'clients.changed' });
      return result;
    },
    'tokens.introspect': ({ token }) => context.introspect(token),
  };
}
