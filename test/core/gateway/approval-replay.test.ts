// One approval runs one call (security-model.md "One approval, one call"), attacked on the real engine:
// a 2026-07-28 client replays the sealed requestState of a round the user approved — against a
// 2026-07-28 upstream (the retry runs the tool again) and a 2025-era one (the retry answers a call
// parked here) — and each replay is refused, runs nothing upstream, and is logged; every run counts
// against the rate limit; every audit row of a run names the approval it ran under. A 2025-era
// session sending the same call again is asked about again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import { startEraUpstream, type EraUpstream } from '../../fixtures/era-upstreams.js';

let fixture: EngineFixture;
let modern: EraUpstream;
let legacy: EraUpstream;
let token: string;
let clientId: string;

const withElicitation = {
  ...envelope(),
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
};
const yes = { confirm: { action: 'accept', content: { ok: true } } };

beforeAll(async () => {
  [modern, legacy] = await Promise.all([startEraUpstream('modern-only'), startEraUpstream('legacy-only')]);
  fixture = await startEngine({ approvalTimeoutMs: 10_000 });
  const { engine } = fixture;
  for (const [name, upstream] of [
    ['modern', modern],
    ['legacy', legacy],
  ] as const) {
    const added = await engine.call('connectors.add', {
      name,
      settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
    });
    expect(added.status.connection).toBe('connected');
    await engine.call('tools.set', { connector: name, tool: 'confirm', approval: 'ask' });
  }
  ({ accessToken: token, clientId } = await obtainTokens(engine, { access: 'read' }));
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
  await Promise.all([modern?.close(), legacy?.close()]);
});

beforeEach(async () => {
  await fixture.engine.call('settings.set', { rateLimitPerMinute: 600 });
  fixture.clock.advance(61_000);
});

/** A raw 2026-07-28 tools/call on /mcp; the answer's `result` or `error`. */
async function callTool(
  params: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON-RPC answer, read field by field
): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const reply = await mcpPost(
    fixture.engine,
    token,
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { ...params, _meta: withElicitation } },
    '/mcp',
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': params.name as string },
  );
  return JSON.parse(reply.body) as never;
}

/** Allows the one pending approval once; returns its id. */
async function allowPending(): Promise<string> {
  const { engine } = fixture;
  await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
  const [pending] = await engine.call('approvals.list');
  await engine.call('approvals.allow', { id: pending!.id });
  return pending!.id;
}

/** The tool.call rows of the activity log for `tool` since `since`, oldest first. */
async function callRows(connector: string, since: number) {
  const rows = await fixture.engine.call('audit.list', { type: 'tool.call', connector, since });
  return rows.sort((a, b) => a.id - b.id);
}

const upstreamCalls = (upstream: EraUpstream) =>
  upstream.requests.filter((request) => request.method === 'tools/call').length;

const REPLAY_REFUSED = { code: -32602, message: 'Invalid or expired requestState' };

