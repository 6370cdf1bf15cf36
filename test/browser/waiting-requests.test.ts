// In real Chromium, on a page that is not Approvals: a real MCP client's call to a tool set to "ask"
// comes forward as a dialog naming client, connector, tool and arguments, and Allow once lets the call
// through; with registration set to "ask", a real registration (RFC 7591) comes forward the same way
// and Allow lets it register. Tokens come from the raw OAuth helpers; the answers only from clicks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Engine } from '../../main/core/engine/engine.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { obtainTokens, register } from '../support/raw-oauth.js';
import {
  BROWSER_TESTS_SKIPPED,
  buildRenderer,
  launchChromium,
  newWindow,
  openView,
  signIn,
} from '../support/browser-support.js';
import { EVERYTHING } from '../support/real-servers.js';

let renderer: ReturnType<typeof buildRenderer>;
let fixture: EngineFixture;
let engine: Engine;
let browser: Browser;
let ui: Page;
let uiContext: BrowserContext;

beforeAll(async () => {
  if (BROWSER_TESTS_SKIPPED) return;
  renderer = buildRenderer();
  browser = await launchChromium();
  // Real time: the window in Chromium reads the real clock, and must agree with the engine's.
  fixture = await startEngine({ uiRoot: renderer.root, realTime: true });
  engine = fixture.engine;
  await engine.call('settings.set', { accessCeiling: 'write' });
  const added = await engine.call('connectors.add', {
    name: 'everything',
    settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
  });
  expect(added.status.connection).toBe('connected');
  await engine.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'ask' });
  ({ context: uiContext, page: ui } = await newWindow(browser));
  await signIn(ui, engine);
}, 60_000);

afterAll(async () => {
  await uiContext?.close();
  await browser?.close();
  await fixture?.stop();
  renderer?.remove();
});

describe.skipIf(BROWSER_TESTS_SKIPPED !== undefined)('what waits comes forward on any page', () => {
  it('a tool call waiting for approval: a dialog with client, connector, tool and arguments; Allow once', async () => {
    await openView(ui, 'Connectors');
    const tokens = await obtainTokens(engine, { access: 'write' });
    const client = new Client({ name: 'waiting-requests', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(engine.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${tokens.accessToken}` } },
      }),
    );
    try {
      const call = client.callTool({
        name: 'everything__echo',
        arguments: { message: 'from the browser test' },
      });
      const dialog = ui.getByRole('alertdialog', { name: 'Raw Client wants to call everything__echo' });
      await dialog.waitFor();
      expect(await dialog.locator('dl.facts').innerText()).toMatch(
        /Client\s+Raw Client\s+Connector\s+everything\s+Tool\s+everything__echo/,
      );
      expect(JSON.parse(await dialog.getByLabel('Arguments').innerText())).toEqual({
        message: 'from the browser test',
      });
      // The page under it is still the one the user was on.
      expect(await ui.getByRole('heading', { level: 1 }).innerText()).toBe('Connectors');
      await dialog.getByRole('button', { name: 'Allow once' }).click();
      expect((await call).content).toEqual([{ type: 'text', text: 'Echo: from the browser test' }]);
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await client.close();
    }
  });

  it('a registration waiting under "Ask": a dialog; Allow lets it register', async () => {
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    await openView(ui, 'Activity');
    const registering = register(engine, { client_name: 'Windsurf' });
    const dialog = ui.getByRole('alertdialog', { name: 'Windsurf wants to register' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Allow' }).click();
    expect((await registering).status).toBe(201);
    await dialog.waitFor({ state: 'detached' });
  });
});
