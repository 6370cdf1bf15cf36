// Clients: the table, one-click revoke with its toast, details with recent activity, forget with a
// confirmation, manual registration showing the secret once, and "last used" kept live.
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { readOnlyGrantText, revokeMarkText, sentenceTime } from '@core/text.js';
import { makeAuditEvent, makeClient, makeConnector, NOW } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('Clients', () => {
  it('shows each client with its registration, redirect host, access, tokens and sessions', async () => {
    const fake = new FakeGatehouse({
      clients: [
        makeClient({
          grants: [
            {
              grantId: 'g',
              connectors: ['github', 'filesystem'],
              access: 'write',
              scopes: [],
              resource: 'r',
              connectorPath: false,
              writable: true,
              createdAt: 0,
              expiresAt: null,
            },
          ],
          effectiveAccess: 'write',
          redirectHosts: ['localhost'],
        }),
      ],
    });
    await renderApp(fake, '#/clients');
    const row = screen.getByRole('row', { name: /Claude Code/ });
    const cells = within(row);
    expect(cells.getByText('DCR')).toBeTruthy();
    expect(cells.getByText('localhost')).toBeTruthy();
    // The connectors and their access, once (no separate access badge).
    expect(cells.getByText('github, filesystem · Read & write')).toBeTruthy();
    expect(cells.queryByText('Read & write')).toBeNull();
    expect(cells.getByText('Never')).toBeTruthy();
    expect(cells.getByText('3')).toBeTruthy();
    expect(cells.getByText('1')).toBeTruthy();
  });

  it('shows a read & write grant capped by a read-only ceiling at the level it works at now', async () => {
    const grant = {
      grantId: 'g',
      connectors: '*' as const,
      access: 'write' as const,
      scopes: [],
      resource: 'r',
      connectorPath: false,
      writable: true,
      createdAt: 0,
      expiresAt: null,
    };
    const fake = new FakeGatehouse({ clients: [makeClient({ grants: [grant], effectiveAccess: 'read' })] });
    const { user } = await renderApp(fake, '#/clients');
    const row = screen.getByRole('row', { name: /Claude Code/ });
    const capped = 'All connectors · Read-only (granted Read & write; the access ceiling is read-only)';
    expect(within(row).getByText(capped)).toBeTruthy();
    await user.click(within(row).getByRole('button', { name: 'Claude Code' }));
    const details = screen.getByRole('region', { name: 'Claude Code' });
    expect(
      within(details).getByText(
        /^All connectors · Read-only \(granted Read & write; the access ceiling is read-only\) · granted/,
      ),
    ).toBeTruthy();
  });

  it('Revoke calls clients.revoke in one click and says what it did', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Revoke Claude Code' }));
    expect(fake.callsTo('clients.revoke')).toEqual([{ clientId: 'client-claude-code' }]);
    expect(await screen.findByText('Revoked Claude Code: 3 tokens revoked, 1 session closed')).toBeTruthy();
    // The clients.changed event refetched the list: no tokens left, and nothing more to revoke.
    const row = await screen.findByRole('row', { name: /Claude Code/ });
    expect(within(row).getByText('No access')).toBeTruthy();
    const revoke = within(row).getByRole('button', { name: 'Revoke Claude Code' });
    await waitFor(() => expect(revoke.getAttribute('aria-disabled')).toBe('true'));
    expect(revoke.title).toBe('No access to revoke');
    // The keyboard focus stays on the button (a disabled one would drop it to the page)…
    expect(document.activeElement).toBe(revoke);
    // …and pressing it again does nothing.
    await user.keyboard('{Enter}');
    expect(fake.callsTo('clients.revoke')).toHaveLength(1);
  });

  it('Revoke and refuse marks the client until the refusal ends, and Stop refusing ends it', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    await user.click(screen.getByRole('button', { name: 'Revoke and refuse for 1 hour: Claude Code' }));
    expect(fake.callsTo('clients.revoke')).toEqual([
      { clientId: 'client-claude-code', refuseForSeconds: 3_600 },
    ]);
    const details = screen.getByRole('region', { name: 'Claude Code' });
    const { revoked } = fake.state.clients[0]!;
    const mark = await within(details).findByRole('note');
    // The table says it too.
    expect(
      within(screen.getByRole('row', { name: /Claude Code/ })).getByText(
        `No access · refused until ${sentenceTime(revoked!.refusedUntil!, Date.now())}`,
      ),
    ).toBeTruthy();
    expect(mark.textContent).toContain(revokeMarkText(revoked!, Date.now()));
    expect(mark.textContent).toMatch(/^You revoked it at \d\d:\d\d and refuse its requests until /);
    await user.click(within(mark).getByRole('button', { name: 'Stop refusing' }));
    expect(fake.callsTo('clients.stopRefusing')).toEqual([{ clientId: 'client-claude-code' }]);
    expect(await screen.findByText('Claude Code may ask for access again')).toBeTruthy();
    await waitFor(() => expect(within(details).queryByRole('note')).toBeNull());
  });

  it('Change… edits a grant as the consent dialog chooses one, and says what changed', async () => {
    const write = {
      grantId: 'grant-w',
      connectors: '*' as const,
      access: 'write' as const,
      scopes: ['mcp:read', 'mcp:write'],
      writable: true,
      resource: 'http://127.0.0.1:4640/mcp',
      connectorPath: false,
      createdAt: 0,
      expiresAt: null,
    };
    const fake = new FakeGatehouse({
      clients: [makeClient({ grants: [write], effectiveAccess: 'write' })],
      connectors: [makeConnector(), makeConnector({ name: 'github' })],
    });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    await user.click(screen.getByRole('button', { name: "Change Claude Code's grant" }));
    const dialog = screen.getByRole('dialog', { name: "Change Claude Code's grant" });
    await user.click(within(dialog).getByRole('radio', { name: 'Only the ones I choose' }));
    const save = within(dialog).getByRole('button', { name: 'Save grant' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'filesystem' }));
    await user.click(within(dialog).getByRole('radio', { name: /^Read-only/ }));
    await user.selectOptions(within(dialog).getByLabelText('Access expires'), 'After 1 day');
    await user.click(save);
    expect(fake.callsTo('clients.grant')).toEqual([
      {
        clientId: 'client-claude-code',
        grantId: 'grant-w',
        connectors: ['filesystem'],
        access: 'read',
        expiresInSeconds: 86_400,
      },
    ]);
    expect(
      await screen.findByText(
        `Changed Claude Code's grant: all connectors → filesystem; read & write → read-only; no expiry → until ${sentenceTime(NOW + 86_400_000, Date.now())}`,
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Change… says why read & write cannot be given to a grant approved read-only', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    await user.click(screen.getByRole('button', { name: "Change Claude Code's grant" }));
    const dialog = screen.getByRole('dialog', { name: "Change Claude Code's grant" });
    expect(within(dialog).queryByRole('radio', { name: /^Read & write/ })).toBeNull();
    expect(within(dialog).getByText(readOnlyGrantText('Claude Code'))).toBeTruthy();
    // Kept as it is unless chosen otherwise: only the access is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Save grant' }));
    expect(fake.callsTo('clients.grant')).toEqual([
      { clientId: 'client-claude-code', grantId: 'grant-1', connectors: '*', access: 'read' },
    ]);
  });

  it('a failed revoke shows the engine’s sentence', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    fake.state.clients = [];
    await user.click(screen.getByRole('button', { name: 'Revoke Claude Code' }));
    expect(await screen.findByText('There is no client client-claude-code.')).toBeTruthy();
  });

  it('details show the client’s recent activity (audit.list by clientId), kept live', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient()],
      audit: [
        makeAuditEvent({ reason: 'first call' }),
        makeAuditEvent({ clientId: 'other', reason: 'not theirs' }),
      ],
    });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    expect(await screen.findByText('first call')).toBeTruthy();
    expect(fake.callsTo('audit.list')).toContainEqual({ clientId: 'client-claude-code', limit: 50 });
    expect(screen.queryByText('not theirs')).toBeNull();
    act(() => fake.emit({ type: 'audit.appended', event: makeAuditEvent({ reason: 'second call' }) }));
    expect(await screen.findByText('second call')).toBeTruthy();
    // The decision as Activity shows it, not the raw value.
    const first = screen.getByText('first call').closest('li')!;
    expect(within(first).getByText('Allowed')).toBeTruthy();
    expect(within(first).getByText('Tool call')).toBeTruthy();
    expect(within(first).queryByText('allow')).toBeNull();
    // The list scrolls when long: a keyboard reaches it by its name.
    await user.tab();
    const list = screen.getByRole('list', { name: 'Recent activity' });
    while (document.activeElement !== list && document.activeElement !== document.body) await user.tab();
    expect(document.activeElement).toBe(list);
  });

  it('a failed load of one client’s activity never shows in another client’s details', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient(), makeClient({ clientId: 'client-cursor', name: 'Cursor' })],
    });
    let failLate: (error: Error) => void = () => undefined;
    fake.overrides['audit.list'] = (input: { clientId?: string }) =>
      input.clientId === 'client-claude-code' ? new Promise((_resolve, reject) => (failLate = reject)) : [];
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    await waitFor(() =>
      expect(fake.callsTo('audit.list')).toContainEqual({ clientId: 'client-claude-code', limit: 50 }),
    );
    await user.click(screen.getByRole('button', { name: 'Cursor' }));
    expect(
      await screen.findByText('No activity yet. Its tool calls and sign-ins will show here.'),
    ).toBeTruthy();
    // Claude Code's load fails only now, while Cursor's details are open.
    await act(async () => failLate(new GatehouseError('internal', 'The audit log is busy.')));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(screen.queryByText(/Could not load this client/)).toBeNull();
    expect(screen.getByText('No activity yet. Its tool calls and sign-ins will show here.')).toBeTruthy();
  });

  it('Forget asks first, then calls clients.forget', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Claude Code' }));
    await user.click(screen.getByRole('button', { name: 'Forget…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Forget Claude Code?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('clients.forget')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Forget…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Forget client' }));
    expect(fake.callsTo('clients.forget')).toEqual([{ clientId: 'client-claude-code' }]);
    expect(await screen.findByText('Forgot Claude Code: 3 tokens revoked, 1 session closed')).toBeTruthy();
    expect(await screen.findByText('No clients yet')).toBeTruthy();
  });

  it('registers a client by hand and shows its secret once, with copy buttons', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/clients');
    await user.click(screen.getByRole('button', { name: 'Register a client by hand' }));
    const dialog = screen.getByRole('dialog', { name: 'Register a client by hand' });
    await user.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(within(dialog).getByText('Give the client a name you will recognise.')).toBeTruthy();
    expect(within(dialog).getByText('Add at least one redirect URI, one per line.')).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Name'), 'My agent');
    await user.type(within(dialog).getByLabelText('Redirect URIs (one per line)'), 'not a url');
    await user.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(within(dialog).getByText(/"not a url" is not an absolute URL/)).toBeTruthy();
    expect(fake.callsTo('clients.register')).toEqual([]);
    await user.clear(within(dialog).getByLabelText('Redirect URIs (one per line)'));
    await user.type(
      within(dialog).getByLabelText('Redirect URIs (one per line)'),
      'http://127.0.0.1:9000/cb',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(fake.callsTo('clients.register')).toEqual([
      { name: 'My agent', redirectUris: ['http://127.0.0.1:9000/cb'], confidential: true },
    ]);
    expect(await within(dialog).findByText('secret-shown-once')).toBeTruthy();
    expect(within(dialog).getByText(/shown only now/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Copy secret' }));
    expect(await navigator.clipboard.readText()).toBe('secret-shown-once');
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('secret-shown-once')).toBeNull();
    expect(await screen.findByRole('row', { name: /My agent/ })).toBeTruthy();
  });

  it('"last used" follows client.used events', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    await renderApp(fake, '#/clients');
    const row = screen.getByRole('row', { name: /Claude Code/ });
    expect(within(row).getByText('Never')).toBeTruthy();
    act(() =>
      fake.emit({ type: 'client.used', clientId: 'client-claude-code', at: Date.now() - 5.5 * 60_000 }),
    );
    expect(within(row).getByText('5 min ago')).toBeTruthy();
  });
});
