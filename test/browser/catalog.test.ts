// "Add from catalog" in a real browser: `gatehouse serve`'s UI in Debian's Chromium, searching a local
// MCP Registry (real loopback HTTP, the registry's server.json documents), reading a server, answering
// what it needs with the keyboard, and adding @modelcontextprotocol/server-everything, which Gatehouse
// then runs with npx (from this project's node_modules; npm is pointed at a closed port, so nothing
// is downloaded). Screenshots: test-results/screenshots/catalog.png (copied to docs/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import {
  EVERYTHING_VERSION,
  fixtureEntriesPinned,
  npmWithoutRegistry,
  startLocalRegistry,
  type LocalRegistry,
} from '../support/registry-server.js';
import {
  buildRenderer,
  cell,
  dismissToasts,
  launchChromium,
  newWindow,
  openView,
  screenshot,
  signIn,
} from '../support/browser-support.js';
import { engineParts } from '../../main/core/engine/engine-parts.js';

let restoreNpm: (() => void) | undefined;

let renderer: ReturnType<typeof buildRenderer>;
let registry: LocalRegistry;
let fixture: EngineFixture;
let browser: Browser;
let context: BrowserContext;
let ui: Page;

beforeAll(async () => {
  restoreNpm = npmWithoutRegistry();
  renderer = buildRenderer();
  browser = await launchChromium();
  // The everything server.json names the version installed here, as its publisher's would.
  registry = await startLocalRegistry({ entries: fixtureEntriesPinned() });
  // Real time: the window in Chromium reads the real clock, and must agree with the engine's.
  fixture = await startEngine({ uiRoot: renderer.root, realTime: true });
  await fixture.engine.call('settings.set', { registryUrl: registry.url, port: fixture.engine.port });
  ({ context, page: ui } = await newWindow(browser));
  await signIn(ui, fixture.engine);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await fixture?.stop();
  await registry?.close();
  renderer?.remove();
  restoreNpm?.();
});

describe('Add from catalog in the window', () => {
  it('searches the registry, reads a server, and adds one that then runs', async () => {
    await openView(ui, 'Connectors');
    await ui.getByRole('button', { name: 'Browse the MCP Registry' }).click();
    const dialog = ui.getByRole('dialog', { name: 'Add from the MCP Registry' });
    const results = dialog.getByRole('list', { name: 'Servers' });
    await results.waitFor();
    expect(await results.getByRole('listitem').count()).toBe(7);

    // Keyboard only: the search box has focus when the dialog opens.
    await ui.keyboard.type('acme');
    await ui.keyboard.press('Enter');
    await dialog.getByText('5 servers matching “acme”.').waitFor();
    const weather = results
      .getByRole('listitem')
      .filter({ has: ui.getByRole('button', { name: 'Acme Weather', exact: true }) });
    expect(await weather.getByRole('link', { name: 'Repository' }).getAttribute('href')).toBe(
      'https://github.com/acme/weather-mcp',
    );
    await weather.getByRole('button', { name: 'Acme Weather' }).focus();
    await ui.keyboard.press('Enter');
    const heading = dialog.getByRole('heading', { level: 3, name: 'Acme Weather' });
    await heading.waitFor();
    expect(await heading.evaluate((node) => node.ownerDocument.activeElement === node)).toBe(true);
    const key = dialog.getByLabel('WEATHER_API_KEY (required, environment variable, secret)');
    expect(await key.getAttribute('type')).toBe('password');
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    await dialog.getByText('WEATHER_API_KEY is required (Your Acme Weather API key).').waitFor();
    expect(await key.evaluate((node) => node.ownerDocument.activeElement === node)).toBe(true);
    await ui.keyboard.type('wk-live-5f3a9c0e');
    await dialog
      .getByText('WEATHER_API_KEY is required (Your Acme Weather API key).')
      .waitFor({ state: 'detached' });
    // The whole server from its heading down, as the user reads it.
    await ui.locator('.modal-backdrop').evaluate((backdrop) => backdrop.scrollTo(0, 0));
    await screenshot(ui, 'catalog');

    // Back to the results, and the server this machine can run from node_modules.
    await dialog.getByRole('button', { name: '← Back to the results' }).click();
    const box = dialog.getByRole('searchbox', { name: 'Search servers by name' });
    await box.fill('everything');
    await box.press('Enter');
    await dialog.getByText('1 server matching “everything”.').waitFor();
    await results.getByRole('button', { name: 'Everything' }).click();
    // What will run is shown before anything starts (and again beside the way to run it).
    await dialog
      .getByRole('region', { name: 'What it will run' })
      .getByText(`npx -y @modelcontextprotocol/server-everything@${EVERYTHING_VERSION} stdio`)
      .waitFor();
    await dialog.getByLabel('EVERYTHING_TOKEN (optional, environment variable, secret)').fill('tok-123');
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await ui.getByText(/^Added everything from the MCP Registry \(connected, \d+ tools\)$/).waitFor();

    const table = ui.getByRole('table', { name: 'Connectors' });
    const row = table.getByRole('row', { name: /^everything\b/ });
    expect(await (await cell(table, row, 'Connection')).innerText()).toBe('Connected');
    const stored = await fixture.engine.call('connectors.get', { name: 'everything' });
    expect(stored.settings).toMatchObject({ command: 'npx', env: { EVERYTHING_TOKEN: '[stored]' } });
    expect(engineParts(fixture.engine).connectorStore.unsealed('everything')).toMatchObject({
      env: { EVERYTHING_TOKEN: 'tok-123' },
    });
    // The secret typed into the window never comes back to it.
    expect(await ui.content()).not.toContain('tok-123');
    await dismissToasts(ui);
    // Starting the server (npx, in the sandbox) may take its own 30 s on a loaded machine.
  }, 60_000);

  it('says in words when the registry cannot be reached', async () => {
    const closed = await startLocalRegistry({ entries: [] });
    await closed.close();
    await fixture.engine.call('settings.set', { registryUrl: closed.url });
    try {
      await ui.getByRole('button', { name: 'Add from catalog' }).click();
      const dialog = ui.getByRole('dialog', { name: 'Add from the MCP Registry' });
      const box = dialog.getByRole('searchbox', { name: 'Search servers by name' });
      await box.fill('weather');
      await box.press('Enter');
      const alert = dialog.getByRole('alert');
      await alert.getByText('The MCP Registry cannot be reached.').waitFor();
      expect(await alert.innerText()).toContain(
        `Cannot reach the registry at ${closed.url} (connection refused).`,
      );
      await ui.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await fixture.engine.call('settings.set', { registryUrl: registry.url });
    }
  });
});
