// Operations answering the questions the engine asks the user: consents and (in "ask" mode) client
// registrations. Only trusted surfaces reach these.
import type { OperationHandlers } from '../api/engine-api.js';
import type { Engine } from '../engine.js';

export function consentOperations(
  engine: Engine,
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
    'consents.list': () => engine.authorization.listConsents(),
    'consents.approve': async ({ id, access, connectors, expiresInSeconds }) => {
      const grantId = await engine.authorization.approveConsent(id, { access, connectors, expiresInSeconds });
      engine.emit({ type: 'clients.changed' });
      return { id, grantId };
    },
    'consents.deny': ({ id }) => {
      engine.authorization.denyConsent(id);
      return { id };
    },
    'consents.denyAll': ({ clientId }) => ({ denied: engine.authorization.denyAllConsents(clientId) }),
    'registrations.list': () => engine.authorization.listRegistrations(),
    'registrations.approve': ({ id }) => {
      engine.authorization.registrations.decide(id, 'approved');
      return { id };
    },
    'registrations.deny': ({ id }) => {
      engine.authorization.registrations.decide(id, 'denied');
      return { id };
    },
  };
}
