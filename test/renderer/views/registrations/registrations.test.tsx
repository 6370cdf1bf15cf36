// Pending registrations (registration policy Ask): who waits to register, allowed or refused in a click.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeRegistration } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('Pending registrations', () => {
  it('allows and refuses', async () => {
    const fake = new FakeGatehouse({
      settings: { ...new FakeGatehouse().state.settings, registrationPolicy: 'ask' },
      registrations: [makeRegistration(), makeRegistration({ id: 'registration-2', clientName: 'Zed' })],
    });
    const { user } = await renderApp(fake, '#/registrations');
    const windsurf = screen.getByText('Windsurf').closest('li')!;
    expect(within(windsurf as HTMLElement).getByText(/http:\/\/127\.0\.0\.1:51234\/callback/)).toBeTruthy();
    await user.click(within(windsurf as HTMLElement).getByRole('button', { name: 'Allow' }));
    expect(fake.callsTo('registrations.approve')).toEqual([{ id: 'registration-1' }]);
    const zed = (await screen.findByText('Zed')).closest('li')!;
    await user.click(within(zed as HTMLElement).getByRole('button', { name: 'Refuse' }));
    expect(fake.callsTo('registrations.deny')).toEqual([{ id: 'registration-2' }]);
    expect(await screen.findByText('No client is waiting to register')).toBeTruthy();
    expect(screen.getByText(/must be allowed here before they can ask for consent/)).toBeTruthy();
  });
});
