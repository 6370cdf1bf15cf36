// The window in a real browser: `gatehouse serve`'s UI at /ui/, signed in with a one-time link, driven
// by clicks in Debian's Chromium, while a real MCP SDK client registers, waits for consent, calls
// tools through Gatehouse to the real server-everything, and loses access on Revoke. The consent is
// given only in the UI (never through the API), as a user would. Screenshots of every main view go to
// test-results/screenshots/ (the README shows copies from docs/screenshots/).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Engine } from '../../main/core/engine/engine.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens } from '../support/raw-oauth.js';
import { CALLBACK, RecordingOAuthProvider } from '../support/oauth-client.js';
import {
  BROWSER_TESTS_SKIPPED,
  buildRenderer,
  cell,
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

const rugPull = join(import.meta.dirname, '..', 'fixtures', 'rug-pull-server.mjs');
const CLIENT_NAME = 'Claude Code';

let renderer: ReturnType<typeof buildRenderer>;
let fixture: EngineFixture;
let engine: Engine;
let browser: Browser;
/** The Gatehouse window. */
let ui: Page;
let uiContext: BrowserContext;
// The home directory Connect a client looks in: Claude Desktop, Claude Code and VS Code installed
// (their config places exist), Cursor not. Never the real one.
const home = mkdtempSync(join(tmpdir(), 'gatehouse-ui-home-'));

/** What the engine keeps of a tool (not what the window shows while it saves). */
const savedTool = async (exposedName: string) =>
  (await engine.call('tools.list', {})).find((tool) => tool.exposedName === exposedName);

/** A client's authorization, started by the SDK and waiting in the client's browser. */
interface PendingAuthorization {
  provider: RecordingOAuthProvider;
  transport: StreamableHTTPClientTransport;
  /** The user's browser (a separate profile from the Gatehouse window), on the consent page. */
  page: Page;
  context: BrowserContext;
  /** Resolves to the URL the consent page finally sends the browser to (the client's redirect URI). */
  landed: Promise<URL>;
}

/**
 * What an MCP client does on its first connect: 401 → discovery → registration → /authorize in the
 * user's browser, which shows the consent page with its match code and waits.
 */
async function startAuthorization(name: string): Promise<PendingAuthorization> {
  const provider = new RecordingOAuthProvider({ client_name: name });
  const transport = new StreamableHTTPClientTransport(new URL(engine.mcpUrl), { authProvider: provider });
  const probe = new Client({ name: 'ui-flow', version: '1.0.0' });
  const refused = await probe.connect(transport).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).toBeDefined();
  const { context, page } = await newWindow(browser);
  // Nothing listens on the client's redirect URI: answer it here and keep the URL it was sent to.
  let land: (url: URL) => void = () => undefined;
  const landed = new Promise<URL>((resolveLanded) => (land = resolveLanded));
  await context.route(
    (url) => url.href.startsWith(CALLBACK),
    async (route) => {
      land(new URL(route.request().url()));
      await route.fulfill({ contentType: 'text/html', body: '<p>Signed in; you can close this tab.</p>' });
    },
  );
  await page.goto(provider.authorizationUrl!.href);
  await page.getByRole('heading', { name: 'Approve this request in Gatehouse' }).waitFor();
  return { provider, transport, page, context, landed };
}

/** Finishes the client's side once its browser came back with a code: tokens, then a live session. */
async function connectClient(
  pending: PendingAuthorization,
  fetchSpy?: typeof fetch,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const code = (await pending.landed).searchParams.get('code');
  expect(code).toBeTruthy();
  await pending.transport.finishAuth(code!);
  const transport = new StreamableHTTPClientTransport(new URL(engine.mcpUrl), {
    authProvider: pending.provider,
    ...(fetchSpy ? { fetch: fetchSpy } : {}),
  });
  const client = new Client({ name: 'ui-flow', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** Opens a page through the folded navigation of a narrow window. */
async function openViewFolded(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await openView(page, label);
}

beforeAll(async () => {
  if (BROWSER_TESTS_SKIPPED) return;
  renderer = buildRenderer();
  browser = await launchChromium();
  mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ numStartups: 3, mcpServers: {} }, null, 2));
  // Real time: the window in Chromium reads the real clock, and must agree with the engine's.
  fixture = await startEngine({
    realTime: true,
    uiRoot: renderer.root,
    clientSetup: { platform: 'linux', home, env: { HOME: home } },
  });
  engine = fixture.engine;
  // The port setting says where this engine listens (tests take a free one), so Settings reads true.
  await engine.call('settings.set', { accessCeiling: 'write', port: engine.port });
  const stdio = (args: string[]) => ({ kind: 'stdio' as const, command: process.execPath, args });
  const [added] = await Promise.all([
    engine.call('connectors.add', { name: 'everything', settings: stdio([EVERYTHING, 'stdio']) }),
    engine.call('connectors.add', { name: 'rugpull', settings: stdio([rugPull]) }),
  ]);
  expect(added.status.connection).toBe('connected');
  ({ context: uiContext, page: ui } = await newWindow(browser));
  await signIn(ui, engine);
}, 60_000);

