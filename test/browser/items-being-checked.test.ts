// In real Chromium against a real engine whose import of first sight waits for the test: what the
// window shows of the prompts, templates and server instructions the real hostile server
// (test/fixtures/first-sight-server.mjs) lists while first sight is still loading. Until the load is
// done, the Tools page names each apart, in the app's own words, as being checked — no reasons, no
// Accept or Keep blocked — and says why no tool is listed yet; no count of what waits for the user
// includes them (the navigation, the Overview, which says nothing is waiting, and no toast); axe-core
// finds nothing serious on the page. Once loaded, without a reload, the poisoned ones are held for
// review with their reasons and answers, the clean ones are named nowhere, and every count, the
// Overview and a toast include what was held. The window learns of them from the engine's
// tools.changed, told as soon as a listing waits for first sight (connector-manager.ts, `checking`).
// The core of it (engine, CLI, SDK client) is test/core/engine/items-being-checked.test.ts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Engine } from '../../main/core/engine/engine.js';
import type { FirstSightScanner } from '../../main/core/policy/first-sight-loader.js';
import {
  FIRST_SIGHT_CHECKING_TEXT,
  FIRST_SIGHT_RULE_WORDS,
  TOOLS_BEING_CHECKED_TEXT,
} from '../../main/core/text.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { obtainTokens } from '../support/raw-oauth.js';
import {
  BROWSER_TESTS_SKIPPED,
  buildRenderer,
  launchChromium,
  newWindow,
  openView,
  seriousAccessibilityProblems,
  signIn,
} from '../support/browser-support.js';
import { FIXTURES } from '../support/paths.js';

const hostile = {
  kind: 'stdio' as const,
  command: process.execPath,
  args: [join(FIXTURES, 'first-sight-server.mjs')],
  env: { FIRST_SIGHT_INSTRUCTIONS: 'poisoned' },
};

/** How the window names each item the server lists besides its tools (held-item-review.tsx). */
const ITEMS = {
  review: 'Prompt review of hostile',
  summarize: 'Prompt summarize of hostile',
  files: 'Resource template file of hostile',
  notes: 'Resource template note of hostile',
  instructions: 'The server instructions of hostile',
};
/** What first sight holds once loaded: the poisoned items and tools, as their cards are named. */
const HELD = [
  ...[ITEMS.review, ITEMS.notes, ITEMS.instructions],
  ...['hostile__add', 'hostile__translate', 'hostile__convert'],
].map((name) => `${name} held on first sight`);

// Slow steps (a server's start, loading first sight) on a busy machine: waits on them get this long.
const SLOW = { timeout: 45_000 };

let renderer: ReturnType<typeof buildRenderer>;
let fixture: EngineFixture;
let engine: Engine;
let browser: Browser;
/** Lets first sight load: until then, its import waits. */
let openGate!: () => void;
/** Two windows, each left on its page from first listing to judgement: the Tools page, the Overview. */
let tools: Page;
let overview: Page;
const contexts: BrowserContext[] = [];
/** Full page loads after signing in: the windows must update by themselves, never by a reload. */
let reloads = 0;

beforeAll(async () => {
  if (BROWSER_TESTS_SKIPPED) return;
  renderer = buildRenderer();
  browser = await launchChromium();
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const loadFirstSight = async (): Promise<FirstSightScanner> => {
    await gate;
    return import('../../main/core/policy/first-sight.js');
  };
  // Real time: the window in Chromium reads the real clock, and must agree with the engine's.
  fixture = await startEngine({ uiRoot: renderer.root, realTime: true, loadFirstSight });
  engine = fixture.engine;
  // A registered client: the Overview speaks to a user past setup, and says when nothing waits.
  await obtainTokens(engine);
  for (const view of ['Tools', 'Overview']) {
    const { context, page } = await newWindow(browser);
    contexts.push(context);
    await signIn(page, engine);
    await openView(page, view);
    page.on('load', () => reloads++);
    if (view === 'Tools') tools = page;
    else overview = page;
  }
}, 90_000);

afterAll(async () => {
  openGate?.();
  for (const context of contexts) await context.close();
  await browser?.close();
  await fixture?.stop();
  renderer?.remove();
});

/** The left navigation, whose links carry a "n waiting" count where something waits for the user. */
const navigation = (page: Page) => page.getByRole('navigation', { name: 'Gatehouse' });

