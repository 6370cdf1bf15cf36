// In real Chromium against a real engine: what a user changes about a client's access after the
// consent, and the words the window gives about it. A real SDK client's grant is changed in the
// client's details (Change…) and it loses a connector's tools at once; Revoke and refuse shows until
// when it refuses, and Stop refusing ends it; a rule naming a connector that does not exist is marked
// "Matches nothing" with the name meant; a task-only tool is marked as not offered; the Overview gives
// Claude Desktop this install's bridge; and at 900 px an approval's tool name and its countdown stay
// apart. Screenshots of each go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/client';
import type { Engine } from '../../main/core/engine/engine.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { authorizeClient } from '../support/oauth-client.js';
import {
  BROWSER_TESTS_SKIPPED,
  buildRenderer,
  dismissToasts,
  launchChromium,
  newWindow,
  openView,
  screenshot,
  seriousAccessibilityProblems,
  sidewaysOverflow,
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
  fixture = await startEngine({ uiRoot: renderer.root, approvalTimeoutMs: 120_000, realTime: true });
  engine = fixture.engine;
  await engine.call('settings.set', { accessCeiling: 'write' });
  for (const name of ['files', 'notes']) {
    const added = await engine.call('connectors.add', {
      name,
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    expect(added.status.connection).toBe('connected');
  }
  ({ context: uiContext, page: ui } = await newWindow(browser));
  await signIn(ui, engine);
}, 90_000);

afterAll(async () => {
  await uiContext?.close();
  await browser?.close();
  await fixture?.stop();
  renderer?.remove();
});

/** The client's details panel on the Clients page. */
async function details(name: string) {
  await openView(ui, 'Clients');
  await ui.getByRole('button', { name, exact: true }).click();
  return ui.getByRole('region', { name });
}

describe.skipIf(BROWSER_TESTS_SKIPPED !== undefined)("changing a client's access in the window", () => {
  it('Change… narrows the grant: the open session hears it and loses the connector’s tools at once', async () => {
    const { client } = await authorizeClient(engine, { access: 'write', name: 'Editor' });
    let heard = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void heard++);
    const names = async (c: Client) => (await c.listTools()).tools.map((tool) => tool.name);
    expect(await names(client)).toEqual(expect.arrayContaining(['files__echo', 'notes__echo']));
    const panel = await details('Editor');
    await panel.getByRole('button', { name: "Change Editor's grant" }).click();
    const dialog = ui.getByRole('dialog', { name: "Change Editor's grant" });
    await dialog.getByRole('radio', { name: 'Only the ones I choose' }).check();
    await dialog.getByRole('checkbox', { name: 'files' }).check();
    await dialog.getByRole('radio', { name: /^Read-only/ }).check();
    await screenshot(ui, 'client-grant-change');
    expect(await seriousAccessibilityProblems(ui)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save grant' }).click();
    await ui
      .getByText("Changed Editor's grant: all connectors → files; read & write → read-only")
      .first()
      .waitFor();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => heard).toBeGreaterThanOrEqual(1);
    const now = await names(client);
    expect(now).toContain('files__echo');
    expect(now.filter((name) => name.startsWith('notes__'))).toEqual([]);
    expect(await panel.innerText()).toMatch(/files · Read-only · granted/);
    await client.close();
  });

  it('Revoke and refuse shows until when it refuses; Stop refusing ends it', async () => {
    const { client } = await authorizeClient(engine, { name: 'Pushy' });
    const panel = await details('Pushy');
    await panel.getByRole('button', { name: 'Revoke and refuse for 1 hour: Pushy' }).click();
    const mark = panel.getByRole('note');
    await mark.waitFor();
    // An hour from 23:00 on is tomorrow: the date is said then.
    expect(await mark.innerText()).toMatch(
      /^You revoked it at \d\d:\d\d and refuse its requests until (\d{4}-\d\d-\d\d )?\d\d:\d\d, without asking you\./,
    );
    await dismissToasts(ui);
    await screenshot(ui, 'client-refused');
    expect(await seriousAccessibilityProblems(ui)).toEqual([]);
    await mark.getByRole('button', { name: 'Stop refusing' }).click();
    await mark.waitFor({ state: 'detached' });
    const { clientId } = (await engine.call('clients.list')).find((one) => one.name === 'Pushy')!;
    expect((await engine.call('clients.get', { clientId })).revoked).toBeNull();
    await client.close().catch(() => undefined);
  });
});

