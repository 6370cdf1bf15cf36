// Prompts, templates and instructions a connector's first listing brings while first sight is still
// loading (policy/first-sight-loader.ts), as every view of the user's shows them: the real hostile server
// (test/fixtures/first-sight-server.mjs) behind a real engine whose import of first sight waits for the
// test. Until the load is done, such an item is kept from clients but is not held for review: the
// held-item list shows it as being checked, with no reasons and nothing to answer, and the windows are
// told to fetch it at once (tools.changed); no count of what waits for the user includes it (status.get,
// the connector's view, `gatehouse status`); nothing is audited or notified about it. Once loaded, each
// is held with its reasons, counted and told — or shown to clients.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/core/api/contract.js';
import type { Effects, Notifier } from '../../../main/core/effects.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import type { FirstSightScanner } from '../../../main/core/policy/first-sight-loader.js';
import { gatehouse } from '../../support/cli-fixture.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

type Notification = Parameters<Notifier['notify']>[0];

const hostile = {
  kind: 'stdio' as const,
  command: process.execPath,
  args: [join(FIXTURES, 'first-sight-server.mjs')],
  env: { FIRST_SIGHT_INSTRUCTIONS: 'poisoned' },
};

const running: EngineFixture[] = [];
afterEach(async () => {
  for (const fixture of running.splice(0)) await fixture.stop();
});

/**
 * An engine whose first sight loads only once `open` is called; its notifications land in `notes`.
 */
async function engineWithGatedLoad(
  notes: Notification[],
): Promise<{ fixture: EngineFixture; open: () => void }> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const load = async (): Promise<FirstSightScanner> => {
    await gate;
    return import('../../../main/core/policy/first-sight.js');
  };
  const fixture = await startEngine({
    loadFirstSight: load,
    effects: { notifier: { notify: (note: Notification) => void notes.push(note) } } as unknown as Effects,
  });
  running.push(fixture);
  return { fixture, open };
}

