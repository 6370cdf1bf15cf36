// Operations answering the questions the engine asks the user: consents and (in "ask" mode) client
// registrations. Only trusted surfaces reach these.
import type { OperationHandlers } from './engine-api.js';
import type { ConnectorSelection, EngineEvent } from '../api/contract.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { Settings } from '../store/settings-store.js';
import { GatehouseError } from '../errors.js';
import { effectiveAccess } from '../policy/effective-access.js';
import { didYouMean } from '../text.js';

/** What the consent and registration operations use of the engine. */
export interface ConsentsContext {
  readonly authorization: Pick<
    AuthorizationServer,
    | 'listConsents'
    | 'approveConsent'
    | 'denyConsent'
    | 'denyAllConsents'
    | 'listRegistrations'
    | 'registrations'
  >;
  readonly connectorStore: ConnectorStore;
  readonly settings: Settings;
  emit(event: EngineEvent): void;
}

/**
 * A grant may name only connectors that exist (`known`); the error names the one meant when a name is
 * a slip, lists the ones there are, and ends with `after` (what became of the request).
 */
export function requireKnownConnectors(
  connectors: ConnectorSelection,
  known: readonly string[],
  after = 'The request is still waiting.',
): void {
  if (connectors === '*') return;
  const unknown = connectors.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const slip = unknown.length === 1 ? didYouMean(unknown[0]!, known) : '';
  throw new GatehouseError(
    'bad_request',
    `There is no connector named ${unknown.join(' or ')}; ${
      known.length === 0 ? 'there are no connectors yet' : `the connectors are ${known.join(', ')}`
    }.${slip} ${after}`,
  );
}

/** The handlers of consents.* and registrations.* (the user's answers). */
export function consentOperations(
  context: ConsentsContext,
): Pick<
  OperationHandlers,
  | 'consents.list'
  | 'consents.approve'
  | 'consents.deny'
  | 'consents.denyAll'
  | 'registrations.list'
  | 'registrations.approve'
  | 'registrations.deny'
> {
  return {
    'consents.list': () => context.authorization.listConsents(),
    'consents.approve': async ({ id, access, connectors, expiresInSeconds }) => {
      // Checked before anything is decided, so a mistyped name leaves the request waiting.
      requireKnownConnectors(
        connectors,
        context.connectorStore.list().map((record) => record.name),
      );
      const grantId = await context.authorization.approveConsent(id, {
        access,
        connectors,
        expiresInSeconds,
      });
      context.emit({ type: 'clients.changed' });
      const { accessCeiling } = context.settings.get();
      return { id, grantId, effectiveAccess: effectiveAccess(accessCeiling, access), accessCeiling };
    },
    'consents.deny': ({ id }) => {
      context.authorization.denyConsent(id);
      return { id };
    },
    'consents.denyAll': ({ clientId }) => ({ denied: context.authorization.denyAllConsents(clientId) }),
    'registrations.list': () => context.authorization.listRegistrations(),
    'registrations.approve': ({ id }) => {
      context.authorization.registrations.decide(id, 'approved');
      return { id };
    },
    'registrations.deny': ({ id }) => {
      context.authorization.registrations.decide(id, 'denied');
      return { id };
    },
  };
}
