// Which scope one OAuth connector asks for (MCP "Scope Selection Strategy") and what an
// insufficient_scope challenge does to it (MCP "Scope Challenge Handling", SEP-2350: step up with the
// union of scopes, and stop when asking again cannot help).
import type { StoredTokens } from '../../store/oauth-credential-store.js';
import type { Discovery } from './authorization-server.js';
import type { ConnectorCredentials } from './credentials.js';
import { scopeList, unionScopes } from './protocol.js';

/** What the scope to ask for depends on besides the authorization server. */
export interface ScopeFacts {
  /** Scopes the user set in the connector's OAuth settings. */
  configured: string[];
  /** The scope the upstream's latest Bearer challenge named. */
  challenged: string | undefined;
  /** What step-ups have added so far. */
  requestedScope: string | undefined;
}

/** Custom scopes, else the challenge's, else the resource's scopes_supported, else none; plus step-ups. */
export function selectScope(discovery: Discovery, facts: ScopeFacts): string | undefined {
  const { configured } = facts;
  const challenged = scopeList(facts.challenged);
  const base = configured.length
    ? configured
    : challenged.length
      ? challenged
      : (discovery.scopesSupported ?? []);
  const scopes = unionScopes(scopeList(facts.requestedScope), base);
  // SEP-2207: where the server issues refresh tokens only for offline_access, ask for it: a connector
  // whose access cannot be renewed breaks after an hour. Not when no scope is sent (that would narrow
  // the server's defaults to offline_access alone), nor over the user's own choice of scopes.
  const offline = discovery.as.scopes_supported?.includes('offline_access');
  if (offline && !configured.length && scopes.length && !scopes.includes('offline_access'))
    scopes.push('offline_access');
  return scopes.length ? scopes.join(' ') : undefined;
}

/**
 * Answers a 403 insufficient_scope: the wanted scope joins what the next Connect asks for and the
 * user is asked to reconnect, unless it was granted already. Never retried here (returns false).
 */
export async function stepUp(
  credentials: Pick<ConnectorCredentials, 'stored' | 'needAction'>,
  scope: string | undefined,
  tokens: StoredTokens | undefined,
): Promise<boolean> {
  const { stored } = credentials;
  const wanted = scopeList(scope);
  if (!tokens) {
    stored.requestedScope = unionScopes(scopeList(stored.requestedScope), wanted).join(' ') || undefined;
    await credentials.needAction(stored.attention?.reason ?? 'not-connected');
    return false;
  }
  const granted = new Set(scopeList(tokens.scope ?? tokens.requestedScope));
  // Asking again for what was already granted cannot help: stop rather than loop (retry limit).
  if (wanted.length === 0 || wanted.every((item) => granted.has(item))) {
    await credentials.needAction('scope-refused', { ...(scope ? { scope } : {}) });
    return false;
  }
  stored.requestedScope = unionScopes(
    scopeList(stored.requestedScope),
    scopeList(tokens.requestedScope),
    [...granted],
    wanted,
  ).join(' ');
  await credentials.needAction('more-scope', { scope: wanted.join(' ') });
  return false;
}
