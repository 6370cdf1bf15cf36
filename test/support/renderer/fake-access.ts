// Clients, and the questions that decide their access (consent requests, registrations, tool-call
// approvals), for the fake engine. Answering a question takes it off its list and announces the change,
// as the engine does.
import type { ClientView } from '@core/api/contract.js';
import { GatehouseError } from '@core/errors.js';
import { requireKnownConnectors } from '@core/operations/consents.js';
import type { FakeOperations } from './fake-state.js';
import { makeClient, NOW } from './fake-views.js';

type Question = 'consents' | 'registrations' | 'approvals';

/** clients.*, consents.*, registrations.* and approvals.*. */
export const accessOperations: FakeOperations = (s, emit) => {
  /** An answer that only takes the question off its list (the engine's other effects are not faked). */
  const answer =
    (list: Question) =>
    ({ id }: { id: string }) => {
      (s[list] as Array<{ id: string }>) = s[list].filter((one) => one.id !== id);
      emit({ type: `${list}.changed` });
      return { id };
    };
  const client = (clientId: string) => {
    const found = s.clients.find((candidate) => candidate.clientId === clientId);
    if (!found) throw new GatehouseError('not_found', `There is no client ${clientId}.`);
    return found;
  };
  /** What revoking or forgetting a client ends. */
  const ended = (found: ClientView) => ({
    clientId: found.clientId,
    grantsRevoked: found.grants.length,
    tokensRevoked: found.activeTokens,
    sessionsClosed: found.openSessions,
  });
  return {
    'clients.list': () => s.clients,
    'clients.get': ({ clientId }) => client(clientId),
    'clients.revoke': ({ clientId, refuseForSeconds }) => {
      const result = ended(client(clientId));
      // Stamped now, as the engine does: the window shows the mark while it counts, by the real clock.
      const at = Date.now();
      const refusedUntil = refuseForSeconds ? at + refuseForSeconds * 1000 : null;
      const revoked = { at, refusedUntil, endsAt: Math.max(at + 3_600_000, refusedUntil ?? 0) };
      s.clients = s.clients.map((one) =>
        one.clientId === clientId
          ? { ...one, grants: [], activeTokens: 0, openSessions: 0, effectiveAccess: 'none', revoked }
          : one,
      );
      emit({ type: 'clients.changed' });
      return result;
    },
    'clients.stopRefusing': ({ clientId }) => {
      s.clients = s.clients.map((one) => (one.clientId === clientId ? { ...one, revoked: null } : one));
      emit({ type: 'clients.changed' });
      return client(clientId);
    },
    // The grant as the engine changes it (the checks on what may be given are the engine's own tests').
    'clients.grant': ({ clientId, grantId, connectors, access, expiresInSeconds }) => {
      const found = client(clientId);
      const grants = found.grants.map((grant) =>
        grantId !== undefined && grant.grantId !== grantId
          ? grant
          : {
              ...grant,
              ...(connectors !== undefined ? { connectors } : {}),
              ...(access !== undefined ? { access } : {}),
              ...(expiresInSeconds !== undefined
                ? { expiresAt: expiresInSeconds === null ? null : NOW + expiresInSeconds * 1000 }
                : {}),
            },
      );
      s.clients = s.clients.map((one) => (one.clientId === clientId ? { ...one, grants } : one));
      emit({ type: 'clients.changed' });
      return client(clientId);
    },
    'clients.forget': ({ clientId }) => {
      const result = ended(client(clientId));
      s.clients = s.clients.filter((one) => one.clientId !== clientId);
      emit({ type: 'clients.changed' });
      return result;
    },
    'clients.register': ({ name, redirectUris, confidential }) => {
      const clientId = `manual-${s.clients.length + 1}`;
      const redirectHosts = redirectUris.map((uri) => new URL(uri).hostname);
      const noAccess = { activeTokens: 0, openSessions: 0, grants: [], effectiveAccess: 'none' as const };
      s.clients = [...s.clients, makeClient({ clientId, name, kind: 'manual', redirectHosts, ...noAccess })];
      emit({ type: 'clients.changed' });
      return {
        clientId,
        clientSecret: confidential ? 'secret-shown-once' : null,
        tokenEndpointAuthMethod: confidential ? 'client_secret_basic' : 'none',
      };
    },
    'consents.list': () => s.consents,
    'consents.approve': ({ id, access, connectors }) => {
      requireKnownConnectors(
        connectors,
        s.connectors.map((connector) => connector.name),
      );
      answer('consents')({ id });
      const ceiling = s.settings.accessCeiling;
      const effectiveAccess = ceiling === 'off' ? 'none' : ceiling === 'read' ? 'read' : access;
      return { id, grantId: `grant-${id}`, effectiveAccess, accessCeiling: ceiling };
    },
    'consents.deny': answer('consents'),
    'consents.denyAll': ({ clientId }) => {
      const denied = s.consents.filter((one) => clientId === undefined || one.clientId === clientId);
      for (const one of denied) answer('consents')(one);
      return { denied: denied.map((one) => one.id) };
    },
    'registrations.list': () => s.registrations,
    'registrations.approve': answer('registrations'),
    'registrations.deny': answer('registrations'),
    'approvals.list': () => s.approvals,
    'approvals.allow': answer('approvals'),
    'approvals.deny': answer('approvals'),
  };
};
