// The consent dialog: opens by itself when a consent arrives, shows who asks and the match code,
// grants read-only by default, and sends exactly what the user chose.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeConnector, makeConsent } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

const twoConnectors = [makeConnector({ name: 'filesystem' }), makeConnector({ name: 'github' })];

async function consentArrives(fake: FakeGatehouse) {
  act(() => {
    fake.state.consents = [makeConsent()];
    fake.emit({ type: 'consents.changed' });
  });
  return screen.findByRole('dialog', { name: 'Cursor asks for access' });
}

describe('ConsentDialog', () => {
  it('opens on consents.changed, on any page, with the match code and who asks', async () => {
    const fake = new FakeGatehouse({ connectors: twoConnectors });
    await renderApp(fake, '#/tools');
    expect(screen.queryByRole('dialog')).toBeNull();
    const dialog = await consentArrives(fake);
    expect(within(dialog).getByText('K7Q-4PX')).toBeTruthy();
    expect(within(dialog).getByText('Approve only if the browser shows the same code.')).toBeTruthy();
    expect(within(dialog).getByText('127.0.0.1')).toBeTruthy();
    expect(within(dialog).getByText('Dynamic registration')).toBeTruthy();
    // Read-only is the default, whatever the client asked for.
    expect((within(dialog).getByRole('radio', { name: /^Read-only/ }) as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it('with no connector yet, says the client will see no tools and offers no empty choice', async () => {
    const fake = new FakeGatehouse({ connectors: [] });
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    expect(
      within(dialog).getByText(
        'There are no connectors yet, so Cursor will see no tools until you add one. If you approve, it gets each connector you add later, with the access you choose below.',
      ),
    ).toBeTruthy();
    expect(within(dialog).queryByRole('radio', { name: 'Only the ones I choose' })).toBeNull();
    expect(within(dialog).queryByRole('radio', { name: /^All connectors/ })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(fake.callsTo('consents.approve')).toEqual([
      { id: 'consent-1', access: 'read', connectors: '*', expiresInSeconds: null },
    ]);
  });

  it('approves read-only for chosen connectors', async () => {
    const fake = new FakeGatehouse({ connectors: twoConnectors });
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('radio', { name: 'Only the ones I choose' }));
    const approve = within(dialog).getByRole('button', { name: 'Approve' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'github' }));
    await user.click(approve);
    expect(fake.callsTo('consents.approve')).toEqual([
      { id: 'consent-1', access: 'read', connectors: ['github'], expiresInSeconds: null },
    ]);
    expect(await screen.findByText('Approved Cursor: read-only')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says when the access ceiling caps the choice, and raises the ceiling right there', async () => {
    const fake = new FakeGatehouse({ connectors: twoConnectors });
    fake.state.settings = { ...fake.state.settings, accessCeiling: 'read' };
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    expect(within(dialog).queryByRole('note')).toBeNull();
    await user.click(within(dialog).getByRole('radio', { name: /^Read & write/ }));
    const note = within(dialog).getByRole('note');
    expect(note.textContent).toContain(
      'The access ceiling is Read-only, so this client will only get read-only access.',
    );
    await user.click(within(note).getByRole('button', { name: 'Raise the ceiling to Read & write' }));
    expect(fake.callsTo('settings.set')).toEqual([{ accessCeiling: 'write' }]);
    await act(async () => {
      fake.emit({ type: 'settings.changed' });
    });
    expect(within(dialog).queryByRole('note')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved Cursor: read & write')).toBeTruthy();
  });

  it('tells in the toast what the client really got when the ceiling caps it', async () => {
    const fake = new FakeGatehouse({ connectors: twoConnectors });
    fake.state.settings = { ...fake.state.settings, accessCeiling: 'read' };
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('radio', { name: /^Read & write/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await screen.findByText('Approved Cursor: read-only for now — the access ceiling caps it'),
    ).toBeTruthy();
  });

  it('approves read & write for all connectors with an expiry', async () => {
    const fake = new FakeGatehouse({ connectors: twoConnectors });
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('radio', { name: /^Read & write/ }));
    await user.selectOptions(within(dialog).getByLabelText('Access expires'), 'After 7 days');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(fake.callsTo('consents.approve')).toEqual([
      { id: 'consent-1', access: 'write', connectors: '*', expiresInSeconds: 604_800 },
    ]);
  });

  it('denies', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(fake.callsTo('consents.deny')).toEqual([{ id: 'consent-1' }]);
    expect(fake.callsTo('consents.approve')).toEqual([]);
    expect(await screen.findByText('Denied Cursor')).toBeTruthy();
  });

  it('Later leaves the request waiting; Review on Consent requests opens it again', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/consents');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.state.consents).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Review' }));
    expect(screen.getByRole('dialog', { name: 'Cursor asks for access' })).toBeTruthy();
  });

  it('#/consents/<id> (how the desktop app opens a decision window) opens that request', async () => {
    const fake = new FakeGatehouse({
      consents: [
        makeConsent(),
        makeConsent({ id: 'consent-2', clientName: 'Zed', createdAt: Date.now() + 1 }),
      ],
    });
    await renderApp(fake, '#/consents/consent-2');
    expect(await screen.findByRole('dialog', { name: 'Zed asks for access' })).toBeTruthy();
  });

  it('shows the engine’s refusal in the dialog (e.g. the request expired)', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['consents.approve'] = () => {
      throw new GatehouseError('not_found', 'This consent request has expired; the client must start again.');
    };
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await consentArrives(fake);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await within(dialog).findByText('This consent request has expired; the client must start again.'),
    ).toBeTruthy();
  });

  it('denies every request of a flooding client in one click, leaving another client’s request', async () => {
    const flood = [1, 2, 3].map((n) =>
      makeConsent({
        id: `flood-${n}`,
        clientId: 'client-flood',
        clientName: 'Flood',
        createdAt: Date.now() + n,
      }),
    );
    const fake = new FakeGatehouse({ consents: [makeConsent(), ...flood] });
    const { user } = await renderApp(fake, '#/consents');
    await user.click(await screen.findByRole('button', { name: 'Deny all 3 from Flood' }));
    expect(fake.callsTo('consents.denyAll')).toEqual([{ clientId: 'client-flood' }]);
    expect(await screen.findByText('Denied 3 requests from Flood')).toBeTruthy();
    expect(fake.state.consents.map((consent) => consent.id)).toEqual(['consent-1']);
    // One request left: no bulk buttons.
    expect(screen.queryByRole('button', { name: /^Deny all/ })).toBeNull();
  });

  it('denies every waiting request with Deny all', async () => {
    const fake = new FakeGatehouse({
      consents: [makeConsent(), makeConsent({ id: 'consent-2', clientId: 'client-zed', clientName: 'Zed' })],
    });
    const { user } = await renderApp(fake, '#/consents');
    await user.click(await screen.findByRole('button', { name: 'Deny all (2)' }));
    expect(fake.callsTo('consents.denyAll')).toEqual([{}]);
    expect(await screen.findByText('Denied 2 requests')).toBeTruthy();
    expect(fake.state.consents).toEqual([]);
  });
});
