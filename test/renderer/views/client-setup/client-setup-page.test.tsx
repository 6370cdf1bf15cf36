// Connect a client, the page: reached from the navigation and the overview; each client's card says
// whether it is detected, configured and connected, with its config files; a page that cannot load
// says why; a client connected only by a recent request stops showing as connected on its own clock,
// and the page asks again when clients or connectors change.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { card, configFiles, DESKTOP_FILE, openPage } from '../../../support/renderer/client-setup-page.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeSetupClient, NOW } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('Connect a client', () => {
  it('is in the left navigation, and the overview links to it', async () => {
    const fake = new FakeGatehouse();
    await renderApp(fake, '#/overview');
    const nav = within(screen.getByRole('navigation', { name: 'Gatehouse' }));
    expect(nav.getByRole('link', { name: 'Connect a client' }).getAttribute('href')).toBe('#/client-setup');
    expect(screen.getByRole('heading', { name: 'Connect a client' })).toBeTruthy();
    expect(
      screen
        .getByRole('link', { name: 'Set up Claude Desktop, Claude Code, VS Code or Cursor in one click' })
        .getAttribute('href'),
    ).toBe('#/client-setup');
    // Detection reads the clients' files: only this page asks for it.
    expect(fake.callsTo('setup.clients')).toEqual([]);
  });

  it('shows per client whether it is detected, configured and connected, with its config file', async () => {
    const fake = new FakeGatehouse({
      setupClients: [
        makeSetupClient('claude-desktop', {
          configured: true,
          connected: true,
          locations: [
            {
              scope: 'user',
              path: DESKTOP_FILE,
              projectDir: null,
              exists: true,
              gatehouse: 'this',
              problem: null,
            },
          ],
          registeredClients: [
            { clientId: 'c1', name: 'Claude', lastUsedAt: NOW, live: true, liveUntil: null },
          ],
        }),
        makeSetupClient('claude-code'),
        makeSetupClient('vscode', {
          installed: false,
          locations: [
            {
              scope: 'user',
              path: '/home/me/.config/Code/User/mcp.json',
              projectDir: null,
              exists: false,
              gatehouse: 'none',
              problem: null,
            },
          ],
        }),
        makeSetupClient('cursor', {
          locations: [
            {
              scope: 'user',
              path: '/home/me/.cursor/mcp.json',
              projectDir: null,
              exists: true,
              gatehouse: 'other',
              problem: null,
            },
          ],
        }),
      ],
    });
    await openPage(fake);
    expect(screen.getByRole('heading', { level: 1, name: 'Connect a client' })).toBeTruthy();

    const desktop = card('Claude Desktop');
    expect(desktop.getByText('Detected')).toBeTruthy();
    expect(desktop.getByText('Configured')).toBeTruthy();
    expect(desktop.getByText('Connected')).toBeTruthy();
    expect(configFiles('Claude Desktop').getByText(DESKTOP_FILE)).toBeTruthy();
    expect(configFiles('Claude Desktop').getByText('Has the Gatehouse entry')).toBeTruthy();
    expect(desktop.getByText(/^Connected now, as Claude; last request/)).toBeTruthy();
    expect(desktop.getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(desktop.queryByRole('button', { name: 'Connect' })).toBeNull();
    // Claude Desktop has no per-project file, and no `claude mcp add`.
    expect(desktop.queryByRole('button', { name: 'Add to a project…' })).toBeNull();
    expect(desktop.queryByText(/claude mcp add/)).toBeNull();

    const code = card('Claude Code');
    expect(code.getByText('Detected')).toBeTruthy();
    expect(code.getByText('Not configured')).toBeTruthy();
    expect(code.getByText('Not connected')).toBeTruthy();
    expect(configFiles('Claude Code').getByText('/home/me/.claude.json')).toBeTruthy();
    expect(code.getByRole('button', { name: 'Connect' })).toBeTruthy();
    expect(code.getByRole('button', { name: 'Add to a project…' })).toBeTruthy();
    expect(
      code.getByText(
        'claude mcp add --transport http --scope user gatehouse http://127.0.0.1:4640/mcp --header "X-Gatehouse-Client: claude-code"',
      ),
    ).toBeTruthy();
    expect(code.getByRole('button', { name: 'Copy command' })).toBeTruthy();

    const vscode = card('VS Code');
    expect(vscode.getByText('Not detected')).toBeTruthy();
    expect(vscode.getByText('Does not exist yet')).toBeTruthy();
    expect(vscode.getByText(/Not found on this computer/)).toBeTruthy();

    expect(card('Cursor').getByText('Points at another Gatehouse')).toBeTruthy();
    expect(fake.callsTo('setup.clients')).toEqual([{}]);
  });

  it('a page that cannot load says why and offers Retry', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['setup.clients'] = () => {
      throw new GatehouseError('internal', 'Could not read /home/me/.claude.json: permission denied.');
    };
    const { user } = await renderApp(fake, '#/client-setup');
    const alert = await screen.findByRole('alert');
    expect(
      within(alert).getByText(
        'Could not load this page: Could not read /home/me/.claude.json: permission denied.',
      ),
    ).toBeTruthy();
    delete fake.overrides['setup.clients'];
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('article', { name: 'Claude Code' })).toBeTruthy();
  });

  it('never says "Not detected" or "Not configured" beside "Connected", and says what is true', async () => {
    const connected = {
      installed: false,
      configured: false,
      connected: true,
      registeredClients: [{ clientId: 'c9', name: 'Cursor', lastUsedAt: NOW, live: true, liveUntil: null }],
    };
    const fake = new FakeGatehouse({
      setupClients: [
        // Gatehouse wrote its entry, since taken out: the app keeps it until it restarts.
        makeSetupClient('cursor', { ...connected, entryRemoved: true }),
        // Never written by Gatehouse (its file does not exist): not "removed".
        makeSetupClient('vscode', {
          ...connected,
          registeredClients: [{ ...connected.registeredClients[0]!, name: 'Code' }],
          locations: [{ ...makeSetupClient('vscode').locations[0]!, exists: false }],
        }),
      ],
    });
    await renderApp(fake, '#/client-setup');
    await screen.findByRole('article', { name: 'Cursor' });
    const cursor = card('Cursor');
    expect(cursor.getByText('Connected')).toBeTruthy();
    expect(cursor.getByText('Entry removed: connected until it restarts')).toBeTruthy();
    expect(cursor.queryByText('Not detected')).toBeNull();
    expect(cursor.queryByText('Not configured')).toBeNull();
    const vscode = card('VS Code');
    expect(vscode.getByText('Connected, not through an entry Gatehouse wrote')).toBeTruthy();
    expect(vscode.getByText('Does not exist yet')).toBeTruthy();
    expect(vscode.queryByText(/Entry removed/)).toBeNull();
  });

  it('a client connected only by a recent request stops showing as connected at its liveUntil', async () => {
    const now = Date.now();
    const fake = new FakeGatehouse({
      setupClients: [
        makeSetupClient('claude-desktop'),
        makeSetupClient('vscode', {
          configured: true,
          connected: true,
          registeredClients: [
            {
              clientId: 'c9',
              name: 'Visual Studio Code',
              lastUsedAt: now - 6 * 60_000,
              live: true,
              liveUntil: now - 60_000,
            },
          ],
        }),
      ],
    });
    await openPage(fake);
    const vscode = card('VS Code');
    expect(vscode.getByText('Not connected now')).toBeTruthy();
    expect(vscode.queryByText('Connected', { exact: true })).toBeNull();
    expect(
      vscode.getByText(/^Has access through this entry, as Visual Studio Code; last request 6 min ago\./),
    ).toBeTruthy();
  });

  it('asks again when a client registers or an import adds connectors', async () => {
    const fake = new FakeGatehouse();
    await openPage(fake);
    const through = (live: boolean) =>
      fake.state.setupClients.map((client) =>
        client.client === 'claude-code'
          ? {
              ...client,
              configured: true,
              connected: live,
              registeredClients: [
                { clientId: 'c2', name: 'Claude Code', lastUsedAt: null, live, liveUntil: null },
              ],
            }
          : client,
      );
    fake.state.setupClients = through(true);
    fake.emit({ type: 'clients.changed' });
    expect(await card('Claude Code').findByText('Connected')).toBeTruthy();
    expect(card('Claude Code').getByText('Connected now, as Claude Code; no request yet.')).toBeTruthy();
    // Still holds a grant through the entry, but nothing is open now.
    fake.state.setupClients = through(false);
    fake.emit({ type: 'clients.changed' });
    expect(await card('Claude Code').findByText('Not connected now')).toBeTruthy();
    expect(
      card('Claude Code').getByText(
        'Has access through this entry, as Claude Code; no request yet. Not connected right now: start Claude Code to use Gatehouse.',
      ),
    ).toBeTruthy();
    const before = fake.callsTo('setup.clients').length;
    fake.emit({ type: 'connectors.changed', name: 'github' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.callsTo('setup.clients').length).toBe(before + 1);
  });
});