describe('a round the user approved, replayed by a 2026-07-28 client', () => {
  it('runs a 2026-07-28 upstream tool once per approval: ten replays run nothing and are logged', async () => {
    const since = fixture.clock.now();
    const before = upstreamCalls(modern);
    const first = callTool({ name: 'modern__confirm', arguments: { action: 'deploy' } });
    const approvalId = await allowPending();
    const round = (await first).result;
    expect(round).toMatchObject({ resultType: 'input_required', inputRequests: { confirm: {} } });
    const retry = {
      name: 'modern__confirm',
      arguments: { action: 'deploy' },
      inputResponses: yes,
      requestState: round.requestState,
    };
    expect((await callTool(retry)).result.content).toEqual([{ type: 'text', text: 'deploy: done' }]);
    expect(upstreamCalls(modern) - before).toBe(2);

    for (let i = 0; i < 10; i++) expect((await callTool(retry)).error).toMatchObject(REPLAY_REFUSED);
    expect(upstreamCalls(modern) - before).toBe(2);
    expect(await fixture.engine.call('approvals.list')).toEqual([]);

    const rows = await callRows('modern', since);
    expect(rows.map((row) => [row.decision, row.detail.outcome, row.detail.approvalId])).toEqual([
      ['allow', 'input-required', approvalId],
      ['allow', 'ok', approvalId],
      ...Array.from({ length: 10 }, () => ['deny', 'refused', approvalId]),
    ]);
    expect(rows[1]!.reason).toBe('You allowed this call once; this is its next round.');
    expect(rows[2]!).toMatchObject({
      clientId,
      tool: 'confirm',
      reason: 'The client sent a round of this call that had already run; it was not run again.',
      detail: { decidedBy: 'replay', approval: 'once' },
    });
  });

  it('asks the user again when the first round is sent again', async () => {
    const { engine } = fixture;
    const first = { name: 'modern__confirm', arguments: { action: 'deploy' } };
    const approved = callTool(first);
    await allowPending();
    expect((await approved).result.resultType).toBe('input_required');
    const again = callTool(first);
    await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
    await engine.call('approvals.deny', { id: (await engine.call('approvals.list'))[0]!.id });
    expect((await again).result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'gatehouse: the user denied this call to modern__confirm' }],
    });
  });

  it('counts every run of the tool against the rate limit, retries included', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { rateLimitPerMinute: 2 });
    const first = callTool({ name: 'modern__confirm', arguments: { action: 'ship' } });
    await allowPending();
    const { requestState } = (await first).result;
    const retry = {
      name: 'modern__confirm',
      arguments: { action: 'ship' },
      inputResponses: yes,
      requestState,
    };
    expect((await callTool(retry)).result.content).toEqual([{ type: 'text', text: 'ship: done' }]);
    // Two runs upstream took the minute's two calls: the next call is refused before anyone is asked.
    const limited = await callTool({ name: 'modern__confirm', arguments: { action: 'ship' } });
    expect(limited.result).toMatchObject({ isError: true });
    expect(limited.result.content[0].text).toMatch(
      /^gatehouse: rate limit reached for this client \(2 calls per minute\)/,
    );
    expect(await engine.call('approvals.list')).toEqual([]);
    expect((await callTool(retry)).error).toMatchObject(REPLAY_REFUSED);
  });

  it('answers a call parked for a 2025-era upstream once: a replayed answer reaches nothing', async () => {
    const since = fixture.clock.now();
    const before = upstreamCalls(legacy);
    const first = callTool({ name: 'legacy__confirm', arguments: { action: 'deploy' } });
    const approvalId = await allowPending();
    const round = (await first).result;
    expect(round).toMatchObject({ resultType: 'input_required' });
    const [key] = Object.keys(round.inputRequests as object);
    const retry = {
      name: 'legacy__confirm',
      arguments: { action: 'deploy' },
      inputResponses: { [key!]: yes.confirm },
      requestState: round.requestState,
    };
    expect((await callTool(retry)).result.content).toEqual([{ type: 'text', text: 'deploy: done' }]);
    for (let i = 0; i < 3; i++) expect((await callTool(retry)).error).toMatchObject(REPLAY_REFUSED);
    expect(upstreamCalls(legacy) - before).toBe(1);
    const rows = await callRows('legacy', since);
    expect(rows.map((row) => [row.decision, row.detail.outcome, row.detail.approvalId])).toEqual([
      ['allow', 'input-required', approvalId],
      ['allow', 'ok', approvalId],
      ['deny', 'refused', approvalId],
      ['deny', 'refused', approvalId],
      ['deny', 'refused', approvalId],
    ]);
  });

  it("refuses another client's requestState, and one carried over to other arguments", async () => {
    const first = callTool({ name: 'modern__confirm', arguments: { action: 'deploy' } });
    await allowPending();
    const { requestState } = (await first).result;
    const other = (await obtainTokens(fixture.engine, { access: 'read' })).accessToken;
    const stolen = await mcpPost(
      fixture.engine,
      other,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'modern__confirm',
          arguments: { action: 'deploy' },
          inputResponses: yes,
          requestState,
          _meta: withElicitation,
        },
      },
      '/mcp',
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'modern__confirm' },
    );
    expect(JSON.parse(stolen.body).error).toMatchObject(REPLAY_REFUSED);
    const moved = await callTool({
      name: 'modern__confirm',
      arguments: { action: 'delete everything' },
      inputResponses: yes,
      requestState,
    });
    expect(moved.error).toEqual({
      code: -32602,
      message:
        'gatehouse: this requestState belongs to another request; retry modern__confirm with the arguments of its first round.',
    });
  });
});

describe('a 2025-era session', () => {
  it('is asked about again when it sends an approved call again, each run naming its own approval', async () => {
    const { engine } = fixture;
    const since = fixture.clock.now();
    const { client } = await authorizeClient(engine, {
      era: 'legacy',
      access: 'read',
      capabilities: { elicitation: {} },
    });
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept' as const,
      content: { ok: true },
    }));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const call = client.callTool({ name: 'modern__confirm', arguments: { action: 'deploy' } });
        ids.push(await allowPending());
        expect((await call).content).toEqual([{ type: 'text', text: 'deploy: done' }]);
      }
      expect(ids[0]).not.toBe(ids[1]);
      const rows = await callRows('modern', since);
      // The SDK's shim carries the upstream's question to the session and retries once per approval.
      expect(rows.map((row) => [row.detail.outcome, row.detail.approvalId])).toEqual([
        ['input-required', ids[0]],
        ['ok', ids[0]],
        ['input-required', ids[1]],
        ['ok', ids[1]],
      ]);
    } finally {
      await client.close();
    }
  });
});
