// Gatehouse's paging policy (connectors/runtime/list-pages.ts) against real upstream servers
// (test/fixtures/paged-listing.mjs): 200 pages of tools, over stdio and over HTTP, list completely and
// reach a client through Gatehouse; a tool whose `x-mcp-header` is invalid is left out on the first
// page as on the second; a server whose pages go in a circle, repeat, never end, or carry too many
// items or characters is stopped with a sentence its status and `gatehouse connectors show` give,
// and the engine goes on serving. A page given only what is left of the listing's time that times out
// is the listing's time running out, whatever the clock reads when its timer fires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdkError, SdkErrorCode, type Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { authorizeClient } from '../../../support/oauth-client.js';
import { gatehouse } from '../../../support/cli-fixture.js';
import { fixture } from '../../../support/paths.js';
import { serveUpstream, type UpstreamServer } from '../../../fixtures/upstream-server.js';
import { pagedServer } from '../../../fixtures/paged-listing.mjs';
import type { OperationInput } from '../../../../main/core/api/contract.js';
import { listEveryPage } from '../../../../main/core/connectors/runtime/list-pages.js';

type Settings = OperationInput<'connectors.add'>['settings'];

let engine: EngineFixture;
let client: Client;
const upstreams: UpstreamServer[] = [];

/** The names `tool_<page>_<n>` of `pages` pages of two tools, as `connector` exposes them, sorted. */
const pagedNames = (connector: string, pages: number) =>
  Array.from({ length: pages }, (_, page) => [1, 2].map((n) => `${connector}__tool_${page + 1}_${n}`))
    .flat()
    .sort();

const stdio = (listing: string): Settings => ({
  kind: 'stdio',
  command: process.execPath,
  args: [fixture('paged-listing.mjs')],
  env: { PAGED_LISTING: listing },
});

/** Adds a connector and waits for its first attempt to end, connected or not. */
async function add(name: string, settings: Settings) {
  await engine.engine.call('connectors.add', { name, settings });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status } = await engine.engine.call('connectors.get', { name });
    if (status.connection !== 'starting') return status;
    if (Date.now() > deadline) throw new Error(`${name} never finished starting`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The tools a client sees of `connector` through Gatehouse, sorted. */
async function clientSees(connector: string): Promise<string[]> {
  const { tools } = await client.listTools();
  return tools
    .map((tool) => tool.name)
    .filter((name) => name.startsWith(`${connector}__`))
    .sort();
}

beforeAll(async () => {
  engine = await startEngine();
  const status = await add('paged', stdio('pages=200x2'));
  expect(status.connection, JSON.stringify(status)).toBe('connected');
  client = (await authorizeClient(engine.engine, { access: 'read' })).client;
}, 120_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await engine?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

describe('a long listing', () => {
  it('lists 200 pages over stdio, and every tool reaches a client and answers', async () => {
    expect(await clientSees('paged')).toEqual(pagedNames('paged', 200));
    const last = await client.callTool({ name: 'paged__tool_200_2', arguments: {} });
    expect(last.content).toEqual([{ type: 'text', text: 'tool_200_2' }]);
  }, 60_000);

  it('lists 200 pages over HTTP (2026-07-28), one request a page', async () => {
    const counts = { list: 0 };
    const upstream = await serveUpstream('modern-only', () => pagedServer('pages=200x2', counts));
    upstreams.push(upstream);
    const status = await add('remote', { kind: 'http', url: upstream.url, transport: 'streamable-http' });
    expect(status.connection, JSON.stringify(status)).toBe('connected');
    expect(status.protocolVersion).toBe('2026-07-28');
    expect(counts.list).toBe(200);
    expect(await clientSees('remote')).toEqual(pagedNames('remote', 200));
    const first = await client.callTool({ name: 'remote__tool_1_1', arguments: {} });
    expect(first.content).toEqual([{ type: 'text', text: 'tool_1_1' }]);
  }, 60_000);

  it('leaves out a tool with an invalid x-mcp-header on the first page as on the second', async () => {
    const upstream = await serveUpstream('modern-only', () => pagedServer('unmirrorable'));
    upstreams.push(upstream);
    const status = await add('headers', { kind: 'http', url: upstream.url, transport: 'streamable-http' });
    expect(status.connection, JSON.stringify(status)).toBe('connected');
    const tools = await engine.engine.call('tools.list', { connector: 'headers' });
    expect(tools.map((tool) => tool.exposedName).sort()).toEqual(['headers__fine_1', 'headers__fine_2']);
  }, 60_000);
});

describe('a server that abuses paging', () => {
  it.each([
    [
      'circle',
      "The server's tools/list went in a circle: page 4 named as the next page the cursor page 1 had named. Gatehouse stopped listing its tools.",
    ],
    [
      'repeat',
      "The server's tools/list went in a circle: page 2 named as the next page the cursor page 1 had named. Gatehouse stopped listing its tools.",
    ],
    [
      'endless',
      "The server's tools/list did not end: it still named a next page after 1,000 pages, the most Gatehouse follows. Gatehouse stopped listing its tools.",
    ],
    [
      'many',
      'The server listed more than 10,000 tools (by page 1), the most Gatehouse takes. Gatehouse stopped listing its tools.',
    ],
    [
      'large',
      "The server's tools came to more than 16 MB (by page 16), the most Gatehouse takes. Gatehouse stopped listing its tools.",
    ],
  ])(
    'is stopped when its pages go %s, says so, and the engine serves on',
    async (listing, sentence) => {
      const name = `hostile-${listing}`;
      const status = await add(name, stdio(listing));
      expect(status.connection).toBe('error');
      expect(status.lastError).toBe(sentence);
      const shown = await gatehouse(['connectors', 'show', name, '--data-dir', engine.dataDir]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(sentence);
      expect(await clientSees(name)).toEqual([]);
      // The engine serves on: the long listing's tools still reach the client, and answer.
      expect(await clientSees('paged')).toHaveLength(400);
      const answer = await client.callTool({ name: 'paged__tool_100_1', arguments: {} });
      expect(answer.content).toEqual([{ type: 'text', text: 'tool_100_1' }]);
      await engine.engine.call('connectors.remove', { name });
    },
    90_000,
  );
});

describe('a listing whose time runs out', () => {
  // The SDK's timer for a page bounded by what is left of the listing may fire a fraction of a
  // millisecond before the clock reaches the listing's deadline; this client's page times out at once,
  // as such a timer would, to show the walk says the listing's sentence whatever the clock reads.
  const timesOutAtOnce = {
    request: async () => {
      throw new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out');
    },
  } as unknown as Client;

  it('says the listing took too long when the page had only what was left of its time', async () => {
    await expect(
      listEveryPage(timesOutAtOnce, 'prompts', { requestTimeoutMs: 60_000, listingTimeoutMs: 10_000 }),
    ).rejects.toMatchObject({
      name: 'UpstreamFailure',
      message:
        'The server took more than 10 s to list its prompts (page 1 had not come). Gatehouse stopped listing its prompts.',
    });
  });

  it("passes the page's own timeout on when the page's bound was shorter than what was left", async () => {
    await expect(
      listEveryPage(timesOutAtOnce, 'prompts', { requestTimeoutMs: 1_000, listingTimeoutMs: 60_000 }),
    ).rejects.toMatchObject({ name: 'SdkError', code: SdkErrorCode.RequestTimeout });
  });
});