describe.skipIf(BROWSER_TESTS_SKIPPED !== undefined)('the words a new user reads', () => {
  it('a rule naming a connector that does not exist is marked "Matches nothing", with the name meant', async () => {
    await openView(ui, 'Settings');
    const form = ui.getByRole('form', { name: 'Add a rule' });
    await form.getByLabel('Connector').fill('fils');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const item = ui.locator('.rules-list li').first();
    await item.getByText('Matches nothing').waitFor();
    expect(await item.innerText()).toContain(
      'matches no connector: there is no connector named fils. Did you mean files?',
    );
    await dismissToasts(ui);
    await item.scrollIntoViewIfNeeded();
    await screenshot(ui, 'rules-matches-nothing');
    expect(await seriousAccessibilityProblems(ui)).toEqual([]);
    await engine.call('rules.set', { rules: [] });
  });

  it('a task-only tool is marked as not offered', async () => {
    await openView(ui, 'Tools');
    const row = ui.getByRole('row', { name: /files__simulate-research-query/ });
    const mark = row.getByText('Not offered: task-only');
    await mark.waitFor();
    expect(await mark.getAttribute('title')).toMatch(/^It runs only as a task/);
    await row.scrollIntoViewIfNeeded();
    await screenshot(ui, 'tools-task-only');
    expect(await seriousAccessibilityProblems(ui)).toEqual([]);
  });

  it("the Overview gives Claude Desktop this install's bridge, as Connect a client does", async () => {
    await openView(ui, 'Overview');
    const recipes = await engine.call('setup.recipes', {});
    const desktop = recipes.find((recipe) => recipe.client === 'claude-desktop')!.snippet;
    expect(desktop).toContain(JSON.stringify(process.execPath));
    await ui.locator('pre', { hasText: '"mcpServers"' }).first().waitFor();
    expect(await ui.locator('pre').allInnerTexts()).toContain(desktop);
    await ui.getByRole('heading', { name: 'Claude Desktop' }).scrollIntoViewIfNeeded();
    await screenshot(ui, 'overview-recipes');
  });

  it('at 900 px, an approval’s tool name and its countdown stay apart', async () => {
    await engine.call('tools.set', {
      connector: 'files',
      tool: 'trigger-long-running-operation',
      approval: 'ask',
    });
    const { client } = await authorizeClient(engine, { access: 'write', name: 'Caller' });
    const call = client
      .callTool({ name: 'files__trigger-long-running-operation', arguments: { duration: 1, steps: 1 } })
      .catch(() => undefined);
    const { context, page } = await newWindow(browser);
    try {
      await page.setViewportSize({ width: 900, height: 700 });
      await signIn(page, engine);
      // The dialog every page shows first; "Later" leaves the call waiting on its own page.
      await page.getByRole('alertdialog').getByRole('button', { name: 'Later' }).click();
      await page.getByRole('button', { name: 'Menu' }).click();
      await openView(page, 'Approvals');
      const card = page.getByRole('article', { name: 'files__trigger-long-running-operation' });
      await card.waitFor();
      const name = (await card.locator('.approval-header h2').boundingBox())!;
      const countdown = (await card.locator('.approval-header .countdown').boundingBox())!;
      // Side by side with room between them, or the countdown on a line of its own.
      const apart = countdown.x >= name.x + name.width + 8 || countdown.y >= name.y + name.height - 1;
      expect({ name, countdown, apart }).toMatchObject({ apart: true });
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, 'approvals-900px');
      await card.getByRole('button', { name: 'Deny' }).click();
      await call;
    } finally {
      await context.close();
      await client.close();
    }
  });
});
