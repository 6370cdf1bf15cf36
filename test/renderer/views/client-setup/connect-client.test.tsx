// Connect a client, writing the entry: Connect and Undo for the user's file, Add to a project… for a
// project's, each showing the file written and its backup; an Undo the engine refuses says why.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { card, DESKTOP_FILE, openPage } from '../../../support/renderer/client-setup-page.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { wholeText } from '../../../support/renderer/render-app.js';

describe('Connect a client', () => {
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
    // The file is back as it was: no backup, and the card does not claim there was no file.
    expect(
      undone.getByText('none needed: the file is back as it was before Gatehouse changed it'),
    ).toBeTruthy();
    expect(undone.queryByText('none: there was no file before')).toBeNull();
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
});
