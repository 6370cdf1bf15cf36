// Effective rights = access ceiling ∩ the client's grant ∩ the scopes its token carries
// (docs/security-model.md, "Effective rights"). Tool toggles and rules narrow this further per call.
import type { AccessCeiling, AccessLevel, ConnectorSelection } from '../api/contract.js';
import { WRITE_SCOPE } from '../resources.js';

/** What a client may do with tools right now: nothing, read, or read and write. */
export type EffectiveAccess = 'none' | AccessLevel;

const rank: Record<EffectiveAccess, number> = { none: 0, read: 1, write: 2 };

/** The narrowest of the given levels (write when none is given): rights only ever intersect. */
export function lowestAccess(...levels: EffectiveAccess[]): EffectiveAccess {
  return levels.reduce((low, level) => (rank[level] < rank[low] ? level : low), 'write' as EffectiveAccess);
}

/**
 * The access ceiling ∩ the client's grant ∩ its token's scopes; without `tokenScopes` (not token-bound)
 * the token does not narrow it.
 */
export function effectiveAccess(
  ceiling: AccessCeiling,
  grantAccess: AccessLevel,
  tokenScopes?: ReadonlySet<string>,
): EffectiveAccess {
  const ceilingLevel: EffectiveAccess = ceiling === 'off' ? 'none' : ceiling;
  const tokenLevel: EffectiveAccess =
    tokenScopes === undefined || tokenScopes.has(WRITE_SCOPE) ? 'write' : 'read';
  return lowestAccess(ceilingLevel, grantAccess, tokenLevel);
}

/** The level as the window and the Gatehouse tools say it: "read & write", "read-only", "no access". */
export function describeAccess(access: EffectiveAccess): string {
  return access === 'write' ? 'read & write' : access === 'read' ? 'read-only' : 'no access';
}

/**
 * Whether a grant's connectors reach `connector`. Asked again each time something of the connector
 * goes to the client (a resource update, a list change), not once at subscription: the user may
 * narrow the grant meanwhile.
 */
export function grantReaches(connectors: ConnectorSelection, connector: string): boolean {
  return connectors === '*' || connectors.includes(connector);
}
