// Editing a client's grant after the consent: the connectors it reaches, read-only or read & write,
// its expiry — what the consent dialog chose, chosen again. It takes effect on the client's next
// call (every request reads the grant record, which is changed in place); its open sessions and
// listen streams hear at once that their lists changed, and its tool calls waiting for approval that
// the narrower grant would not allow are denied. Audited.
import type { EngineEvent, OperationInput } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';
import type { PendingDecisions } from '../consent/pending-decisions.js';
import type { ApprovalDecision, ApprovalRequest } from '../gateway/tool-approval.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import { requireKnownConnectors } from '../operations/consents.js';
import { grantReaches } from '../policy/effective-access.js';
import { mcpPathOf, WRITE_SCOPE } from '../resources.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { GrantRecord, GrantStore } from '../store/grant-store.js';
import { grantChangeText, readOnlyGrantText } from '../text.js';

/** What changing a grant touches: the grant store, the connectors it may name, sessions, the log. */
export interface GrantChangeContext {
  issuer: string;
  clock: Clock;
  grants: Pick<GrantStore, 'forClient' | 'active' | 'update'>;
  connectorStore: Pick<ConnectorStore, 'list'>;
  mcp: Pick<McpEndpoint, 'grantChanged'>;
  gateway: {
    readonly approvals: Pick<PendingDecisions<ApprovalRequest, ApprovalDecision>, 'pending' | 'decide'>;
  };
  audit: Pick<AuditLog, 'record'>;
  emit(event: EngineEvent): void;
}

/** The edit as `clients.grant` takes it. */
export type GrantEdit = OperationInput<'clients.grant'>;

/**
 * Changes one of a client's grants (the one named, or its only one) and returns it changed. Refused
 * with a sentence: a grant for one connector's own URL given other connectors, read & write for a
 * grant whose tokens were issued read-only, a connector that does not exist.
 */
export function changeGrant(context: GrantChangeContext, clientName: string, edit: GrantEdit): GrantRecord {
  const grant = chosenGrant(context, clientName, edit);
  const before = { ...grant };
  const path = mcpPathOf(grant.resource, context.issuer);
  if (edit.connectors !== undefined && path !== '/mcp' && path !== undefined) {
    const only = path.slice('/mcp/'.length);
    if (edit.connectors === '*' || edit.connectors.length !== 1 || edit.connectors[0] !== only)
      throw new GatehouseError(
        'bad_request',
        `This grant is for ${only}'s own URL (${grant.resource}); it reaches ${only} only. Revoke it, and approve a grant for ${context.issuer}/mcp when ${clientName} asks again, to give it other connectors.`,
      );
  }
  if (edit.connectors !== undefined)
    requireKnownConnectors(
      edit.connectors,
      context.connectorStore.list().map((record) => record.name),
      'The grant was not changed.',
    );
  if (edit.access === 'write' && grant.access !== 'write' && !grant.scopes.includes(WRITE_SCOPE))
    throw new GatehouseError('bad_request', readOnlyGrantText(clientName));
  const now = context.clock.now();
  const changed = context.grants.update(grant.grantId, {
    ...(edit.connectors !== undefined ? { connectors: edit.connectors } : {}),
    ...(edit.access !== undefined ? { access: edit.access } : {}),
    ...(edit.expiresInSeconds !== undefined
      ? { expiresAt: edit.expiresInSeconds === null ? null : now + edit.expiresInSeconds * 1000 }
      : {}),
  })!;
  const narrowed = changed.access === 'read' && before.access === 'write';
  // A call waiting for the user that the new grant would not have let through fails now, with the edit.
  for (const { id, item } of context.gateway.approvals.pending()) {
    if (item.clientId !== edit.clientId) continue;
    if (narrowed || !grantReaches(changed.connectors, item.connector))
      context.gateway.approvals.decide(id, 'deny');
  }
  context.mcp.grantChanged(edit.clientId);
  context.audit.record({
    type: 'grant.changed',
    clientId: edit.clientId,
    decision: 'info',
    reason: `The user changed ${clientName}'s grant: ${grantChangeText(before, changed, now)}`,
    detail: {
      grantId: grant.grantId,
      connectors: changed.connectors,
      access: changed.access,
      expiresAt: changed.expiresAt,
    },
  });
  context.emit({ type: 'clients.changed' });
  return changed;
}

/** The grant the edit names, or the client's only active one; a sentence when that is not clear. */
function chosenGrant(context: GrantChangeContext, clientName: string, edit: GrantEdit): GrantRecord {
  const grants = context.grants
    .forClient(edit.clientId)
    .filter((grant) => context.grants.active(grant.grantId));
  if (edit.grantId !== undefined) {
    const named = grants.find((grant) => grant.grantId === edit.grantId);
    if (!named)
      throw new GatehouseError(
        'not_found',
        `${clientName} has no grant ${edit.grantId}${grants.length > 0 ? `; its grants are ${grants.map((grant) => grant.grantId).join(', ')}` : ''}.`,
      );
    return named;
  }
  if (grants.length === 1) return grants[0]!;
  throw new GatehouseError(
    grants.length === 0 ? 'conflict' : 'bad_request',
    grants.length === 0
      ? `${clientName} holds no grant to change: it must ask for access first.`
      : `${clientName} holds ${grants.length} grants; name the one to change (${grants.map((grant) => grant.grantId).join(', ')}).`,
  );
}
