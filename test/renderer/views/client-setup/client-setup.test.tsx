// Connect a client: each client's card says whether it is detected, configured and connected; Connect,
// Add to a project…, Undo and Import servers… send what the engine expects and show what it did; the
// engine's errors (a malformed config file, with its line and column) are shown as it wrote them.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import {
  makeConnector,
  makeImportableServer,
  makeSetupClient,
  NOW,
} from '../../../support/renderer/fake-views.js';
import { renderApp, wholeText } from '../../../support/renderer/render-app.js';

const DESKTOP_FILE = '/home/me/.config/Claude/claude_desktop_config.json';
const MALFORMED = `${DESKTOP_FILE} is not valid JSON: a comma is missing at line 3, column 5. Fix the file (or move it away), then try again; Gatehouse changed nothing.`;

const card = (name: string) => within(screen.getByRole('article', { name }));
const configFiles = (name: string) => within(screen.getByRole('list', { name: `${name} config files` }));

/** The table row whose header cell is `name`. */
function row(container: ReturnType<typeof within>, name: string) {
  const header = container.getByRole('rowheader', { name });
  return within(header.closest('tr') as HTMLElement);
}

async function openPage(fake: FakeGatehouse) {
  const rendered = await renderApp(fake, '#/client-setup');
  await screen.findByRole('article', { name: 'Claude Desktop' });
  return rendered;
}

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

  it('Connect writes the entry for the user and shows the file written and its backup', async () => {
    const fake = new FakeGatehouse();
    const { user } = await openPage(fake);
    await user.click(card('Claude Desktop').getByRole('button', { name: 'Connect' }));
    expect(fake.callsTo('setup.connect')).toEqual([{ client: 'claude-desktop', scope: 'user' }]);
    const desktop = card('Claude Desktop');
    const result = desktop.getByRole('status');
    expect(
      within(result).getByText(
        wholeText(/^Connected\. Quit and reopen Claude Desktop to use it\. When it first connects/),
      ),
    ).toBeTruthy();
    expect(within(result).getByText(DESKTOP_FILE)).toBeTruthy();
    expect(
      within(result).getByText(`${DESKTOP_FILE}.gatehouse-backup-2026-01-15T12-00-00-000Z`),
    ).toBeTruthy();
    // The page asked again, and the card now says so.
    expect(await desktop.findByText('Configured')).toBeTruthy();
    expect(desktop.getByText('Not connected yet')).toBeTruthy();
    expect(desktop.getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(screen.getByText('Connected Claude Desktop to Gatehouse')).toBeTruthy();
  });

  it('Undo takes the entry out again', async () => {
    const fake = new FakeGatehouse();
    const { user } = await openPage(fake);
    await user.click(card('Cursor').getByRole('button', { name: 'Connect' }));
    await user.click(await card('Cursor').findByRole('button', { name: 'Undo' }));
    expect(fake.callsTo('setup.disconnect')).toEqual([{ client: 'cursor', scope: 'user' }]);
    const undone = within(await card('Cursor').findByRole('status'));
    expect(undone.getByText('Undone: removed gatehouse.')).toBeTruthy();
    expect(undone.getByText('/home/me/.cursor/mcp.json')).toBeTruthy();
    expect(await card('Cursor').findByRole('button', { name: 'Connect' })).toBeTruthy();
  });

  it('an Undo the engine refuses says why, and leaves the card as it was', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['setup.disconnect'] = () => {
      throw new GatehouseError('internal', 'Could not read /home/me/.cursor/mcp.json: permission denied.');
    };
    const { user } = await openPage(fake);
    await user.click(card('Cursor').getByRole('button', { name: 'Connect' }));
    await user.click(await card('Cursor').findByRole('button', { name: 'Undo' }));
    const alert = within(card('Cursor').getByRole('alert'));
    expect(alert.getByText('Undo failed.')).toBeTruthy();
    expect(alert.getByText('Could not read /home/me/.cursor/mcp.json: permission denied.')).toBeTruthy();
    expect(card('Cursor').getByText('Configured')).toBeTruthy();
  });

  it('Add to a project… wants an absolute folder, then writes the project’s file', async () => {
    const fake = new FakeGatehouse();
    const { user } = await openPage(fake);
    await user.click(card('VS Code').getByRole('button', { name: 'Add to a project…' }));
    const form = within(screen.getByRole('form', { name: 'Add VS Code to a project' }));
    const folder = form.getByLabelText('Project folder');
    expect(form.getByText('.vscode/mcp.json')).toBeTruthy();

    await user.click(form.getByRole('button', { name: 'Add to project' }));
    expect(form.getByText("Type the project folder's full path, like /home/me/code/app.")).toBeTruthy();
    await user.type(folder, 'code/app');
    await user.click(form.getByRole('button', { name: 'Add to project' }));
    expect(
      form.getByText(
        'The project folder must be an absolute path, like /home/me/code/app, not a path relative to somewhere.',
      ),
    ).toBeTruthy();
    expect(folder.getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('setup.connect')).toEqual([]);

    await user.clear(folder);
    await user.type(folder, '/home/me/code/app');
    await user.click(form.getByRole('button', { name: 'Add to project' }));
    expect(fake.callsTo('setup.connect')).toEqual([
      { client: 'vscode', scope: 'project', projectDir: '/home/me/code/app' },
    ]);
    const vscode = card('VS Code');
    expect(vscode.getByText('/home/me/code/app/.vscode/mcp.json')).toBeTruthy();
    expect(vscode.getByText('none: there was no file before')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Add VS Code to a project' })).toBeNull();

    await user.click(vscode.getByRole('button', { name: 'Undo in this project' }));
    expect(fake.callsTo('setup.disconnect')).toEqual([
      { client: 'vscode', scope: 'project', projectDir: '/home/me/code/app' },
    ]);
  });

  it('Claude Code’s project form offers `claude mcp add --scope project` too', async () => {
    const fake = new FakeGatehouse();
    const { user } = await openPage(fake);
    await user.click(card('Claude Code').getByRole('button', { name: 'Add to a project…' }));
    const form = within(screen.getByRole('form', { name: 'Add Claude Code to a project' }));
    expect(
      form.getByText(
        'claude mcp add --transport http --scope project gatehouse http://127.0.0.1:4640/mcp --header "X-Gatehouse-Client: claude-code"',
      ),
    ).toBeTruthy();
    expect(form.getByText('.mcp.json')).toBeTruthy();
  });

  it('Import servers… lists what the client has, names only, and imports the chosen ones', async () => {
    const fake = new FakeGatehouse({
      connectors: [makeConnector({ name: 'filesystem' })],
      importable: {
        'claude-desktop': {
          servers: [
            makeImportableServer(),
            makeImportableServer({
              name: 'linear',
              key: 'linear',
              transport: 'http',
              command: null,
              args: [],
              env: [],
              url: 'https://mcp.linear.app/mcp',
              headers: ['X-Team'],
              bearer: true,
              connectorName: 'linear',
            }),
            makeImportableServer({
              name: 'filesystem',
              key: 'filesystem',
              args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
              env: [],
              connectorName: 'filesystem',
            }),
            makeImportableServer({
              name: 'notes',
              key: 'notes',
              env: [],
              problem:
                'reads variables from an envFile, which Gatehouse does not; add it with `gatehouse connectors add` and --env-from instead',
              connectorName: 'notes',
            }),
            makeImportableServer({
              name: 'gatehouse',
              key: 'gatehouse',
              command: '/usr/bin/gatehouse',
              args: ['bridge'],
              env: [],
              gatehouse: true,
              connectorName: 'gatehouse',
            }),
          ],
          problems: [],
        },
      },
    });
    const { user } = await openPage(fake);
    await user.click(card('Claude Desktop').getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Claude Desktop' }));
    expect(fake.callsTo('setup.importable')).toEqual([{ client: 'claude-desktop' }]);

    await dialog.findByRole('table', { name: 'Servers in Claude Desktop' });
    const github = row(dialog, 'github');
    expect(github.getByText('npx -y @modelcontextprotocol/server-github')).toBeTruthy();
    expect(github.getByText(wholeText(/^Environment: GITHUB_PERSONAL_ACCESS_TOKEN$/))).toBeTruthy();
    const linear = row(dialog, 'linear');
    expect(linear.getByText('https://mcp.linear.app/mcp')).toBeTruthy();
    expect(linear.getByText(wholeText(/^Headers: X-Team$/))).toBeTruthy();
    expect(linear.getByText('Bearer token')).toBeTruthy();
    const notes = row(dialog, 'notes');
    expect(notes.getByText(/^Cannot import: reads variables from an envFile/)).toBeTruthy();
    expect((dialog.getByRole('checkbox', { name: 'Import notes' }) as HTMLInputElement).disabled).toBe(true);
    expect((dialog.getByRole('checkbox', { name: 'Import gatehouse' }) as HTMLInputElement).disabled).toBe(
      true,
    );
    expect(dialog.getByText('This is the entry for Gatehouse itself.')).toBeTruthy();

    // Everything importable starts chosen; leave linear out, and replace them in the client.
    expect(dialog.getByRole('button', { name: 'Import 3 servers' })).toBeTruthy();
    await user.click(dialog.getByRole('checkbox', { name: 'Import linear' }));
    await user.click(dialog.getByRole('checkbox', { name: 'Replace them in Claude Desktop with Gatehouse' }));
    await user.click(dialog.getByRole('button', { name: 'Import 2 servers' }));
    expect(fake.callsTo('setup.import')).toEqual([
      { client: 'claude-desktop', servers: ['github', 'filesystem'], replace: true },
    ]);

    expect(
      await dialog.findByText(
        'Imported 1 server, skipped 1. 1 secret value now stored encrypted by Gatehouse.',
      ),
    ).toBeTruthy();
    const imported = row(dialog, 'github');
    expect(imported.getByText('Imported')).toBeTruthy();
    expect(imported.getByText(wholeText(/^as github: added; connected with 3 tools$/))).toBeTruthy();
    const skipped = row(dialog, 'filesystem');
    expect(skipped.getByText('Skipped')).toBeTruthy();
    expect(skipped.getByText('A connector named filesystem already exists.')).toBeTruthy();
    expect(dialog.getByText(`${DESKTOP_FILE}.gatehouse-backup-2026-01-15T12-00-00-000Z`)).toBeTruthy();
    expect(dialog.getByRole('link', { name: 'Open Connectors' }).getAttribute('href')).toBe('#/connectors');

    await user.click(dialog.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    // Replacing put the Gatehouse entry in the client's file.
    expect(await card('Claude Desktop').findByText('Configured')).toBeTruthy();
  });

  it('an empty client says there is nothing to import', async () => {
    const fake = new FakeGatehouse();
    const { user } = await openPage(fake);
    await user.click(card('Cursor').getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Cursor' }));
    expect(await dialog.findByText("No MCP servers in Cursor's configuration")).toBeTruthy();
    expect(dialog.queryByRole('button', { name: /^Import / })).toBeNull();
  });

  it('a malformed config file shows the engine’s sentence, with the file and position', async () => {
    const fake = new FakeGatehouse({
      setupClients: [
        makeSetupClient('claude-desktop', {
          locations: [
            {
              scope: 'user',
              path: DESKTOP_FILE,
              projectDir: null,
              exists: true,
              gatehouse: 'none',
              problem: MALFORMED,
            },
          ],
        }),
      ],
      importable: {
        'claude-desktop': { servers: [], problems: [{ path: DESKTOP_FILE, message: MALFORMED }] },
      },
    });
    const { user } = await openPage(fake);
    const desktop = card('Claude Desktop');
    expect(desktop.getByText('Unreadable')).toBeTruthy();
    expect(configFiles('Claude Desktop').getByText(MALFORMED)).toBeTruthy();

    await user.click(desktop.getByRole('button', { name: 'Connect' }));
    expect(fake.callsTo('setup.connect')).toEqual([{ client: 'claude-desktop', scope: 'user' }]);
    expect(within(desktop.getByRole('alert')).getByText('Connect failed.')).toBeTruthy();
    expect(within(desktop.getByRole('alert')).getByText(MALFORMED)).toBeTruthy();

    await user.click(desktop.getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Claude Desktop' }));
    expect(within(await dialog.findByRole('alert')).getByText(MALFORMED)).toBeTruthy();
  });

  it('a failed import shows the engine’s reason in the dialog', async () => {
    const fake = new FakeGatehouse({
      importable: {
        cursor: { servers: [makeImportableServer({ path: '/home/me/.cursor/mcp.json' })], problems: [] },
      },
    });
    fake.overrides['setup.import'] = () => {
      throw new GatehouseError('conflict', 'Cursor has no server named github');
    };
    const { user } = await openPage(fake);
    await user.click(card('Cursor').getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Cursor' }));
    await user.click(await dialog.findByRole('button', { name: 'Import 1 server' }));
    expect(within(dialog.getByRole('alert')).getByText('Cursor has no server named github')).toBeTruthy();
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