/** The connector's items in the held-item view: key, whether being checked, its rules, kept blocked. */
async function itemViews(fixture: EngineFixture) {
  const items = await fixture.engine.call('tools.heldItems', { connector: 'hostile' });
  return items
    .map((item) => ({
      key: item.key,
      checking: item.checking,
      rules: item.findings.map((finding) => finding.rule),
      keptBlocked: item.keptBlocked,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** What the user was told in Activity: the reasons of the connector's "held" rows. */
async function heldRows(fixture: EngineFixture): Promise<string[]> {
  const rows = await fixture.engine.call('audit.list', { type: 'tool.held', connector: 'hostile' });
  return rows.map((row) => row.reason);
}

const cli = (fixture: EngineFixture, ...words: string[]) =>
  gatehouse([...words, '--data-dir', fixture.dataDir]);

describe('items listed while first sight loads', () => {
  it('are shown as being checked, counted and told as nothing, then held or shown once checked', async () => {
    const notes: Notification[] = [];
    const { fixture, open } = await engineWithGatedLoad(notes);
    const { client } = await authorizeClient(fixture.engine);
    const events: EngineEvent[] = [];
    fixture.engine.subscribe((event) => events.push(event));
    try {
      const adding = fixture.engine.call('connectors.add', { name: 'hostile', settings: hostile });
      const parts = engineParts(fixture.engine);
      await expect
        .poll(() => parts.connectors.offering('hostile').resourceTemplates.length, { timeout: 20_000 })
        .toBe(2);
      await expect.poll(() => parts.connectors.upstream('hostile')?.instructions()).toMatch(/^Weather/);
      expect(parts.firstSight.state).toBe('loading');
      // The windows are told now, not once first sight has loaded: they fetch what is being checked.
      await expect
        .poll(() => events.some((event) => event.type === 'tools.changed' && event.connector === 'hostile'))
        .toBe(true);

      // Being checked: every item, with no reasons (nothing has judged it) and nothing to answer.
      const checking = (key: string) => ({ key, checking: true, rules: [], keptBlocked: false });
      expect(await itemViews(fixture)).toEqual(
        ['files://{name}', 'instructions', 'notes://{id}', 'review', 'summarize'].map(checking),
      );
      // Nothing waits for the user yet: no count holds them.
      expect((await fixture.engine.call('status.get', {})).heldForReview).toBe(0);
      const view = await fixture.engine.call('connectors.get', { name: 'hostile' });
      expect([view.heldItems, view.heldTools, view.heldOnFirstSight]).toEqual([0, 0, 0]);
      // There is nothing to review: an answer now is refused, not recorded for a definition never judged.
      for (const operation of ['tools.acceptItem', 'tools.blockItem'] as const)
        await expect(
          fixture.engine.call(operation, { connector: 'hostile', kind: 'prompt', key: 'review' }),
        ).rejects.toMatchObject({
          code: 'conflict',
          message: "hostile's prompt review is being checked on first sight: there is nothing to review yet.",
        });
      // The command line says the same.
      const status = await cli(fixture, 'status');
      expect(status.stdout).toMatch(/^Waiting for you: +nothing$/m);
      const held = await cli(fixture, 'tools', 'held', 'hostile');
      expect(held.code).toBe(0);
      const heldLines = held.stdout.trimEnd().split('\n');
      expect(heldLines).toContain('hostile prompt:review: being checked on first sight');
      expect(heldLines).toContain('hostile instructions: being checked on first sight');
      expect(heldLines).toContain(
        '  Clients see nothing first sight has yet to check, and there is nothing to review until it has.',
      );
      expect(held.stdout).not.toMatch(/held, waiting for your review|gatehouse tools accept|loading/);
      const listed = (await cli(fixture, 'tools', 'list', 'hostile')).stdout;
      expect(listed).toMatch(
        /^hostile prompt:review: being checked on first sight \(gatehouse tools held\)$/m,
      );
      expect(listed).not.toContain('Held on first sight');
      // Its new tools wait with them, out of the list: it says so, not that nothing was listed.
      expect(listed).toMatch(
        /^No tools yet: First sight is still checking what your connectors listed; their tools are listed once it has\.$/m,
      );
      expect(listed).not.toMatch(/^TOOL +CLASS/m);
      // Never told: no Activity row, no notification.
      expect(await heldRows(fixture)).toEqual([]);
      expect(notes.filter((note) => note.title.includes('first sight'))).toEqual([]);
      // And kept from clients all the while.
      expect((await client.listPrompts()).prompts).toEqual([]);
      expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);

      open();
      await adding;
      expect(parts.firstSight.state).toBe('loaded');
      // Checked: the poisoned ones held with their reasons, the clean ones shown to clients.
      const judged = await itemViews(fixture);
      expect(judged.map(({ key, checking: being }) => [key, being])).toEqual([
        ['instructions', false],
        ['notes://{id}', false],
        ['review', false],
      ]);
      for (const item of judged) {
        expect(item.rules.length).toBeGreaterThan(0);
        expect(item.rules).not.toContain('not-judged');
      }
      // Three tools and three items wait for the user now, and were told.
      expect((await fixture.engine.call('status.get', {})).heldForReview).toBe(6);
      expect((await cli(fixture, 'status')).stdout).toMatch(
        /^Waiting for you: +6 tools or items held for review \(gatehouse tools held\)$/m,
      );
      await expect.poll(() => heldRows(fixture)).toHaveLength(6);
      expect(await heldRows(fixture)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Held on first sight: prompt review: /),
          expect.stringMatching(/^Held on first sight: resource template notes:\/\/\{id\}: /),
          expect.stringMatching(/^Held on first sight: its instructions: /),
        ]),
      );
      expect(
        notes
          .map((note) => note.title)
          .filter((title) => title.includes('first sight'))
          .sort(),
      ).toEqual(['hostile: 3 items held on first sight', 'hostile: 3 new tools held on first sight']);
      expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual([
        'hostile__summarize',
      ]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
