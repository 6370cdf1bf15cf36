// Connect a client, importing what a client already has: Import servers… lists its servers (names only,
// never secret values) and imports the chosen ones; an empty client, a malformed config file (the
// engine's sentence with line and column) and a failed import are shown as the engine wrote them.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import {
  card,
  configFiles,
  DESKTOP_FILE,
  openPage,
  row,
} from '../../../support/renderer/client-setup-page.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import {
  makeConnector,
  makeImportableServer,
  makeSetupClient,
} from '../../../support/renderer/fake-views.js';
import { wholeText } from '../../../support/renderer/render-app.js';

const MALFORMED = `${DESKTOP_FILE} is not valid JSON: a comma is missing at line 3, column 5. Fix the file (or move it away), then try again; Gatehouse changed nothing.`;

describe('Connect a client', () => {
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
      { client: 'claude-desktop', servers: ['github', 'filesystem'], replace: true, acceptGrants: false },
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

  it('a server that was imported but does not start is not shown as a green success', async () => {
    const fake = new FakeGatehouse({
      importable: { 'claude-desktop': { servers: [makeImportableServer()], problems: [] } },
    });
    fake.overrides['setup.import'] = () => ({
      client: 'claude-desktop',
      outcomes: [
        {
          server: 'github',
          connector: 'github',
          outcome: 'imported',
          detail: 'added, but it does not start yet: spawn npx ENOENT',
          doesNotStart: true,
        },
      ],
      secretsMoved: 0,
      replaced: [],
      message: 'Imported 1 server from Claude Desktop.',
    });
    const { user } = await openPage(fake);
    await user.click(card('Claude Desktop').getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Claude Desktop' }));
    await user.click(await dialog.findByRole('button', { name: 'Import 1 server' }));
    const github = row(dialog, 'github');
    const badge = await github.findByText('Imported, not running');
    expect(badge.className).toContain('warn');
    expect(github.queryByText('Imported')).toBeNull();
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

  it('lists what each server asks its sandbox to grant, and gives it only when the user ticks it', async () => {
    const memory = makeImportableServer({
      name: 'memory',
      key: 'memory',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory', '~/.config/autostart'],
      env: ['MEMORY_FILE_PATH'],
      connectorName: 'memory',
      grants: [
        {
          kind: 'write',
          target: '~/memory.jsonl',
          from: 'environment MEMORY_FILE_PATH',
          warning: null,
          refused: null,
        },
        {
          kind: 'write',
          target: '~/.config/autostart',
          from: 'argument 3',
          warning: 'what is written there runs by itself later (at login, in every shell, or as a service)',
          refused: null,
        },
      ],
    });
    const fake = new FakeGatehouse({
      importable: { 'claude-desktop': { servers: [memory], problems: [] } },
    });
    const { user } = await openPage(fake);
    await user.click(card('Claude Desktop').getByRole('button', { name: 'Import servers…' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Import servers from Claude Desktop' }));
    const asked = within(await dialog.findByRole('note', { name: 'Grants they ask for' }));
    expect(asked.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'memory: may write ~/memory.jsonl (environment MEMORY_FILE_PATH)',
      'memory: may write ~/.config/autostart (argument 3) — careful: what is written there runs by itself later (at login, in every shell, or as a service)',
    ]);
    await user.click(asked.getByRole('checkbox', { name: 'Give them these grants' }));
    await user.click(dialog.getByRole('button', { name: 'Import 1 server' }));
    expect(fake.callsTo('setup.import')).toEqual([
      { client: 'claude-desktop', servers: ['memory'], replace: false, acceptGrants: true },
    ]);
  });
});
