// While a connector starts, clients of both eras get true answers. A 2026-07-28 client that discovers
// /mcp/<connector> then is told the connector offers tools, prompts and resources (as a 2025-era
// client's initialize is), so once it is up the SDK client lists its tools on that same connection;
// and a call to one of its tools meanwhile is told to try again shortly, not that the tool does not
// exist — audited, as is a call to a tool that truly does not exist. The connector is a real stdio
// server that says nothing until the test opens its gate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS, outcome } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';
import { waitFor } from '../../support/bridge-fixture.js';

const text = (value: string) => ({ isError: true, content: [{ type: 'text', text: value }] });
const STARTING = 'gatehouse: connector slow is starting and not connected yet; try again shortly.';
/** The same, as the activity log says it. */
const STARTING_LOGGED = 'Connector slow is starting and not connected yet; try again shortly.';

describe.each(BOTH_ERAS)('while a connector starts, with %s clients', (era) => {
  let fixture: EngineFixture;
  let folder: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gatehouse-gate-'));
    fixture = await startEngine();
    await fixture.engine.call('settings.set', { accessCeiling: 'write' });
    await fixture.engine.call('connectors.add', {
      name: 'slow',
      enabled: false,
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [join(FIXTURES, 'era-stdio-server.mjs'), 'dual'],
        env: { START_GATE: join(folder, 'open') },
        // The gate file appears later: the folder it will be in is granted to read.
        sandbox: { enabled: true, readFolders: [folder], allowedDomains: null },
      },
    });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await fixture?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('announces what the connector will offer, answers its calls truly, and lists its tools once it is up', async () => {
    const { engine } = fixture;
    const enabling = engine.call('connectors.enable', { name: 'slow' });
    await waitFor('the connector to be starting', async () =>
      (await engine.call('connectors.get', { name: 'slow' })).status.connection === 'starting'
        ? true
        : undefined,
    );
    const connect = async (url: string) => {
      const { client } = await authorizeClient(engine, { era, access: 'write', url });
      clients.push(client);
      return client;
    };
    const scoped = await connect(`${engine.mcpUrl}/slow`);
    const aggregate = await connect(engine.mcpUrl);
    expect(scoped.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { listChanged: true },
    });
    expect((await engine.call('connectors.get', { name: 'slow' })).status.connection).toBe('starting');

    // Its tools are not known yet: calls are told to come back, and a name nobody has is refused.
    expect(outcome(await scoped.callTool({ name: 'echo', arguments: { text: 'early' } }))).toEqual(
      text(STARTING),
    );
    expect(outcome(await aggregate.callTool({ name: 'slow__echo', arguments: { text: 'early' } }))).toEqual(
      text(STARTING),
    );
    expect(outcome(await aggregate.callTool({ name: 'nosuch', arguments: {} }))).toEqual(
      text('gatehouse: there is no tool named nosuch for this client.'),
    );
    // Every one of those decisions is in the activity log.
    const rows = (await engine.call('audit.list', { type: 'tool.call' })).reverse();
    expect(
      rows.map((row) => [row.connector, row.tool, row.decision, row.detail.decidedBy, row.reason]),
    ).toEqual([
      ['slow', 'echo', 'deny', 'not-connected', STARTING_LOGGED],
      ['slow', 'slow__echo', 'deny', 'not-connected', STARTING_LOGGED],
      [null, 'nosuch', 'deny', 'unknown-tool', 'There is no tool named nosuch for this client.'],
    ]);

    // Up: the same connections list its tools and call them.
    writeFileSync(join(folder, 'open'), '');
    await enabling;
    await waitFor('the connector to connect', async () =>
      (await engine.call('connectors.get', { name: 'slow' })).status.connection === 'connected'
        ? true
        : undefined,
    );
    await waitFor('its tool to be listed', async () =>
      (await scoped.listTools()).tools.some((tool) => tool.name === 'echo') ? true : undefined,
    );
    expect((await aggregate.listTools()).tools.map((tool) => tool.name)).toContain('slow__echo');
    expect(outcome(await scoped.callTool({ name: 'echo', arguments: { text: 'up' } }))).toEqual({
      isError: undefined,
      content: [{ type: 'text', text: expect.stringMatching(/: up$/) }],
    });
  }, 60_000);
});
