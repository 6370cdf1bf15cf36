// What the red team found holding, kept so: the same policy across eras. A client of each era calls a
// tool on a 2026-07-28 upstream and on a 2025-era one, and gets the same rule refusal, the same
// approval, the same rate limit and the same activity rows in all four combinations; and a
// 2026-07-28 request whose routing headers name another tool than its body is refused before any
// check, with nothing run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope, outcome } from '../../support/eras.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';
import { mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import { startEraUpstream, type EraUpstream } from '../../fixtures/era-upstreams.js';

let fixture: EngineFixture;
const upstreams = new Map<'modern' | 'legacy', EraUpstream>();
const clients = new Map<ClientEra, { client: Client; clientId: string }>();
const COMBINATIONS = (['legacy', '2026-07-28'] as const).flatMap((era) =>
  (['modern', 'legacy'] as const).map((connector) => ({ era, connector })),
);

beforeAll(async () => {
  const [modern, legacy] = await Promise.all([
    startEraUpstream('modern-only'),
    startEraUpstream('legacy-only'),
  ]);
  upstreams.set('modern', modern).set('legacy', legacy);
  fixture = await startEngine({ approvalTimeoutMs: 10_000 });
  const { engine } = fixture;
  for (const [name, upstream] of upstreams) {
    const added = await engine.call('connectors.add', {
      name,
      settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
    });
    expect(added.status.connection).toBe('connected');
  }
  for (const era of ['legacy', '2026-07-28'] as const) {
    const { client, provider } = await authorizeClient(engine, {
      era,
      access: 'read',
      name: `Client ${era}`,
    });
    clients.set(era, { client, clientId: provider.info!.client_id });
  }
}, 60_000);

afterAll(async () => {
  for (const { client } of clients.values()) await client.close().catch(() => undefined);
  await fixture?.stop();
  await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
});

const echo = (era: ClientEra, connector: string, text: string) =>
  clients.get(era)!.client.callTool({ name: `${connector}__echo`, arguments: { text } });

describe('the same policy in every era combination', () => {
  it('refuses by rule alike, and logs it alike', async () => {
    const { engine } = fixture;
    await engine.call('rules.set', {
      rules: [
        {
          id: 'no-secrets',
          effect: 'deny',
          tool: 'echo',
          conditions: [{ path: '$.text', op: 'prefix', value: 'secret' }],
        },
      ],
    });
    try {
      const since = fixture.clock.now();
      for (const { era, connector } of COMBINATIONS) {
        expect(outcome(await echo(era, connector, 'secret plans')), `${era} → ${connector}`).toEqual({
          isError: true,
          content: [
            {
              type: 'text',
              text: expect.stringMatching(/^gatehouse: rule no-secrets denies this call/) as string,
            },
          ],
        });
        expect((await echo(era, connector, 'fine')).isError, `${era} → ${connector}`).toBeFalsy();
      }
      const rows = await engine.call('audit.list', { type: 'tool.call', decision: 'deny', since });
      expect(
        rows
          .map(
            (row) =>
              `${row.clientId === clients.get('legacy')!.clientId ? 'legacy' : '2026-07-28'} → ${row.connector} ${String(row.detail.decidedBy)}`,
          )
          .sort(),
      ).toEqual(COMBINATIONS.map(({ era, connector }) => `${era} → ${connector} rule:no-secrets`).sort());
    } finally {
      await engine.call('rules.set', { rules: [] });
    }
  });

  it('asks the user alike, and the approval it ran under is in the row', async () => {
    const { engine } = fixture;
    for (const connector of ['modern', 'legacy'])
      await engine.call('tools.set', { connector, tool: 'echo', approval: 'ask' });
    try {
      for (const { era, connector } of COMBINATIONS) {
        const since = fixture.clock.now();
        const call = echo(era, connector, 'may I?');
        await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
        const [pending] = await engine.call('approvals.list');
        expect(pending).toMatchObject({ clientName: `Client ${era}`, connector, tool: `${connector}__echo` });
        await engine.call('approvals.allow', { id: pending!.id });
        expect((await call).content).toEqual([{ type: 'text', text: `${connector}-only-fixture: may I?` }]);
        await expect
          .poll(async () => (await engine.call('audit.list', { type: 'tool.call', connector, since })).length)
          .toBe(1);
        const [row] = await engine.call('audit.list', { type: 'tool.call', connector, since });
        expect(row).toMatchObject({
          clientId: clients.get(era)!.clientId,
          decision: 'allow',
          reason: 'You allowed this call once.',
          detail: { approval: 'once', approvalId: pending!.id, outcome: 'ok' },
        });
      }
    } finally {
      for (const connector of ['modern', 'legacy'])
        await engine.call('tools.set', { connector, tool: 'echo', approval: 'never' });
    }
  });

  it('counts against the same rate limit, whichever upstream', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { rateLimitPerMinute: 3 });
    try {
      fixture.clock.advance(61_000);
      for (const era of ['legacy', '2026-07-28'] as const) {
        const results = [];
        for (const connector of ['modern', 'legacy', 'modern', 'legacy'])
          results.push(outcome(await echo(era, connector, 'count me')));
        expect(
          results.map((result) => result.isError === true),
          era,
        ).toEqual([false, false, false, true]);
        expect((results[3]!.content as Array<{ text: string }>)[0]!.text).toMatch(
          /^gatehouse: rate limit reached for this client \(3 calls per minute\); try again in \d+ (s|min)\.$/,
        );
      }
    } finally {
      await engine.call('settings.set', { rateLimitPerMinute: 600 });
    }
  });
});

describe('routing headers that disagree with the body', () => {
  it('are refused before any check: the tool the body names is neither asked about nor run', async () => {
    const { engine } = fixture;
    const modern = upstreams.get('modern')!;
    const token = (await obtainTokens(engine, { access: 'read' })).accessToken;
    await engine.call('tools.set', { connector: 'modern', tool: 'confirm', approval: 'ask' });
    try {
      const before = modern.requests.filter((request) => request.method === 'tools/call').length;
      const reply = await mcpPost(
        engine,
        token,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'modern__confirm', arguments: { action: 'deploy' }, _meta: envelope() },
        },
        '/mcp',
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'modern__echo' },
      );
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({ id: 1, error: { code: -32020 } });
      expect(await engine.call('approvals.list')).toEqual([]);
      expect(modern.requests.filter((request) => request.method === 'tools/call').length).toBe(before);
    } finally {
      await engine.call('tools.set', { connector: 'modern', tool: 'confirm', approval: 'never' });
    }
  });
});
