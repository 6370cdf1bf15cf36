// The event router: each engine event makes exactly the stores it concerns fetch again, or carries
// its change itself; nothing polls.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, OperationName } from '@core/api/contract.js';
import { createAppStores, loadAppStores } from '../../../renderer/src/stores/app-stores.js';
import { routeEngineEvents } from '../../../renderer/src/stores/event-router.js';
import { FakeGatehouse } from '../../support/renderer/fake-gatehouse.js';
import { makeAuditEvent, makeClient } from '../../support/renderer/fake-views.js';

async function routed() {
  const fake = new FakeGatehouse({ clients: [makeClient()] });
  const stores = createAppStores(fake);
  const unsubscribe = routeEngineEvents(fake, stores);
  await loadAppStores(stores);
  fake.calls.length = 0;
  return { fake, stores, unsubscribe };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('routeEngineEvents', () => {
  it.each<[EngineEvent, OperationName[]]>([
    [{ type: 'clients.changed' }, ['clients.list', 'status.get']],
    [{ type: 'sessions.changed' }, ['clients.list', 'status.get']],
    [{ type: 'consents.changed' }, ['consents.list', 'status.get']],
    [{ type: 'approvals.changed' }, ['approvals.list', 'status.get']],
    [{ type: 'registrations.changed' }, ['registrations.list', 'status.get']],
    [{ type: 'settings.changed' }, ['settings.get', 'status.get', 'clients.list']],
    [
      { type: 'connectors.changed', name: 'github' },
      // A rule naming it may match something now, or nothing any more.
      ['connectors.list', 'tools.list', 'tools.heldItems', 'rules.problems', 'status.get'],
    ],
    [
      { type: 'tools.changed', connector: 'github' },
      ['tools.list', 'tools.heldItems', 'rules.problems', 'connectors.list'],
    ],
    [{ type: 'client.used', clientId: 'client-claude-code', at: 5 }, []],
    [{ type: 'audit.appended', event: makeAuditEvent() }, []],
  ])('%o refetches %o', async (event, expected) => {
    const { fake } = await routed();
    fake.emit(event);
    await settle();
    expect(fake.calls.map((call) => call.name).sort()).toEqual([...expected].sort());
  });

  it('client.used moves the client’s last use forward without a fetch', async () => {
    const { fake, stores } = await routed();
    fake.emit({ type: 'client.used', clientId: 'client-claude-code', at: 1234 });
    expect(stores.clients.getState().clients[0]?.lastUsedAt).toBe(1234);
    fake.emit({ type: 'client.used', clientId: 'client-claude-code', at: 1000 });
    expect(stores.clients.getState().clients[0]?.lastUsedAt).toBe(1234);
  });

  it('a burst of events fetches at most twice', async () => {
    const { fake } = await routed();
    for (let i = 0; i < 10; i++) fake.emit({ type: 'approvals.changed' });
    await settle();
    await settle();
    expect(fake.callsTo('approvals.list').length).toBeLessThanOrEqual(2);
    expect(fake.callsTo('approvals.list').length).toBeGreaterThanOrEqual(1);
  });

  it('an audited rules change refetches the rules (rules have no event of their own)', async () => {
    const { fake } = await routed();
    fake.emit({ type: 'audit.appended', event: makeAuditEvent({ type: 'rules.changed', decision: 'info' }) });
    await settle();
    expect(fake.calls.map((call) => call.name).sort()).toEqual(['rules.list', 'rules.problems']);
  });

  it.each<[EngineEvent, boolean]>([
    [{ type: 'clients.changed' }, true],
    [{ type: 'connectors.changed', name: 'github' }, true],
    [{ type: 'sessions.changed' }, true],
    [{ type: 'tools.changed', connector: 'github' }, false],
  ])('once its page loaded it, client setup is asked again on %o: %s', async (event, asked) => {
    const { fake, stores } = await routed();
    fake.emit(event);
    await settle();
    // Not before: detection reads the clients' files, and only that page needs it.
    expect(fake.callsTo('setup.clients')).toEqual([]);
    await stores.clientSetup.getState().refresh();
    fake.calls.length = 0;
    fake.emit(event);
    await settle();
    expect(fake.callsTo('setup.clients')).toEqual(asked ? [{}] : []);
  });

  it('unsubscribes', async () => {
    const { fake, unsubscribe } = await routed();
    expect(fake.listenerCount).toBe(1);
    unsubscribe();
    expect(fake.listenerCount).toBe(0);
  });
});