// Nothing the window did may have failed: a failed action shows as an error toast. A test that
// failed half-way may leave a consent open; it must not cover the window for the next test.
afterEach(async () => {
  if (!engine || !ui) return;
  for (const consent of await engine.call('consents.list'))
    await engine.call('consents.deny', { id: consent.id });
  expect(await ui.locator('.toast-error').allInnerTexts()).toEqual([]);
});

afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  await uiContext?.close();
  await browser?.close();
  await fixture?.stop();
  renderer?.remove();
});

// `npm test` printed why when it sets this (Chromium missing and not installable here).
describe.skipIf(BROWSER_TESTS_SKIPPED !== undefined)('the Gatehouse window in a browser', () => {
  it('takes a client from consent to revoke, every decision made with clicks in the UI', async () => {
    // The Clients page stays open from here to the client's first call: everything on it is live.
    await openView(ui, 'Clients');
    await ui.getByRole('status').filter({ hasText: 'No clients yet' }).waitFor();
    const clientsTable = ui.getByRole('table', { name: 'Registered clients' });
    const clientRow = clientsTable.getByRole('row', { name: new RegExp(CLIENT_NAME) });

    // 1. A real SDK client registers and asks; the consent pops up in the window with the same code.
    const pending = await startAuthorization(CLIENT_NAME);
    const browserCode = (await pending.page.locator('.code').innerText()).trim();
    expect(browserCode).toMatch(/\S{4,}/);
    await screenshot(pending.page, 'consent-browser-page');
    const dialog = ui.getByRole('dialog', { name: `${CLIENT_NAME} asks for access` });
    await dialog.waitFor();
    expect((await dialog.locator('.match-code').innerText()).trim()).toBe(browserCode);
    await expect(dialog.getByRole('radio', { name: /^Read-only/ }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('radio', { name: /^Read & write/ }).check();
    await screenshot(ui, 'consent-dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui
      .getByRole('status')
      .filter({ hasText: `Approved ${CLIENT_NAME}: read & write` })
      .waitFor();
    // The client's browser page continues by itself to the redirect URI, with a code. From here on
    // the client's own requests are recorded, as it sees them.
    const requests: Array<{ method: string; url: string; status: number }> = [];
    const spy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      requests.push({ method: init?.method ?? 'GET', url, status: response.status });
      return response;
    };
    const { client } = await connectClient(pending, spy);
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    expect(listed).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum']));
    await pending.context.close();

    // 2. A call, and the Clients page shows (without a reload) last used, active tokens, read & write.
    expect(
      (await client.callTool({ name: 'everything__echo', arguments: { message: 'hello' } })).content,
    ).toEqual([{ type: 'text', text: 'Echo: hello' }]);
    const lastUsed = await cell(clientsTable, clientRow, 'Last used');
    await expect.poll(() => lastUsed.innerText()).toBe('just now');
    const tokens = await cell(clientsTable, clientRow, 'Tokens');
    await expect.poll(async () => Number(await tokens.innerText())).toBeGreaterThan(0);
    await expect
      .poll(async () => (await cell(clientsTable, clientRow, 'Connectors and access')).innerText())
      .toBe('All connectors · Read & write');
    expect(await (await cell(clientsTable, clientRow, 'Registered')).innerText()).toBe('DCR');
    expect(await (await cell(clientsTable, clientRow, 'Sessions')).innerText()).toBe('1');
    await dismissToasts(ui);
    await clientRow.getByRole('button', { name: CLIENT_NAME, exact: true }).click();
    await ui
      .getByRole('region', { name: CLIENT_NAME, exact: true })
      .getByText('everything/echo')
      .first()
      .waitFor();
    await screenshot(ui, 'clients');
    await ui.getByRole('button', { name: 'Close details' }).click();

    // A server changes a tool under the user ("rug pull"): it is held, and the Tools page shows why.
    const listChanged = new Promise<void>((done) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => done()),
    );
    await client.callTool({ name: 'rugpull__rewrite', arguments: {} });
    await listChanged;
    await openView(ui, 'Tools');
    await ui.getByRole('heading', { name: 'rugpull__forecast changed upstream' }).waitFor();
    await ui.getByRole('combobox', { name: /^Connector/ }).selectOption('rugpull');
    await ui.getByRole('heading', { level: 2, name: 'rugpull' }).waitFor();
    await expect(ui.getByRole('heading', { level: 2, name: 'everything' }).count()).resolves.toBe(0);
    await screenshot(ui, 'tools-held');
    await ui.getByRole('combobox', { name: /^Connector/ }).selectOption('');

    // 3. A tool switched off in the Tools page disappears from the client's tools/list.
    const sum = ui.getByRole('switch', { name: 'Enable everything__get-sum' });
    expect(await sum.isChecked()).toBe(true);
    const toolsChanged = new Promise<void>((done) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => done()),
    );
    // The switch's track is what one sees and clicks; the label passes the click to the checkbox.
    await sum.locator('xpath=..').click();
    await expect.poll(() => sum.isChecked()).toBe(false);
    await toolsChanged;
    await expect
      .poll(async () => (await client.listTools()).tools.map((tool) => tool.name))
      .not.toContain('everything__get-sum');
    expect(await client.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 2 } })).toMatchObject({
      isError: true,
    });
    await dismissToasts(ui);
    await screenshot(ui, 'tools');

    // 4. Echo set to Ask: the call waits, shows under Approvals, and completes on Allow once.
    const ask = ui.getByRole('combobox', { name: 'Ask before each call: everything__echo' });
    await ask.selectOption('ask');
    await expect.poll(() => ask.inputValue()).toBe('ask');
    // The select shows the choice at once and saves it in the background: call only once the engine has it,
    // or a loaded machine lets the call through before the setting lands.
    await expect
      .poll(async () => (await savedTool('everything__echo'))?.approval, { timeout: 15_000 })
      .toBe('ask');
    const waiting = client.callTool({
      name: 'everything__echo',
      arguments: { message: 'may I?', apiKey: 'sk-live-abcdefghijklmnopqrstuvwxyz0123' },
    });
    let settled = false;
    void waiting.finally(() => (settled = true));
    await ui.getByRole('link', { name: 'Approvals 1 waiting' }).waitFor();
    // It comes forward over the Tools page; Later leaves it on Approvals (test/browser/waiting-requests
    // answers one from the dialog).
    const forward = ui.getByRole('alertdialog', { name: `${CLIENT_NAME} wants to call everything__echo` });
    await forward.getByRole('button', { name: 'Later' }).click();
    await forward.waitFor({ state: 'detached' });
    await openView(ui, 'Approvals');
    const card = ui.getByRole('article', { name: 'everything__echo' });
    await card.waitFor();
    expect(await card.innerText()).toContain(CLIENT_NAME);
    const shownArguments = await card.getByLabel('Arguments').innerText();
    expect(JSON.parse(shownArguments)).toEqual({ message: 'may I?', apiKey: '[redacted]' });
    expect(settled).toBe(false);
    await screenshot(ui, 'approvals');
    await card.getByRole('button', { name: 'Allow once' }).click();
    expect((await waiting).content).toEqual([{ type: 'text', text: 'Echo: may I?' }]);
    await ui
      .getByRole('status')
      .filter({ hasText: `Allowed ${CLIENT_NAME}'s call to everything__echo once` })
      .waitFor();
    await card.waitFor({ state: 'detached' });

    // The Activity page lists the calls with their decisions and who decided.
    await dismissToasts(ui);
    await openView(ui, 'Activity');
    const activity = ui.getByRole('table', { name: 'Audit log, newest first' });
    const approved = activity.getByRole('row').filter({ hasText: 'everything/echo' }).first();
    await approved.waitFor();
    expect(await (await cell(activity, approved, 'Decision')).innerText()).toBe('Allowed');
    // Under the reason: who decided, how long it took, how it ended.
    const approvedReason = await cell(activity, approved, 'Reason');
    expect(await approvedReason.locator('.event-meta-by').innerText()).toBe('Ask setting (you: once)');
    // In words: "850 ms", "4.2 s", "2 min 5 s" — never thousands of ms.
    expect(await approvedReason.locator('.event-meta-took').innerText()).toMatch(
      /^(\d{1,3} ms|\d+(\.\d)? s|\d+ min( \d+ s)?)$/,
    );
    expect(await approvedReason.locator('.event-meta-outcome').innerText()).toBe('ok');
    const refused = activity.getByRole('row').filter({ hasText: 'everything/get-sum' }).first();
    expect(await (await cell(activity, refused, 'Decision')).innerText()).toBe('Denied');
    expect(await (await cell(activity, refused, 'Reason')).locator('.event-meta-by').innerText()).toBe(
      'Tool off',
    );
    // Every column is in view at 1280 px: nothing scrolls sideways.
    expect(
      await ui
        .locator('.activity-table')
        .evaluate((table) => table.scrollWidth <= table.parentElement!.clientWidth),
    ).toBe(true);
    await screenshot(ui, 'activity');

    // The Connectors page: everything connected, with as many tools as it lists.
    await openView(ui, 'Connectors');
    const connectorsTable = ui.getByRole('table', { name: 'Connectors' });
    const everythingRow = connectorsTable.getByRole('row', { name: /^everything\b/ });
    expect(await (await cell(connectorsTable, everythingRow, 'Connection')).innerText()).toBe('Connected');
    const { toolCount } = await engine.call('connectors.get', { name: 'everything' });
    expect(toolCount).toBeGreaterThan(5);
    expect(await (await cell(connectorsTable, everythingRow, 'Tools')).innerText()).toBe(String(toolCount));
    const rugRow = connectorsTable.getByRole('row', { name: /^rugpull\b/ });
    expect(await (await cell(connectorsTable, rugRow, 'Tools')).innerText()).toContain('(1 held)');
    await screenshot(ui, 'connectors');

    // Settings shows the ceiling the engine enforces (and the header strip repeats it).
    await openView(ui, 'Settings');
    const ceiling = ui.getByRole('group', { name: 'Access ceiling' });
    await expect(ceiling.getByRole('radio', { name: /^Read & write/ }).isChecked()).resolves.toBe(true);
    expect(await ui.locator('.status-ceiling').innerText()).toContain('Read & write');
    await screenshot(ui, 'settings');

    await openView(ui, 'Overview');
    // The rugpull change is still held: the overview counts it as waiting, with a link to Tools.
    await ui.getByRole('link', { name: '1 tool changed upstream and is held for your review' }).waitFor();
    await screenshot(ui, 'overview');

    // 5. Revoke, one click: the toast says what it did; the client's next request gets 401.
    await openView(ui, 'Clients');
    await clientRow.getByRole('button', { name: `Revoke ${CLIENT_NAME}` }).click();
    await ui
      .getByRole('status')
      .filter({ hasText: new RegExp(`^Revoked ${CLIENT_NAME}: \\d+ tokens? revoked, 1 session closed`) })
      .waitFor();
    await expect.poll(async () => (await cell(clientsTable, clientRow, 'Tokens')).innerText()).toBe('0');
    expect(await (await cell(clientsTable, clientRow, 'Connectors and access')).innerText()).toContain(
      'No access',
    );
    await screenshot(ui, 'clients-revoked');
    requests.length = 0;
    // The session is gone and the token with it: 401. Its refresh token was revoked too, so the SDK's
    // refresh attempt is refused (invalid_grant, saying the user revoked it) and the client must ask
    // for consent again.
    await expect(client.listTools()).rejects.toThrow(/You revoked this client in Gatehouse/);
    expect(requests.find((request) => request.method === 'POST' && request.url === engine.mcpUrl)).toEqual({
      method: 'POST',
      url: engine.mcpUrl,
      status: 401,
    });
    const refreshes = requests.filter((request) => request.url.endsWith('/token'));
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((request) => request.status === 400)).toBe(true);
    const raw = await fetch(engine.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${pending.provider.savedTokens!.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata=/);
    await client.close();
  }, 60_000);

  it('sends the client away with access_denied when the user clicks Deny', async () => {
    const pending = await startAuthorization('Unwanted Agent');
    const dialog = ui.getByRole('dialog', { name: 'Unwanted Agent asks for access' });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.getByRole('status').filter({ hasText: 'Denied Unwanted Agent' }).waitFor();
    const landed = await pending.landed;
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('code')).toBeNull();
    await pending.context.close();
  });

  it('keeps the UI and its API shut without a sign-in, and a link works once', async () => {
    const { url } = await engine.call('ui.link');
    expect((await fetch(`${engine.issuer}/ui/`)).status).toBe(401);
    expect(
      (await fetch(`${engine.issuer}/api/rpc/clients.list`, { method: 'POST', body: '{}' })).status,
    ).toBe(401);
    const { context, page } = await newWindow(browser);
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Gatehouse' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'gatehouse_ui')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    // The page token left the address before the window routed; the cookie alone, replayed outside
    // the browser as another local server that received it could, opens nothing.
    expect(page.url()).not.toContain('gatehouse-session');
    const cookie = cookies.find((candidate) => candidate.name === 'gatehouse_ui')!;
    const replayed = await fetch(`${engine.issuer}/api/rpc/clients.list`, {
      method: 'POST',
      headers: { cookie: `gatehouse_ui=${cookie.value}` },
      body: '{}',
    });
    expect(replayed.status).toBe(401);
    const { page: other } = await newWindow(browser);
    const reused = await other.goto(url);
    expect(reused?.status()).toBe(403);
    await other.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    // Words, not Markdown: no literal backticks on the page.
    expect(await other.locator('body').innerText()).not.toContain('`');
    await context.close();
    await other.context().close();
  });

  it('connects Claude Code with one click and undoes it, writing only its entry', async () => {
    await openView(ui, 'Connect a client');
    const card = ui.getByRole('article', { name: 'Claude Code' });
    await card.getByText('No Gatehouse entry').waitFor();
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    await card.getByRole('status').filter({ hasText: 'Connected.' }).waitFor();
    await card.getByText('Has the Gatehouse entry').waitFor();
    const written = JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')) as {
      numStartups: number;
      mcpServers: Record<string, { type: string; url: string }>;
    };
    expect(written).toEqual({
      numStartups: 3,
      mcpServers: {
        gatehouse: { type: 'http', url: engine.mcpUrl, headers: { 'X-Gatehouse-Client': 'claude-code' } },
      },
    });
    // A client named "Claude Code" has been connected all along: its name proves nothing.
    await card.getByText('Not connected yet').waitFor();
    // Claude Code starts with the entry, which sends its marker: now it is connected.
    const tokens = await obtainTokens(engine, { access: 'read' });
    const opened = await mcpPost(engine, tokens.accessToken, initializeMessage, '/mcp', {
      'X-Gatehouse-Client': 'claude-code',
    });
    expect(opened.status).toBe(200);
    await card.getByText('Connected', { exact: true }).waitFor();
    await card.getByText(/^Connected now, as Raw Client; last request/).waitFor();
    await dismissToasts(ui);
    await screenshot(ui, 'connect-a-client');
    await card.getByRole('button', { name: 'Undo' }).click();
    await card.getByRole('button', { name: 'Connect', exact: true }).waitFor();
    expect(JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8'))).toEqual({
      numStartups: 3,
      mcpServers: {},
    });
    // Undo leaves the file as it was, and no backup beside it.
    expect(readdirSync(home).filter((name) => name.includes('.gatehouse-backup-'))).toEqual([]);
    await dismissToasts(ui);
  });

  // Twenty views' axe runs: a loaded machine needs more than the default bound. The clean-clone CI has taken
  // 44–99 s, beside the other browser files and the conformance suites; alone it takes about 20 s.
  it('fits 900 and 1280 px without sideways scrolling, and axe finds nothing serious on any view', async () => {
    const views: Array<[string, string]> = [
      ['Overview', 'Overview'],
      ['Connect a client', 'Connect a client'],
      ['Clients', 'Clients'],
      ['Consent requests', 'Consent requests'],
      ['Approvals', 'Approvals'],
      ['Registrations', 'Registrations'],
      ['Connectors', 'Connectors'],
      ['Tools', 'Tools'],
      ['Activity', 'Activity'],
      ['Settings', 'Settings'],
    ];
    // A client whose long name must wrap rather than push Revoke out of the window.
    await engine.call('clients.register', {
      name: 'A command-line agent with a rather long name',
      redirectUris: ['https://agent.example/callback'],
    });
    for (const width of [900, 1280]) {
      const { context, page } = await newWindow(browser);
      await page.setViewportSize({ width, height: 800 });
      await signIn(page, engine);
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await menu.isVisible()).toBe(width === 900);
      for (const [label, heading] of views) {
        // At 900 px the navigation is folded: the Menu button opens it, choosing a page folds it.
        if (width === 900) await menu.click();
        await openView(page, label, heading);
        if (width === 900) expect(await menu.getAttribute('aria-expanded')).toBe('false');
        expect({ width, label, overflow: await sidewaysOverflow(page) }).toEqual({
          width,
          label,
          overflow: 0,
        });
        expect({ width, label, problems: await seriousAccessibilityProblems(page) }).toEqual({
          width,
          label,
          problems: [],
        });
      }
      if (width === 900) {
        // Every action is in reach: Revoke on Clients, the switches and menus on Tools.
        await openViewFolded(page, 'Clients');
        const clientsTable = page.getByRole('table', { name: 'Registered clients' });
        const revoke = clientsTable.getByRole('button', {
          name: 'Revoke A command-line agent with a rather long name',
        });
        const box = await revoke.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(900);
        await openViewFolded(page, 'Tools');
        const toggle = page.getByRole('switch', { name: 'Enable everything__echo' });
        expect(await toggle.isVisible()).toBe(true);
        expect(
          await page.getByRole('combobox', { name: 'Ask before each call: everything__echo' }).isVisible(),
        ).toBe(true);
        // Space on a switch toggles it and the keyboard focus stays there.
        const before = await toggle.isChecked();
        await toggle.focus();
        await page.keyboard.press('Space');
        await expect.poll(() => toggle.isChecked()).toBe(!before);
        expect(await toggle.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(
          true,
        );
        // Pressed again at once, while the row may still save the first press: it ends where the second
        // press put it, and that is what the engine keeps.
        await page.keyboard.press('Space');
        await expect.poll(() => toggle.isChecked()).toBe(before);
        const row = toggle.locator('xpath=ancestor::tr');
        await expect.poll(() => row.getAttribute('aria-busy'), { timeout: 15_000 }).toBeNull();
        expect(await toggle.isChecked()).toBe(before);
        expect((await savedTool('everything__echo'))?.enabled).toBe(before);
        await dismissToasts(page);
        await screenshot(page, 'tools-900px');
        // The add-connector form, with its rows, fits and passes axe too.
        await openViewFolded(page, 'Connectors');
        await page.getByRole('button', { name: 'Add connector' }).click();
        const form = page.getByRole('dialog', { name: 'Add a connector' });
        await form.getByRole('button', { name: 'Add argument' }).click();
        await form.getByRole('button', { name: 'Add variable' }).click();
        expect(await sidewaysOverflow(page)).toBe(0);
        expect(await seriousAccessibilityProblems(page)).toEqual([]);
        await form.getByRole('button', { name: 'Cancel' }).click();
      }
      await context.close();
    }
  }, 180_000);

  it('renders in dark mode', async () => {
    const { context, page } = await newWindow(browser, 'dark');
    await signIn(page, engine);
    await openView(page, 'Connectors');
    await page
      .getByRole('table', { name: 'Connectors' })
      .getByRole('row', { name: /^everything\b/ })
      .waitFor();
    const background = String(
      await page.evaluate('getComputedStyle(document.documentElement).backgroundColor'),
    );
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(60);
    await screenshot(page, 'connectors-dark');
    await context.close();
  }, 90_000);

  it("fails with how to install Debian's chromium when Chromium is missing", async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      /need Chromium at \/nonexistent\/chromium.*apt-get install -y --no-install-recommends chromium/s,
    );
  });
});
