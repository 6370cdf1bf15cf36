// What a consent asks and how it can end: the request built from oidc-provider's interaction (who
// asks, for which resource and scopes, under which match code) and the queue that holds it for the
// user's answer, fair between clients.
import type Provider from 'oidc-provider';
import type { AccessLevel, RegistrationKind } from '../api/contract.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import type { Clock, Random } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import { redirectHost } from '../text.js';
import { gatehouseResource, WRITE_SCOPE } from '../resources.js';
import type { RevokedClients } from '../store/revoked-clients.js';

/** The software_id Gatehouse's stdio bridge registers with (main/bridge/bridge-authorization.ts). */
const BRIDGE_SOFTWARE_ID = 'gatehouse-bridge';

/** Gatehouse has one user: whoever sits at this desktop. */
export const OWNER_ACCOUNT = 'owner';

/** How long a consent waits for the user before it is denied, unless the options say otherwise. */
export const CONSENT_TIMEOUT_MS = 10 * 60_000;

/** Letters and digits no one confuses when reading the match code aloud or at a glance (no I, O, 0, 1). */
const MATCH_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** An authorization request waiting for the user, as Gatehouse's trusted surfaces show it. */
export interface ConsentRequest {
  clientId: string;
  clientName: string;
  kind: RegistrationKind;
  redirectHost: string;
  /** Shown both on the browser's waiting page and in Gatehouse, so the user can tell which request is theirs. */
  matchCode: string;
  requestedScopes: string[];
  /** The RFC 8707 resource the token is for: `/mcp` or `/mcp/<connector>`, canonical. */
  resource: string;
  /** Gatehouse's own stdio bridge asks (software_id gatehouse-bridge): its match code is in its app's MCP log, not a browser. */
  viaBridge: boolean;
  /** When the user revoked this client, if lately (see RevokedClients). */
  revokedAt: number | null;
}

/** How a consent ended; the interaction's result (approved, or an RFC 6749 §4.1.2.1 error) follows from it. */
export type ConsentDecision =
  | { outcome: 'approved'; grantId: string }
  | { outcome: 'denied' }
  | { outcome: 'timed-out' }
  /** Made room for another client's request when the queue was full (see PendingDecisions). */
  | { outcome: 'set-aside' };

/** The consents waiting for the user's answer. */
export type ConsentQueue = PendingDecisions<ConsentRequest, ConsentDecision>;

/** The consent queue: each request times out after `timeoutMs`; at most `queue` waiting, in all and per client. */
export function consentQueue(
  clock: Clock,
  timeoutMs: number,
  queue: { total: number; perClient: number } | undefined,
): ConsentQueue {
  return new PendingDecisions<ConsentRequest, ConsentDecision>({
    clock,
    timeoutMs,
    onTimeout: { outcome: 'timed-out' },
    maxPending: queue?.total ?? 100,
    what: 'consent request',
    // One client's flood never keeps another client's request from being asked.
    fairness: {
      sourceOf: (item) => item.clientId,
      maxPerSource: queue?.perClient ?? 5,
      describe: (item) => item.clientName,
      onSetAside: { outcome: 'set-aside' },
    },
  });
}

/** Read-only, or read & write: what the request asks for, in the words the user answers in. */
export function requestedAccess(request: ConsentRequest): AccessLevel {
  return request.requestedScopes.includes(WRITE_SCOPE) ? 'write' : 'read';
}

/** What building a consent request reads: the client as oidc-provider and Gatehouse know it. */
export interface ConsentRequestContext {
  provider: Provider;
  clients: ClientStore;
  revokedClients: Pick<RevokedClients, 'revokedAt'>;
  issuer: string;
  random: Random;
}

/** The consent request an oidc-provider interaction asks the user, with a fresh match code. */
export async function consentRequestFor(
  context: ConsentRequestContext,
  interaction: InstanceType<Provider['Interaction']>,
): Promise<ConsentRequest> {
  const { issuer } = context;
  const params = interaction.params as Record<string, unknown>;
  const clientId = String(params.client_id ?? '');
  const client = await context.provider.Client.find(clientId);
  const record = context.clients.get(clientId);
  const redirectUri = String(params.redirect_uri ?? client?.redirectUris?.[0] ?? '');
  const resourceParam = params.resource;
  const resource =
    gatehouseResource(
      Array.isArray(resourceParam)
        ? String(resourceParam[0])
        : typeof resourceParam === 'string'
          ? resourceParam
          : `${issuer}/mcp`,
    ) ?? `${issuer}/mcp`;
  const bytes = context.random.bytes(6);
  const matchCode = [...bytes]
    .map((b) => MATCH_ALPHABET[b % MATCH_ALPHABET.length])
    .join('')
    .replace(/^(...)/, '$1-');
  return {
    clientId,
    clientName: client?.clientName ?? record?.name ?? clientId,
    kind: record?.kind ?? (client && 'clientIdMetadataDocument' in client ? 'metadata-document' : 'dcr'),
    redirectHost: redirectHost(redirectUri),
    matchCode,
    requestedScopes: String(params.scope ?? '')
      .split(' ')
      .filter(Boolean),
    resource,
    viaBridge: client?.metadata().software_id === BRIDGE_SOFTWARE_ID,
    revokedAt: context.revokedClients.revokedAt(clientId),
  };
}
