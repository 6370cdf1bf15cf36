// Settings: saving sends only what changed; the engine's validation error shows as it is; pause and
// resume; the rules editor with the engine's errors verbatim, ids made up by the engine, and a rule
// that can never match marked with the name meant.
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { GatehouseError } from '@core/errors.js';
import { RULE_MATCHES_NOTHING } from '@core/text.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeConnector, makeTool } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('Settings', () => {
  it('saves only the changed settings', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    await user.click(screen.getByRole('radio', { name: /^Read-only/ }));
    await user.click(screen.getByRole('radio', { name: /^Ask/ }));
    await user.clear(screen.getByLabelText('Tool calls per minute, per client'));
    await user.type(screen.getByLabelText('Tool calls per minute, per client'), '60');
    await user.click(screen.getByRole('checkbox', { name: 'Start Gatehouse when I log in' }));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(fake.callsTo('settings.set')).toEqual([
      { accessCeiling: 'read', registrationPolicy: 'ask', rateLimitPerMinute: 60, startAtLogin: true },
    ]);
    expect(await screen.findByText('Settings saved')).toBeTruthy();
    // The header follows the new ceiling.
    expect(await within(screen.getByRole('banner')).findByText('Read-only')).toBeTruthy();
  });

  it('changes the catalog registry, refusing one that is not https before sending', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    const field = screen.getByLabelText('Catalog registry');
    await user.clear(field);
    await user.type(field, 'http://registry.example.com');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(
      screen.getByText('The registry URL must use https (plain http only to 127.0.0.1 or localhost).'),
    ).toBeTruthy();
    expect(fake.callsTo('settings.set')).toEqual([]);
    await user.clear(field);
    await user.type(field, 'https://registry.example.com');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(fake.callsTo('settings.set')).toEqual([{ registryUrl: 'https://registry.example.com' }]);
    expect(await screen.findByText('Settings saved')).toBeTruthy();
  });

  it('says which port it serves on, and that the form waits for Save', async () => {
    await renderApp(new FakeGatehouse(), '#/settings');
    expect(screen.getByText('Serving on port 4640 now.')).toBeTruthy();
    expect(screen.getByText('Changes here take effect when you click Save settings.')).toBeTruthy();
    expect(screen.getByText(/^Takes effect at once, no Save needed/)).toBeTruthy();
  });

  it('says how stored secrets are protected: the OS keychain quietly, a key file as a warning', async () => {
    const keychain = await renderApp(new FakeGatehouse(), '#/settings');
    const secrets = screen.getByRole('region', { name: 'Stored secrets' });
    expect(secrets.textContent).toBe('Stored secretsSealed with a key kept in the OS keychain.');
    keychain.unmount();
    await renderApp(new FakeGatehouse({ secretProtection: 'key-file' }), '#/settings');
    const warned = within(screen.getByRole('region', { name: 'Stored secrets' })).getByRole('note');
    expect(warned.textContent).toBe(
      'Sealed with a key file in the data folder, not the OS keychain: anyone who can read that folder can read them. Data folder: /tmp/gatehouse',
    );
    expect(screen.getByText(/^The Gatehouse app uses the OS keychain whenever one answers/)).toBeTruthy();
  });

  it('shows the engine’s validation error verbatim', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    await user.clear(screen.getByLabelText('Port'));
    await user.type(screen.getByLabelText('Port'), '80');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    // The fake parses with the contract, as the engine does.
    expect(await screen.findByText('Port must be 1024–65535.')).toBeTruthy();
    // On the field it is about: marked, described by the sentence, and focused.
    const port = screen.getByLabelText('Port');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(port);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('when started with --port, says the setting applies on a start without --port', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['status.get'] = () => ({
      version: '0.1.0',
      pid: 1,
      mcpUrl: 'http://127.0.0.1:43123/mcp',
      issuer: 'http://127.0.0.1:43123',
      uiUrl: null,
      dataDir: '/tmp/gatehouse',
      paused: false,
      accessCeiling: 'read',
      registrationPolicy: 'open',
      clients: 0,
      connectedClients: 0,
      openSessions: 0,
      pendingConsents: 0,
      pendingRegistrations: 0,
      pendingApprovals: 0,
      connectors: 0,
      connectorsNeedingAction: 0,
      startedAt: 0,
      secretProtection: 'os-keychain',
      portFromCommandLine: true,
    });
    await renderApp(fake, '#/settings');
    expect(
      await screen.findByText(
        'Serving on port 43123 now, as --port asked for this run; the setting applies when Gatehouse starts without --port.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/restart Gatehouse to move/)).toBeNull();
  });

  it('asks before leaving the page with unsaved edits, and stays if told to', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    await user.clear(screen.getByLabelText('Keep activity for (days)'));
    await user.type(screen.getByLabelText('Keep activity for (days)'), '14');
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    try {
      await user.click(screen.getByRole('link', { name: 'Tools' }));
      expect(confirm).toHaveBeenCalledWith(
        'Your changes to the settings are not saved. Leave this page and lose them?',
      );
      expect(window.location.hash).toBe('#/settings');
      expect((screen.getByLabelText('Keep activity for (days)') as HTMLInputElement).value).toBe('14');
      await user.click(screen.getByRole('link', { name: 'Tools' }));
      expect(confirm).toHaveBeenCalledTimes(2);
      expect(window.location.hash).toBe('#/tools');
    } finally {
      confirm.mockRestore();
    }
  });

  it('leaves without asking when nothing is unsaved', async () => {
    const confirm = vi.spyOn(window, 'confirm');
    try {
      const { user } = await renderApp(new FakeGatehouse(), '#/settings');
      await user.click(screen.getByRole('link', { name: 'Tools' }));
      expect(confirm).not.toHaveBeenCalled();
      expect(window.location.hash).toBe('#/tools');
    } finally {
      confirm.mockRestore();
    }
  });

  it('a value that is not a number is caught before sending', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    await user.clear(screen.getByLabelText('Keep activity for (days)'));
    await user.type(screen.getByLabelText('Keep activity for (days)'), 'ninety');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.getByText('Keep activity for (days) must be a whole number.')).toBeTruthy();
    expect(fake.callsTo('settings.set')).toEqual([]);
  });

  it('pauses and resumes from Settings and from the banner', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/settings');
    await user.click(screen.getByRole('switch', { name: 'Pause all access' }));
    expect(fake.callsTo('access.pause')).toEqual([{}]);
    const banner = await screen.findByRole('alert');
    expect(within(banner).getByText('All access is paused.')).toBeTruthy();
    await user.click(within(banner).getByRole('button', { name: 'Resume' }));
    expect(fake.callsTo('access.resume')).toEqual([{}]);
    expect(screen.queryByText('All access is paused.')).toBeNull();
  });

  it('settings.changed from elsewhere (CLI, tray) updates the page', async () => {
    const fake = new FakeGatehouse();
    await renderApp(fake, '#/settings');
    // The field itself, and a value no field shows before the update (the refresh token's 30 days
    // is on the page from the start).
    const retention = () => (screen.getByLabelText('Keep activity for (days)') as HTMLInputElement).value;
    expect(retention()).toBe('90');
    expect(screen.queryByDisplayValue('45')).toBeNull();
    act(() => {
      fake.state.settings = { ...fake.state.settings, auditRetentionDays: 45 };
      fake.emit({ type: 'settings.changed' });
    });
    await waitFor(() => expect(retention()).toBe('45'));
  });

  it('adds a rule from the form for the common cases, appended after the saved ones', async () => {
    const fake = new FakeGatehouse({
      connectors: [makeConnector()],
      tools: [makeTool(), makeTool({ name: 'write_file', exposedName: 'filesystem__write_file' })],
    });
    fake.state.rules = [{ id: 'keep-me', effect: 'allow' }];
    const { user } = await renderApp(fake, '#/settings');
    const form = screen.getByRole('form', { name: 'Add a rule' });
    await user.selectOptions(within(form).getByLabelText('Effect'), 'deny');
    await user.type(within(form).getByLabelText('Connector'), 'filesystem');
    await user.type(within(form).getByLabelText('Tool'), 'write_*');
    // An argument's name alone is a path from the arguments' root, as $.path is.
    await user.type(within(form).getByLabelText('When the argument'), 'path');
    await user.selectOptions(within(form).getByLabelText('Operator'), 'not-prefix');
    await user.type(within(form).getByLabelText('Value'), '/home/me/projects/');
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect(fake.callsTo('rules.set')).toEqual([
      {
        rules: [
          { id: 'keep-me', effect: 'allow' },
          {
            effect: 'deny',
            connector: 'filesystem',
            tool: 'write_*',
            conditions: [{ path: 'path', op: 'not-prefix', value: '/home/me/projects/' }],
          },
        ],
      },
    ]);
    // The engine made up its id from what it does.
    expect(await screen.findByText('Added rule deny-filesystem-write_')).toBeTruthy();
    expect(fake.state.rules[1]?.id).toBe('deny-filesystem-write_');
    expect(screen.queryByText(RULE_MATCHES_NOTHING)).toBeNull();
  });

  it('a rule that can never match is saved, said so at once, and marked in the list with the name meant', async () => {
    const fake = new FakeGatehouse({
      connectors: [makeConnector({ name: 'files' })],
      tools: [makeTool({ connector: 'files', name: 'edit_file', exposedName: 'files__edit_file' })],
    });
    const { user } = await renderApp(fake, '#/settings');
    const form = screen.getByRole('form', { name: 'Add a rule' });
    await user.type(within(form).getByLabelText('Connector'), 'fils');
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    const sentence = 'matches no connector: there is no connector named fils. Did you mean files?';
    expect(await screen.findByText(`Added rule deny-fils — it ${sentence}`)).toBeTruthy();
    const item = document.querySelector('.rules-list li')!;
    expect(within(item as HTMLElement).getByText(RULE_MATCHES_NOTHING)).toBeTruthy();
    expect(item.textContent).toContain(sentence);
    // Fixed in the form: the mark goes.
    await user.click(screen.getByRole('button', { name: 'Edit rule deny-fils' }));
    const edit = screen.getByRole('form', { name: 'Edit rule deny-fils' });
    await user.clear(within(edit).getByLabelText('Connector'));
    await user.type(within(edit).getByLabelText('Connector'), 'files');
    await user.click(within(edit).getByRole('button', { name: 'Save rule' }));
    expect(await screen.findByText('Saved rule deny-fils')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(RULE_MATCHES_NOTHING)).toBeNull());
  });

  it('a new rule can go before the others, and names a client', async () => {
    const fake = new FakeGatehouse();
    fake.state.rules = [{ id: 'deny-writes', effect: 'deny', tool: 'write_*' }];
    const { user } = await renderApp(fake, '#/settings');
    const form = screen.getByRole('form', { name: 'Add a rule' });
    await user.selectOptions(within(form).getByLabelText('Effect'), 'allow');
    await user.type(within(form).getByLabelText('Client'), 'Claude Code');
    await user.type(within(form).getByLabelText('Tool'), 'write_notes');
    await user.selectOptions(within(form).getByLabelText('Check it'), 'first');
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect(fake.callsTo('rules.set')).toEqual([
      {
        rules: [
          { effect: 'allow', client: 'Claude Code', tool: 'write_notes' },
          { id: 'deny-writes', effect: 'deny', tool: 'write_*' },
        ],
      },
    ]);
    await screen.findByText('Added rule allow-write_notes');
    expect(document.querySelector('.rules-list li')?.textContent).toMatch(
      /^allow-write_notes Allow calls to write_notes on any connector by Claude Code/,
    );
  });

  it('rules are edited in place, moved and deleted', async () => {
    const fake = new FakeGatehouse();
    fake.state.rules = [
      { id: 'deny-writes', effect: 'deny', tool: 'write_*' },
      {
        id: 'paris',
        effect: 'allow',
        tool: 'forecast',
        conditions: [{ path: 'city', op: 'equals', value: 'Paris' }],
      },
      { id: 'complex', effect: 'deny', unless: [{ path: '$.x', op: 'equals', value: 1 }] },
    ];
    const { user } = await renderApp(fake, '#/settings');
    // Edit: the form shows the rule; saving replaces it where it is.
    await user.click(screen.getByRole('button', { name: 'Edit rule paris' }));
    const form = screen.getByRole('form', { name: 'Edit rule paris' });
    expect((within(form).getByLabelText('When the argument') as HTMLInputElement).value).toBe('city');
    await user.clear(within(form).getByLabelText('Value'));
    await user.type(within(form).getByLabelText('Value'), 'Lyon');
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(fake.callsTo('rules.set').at(-1)).toEqual({
      rules: [
        { id: 'deny-writes', effect: 'deny', tool: 'write_*' },
        {
          id: 'paris',
          effect: 'allow',
          tool: 'forecast',
          conditions: [{ path: 'city', op: 'equals', value: 'Lyon' }],
        },
        { id: 'complex', effect: 'deny', unless: [{ path: '$.x', op: 'equals', value: 1 }] },
      ],
    });
    expect(await screen.findByRole('form', { name: 'Add a rule' })).toBeTruthy();

    // Move: the exception goes before the broad deny.
    await user.click(screen.getByRole('button', { name: 'Move rule paris up' }));
    expect(
      (fake.callsTo('rules.set').at(-1) as { rules: Array<{ id: string }> }).rules.map((r) => r.id),
    ).toEqual(['paris', 'deny-writes', 'complex']);
    expect(await screen.findByText('Moved rule paris to place 1 of 3')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Move rule paris up' }) as HTMLButtonElement).disabled).toBe(
      true,
    );

    // A rule with more than the form shows is edited in the JSON.
    await user.click(screen.getByRole('button', { name: 'Edit rule complex' }));
    expect(screen.getByRole('form', { name: 'Add a rule' })).toBeTruthy();
    expect(
      await screen.findByText('Rule complex has more than the form shows: edit it in the JSON'),
    ).toBeTruthy();

    // Delete asks first.
    await user.click(screen.getByRole('button', { name: 'Delete rule deny-writes' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete rule deny-writes?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete rule' }));
    expect(
      (fake.callsTo('rules.set').at(-1) as { rules: Array<{ id: string }> }).rules.map((r) => r.id),
    ).toEqual(['paris', 'complex']);
    expect(await screen.findByText('Deleted rule deny-writes')).toBeTruthy();
  });

  it('the rules editor checks JSON, then shows the engine’s errors verbatim, and lists saved rules', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['rules.set'] = ({ rules }: { rules: unknown[] }) => {
      const bad = rules.find((rule) => (rule as { effect?: string }).effect !== 'deny');
      if (bad) throw new GatehouseError('bad_request', 'rule 1 (oops): effect must be allow, ask or deny');
      fake.state.rules = rules as Array<Record<string, unknown>>;
      return fake.state.rules;
    };
    const { user } = await renderApp(fake, '#/settings');
    const editor = screen.getByLabelText('Rules (JSON)');
    await user.click(editor);
    await user.paste('[{"id": "oops"');
    await user.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(screen.getByText(/^The rules are not valid JSON: /)).toBeTruthy();
    expect(fake.callsTo('rules.set')).toEqual([]);

    await user.clear(editor);
    await user.click(editor);
    await user.paste('[{"id": "oops", "effect": "block"}]');
    await user.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(await screen.findByText('rule 1 (oops): effect must be allow, ask or deny')).toBeTruthy();

    await user.clear(editor);
    await user.click(editor);
    await user.paste('[{"id": "no-writes", "effect": "deny", "connector": "filesystem", "tool": "write_*"}]');
    await user.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(fake.callsTo('rules.set').at(-1)).toEqual({
      rules: [{ id: 'no-writes', effect: 'deny', connector: 'filesystem', tool: 'write_*' }],
    });
    expect(await screen.findByText('Deny calls to write_* on filesystem by any client')).toBeTruthy();
    expect(screen.getByText('Saved 1 rule')).toBeTruthy();
  });
});
