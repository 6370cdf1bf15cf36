// A consent from a client the user just revoked says so, and several of its requests are denied at
// once; a consent from Gatehouse's bridge says where its match code is (no browser shows one);
// a revoke can also refuse the client's requests for an hour.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { clockTime } from '@core/text.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeClient, makeConsent } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('consent from a revoked client', () => {
  it('says when the user revoked it, and Deny all answers every request of that client', async () => {
    const revokedAt = Date.now() - 60_000;
    const fake = new FakeGatehouse({
      consents: [
        makeConsent({ id: 'c1', clientId: 'mcp-remote', clientName: 'mcp-remote', revokedAt, createdAt: 1 }),
        makeConsent({ id: 'c2', clientId: 'mcp-remote', clientName: 'mcp-remote', revokedAt, createdAt: 2 }),
        makeConsent({ id: 'c3', clientId: 'other', clientName: 'Cursor', createdAt: 3 }),
      ],
    });
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await screen.findByRole('dialog', { name: 'mcp-remote asks for access' });
    expect(
      within(dialog).getByText(
        `You revoked mcp-remote at ${clockTime(revokedAt)}. It asks again; deny it if you did not start this yourself.`,
      ),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Deny all 2 from this client' }));
    expect(fake.callsTo('consents.deny')).toEqual([{ id: 'c1' }, { id: 'c2' }]);
    expect(await screen.findByText('Denied 2 requests from mcp-remote')).toBeTruthy();
    // The other client's request comes next, unmarked and with no Deny all.
    const next = await screen.findByRole('dialog', { name: 'Cursor asks for access' });
    expect(within(next).queryByText(/You revoked/)).toBeNull();
    expect(within(next).queryByRole('button', { name: /^Deny all/ })).toBeNull();
  });

  it('a bridge client’s consent says the code is in its app’s MCP log, not a browser', async () => {
    const fake = new FakeGatehouse({
      consents: [makeConsent({ clientName: 'Claude Desktop', viaBridge: true })],
    });
    await renderApp(fake, '#/overview');
    const dialog = await screen.findByRole('dialog', { name: 'Claude Desktop asks for access' });
    expect(within(dialog).queryByText('Approve only if the browser shows the same code.')).toBeNull();
    expect(
      within(dialog).getByText(
        /^Claude Desktop connects through gatehouse bridge, so no browser shows a code: its app's MCP log does \(for Claude Desktop: .*mcp-server-gatehouse\.log\)\. Approve only if that log shows the same code\.$/,
      ),
    ).toBeTruthy();
  });
});

describe('revoke and refuse', () => {
  it('revokes and refuses the client’s requests for an hour from its details', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    const button = await screen.findByRole('button', {
      name: /^Revoke and refuse for 1 hour: .+$/,
    });
    await user.click(button);
    expect(fake.callsTo('clients.revoke')).toEqual([
      { clientId: makeClient().clientId, refuseForSeconds: 3600 },
    ]);
    expect(await screen.findByText(/; its requests are refused for 1 hour$/)).toBeTruthy();
  });
});
