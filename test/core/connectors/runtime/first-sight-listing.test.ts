// First sight of a whole listing, as the engine runs it on the main thread: a stdio server listing
// 1,003 tools on one line (test/fixtures/large-listing-server.mjs, more than twice the largest real
// server's listing), three poisoned from the start among them, has exactly those three held, each for
// the rule and place that caught it; a name listed twice (clean, then poisoned) has its first
// definition pinned and its second held as a change.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { fixture } from '../../../support/paths.js';
import { LARGE_LISTING_HELD_NAMES as HELD_NAMES } from '../../../support/large-listing-held.js';

/** The held names of a listing of `connector`, as the tools they were made from (numbers dropped). */
function heldAs(connector: string, names: string[]): string[] {
  return [...new Set(names.map((name) => name.slice(connector.length + 2).replace(/_\d+$/, '')))].sort();
}

let engine: EngineFixture | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

/** Adds the large-listing server as connector `name` with `env`, and waits until it is connected. */
async function addLargeListing(
  fixtureEngine: EngineFixture,
  name: string,
  env: Record<string, string>,
): Promise<void> {
  const api = fixtureEngine.engine;
  await api.call('connectors.add', {
    name,
    settings: { kind: 'stdio', command: process.execPath, args: [fixture('large-listing-server.mjs')], env },
  });
  const deadline = Date.now() + 60_000;
  while ((await api.call('connectors.get', { name })).status.connection !== 'connected') {
    if (Date.now() > deadline) throw new Error(`${name} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('first sight of a whole listing', () => {
  it('holds exactly the poisoned tools of a large listing, each for its rule and place', async () => {
    engine = await startEngine();
    await addLargeListing(engine, 'big', { LARGE_LISTING_TOOLS: '1000', LARGE_LISTING_POISONED: '1' });
    const tools = await engine.engine.call('tools.list', { connector: 'big' });
    expect(tools).toHaveLength(1003);
    const held = new Map(
      tools.filter((tool) => tool.firstSight).map((tool) => [tool.exposedName, tool.firstSight!.findings]),
    );
    expect([...held.keys()]).toEqual(expect.arrayContaining(['big__add', 'big__convert', 'big__translate']));
    expect(heldAs('big', [...held.keys()]).filter((name) => !HELD_NAMES.has(name))).toEqual([]);
    expect(held.get('big__add')!.map((f) => f.rule)).toContain('secret-material');
    expect(held.get('big__translate')!.map((f) => [f.rule, f.where])).toEqual([
      ['hidden-characters', 'description'],
    ]);
    expect(held.get('big__convert')!.map((f) => f.where)).toEqual([
      'inputSchema.properties.content_from_reading_ssh_id_rsa (name)',
    ]);
  }, 120_000);

  it('pins the first definition of a name listed twice and holds the second as a change', async () => {
    engine = await startEngine();
    await addLargeListing(engine, 'twice', { LARGE_LISTING_TOOLS: '1000', LARGE_LISTING_TWICE: 'lookup' });
    const tools = await engine.engine.call('tools.list', { connector: 'twice' });
    expect(tools.filter((tool) => tool.held).map((tool) => tool.exposedName)).toEqual(['twice__lookup']);
    const firstSight = tools.filter((tool) => tool.firstSight).map((tool) => tool.exposedName);
    expect(heldAs('twice', firstSight).filter((name) => !HELD_NAMES.has(name))).toEqual([]);
  }, 120_000);
});
