// Connectors: the table's status columns, the add/edit form's inline validation, secrets that stay
// "[stored]", and the actions (enable, test, connect, delete, stderr).
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '@core/operations/engine-api.js';
import { GatehouseError } from '@core/errors.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeConnector } from '../../../support/renderer/fake-views.js';

type ConnectorAddInput = Parameters<OperationHandlers['connectors.add']>[0];
import { renderApp } from '../../../support/renderer/render-app.js';

const remote = makeConnector({
  name: 'linear',
  settings: {
    kind: 'http',
    url: 'https://mcp.linear.app/mcp',
    transport: 'auto',
    timeoutSeconds: 30,
    headers: { 'X-Team': '[stored]' },
    auth: { type: 'bearer', token: '[stored]' },
  },
  status: { ...makeConnector().status, transport: 'streamable-http', pid: null },
});

describe('Connectors', () => {
  it('shows connection and auth status, tools with held changes, restarts', async () => {
    const fake = new FakeGatehouse({
      connectors: [
        makeConnector({ toolCount: 14, heldTools: 2, status: { ...makeConnector().status, restarts: 3 } }),
        makeConnector({
          name: 'notion',
          settings: { ...remote.settings },
          status: { ...remote.status, connection: 'error', auth: 'action-required', connectedAt: null },
        }),
      ],
    });
    await renderApp(fake, '#/connectors');
    const filesystem = within(screen.getByRole('row', { name: /^filesystem/ }));
    expect(filesystem.getByText('Connected')).toBeTruthy();
    expect(filesystem.getByText('No sign-in')).toBeTruthy();
    expect(filesystem.getByText('14')).toBeTruthy();
    expect(filesystem.getByText('(2 held)')).toBeTruthy();
    expect(filesystem.getByText('3')).toBeTruthy();
    const notion = within(screen.getByRole('row', { name: /^notion/ }));
    expect(notion.getByText('Error')).toBeTruthy();
    expect(notion.getByText('Sign-in needed')).toBeTruthy();
    expect(notion.getByRole('button', { name: 'Connect' })).toBeTruthy();
    expect(filesystem.queryByRole('button', { name: 'Connect' })).toBeNull();
  });

  it('says what is wrong with credentials: token refused (no Connect), never connected, reconnect', async () => {
    const oauth = {
      ...(remote.settings as Extract<typeof remote.settings, { kind: 'http' }>),
      auth: {
        type: 'oauth' as const,
        clientId: null,
        clientSecret: null,
        authorizeUrl: null,
        tokenUrl: null,
        scopes: null,
      },
    };
    const waiting = { ...remote.status, connection: 'error' as const, auth: 'action-required' as const };
    const fake = new FakeGatehouse({
      connectors: [
        makeConnector({
          name: 'linear',
          settings: remote.settings,
          status: { ...waiting, authProblem: 'token-refused' },
        }),
        makeConnector({
          name: 'notion',
          settings: oauth,
          status: { ...waiting, connectedAt: null, authProblem: 'never-connected' },
        }),
        makeConnector({
          name: 'github',
          settings: oauth,
          status: { ...waiting, connectedAt: null, authProblem: 'reconnect-needed' },
        }),
      ],
    });
    await renderApp(fake, '#/connectors');
    const row = (name: string) => within(screen.getByRole('row', { name: new RegExp(`^${name}`) }));
    expect(row('linear').getByText('Token refused')).toBeTruthy();
    expect(row('linear').queryByRole('button', { name: /Connect/ })).toBeNull();
    expect(row('notion').getByText('Never connected: sign-in needed')).toBeTruthy();
    expect(row('notion').getByRole('button', { name: 'Connect' })).toBeTruthy();
    expect(row('github').getByText('Reconnect needed')).toBeTruthy();
    expect(row('github').getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });

  it('shows an absolute script path by its file name, the full command in the title', async () => {
    const settings = {
      kind: 'stdio' as const,
      command: '/usr/local/bin/node',
      args: ['/home/me/code/very/long/path/to/server/dist/index.js', 'stdio', '/home/me'],
      env: {},
      cwd: null,
    };
    const fake = new FakeGatehouse({ connectors: [makeConnector({ settings })] });
    await renderApp(fake, '#/connectors');
    const cell = within(screen.getByRole('row', { name: /^filesystem/ })).getByText(
      'node index.js stdio /home/me',
    );
    expect(cell.closest('td')?.title).toBe(
      '/usr/local/bin/node /home/me/code/very/long/path/to/server/dist/index.js stdio /home/me',
    );
  });

  it('adds a stdio connector: a pasted command line is split, env as rows of name and value', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'Add connector' }));
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'everything');
    await user.click(within(form).getByLabelText('Command'));
    await user.paste(`npx -y @modelcontextprotocol/server-everything "two words" --root=$HOME`);
    expect((within(form).getByLabelText('Command') as HTMLInputElement).value).toBe('npx');
    expect(
      within(form).getByText('Split the pasted line into the command npx and 4 arguments (below).'),
    ).toBeTruthy();
    expect((within(form).getByLabelText('Argument 3') as HTMLInputElement).value).toBe('two words');
    await user.click(within(form).getByRole('button', { name: 'Remove argument 4' }));
    await user.click(within(form).getByRole('button', { name: 'Add variable' }));
    await user.type(within(form).getByLabelText('Name of variable 1'), 'API_KEY');
    const value = within(form).getByLabelText('Value of variable 1') as HTMLInputElement;
    await user.type(value, 'abc');
    expect(value.type).toBe('password');
    await user.click(within(form).getByRole('checkbox', { name: 'Show value of variable 1' }));
    expect(value.type).toBe('text');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(fake.callsTo('connectors.add')).toEqual([
      {
        name: 'everything',
        enabled: true,
        // The window keeps a new connector only if it starts, unless the user says "Save anyway".
        onlyIfItStarts: true,
        // The command line is the user's own words: what it names is granted.
        grantCommandLine: true,
        settings: {
          kind: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-everything', 'two words'],
          env: { API_KEY: 'abc' },
          cwd: null,
          // The sandbox is on unless the user switches it off.
          sandbox: {
            enabled: true,
            folders: [],
            readFolders: [],
            allowedDomains: null,
            localServices: [],
            secretVariables: [],
            plainSecrets: [],
          },
        },
      },
    ]);
    expect(await screen.findByText('Added connector everything')).toBeTruthy();
    expect(await screen.findByRole('row', { name: /^everything/ })).toBeTruthy();
  });

  it('refuses a pasted pipeline in words, and rows that are not name and value, sending nothing', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'Bad Name');
    await user.click(within(form).getByLabelText('Command'));
    await user.paste('cat list.txt | npx server');
    expect(
      within(form).getByText(
        'The command line has "|", which a shell handles: a connector runs one program. Put the pipeline in a script and run the script.',
      ),
    ).toBeTruthy();
    await user.type(within(form).getByLabelText('Command'), 'npx');
    await user.click(within(form).getByRole('button', { name: 'Add variable' }));
    await user.type(within(form).getByLabelText('Value of variable 1'), 'orphan');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(within(form).getByText('Environment row 1 has a value but no name.')).toBeTruthy();
    expect(
      within(form).getByText(
        'a connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit',
      ),
    ).toBeTruthy();
    expect(within(form).getByText('Fix the 2 problems above, then save again.')).toBeTruthy();
    expect(fake.callsTo('connectors.add')).toEqual([]);
  });

  it('an environment variable name the engine would refuse is caught by the engine’s own schema', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'tool');
    await user.type(within(form).getByLabelText('Command'), 'npx');
    await user.click(within(form).getByRole('button', { name: 'Add variable' }));
    await user.type(within(form).getByLabelText('Name of variable 1'), 'BAD-NAME');
    await user.type(within(form).getByLabelText('Value of variable 1'), 'x');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(
      within(form).getByText('"BAD-NAME": environment variable names are letters, digits and _'),
    ).toBeTruthy();
    expect(fake.callsTo('connectors.add')).toEqual([]);
  });

  it('a bad URL and a missing bearer token are shown inline', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'remote');
    await user.click(within(form).getByRole('radio', { name: 'Remote server (HTTP)' }));
    await user.type(within(form).getByLabelText('Server URL'), 'mcp.example.com');
    await user.click(within(form).getByRole('radio', { name: 'Bearer token' }));
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(
      within(form).getByText('The server URL must be an absolute URL, like https://example.com/mcp.'),
    ).toBeTruthy();
    expect(within(form).getByText('Paste the bearer token the server gave you.')).toBeTruthy();
    await user.clear(within(form).getByLabelText('Server URL'));
    await user.type(within(form).getByLabelText('Server URL'), 'ftp://mcp.example.com');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(within(form).getByText('The server URL must use http or https.')).toBeTruthy();
    expect(fake.callsTo('connectors.add')).toEqual([]);
  });

  it('OAuth with a manual client checks its URLs and sends custom scopes', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'github');
    await user.click(within(form).getByRole('radio', { name: 'Remote server (HTTP)' }));
    await user.type(within(form).getByLabelText('Server URL'), 'https://api.githubcopilot.com/mcp/');
    await user.click(within(form).getByRole('radio', { name: 'OAuth (sign in with the provider)' }));
    await user.click(
      within(form).getByRole('radio', { name: 'Use a client I registered with the provider' }),
    );
    await user.type(within(form).getByLabelText('Client ID'), 'Iv1.abc');
    await user.type(within(form).getByLabelText('Client secret'), 'shh');
    await user.type(within(form).getByLabelText('Authorization URL (optional)'), 'github.com/login');
    await user.click(within(form).getByRole('radio', { name: 'These scopes:' }));
    await user.type(within(form).getByLabelText('Scopes (separated by spaces)'), 'repo read:org');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(
      within(form).getByText('The authorization URL must be an absolute URL, like https://example.com/mcp.'),
    ).toBeTruthy();
    expect(fake.callsTo('connectors.add')).toEqual([]);
    await user.clear(within(form).getByLabelText('Authorization URL (optional)'));
    await user.type(
      within(form).getByLabelText('Authorization URL (optional)'),
      'https://github.com/login/oauth/authorize',
    );
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(fake.callsTo('connectors.add')).toEqual([
      {
        name: 'github',
        enabled: true,
        onlyIfItStarts: true,
        grantCommandLine: false,
        settings: {
          kind: 'http',
          url: 'https://api.githubcopilot.com/mcp/',
          transport: 'auto',
          timeoutSeconds: 30,
          headers: {},
          auth: {
            type: 'oauth',
            clientId: 'Iv1.abc',
            clientSecret: 'shh',
            authorizeUrl: 'https://github.com/login/oauth/authorize',
            tokenUrl: null,
            scopes: ['repo', 'read:org'],
          },
        },
      },
    ]);
  });

  it('editing keeps the name fixed and sends stored secrets back as "[stored]"', async () => {
    const fake = new FakeGatehouse({ connectors: [remote] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'Edit linear' }));
    const form = screen.getByRole('dialog', { name: 'Edit linear' });
    const name = within(form).getByLabelText('Name') as HTMLInputElement;
    expect(name.disabled).toBe(true);
    expect(within(form).getByText(/Names cannot change: they are the URL path/)).toBeTruthy();
    const token = within(form).getByLabelText('Token') as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('[stored]');
    expect((within(form).getByLabelText('Name of header 1') as HTMLInputElement).value).toBe('X-Team');
    const stored = within(form).getByLabelText('Value of header 1') as HTMLInputElement;
    expect(stored.value).toBe('');
    expect(stored.placeholder).toBe('stored — leave empty to keep');
    await user.clear(within(form).getByLabelText('Timeout (seconds)'));
    await user.type(within(form).getByLabelText('Timeout (seconds)'), '60');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(fake.callsTo('connectors.edit')).toEqual([
      {
        name: 'linear',
        grantCommandLine: false,
        settings: {
          kind: 'http',
          url: 'https://mcp.linear.app/mcp',
          transport: 'auto',
          timeoutSeconds: 60,
          headers: { 'X-Team': '[stored]' },
          auth: { type: 'bearer', token: '[stored]' },
        },
      },
    ]);
    expect(await screen.findByText('Saved connector linear')).toBeTruthy();
  });

  it('a new secret typed on edit replaces the stored one', async () => {
    const fake = new FakeGatehouse({ connectors: [remote] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'Edit linear' }));
    const form = screen.getByRole('dialog', { name: 'Edit linear' });
    await user.type(within(form).getByLabelText('Token'), 'new-token');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(fake.callsTo('connectors.edit')).toMatchObject([
      { settings: { auth: { type: 'bearer', token: 'new-token' } } },
    ]);
  });

  it('shows the engine’s error when it refuses the save', async () => {
    const fake = new FakeGatehouse({ connectors: [makeConnector({ name: 'everything' })] });
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'everything');
    await user.type(within(form).getByLabelText('Command'), 'npx');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(await within(form).findByText('A connector named everything already exists.')).toBeTruthy();
  });

  it('a connector that does not start is not saved, unless the user chooses Save anyway', async () => {
    const fake = new FakeGatehouse();
    fake.overrides['connectors.add'] = ((input: ConnectorAddInput) => {
      if (input.onlyIfItStarts) {
        throw new GatehouseError(
          'does_not_start',
          `${input.name} was not added: it does not start (spawn nosuch ENOENT).`,
        );
      }
      const view = makeConnector({ name: input.name, settings: input.settings, enabled: input.enabled });
      fake.state.connectors = [...fake.state.connectors, view];
      fake.emit({ type: 'connectors.changed', name: input.name });
      return view;
    }) as never;
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'broken');
    await user.type(within(form).getByLabelText('Command'), 'nosuch');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(
      await within(form).findByText(
        'broken was not added: it does not start (spawn nosuch ENOENT). Nothing was saved: fix the command and add it again, or save it anyway to fix later.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('row', { name: /^broken/ })).toBeNull();
    // Changing the command takes the offer back; the error is about the old one.
    await user.type(within(form).getByLabelText('Command'), '2');
    expect(within(form).queryByRole('button', { name: 'Save anyway' })).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    await user.click(await within(form).findByRole('button', { name: 'Save anyway' }));
    const sent = fake.callsTo('connectors.add') as ConnectorAddInput[];
    expect(sent.map((input) => input.onlyIfItStarts)).toEqual([true, true, false]);
    expect(await screen.findByText('Added connector broken')).toBeTruthy();
    expect(await screen.findByRole('row', { name: /^broken/ })).toBeTruthy();
  });

  it('a program that does not start: the line that explains, and everything it printed one click away', async () => {
    const fake = new FakeGatehouse();
    const printed = [
      'node:internal/modules/cjs/loader:1210',
      '  throw err;',
      "Error: Cannot find module 'weather-sdk'",
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)',
      'Node.js v22.23.3',
    ];
    fake.overrides['connectors.add'] = ((input: ConnectorAddInput) => {
      fake.state.logs[input.name] = printed;
      throw new GatehouseError(
        'does_not_start',
        `${input.name} was not added: it does not start (The server exited with code 1. Its stderr says: "Error: Cannot find module 'weather-sdk'").`,
      );
    }) as never;
    const { user } = await renderApp(fake, '#/connectors/new');
    const form = screen.getByRole('dialog', { name: 'Add a connector' });
    await user.type(within(form).getByLabelText('Name'), 'weather');
    await user.type(within(form).getByLabelText('Command'), 'node');
    await user.click(within(form).getByRole('button', { name: 'Add connector' }));
    expect(
      await within(form).findByText(/Its stderr says: "Error: Cannot find module 'weather-sdk'"/),
    ).toBeTruthy();
    expect(fake.callsTo('connectors.logs')).toEqual([]);
    await user.click(within(form).getByText('Everything it printed (stderr)'));
    const lines = await within(form).findByLabelText('stderr lines');
    expect(lines.textContent).toBe(printed.join('\n'));
    expect(fake.callsTo('connectors.logs')).toEqual([{ name: 'weather' }]);
  });

  it('enable toggle, Test and Connect', async () => {
    const needsSignIn = makeConnector({
      ...remote,
      name: 'notion',
      status: { ...remote.status, auth: 'action-required', connectedAt: NOW_CONNECTED },
    });
    const fake = new FakeGatehouse({ connectors: [makeConnector(), needsSignIn] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('switch', { name: 'Enable filesystem' }));
    expect(fake.callsTo('connectors.disable')).toEqual([{ name: 'filesystem' }]);
    expect(await screen.findByText('Disabled filesystem: its tools are gone from every client')).toBeTruthy();
    await user.click(screen.getByRole('switch', { name: 'Enable filesystem' }));
    expect(fake.callsTo('connectors.enable')).toEqual([{ name: 'filesystem' }]);

    const filesystem = within(screen.getByRole('row', { name: /^filesystem/ }));
    await user.click(filesystem.getByRole('button', { name: 'Test' }));
    expect(fake.callsTo('connectors.test')).toEqual([{ name: 'filesystem' }]);
    expect(await screen.findByText('filesystem: answered in 42 ms with 2 tools')).toBeTruthy();

    await user.click(
      within(screen.getByRole('row', { name: /^notion/ })).getByRole('button', { name: 'Reconnect' }),
    );
    expect(fake.callsTo('connectors.connect')).toEqual([{ name: 'notion' }]);
    await user.click(screen.getByRole('button', { name: 'notion' }));
    expect(
      await screen.findByText('https://auth.example.com/authorize?client_id=gatehouse&state=notion'),
    ).toBeTruthy();
  });

  it('a failed test shows its error', async () => {
    const fake = new FakeGatehouse({ connectors: [makeConnector()] });
    fake.overrides['connectors.test'] = () => ({
      ok: false,
      latencyMs: 5,
      toolCount: 0,
      error: 'spawn npx ENOENT',
    });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'filesystem' }));
    const details = screen.getByRole('region', { name: 'filesystem' });
    await user.click(within(details).getByRole('button', { name: 'Test' }));
    expect(await within(details).findByText('Test: test failed — spawn npx ENOENT')).toBeTruthy();
  });

  it('details of a stdio connector show its last error and stderr', async () => {
    const fake = new FakeGatehouse({
      connectors: [
        makeConnector({
          status: { ...makeConnector().status, connection: 'error', lastError: 'exited with code 1' },
        }),
      ],
      logs: { filesystem: ['Error: ENOENT: no such directory /home/me', 'exiting'] },
    });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'filesystem' }));
    const details = screen.getByRole('region', { name: 'filesystem' });
    expect(within(details).getByText('exited with code 1')).toBeTruthy();
    expect((await within(details).findByLabelText('stderr lines')).textContent).toBe(
      'Error: ENOENT: no such directory /home/me\nexiting',
    );
    expect(fake.callsTo('connectors.logs')).toContainEqual({ name: 'filesystem' });
  });

  it('opened details scroll into view, once per connector opened', async () => {
    // jsdom lays nothing out and has no scrollIntoView: record the calls instead.
    const scrolled: Array<{ element: Element; options: unknown }> = [];
    const original = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollIntoView');
    Element.prototype.scrollIntoView = function (this: Element, options?: unknown) {
      scrolled.push({ element: this, options });
    };
    try {
      const fake = new FakeGatehouse({ connectors: [makeConnector()] });
      const { user } = await renderApp(fake, '#/connectors');
      await user.click(screen.getByRole('button', { name: 'filesystem' }));
      const details = screen.getByRole('region', { name: 'filesystem' });
      expect(scrolled).toHaveLength(1);
      expect(scrolled[0]!.element).toBe(details);
      expect(scrolled[0]!.options).toMatchObject({ block: 'nearest' });
    } finally {
      if (original) Object.defineProperty(Element.prototype, 'scrollIntoView', original);
      else delete (Element.prototype as Partial<Element>).scrollIntoView;
    }
  });

  it('details say what the sandbox grants, its secrets, what it refused, and one click grants a refusal', async () => {
    const connector = makeConnector({
      settings: {
        kind: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '~/projects'],
        env: { GITHUB_TOKEN: '[stored]', PGPASSWORD: '[stored]' },
        cwd: null,
        sandbox: {
          enabled: true,
          folders: ['~/projects'],
          readFolders: ['~/.config/weather.json'],
          allowedDomains: ['api.github.com'],
          localServices: ['localhost:5432'],
          secretVariables: [],
          plainSecrets: [],
        },
      },
      sandbox: {
        state: 'on',
        workspace: ['/home/me/projects'],
        addedFolders: ['~/projects'],
        readFolders: ['~/.config/weather.json'],
        runtime: ['/home/me/.nvm/versions/node/v22.21.0'],
        ownFolders: [
          '/home/me/.cache/gatehouse/connectors/filesystem (scratch, with its own package caches)',
        ],
        allowedDomains: ['api.github.com'],
        localServices: ['localhost:5432'],
        secrets: {
          masked: ['GITHUB_TOKEN'],
          plain: [
            {
              name: 'PGPASSWORD',
              why: 'it is used over a database protocol, which the proxy cannot fill in',
            },
          ],
        },
        refusals: [
          {
            kind: 'host',
            target: 'evil.example:443',
            reason: 'it is not on its list of hosts',
            grant: 'gatehouse connectors edit filesystem --allow-domain evil.example',
            allow: { kind: 'domain', value: 'evil.example' },
            count: 2,
          },
          {
            kind: 'write',
            target: '/home/me/notes/today.md',
            reason: 'it is outside what it may write (its workspace, scratch and temp folders)',
            grant: 'gatehouse connectors edit filesystem --add-folder ~/notes',
            allow: { kind: 'folder', value: '~/notes' },
            count: 1,
          },
        ],
        refusedOthers: 0,
        blockedHosts: [{ host: 'evil.example', port: 443, count: 2 }],
        problem: null,
      },
    });
    const fake = new FakeGatehouse({ connectors: [connector] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'filesystem' }));
    const panel = screen.getByRole('region', { name: 'Sandbox' });
    expect(
      within(panel).getByText(/Only api\.github\.com; on this computer or your network: localhost:5432/),
    ).toBeTruthy();
    expect(within(panel).getByText(/~\/projects, ~\/\.config\/weather\.json/)).toBeTruthy();
    const secrets = within(panel).getByRole('list', { name: 'Secrets' });
    expect(secrets.textContent).toContain('GITHUB_TOKEN: only a stand-in');
    expect(secrets.textContent).toContain('PGPASSWORD: plainly — it is used over a database protocol');
    const refused = within(panel).getByRole('list', { name: 'Refused' });
    expect(refused.textContent).toContain('evil.example:443 (2×): it is not on its list of hosts');
    await user.click(within(panel).getByRole('button', { name: 'Allow evil.example' }));
    await user.click(within(panel).getByRole('button', { name: 'Let it write ~/notes' }));
    const granted = fake.callsTo('connectors.edit') as Array<{
      settings: { sandbox: Record<string, unknown> };
    }>;
    expect(granted[0]!.settings.sandbox).toMatchObject({
      allowedDomains: ['api.github.com', 'evil.example'],
    });
    // Each click adds to what the settings grant, and keeps the rest.
    expect(granted[0]!.settings.sandbox).toMatchObject({
      folders: ['~/projects'],
      localServices: ['localhost:5432'],
    });
    expect(granted[1]!.settings.sandbox).toMatchObject({ folders: ['~/projects', '~/notes'] });
  });

  it('details say whether it handles secrets on purpose, and one click changes it', async () => {
    const fake = new FakeGatehouse({ connectors: [makeConnector()] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'filesystem' }));
    const panel = screen.getByRole('region', { name: 'Secrets in its calls' });
    expect(
      within(panel).getByText(
        /A call whose arguments carry a private key, a token or another secret waits for you/,
      ),
    ).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'It handles secrets on purpose' }));
    expect(fake.callsTo('connectors.setHandlesSecrets')).toEqual([
      { name: 'filesystem', handlesSecrets: true },
    ]);
    expect(
      await screen.findByText('filesystem handles secrets on purpose: its calls and results pass, audited'),
    ).toBeTruthy();
    expect(within(panel).getByText('Handles secrets on purpose.')).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'Stop treating it as a secrets handler' }));
    expect(fake.callsTo('connectors.setHandlesSecrets')).toEqual([
      { name: 'filesystem', handlesSecrets: true },
      { name: 'filesystem', handlesSecrets: false },
    ]);
  });

  it('Delete asks first', async () => {
    const fake = new FakeGatehouse({ connectors: [makeConnector()] });
    const { user } = await renderApp(fake, '#/connectors');
    await user.click(screen.getByRole('button', { name: 'Delete filesystem' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete filesystem?' });
    expect(fake.callsTo('connectors.remove')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete connector' }));
    expect(fake.callsTo('connectors.remove')).toEqual([{ name: 'filesystem' }]);
    expect(await screen.findByText('No connectors yet')).toBeTruthy();
  });
});

const NOW_CONNECTED = Date.now() - 3_600_000;
