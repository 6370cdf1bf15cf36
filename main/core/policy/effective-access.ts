// Effective rights = access ceiling ∩ the client's grant ∩ the scopes its token carries
// (docs/security-model.md, "Effective rights"). Tool toggles and rules narrow this further per call.
import type { AccessCeiling, AccessLevel } from '../api/contract.js';
import { WRITE_SCOPE } from '../auth/resources.js';

export type EffectiveAccess = 'none' | AccessLevel;

const rank: Record<EffectiveAccess, number> = { none: 0, read: 1, write: 2 };

export function lowestAccess(...levels: EffectiveAccess[]): EffectiveAccess {
  return levels.reduce((low, level) => (rank[level] < rank[low] ? level : low), 'write' as EffectiveAccess);
}

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

export function describeAccess(access: EffectiveAccess): string {
  return access === 'write' ? 'read & write' : access === 'read' ? 'read-only' : 'no access';
}
