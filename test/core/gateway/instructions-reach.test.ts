// A connector's instructions reach only a caller that can use something of that connector: against
// the real first-sight server with its prompts and templates left out (so its tools are all it
// offers), with real SDK clients of both eras on /mcp/<connector> (a 2025 client reads them in the
// initialize result, a 2026-07-28 client in server/discover). Ceiling off, every tool disabled, or
// every tool classed write for a read-only grant: Gatehouse's sentence only. (A grant for another
// connector cannot reach /mcp/<connector> at all: its token is bound to its own resource.)
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

const CLEAN = 'Weather and notes. Use forecast for the weather in a city; read notes by their id.';
const OURS = "Gatehouse serves the weather connector here, under the user's policy.";
const FULL = `${OURS}\n\n${CLEAN}`;
/** The weather server's tools that first sight does not hold (the other three are poisoned). */
const CLEAN_TOOLS = ['forecast', 'echo'];

describe.each(BOTH_ERAS)('with %s clients', (era) => {
  let fixture: EngineFixture;
  const clients: Client[] = [];
  const instructionsFor = async (options: { access?: 'read' | 'write'; connectors?: string[] } = {}) => {
    const { client } = await authorizeClient(fixture.engine, {
      era,
      url: `${fixture.engine.mcpUrl}/weather`,
      ...options,
    });
    clients.push(client);
    return client.getInstructions();
  };

  beforeAll(async () => {
    fixture = await startEngine();
    for (const [name, env] of [
      ['weather', { FIRST_SIGHT_INSTRUCTIONS: 'clean', FIRST_SIGHT_TOOLS_ONLY: '1' }],
      ['other', { FIRST_SIGHT_TOOLS_ONLY: '1' }],
    ] as const) {
      await fixture.engine.call('connectors.add', {
        name,
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [join(FIXTURES, 'first-sight-server.mjs')],
          env,
        },
      });
    }
  }, 60_000);

  afterEach(async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { accessCeiling: 'write' });
    for (const tool of CLEAN_TOOLS)
      await engine.call('tools.set', { connector: 'weather', tool, enabled: true, toolClass: null });
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await fixture?.stop();
  });

  it("relays them to a caller that sees one of the connector's tools", async () => {
    expect(await instructionsFor()).toBe(FULL);
    expect(await instructionsFor({ connectors: ['weather'] })).toBe(FULL);
    // One clean tool left is enough.
    await fixture.engine.call('tools.set', { connector: 'weather', tool: 'forecast', enabled: false });
    expect(await instructionsFor()).toBe(FULL);
  });

  it('keeps them from a caller when the access ceiling is off', async () => {
    await fixture.engine.call('settings.set', { accessCeiling: 'off' });
    expect(await instructionsFor({ access: 'write' })).toBe(OURS);
  });

  it('keeps them from a caller when every tool it could see is disabled', async () => {
    for (const tool of CLEAN_TOOLS)
      await fixture.engine.call('tools.set', { connector: 'weather', tool, enabled: false });
    expect(await instructionsFor({ access: 'write' })).toBe(OURS);
  });

  it('keeps them from a read-only caller when every tool is a write tool, not from a read & write one', async () => {
    for (const tool of CLEAN_TOOLS)
      await fixture.engine.call('tools.set', { connector: 'weather', tool, toolClass: 'write' });
    expect(await instructionsFor({ access: 'read' })).toBe(OURS);
    expect(await instructionsFor({ access: 'write' })).toBe(FULL);
    // The ceiling caps a read & write grant the same way.
    await fixture.engine.call('settings.set', { accessCeiling: 'read' });
    expect(await instructionsFor({ access: 'write' })).toBe(OURS);
  });
});