/** The cards of what is held for review on the Tools page, by name. */
const heldCards = (page: Page) => page.getByRole('article', { name: /held on first sight$/ });

describe.skipIf(BROWSER_TESTS_SKIPPED !== undefined)('items listed while first sight loads', () => {
  it('are named as being checked, counted nowhere, then held with reasons and answers', async () => {
    const adding = engine.call('connectors.add', { name: 'hostile', settings: hostile });

    // 1. While first sight loads: every item named apart, in the app's words, as being checked.
    const checking = tools.getByRole('region', { name: FIRST_SIGHT_CHECKING_TEXT.label });
    await checking.waitFor(SLOW);
    await expect
      .poll(async () => (await checking.getByRole('listitem').allInnerTexts()).sort(), SLOW)
      .toEqual(Object.values(ITEMS).sort());
    await checking.getByText(FIRST_SIGHT_CHECKING_TEXT.detail).waitFor();
    // Nothing to answer, nothing held for review.
    expect(await checking.getByRole('button').count()).toBe(0);
    for (const name of ['Accept', 'Keep blocked', 'Disable'])
      expect(await tools.getByRole('button', { name }).count()).toBe(0);
    expect(await tools.getByRole('heading', { name: 'Held for review' }).count()).toBe(0);
    expect(await heldCards(tools).count()).toBe(0);
    // Its tools wait out of the list with them, and the page says so.
    await tools
      .getByRole('status')
      .filter({ hasText: 'No tools yet' })
      .filter({ hasText: TOOLS_BEING_CHECKED_TEXT })
      .waitFor();
    // No count includes them: not the navigation's, in either window.
    for (const page of [tools, overview]) {
      await navigation(page).getByRole('link', { name: 'Tools', exact: true }).waitFor();
      expect(
        await navigation(page)
          .getByRole('link', { name: /waiting/ })
          .count(),
      ).toBe(0);
    }
    // The Overview says nothing waits (it shows once the connector is there), with no held count,
    // and no toast told of anything held.
    await overview.getByText('Nothing is waiting for you.').waitFor(SLOW);
    expect(await overview.getByRole('link', { name: /held on first sight/ }).count()).toBe(0);
    expect(await overview.getByRole('status').filter({ hasText: 'held on first sight' }).count()).toBe(0);
    // The being-checked list as the user meets it passes axe-core's bar.
    expect(await seriousAccessibilityProblems(tools)).toEqual([]);

    // 2. First sight loads: both windows update by themselves, and the Overview's toast says so.
    const toast = overview
      .getByRole('status')
      .filter({ hasText: 'hostile: 6 new items held on first sight. Review on the Tools page.' })
      .waitFor(SLOW);
    openGate();
    await adding;
    await toast;
    await checking.waitFor({ state: 'detached', ...SLOW });
    await tools.getByRole('heading', { name: 'Held for review' }).waitFor();
    for (const name of HELD) await tools.getByRole('article', { name, exact: true }).waitFor(SLOW);
    const cards = await heldCards(tools).all();
    expect(cards).toHaveLength(HELD.length);
    // Each held one with its reasons, in words, and the answers the user may give.
    const ruleWords = new Set(Object.values(FIRST_SIGHT_RULE_WORDS));
    for (const card of cards) {
      const reasons = await card.getByRole('listitem').allInnerTexts();
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons)
        expect([...ruleWords].some((words) => reason.startsWith(words))).toBe(true);
      expect(reasons.join('\n')).not.toContain(FIRST_SIGHT_RULE_WORDS['not-judged']);
      await card.getByRole('button', { name: 'Accept' }).waitFor();
      await card.getByRole('button', { name: 'Keep blocked' }).waitFor();
    }
    // The clean items are shown to clients, so named nowhere; the clean tools are listed.
    for (const clean of [ITEMS.summarize, ITEMS.files])
      expect(await tools.getByText(clean, { exact: true }).count()).toBe(0);
    await tools.getByRole('region', { name: 'hostile' }).getByText('hostile__forecast').waitFor();
    // Every count includes what was held now: the navigation's, in both windows, and the Overview's.
    for (const page of [tools, overview])
      await navigation(page).getByRole('link', { name: 'Tools 6 waiting', exact: true }).waitFor();
    await overview.getByRole('link', { name: '6 items were held on first sight' }).waitFor();
    expect(await overview.getByText('Nothing is waiting for you.').count()).toBe(0);
    expect(reloads).toBe(0);
  }, 150_000);
});
