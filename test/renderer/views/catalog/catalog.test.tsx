// "Add from catalog" on the Connectors page: browsing and searching the registry, a server's details
// and the ways it can run, a form that asks only for what that way needs (required first, secrets
// masked, checked before sending), the engine's refusal kept beside the answers, the offline and empty
// states in words, paging, and changing the registry.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeCatalog, registryEntries } from '../../../support/renderer/fake-catalog.js';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeConnector } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

async function openCatalog(fake = new FakeGatehouse()) {
  const catalog = installFakeCatalog(fake);
  const rendered = await renderApp(fake, '#/connectors');
  await rendered.user.click(screen.getByRole('button', { name: 'Add from catalog' }));
  const dialog = screen.getByRole('dialog', { name: 'Add from the MCP Registry' });
  await within(dialog).findByRole('list', { name: 'Servers' });
  return { ...rendered, fake, catalog, dialog: within(dialog) };
}

async function openServer(
  dialog: ReturnType<typeof within>,
  user: Awaited<ReturnType<typeof openCatalog>>['user'],
  title: string,
) {
  await user.click(dialog.getByRole('button', { name: title }));
  return dialog.findByRole('heading', { level: 3, name: title });
}

describe('Add from catalog', () => {
  it('lists the registry’s servers with status, version, how they run and their repository', async () => {
    const { dialog, fake } = await openCatalog();
    expect(fake.callsTo('catalog.search')).toEqual([{ query: '', limit: 30 }]);
    const servers = within(dialog.getByRole('list', { name: 'Servers' })).getAllByRole('listitem');
    // Deleted servers are not listed; every other server once, at its latest version.
    expect(servers).toHaveLength(7);
    const weather = within(servers.find((item) => item.textContent?.includes('Acme Weather'))!);
    expect(weather.getByText('io.github.acme/weather')).toBeTruthy();
    expect(weather.getByText('Forecasts and current conditions from the Acme weather service.')).toBeTruthy();
    expect(weather.getByText('Active')).toBeTruthy();
    expect(weather.getByText('Version 1.4.0')).toBeTruthy();
    expect(weather.getByText('npm')).toBeTruthy();
    const repository = weather.getByRole('link', { name: 'Repository' });
    expect(repository.getAttribute('href')).toBe('https://github.com/acme/weather-mcp');
    expect(repository.getAttribute('target')).toBe('_blank');
    const old = within(servers.find((item) => item.textContent?.includes('old-weather'))!);
    expect(old.getByText('Deprecated')).toBeTruthy();
    expect(dialog.getByText('https://registry.modelcontextprotocol.io')).toBeTruthy();
  });

  it('searches by name, and says in words when nothing matches', async () => {
    const { dialog, user, fake } = await openCatalog();
    const box = dialog.getByRole('searchbox', { name: 'Search servers by name' });
    await user.type(box, 'weather{Enter}');
    await dialog.findByText('3 servers matching “weather”.');
    expect(fake.callsTo('catalog.search').at(-1)).toEqual({ query: 'weather', limit: 30 });
    await user.clear(box);
    await user.type(box, 'zebra{Enter}');
    expect(await dialog.findByText('No server has “zebra” in its name.')).toBeTruthy();
  });

  it('says the registry cannot be reached, and tries again', async () => {
    const fake = new FakeGatehouse();
    const catalog = installFakeCatalog(fake);
    catalog.offline = true;
    const { user } = await renderApp(fake, '#/connectors/catalog');
    const dialog = within(screen.getByRole('dialog', { name: 'Add from the MCP Registry' }));
    const alert = await dialog.findByRole('alert');
    expect(alert.textContent).toBe(
      'The MCP Registry cannot be reached. Cannot reach the registry at https://registry.modelcontextprotocol.io (its name could not be looked up). You may be offline; check your connection, or the registry URL in Settings.Try again',
    );
    catalog.offline = false;
    await user.click(dialog.getByRole('button', { name: 'Try again' }));
    expect(await dialog.findByRole('list', { name: 'Servers' })).toBeTruthy();
    expect(dialog.queryByRole('alert')).toBeNull();
  });

  it('shows a server, asks only what its way of running needs, and checks it before sending', async () => {
    const { dialog, user, fake } = await openCatalog();
    const heading = await openServer(dialog, user, 'Acme Weather');
    expect(document.activeElement).toBe(heading);
    expect(dialog.getByText('io.github.acme/weather', { selector: 'dd .name' })).toBeTruthy();
    expect((dialog.getByLabelText('Version') as HTMLSelectElement).value).toBe('1.4.0');
    expect(dialog.getByRole('link', { name: 'https://github.com/acme/weather-mcp' })).toBeTruthy();
    const runs = dialog.getByRole('group', { name: 'How to run it' });
    expect(
      within(runs).getByRole('radio', { name: /npm package @acme\/weather-mcp 1\.4\.0/ }),
    ).toHaveProperty('checked', true);
    expect(within(runs).getByText('npx -y @acme/weather-mcp@1.4.0 --cache-dir {cache-dir}')).toBeTruthy();

    const needs = within(dialog.getByRole('group', { name: 'What it needs' }));
    const key = needs.getByLabelText('WEATHER_API_KEY (required, environment variable, secret)');
    expect(key.getAttribute('type')).toBe('password');
    const optional = within(dialog.getByRole('group', { name: 'Optional' }));
    expect(
      (optional.getByLabelText('WEATHER_UNITS (optional, environment variable)') as HTMLSelectElement).value,
    ).toBe('metric');
    expect((dialog.getByLabelText('Connector name') as HTMLInputElement).value).toBe('weather');

    await user.click(dialog.getByRole('button', { name: 'Add connector' }));
    expect(await dialog.findByText('WEATHER_API_KEY is required (Your Acme Weather API key).')).toBeTruthy();
    expect(document.activeElement).toBe(key);
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('catalog.add')).toEqual([]);

    await user.type(key, 'wk-live-1');
    await user.selectOptions(
      optional.getByLabelText('WEATHER_UNITS (optional, environment variable)'),
      'imperial',
    );
    await user.click(dialog.getByRole('button', { name: 'Add connector' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsTo('catalog.add')).toEqual([
      {
        name: 'io.github.acme/weather',
        version: '1.4.0',
        option: 'npm',
        connector: 'weather',
        answers: { 'environment:WEATHER_API_KEY': 'wk-live-1', 'environment:WEATHER_UNITS': 'imperial' },
        auth: 'none',
        enabled: true,
        reviewed: expect.stringMatching(/^[0-9a-f]{64}$/),
        acceptRisks: false,
        acceptGrants: false,
        again: false,
      },
    ]);
    expect(await screen.findByText('Added weather from the MCP Registry (connected, 4 tools)')).toBeTruthy();
    expect(screen.getByRole('row', { name: /^weather/ })).toBeTruthy();
  });

  it('says a server is already added, and adds it again only as “Add another connector”', async () => {
    const fake = new FakeGatehouse();
    fake.state.connectors = [
      makeConnector({
        name: 'forecast',
        settings: {
          kind: 'stdio',
          command: 'npx',
          args: ['-y', '@acme/weather-mcp@1.3.0'],
          env: {},
          cwd: null,
        },
      }),
    ];
    const { dialog, user } = await openCatalog(fake);
    const card = dialog.getByRole('button', { name: 'Acme Weather' }).closest('li')!;
    expect(within(card as HTMLElement).getByText('Already added as forecast')).toBeTruthy();
    const others = dialog.getAllByRole('listitem').filter((item) => item !== card);
    expect(others.some((item) => within(item).queryByText(/Already added/))).toBe(false);

    await openServer(dialog, user, 'Acme Weather');
    expect(
      dialog.getByText(
        'Already added as forecast. Adding it again makes another connector for the same server.',
      ),
    ).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Add connector' })).toBeNull();
    await user.type(
      dialog.getByLabelText('WEATHER_API_KEY (required, environment variable, secret)'),
      'wk-live-2',
    );
    await user.click(dialog.getByRole('button', { name: 'Add another connector' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsTo('catalog.add')).toMatchObject([{ connector: 'weather', again: true }]);
  });

  it('keeps every answer and shows the engine’s refusal when it will not add', async () => {
    const fake = new FakeGatehouse();
    const { dialog, user } = await openCatalog(fake);
    await openServer(dialog, user, 'Acme Weather');
    const name = dialog.getByLabelText('Connector name');
    await user.clear(name);
    await user.type(name, 'Bad Name');
    await user.click(dialog.getByRole('button', { name: 'Add connector' }));
    expect(
      dialog.getByText(
        'a connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit',
      ),
    ).toBeTruthy();
    await user.clear(name);
    await user.type(name, 'filesystem');
    fake.state.connectors = [
      ...fake.state.connectors,
      (await import('../../../support/renderer/fake-views.js')).makeConnector(),
    ];
    await user.type(dialog.getByLabelText(/^WEATHER_API_KEY/), 'wk');
    await user.click(dialog.getByRole('button', { name: 'Add connector' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'A connector named filesystem already exists; names are unique (edit it, or choose another name).',
    );
    expect((dialog.getByLabelText(/^WEATHER_API_KEY/) as HTMLInputElement).value).toBe('wk');
  });

  it('fills a remote server’s URL variables and headers, with OAuth when chosen', async () => {
    const { dialog, user, fake } = await openCatalog();
    await openServer(dialog, user, 'Example Tickets');
    const runs = within(dialog.getByRole('group', { name: 'How to run it' }));
    expect(runs.getByRole('radio', { name: /Remote server \(Streamable HTTP\)/ })).toHaveProperty(
      'checked',
      true,
    );
    await user.click(runs.getByRole('radio', { name: /Remote server \(SSE\)/ }));
    expect(dialog.queryByLabelText(/^api_token/)).toBeNull();
    await user.click(runs.getByRole('radio', { name: /Remote server \(Streamable HTTP\)/ }));
    await user.type(dialog.getByLabelText('tenant (required, value)'), 'acme');
    const token = dialog.getByLabelText('api_token (required, value, secret)');
    expect(token.getAttribute('type')).toBe('password');
    await user.type(token, 'tk_1');
    expect((dialog.getByLabelText('X-Region (optional, header)') as HTMLSelectElement).value).toBe('eu');
    await user.click(dialog.getByRole('checkbox', { name: /Sign in with OAuth/ }));
    await user.click(dialog.getByRole('checkbox', { name: 'Start it now' }));
    await user.click(dialog.getByRole('button', { name: 'Add connector' }));
    await waitFor(() => expect(fake.callsTo('catalog.add')).toHaveLength(1));
    expect(fake.callsTo('catalog.add')[0]).toEqual({
      name: 'com.example/tickets',
      version: '3.0.1',
      option: 'remote',
      connector: 'tickets',
      answers: { 'variable:tenant': 'acme', 'variable:api_token': 'tk_1', 'header:X-Region': 'eu' },
      auth: 'oauth',
      enabled: false,
      reviewed: expect.stringMatching(/^[0-9a-f]{64}$/),
      acceptRisks: false,
      acceptGrants: false,
      again: false,
    });
  });

  it('says why a way of running cannot be used here, and shows a deprecated server’s reason', async () => {
    const fake = new FakeGatehouse();
    const catalog = installFakeCatalog(fake);
    catalog.missingRuntimes.add('uvx');
    const { user } = await renderApp(fake, '#/connectors/catalog');
    const dialog = within(screen.getByRole('dialog', { name: 'Add from the MCP Registry' }));
    await dialog.findByRole('list', { name: 'Servers' });
    await openServer(dialog, user, 'io.github.acme/notes');
    expect(dialog.getByText('uvx is not installed on this machine.')).toBeTruthy();
    expect(
      dialog.getByText('None of its ways to run can be used on this machine; see why above.'),
    ).toBeTruthy();
    expect(dialog.queryByRole('button', { name: 'Add connector' })).toBeNull();
    await user.click(dialog.getByRole('button', { name: '← Back to the results' }));
    await openServer(dialog, user, 'io.github.acme/old-weather');
    expect(
      dialog.getByText(
        'Its publisher deprecated this server: Use io.github.acme/weather instead. You can still add it.',
      ),
    ).toBeTruthy();
  });

  it('opens an older version on request', async () => {
    const { dialog, user, fake } = await openCatalog();
    await openServer(dialog, user, 'Acme Weather');
    await user.selectOptions(dialog.getByLabelText('Version'), '1.3.0');
    await dialog.findByText('(not the latest)');
    expect(fake.callsTo('catalog.show').at(-1)).toEqual({ name: 'io.github.acme/weather', version: '1.3.0' });
    expect(dialog.queryByLabelText(/^WEATHER_UNITS/)).toBeNull();
  });

  it('loads more servers page by page', async () => {
    const fake = new FakeGatehouse();
    const catalog = installFakeCatalog(fake);
    const [template] = registryEntries;
    for (let i = 0; i < 40; i++) {
      catalog.entries.push({
        ...template!,
        server: { ...template!.server, name: `io.github.many/server-${String(i).padStart(2, '0')}` },
      });
    }
    const { user } = await renderApp(fake, '#/connectors/catalog');
    const dialog = within(screen.getByRole('dialog', { name: 'Add from the MCP Registry' }));
    const list = await dialog.findByRole('list', { name: 'Servers' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(30);
    expect(dialog.getByText('30 servers so far.')).toBeTruthy();
    await user.click(dialog.getByRole('button', { name: 'Show more servers' }));
    await dialog.findByText('47 servers.');
    expect(within(list).getAllByRole('listitem')).toHaveLength(47);
    expect(dialog.queryByRole('button', { name: 'Show more servers' })).toBeNull();
  });

  it('changes the registry it searches, refusing plain http to another machine', async () => {
    const { dialog, user, fake } = await openCatalog();
    await user.click(dialog.getByRole('button', { name: 'Change registry' }));
    const url = dialog.getByLabelText('Registry URL');
    await user.clear(url);
    await user.type(url, 'http://registry.corp.example');
    await user.click(dialog.getByRole('button', { name: 'Save and search' }));
    expect(
      dialog.getByText('The registry URL must use https (plain http only to 127.0.0.1 or localhost).'),
    ).toBeTruthy();
    expect(fake.callsTo('settings.set')).toEqual([]);
    await user.clear(url);
    await user.type(url, 'https://registry.corp.example');
    await user.click(dialog.getByRole('button', { name: 'Save and search' }));
    await waitFor(() =>
      expect(fake.callsTo('settings.set')).toEqual([{ registryUrl: 'https://registry.corp.example' }]),
    );
    expect(await dialog.findByText('https://registry.corp.example')).toBeTruthy();
    await waitFor(() => expect(fake.callsTo('catalog.search')).toHaveLength(2));
  });

  it('closes with Escape, and the empty Connectors page offers the catalog first', async () => {
    const { user } = await openCatalog();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Browse the MCP Registry' }));
    expect(screen.getByRole('dialog', { name: 'Add from the MCP Registry' })).toBeTruthy();
  });
});
