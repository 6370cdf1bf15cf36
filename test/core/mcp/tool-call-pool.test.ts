// Reused 2026-07-28 tools/call instances (tool-call-pool.ts), on the real engine over loopback HTTP with
// a real stdio upstream that logs each call's start, cancellation and end (call-watch-server.mjs) and
// real SDK clients: a client's next call runs on the instance its last one left idle, with the bytes a
// fresh instance (the SDK entry's path) gives; two calls in flight with the same id never share one,
// and cancelling one leaves the other whole; a narrowed access ceiling, a disabled tool, a revoked
// client and a disabled connector reach the next call exactly as on a fresh instance; a revoke ends the
// client's idle instances, and the engine's stop all of them.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCallLogEngine } from '../../support/call-log-engine.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import { envelope, modernHeaders } from '../../support/eras.js';
import { obtainTokens } from '../../support/raw-oauth.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { ToolCallLine, ToolCallPool } from '../../../main/core/mcp/tool-call-pool.js';

const REVISION = '2026-07-28';
const CONNECTOR = 'watch';

let fixture: EngineFixture;
let stopped = false;
let folder: string;
let calls: () => string[];
let tokenA: string;
let tokenB: string;
/** Client A's token for /mcp/watch. */
let scopedA: string;
let scoped: string;

/** Each served call's instance, in order (the `this` of ToolCallLine.serve). */
const serve = vi.spyOn(ToolCallLine.prototype, 'serve');
const lines = () => serve.mock.contexts as ToolCallLine[];
/** The pool (the `this` of its take), once a call has looked in it. */
const take = vi.spyOn(ToolCallPool.prototype, 'take');

beforeAll(async () => {
  ({ fixture, folder, calls } = await startCallLogEngine(CONNECTOR, 'call-watch-server.mjs', {
    rateLimitPerMinute: 10_000,
  }));
  const { engine } = fixture;
  const a = await obtainTokens(engine, { access: 'write' });
  tokenA = a.accessToken;
  scoped = `${engine.mcpUrl}/${CONNECTOR}`;
  scopedA = (await obtainTokens(engine, { access: 'write', clientId: a.clientId, resource: scoped }))
    .accessToken;
  tokenB = (await obtainTokens(engine, { access: 'write' })).accessToken;
}, 90_000);

afterAll(async () => {
  vi.restoreAllMocks();
  if (!stopped) await fixture?.stop();
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => {
  serve.mockClear();
});

/** Past the turn after an answer, when its instance is back in the pool. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 20));

interface Answer {
  status: number;
  type: string | null;
  text: string;
}

/** A 2026-07-28 tools/call: clear-cut, or with its Mcp-Name Base64-encoded (the SDK entry, a fresh instance). */
async function post(
  name: string,
  args: Record<string, unknown>,
  options: {
    id?: string | number;
    token?: string;
    url?: string;
    encoded?: boolean;
    meta?: Record<string, unknown>;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const res = await fetch(options.url ?? fixture.engine.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token ?? (options.url === scoped ? scopedA : tokenA)}`,
      ...modernHeaders(
        'tools/call',
        options.encoded ? `=?base64?${Buffer.from(name).toString('base64')}?=` : name,
        REVISION,
      ),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: options.id ?? 'c-1',
      method: 'tools/call',
      params: { name, arguments: args, _meta: { ...envelope(REVISION), ...options.meta } },
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The call on the direct path, then on the entry's fresh instance: the answers, and the direct one's instance. */
async function againstFresh(
  name: string,
  args: Record<string, unknown>,
  options: Parameters<typeof post>[2] = {},
) {
  serve.mockClear();
  const direct = await post(name, args, options);
  const line = lines()[0];
  const fresh = await post(name, args, { ...options, encoded: true });
  expect(serve).toHaveBeenCalledTimes(line ? 1 : 0);
  return { direct, fresh, line };
}

/** An event stream's messages by kind, each in its order: log data, progress values, then the last message. */
function streamed(answer: Answer) {
  const messages = answer.text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as { method?: string; params?: Record<string, unknown> });
  return {
    status: answer.status,
    type: answer.type,
    logs: messages.filter((m) => m.method === 'notifications/message').map((m) => m.params?.data),
    progress: messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params?.progress),
    last: messages.at(-1),
  };
}

const toolResult = (id: string | number, text: string) => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text }], resultType: 'complete', _meta: expect.any(Object) },
});

describe('a 2026-07-28 client’s tools/calls', () => {
  it('run on the instance the client’s last call left idle, answered as on a fresh instance', async () => {
    const first = await post('watch__echo', { text: 'one' });
    await turn();
    const { direct, fresh, line } = await againstFresh('watch__echo', { text: 'two' });
    expect(JSON.parse(direct.text)).toEqual(toolResult('c-1', 'echo: two'));
    expect(direct).toEqual(fresh);
    expect(JSON.parse(first.text)).toEqual(toolResult('c-1', 'echo: one'));
    const [pool] = take.mock.contexts as ToolCallPool[];
    expect(pool!.size).toBe(1);
    // The first call's instance served the second.
    serve.mockClear();
    await post('watch__echo', { text: 'three' });
    expect(lines()[0]).toBe(line);
    // Logs and progress on the reused instance's call stream, in order, as on a fresh one.
    await turn();
    const meta = { progressToken: 7, 'io.modelcontextprotocol/logLevel': 'info' };
    const chatty = await againstFresh('watch__chatty', { count: 2 }, { meta });
    expect(chatty.line).toBe(line);
    expect(chatty.direct.type).toBe('text/event-stream');
    // Logs and progress come upstream on different routes: each kind in order, the result last (how
    // the two kinds interleave is the machine's timing, on either path).
    expect(streamed(chatty.direct)).toEqual(streamed(chatty.fresh));
    expect(streamed(chatty.direct).logs).toEqual(['log 1', 'log 2']);
    expect(streamed(chatty.direct).progress).toEqual([1, 2]);
    // Another client never gets it.
    await turn();
    serve.mockClear();
    expect(JSON.parse((await post('watch__echo', { text: 'b' }, { token: tokenB })).text)).toEqual(
      toolResult('c-1', 'echo: b'),
    );
    expect(lines()[0]).not.toBe(line);
  });

  it('from a real SDK client reuse one instance, progress and logs on each call’s stream', async () => {
    const { client } = await authorizeClient(fixture.engine, { era: REVISION, access: 'write' });
    const logs: unknown[] = [];
    client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params.data));
    for (const round of [1, 2, 3]) {
      const progress: number[] = [];
      const result = await client.callTool(
        {
          name: 'watch__chatty',
          arguments: { count: round },
          _meta: { 'io.modelcontextprotocol/logLevel': 'info' },
        },
        { onprogress: (update) => progress.push(update.progress) },
      );
      expect(result.content).toEqual([{ type: 'text', text: `chatty sent ${round}` }]);
      expect(progress).toEqual([1, 2, 3].slice(0, round));
      await turn();
    }
    expect(logs).toEqual(['log 1', 'log 1', 'log 2', 'log 1', 'log 2', 'log 3']);
    expect(new Set(lines()).size).toBe(1);
    await client.close();
  });

  it('in flight together with the same id never share an instance; cancelling one leaves the other whole', async () => {
    const hangUp = new AbortController();
    const slow = post('watch__wait', { label: 'pool-a', ms: 30_000 }, { id: 'same', signal: hangUp.signal });
    await expect.poll(calls).toContain('started pool-a');
    const other = post('watch__wait', { label: 'pool-b', ms: 400 }, { id: 'same' });
    await expect.poll(calls).toContain('started pool-b');
    expect(JSON.parse((await post('watch__echo', { text: 'c' }, { id: 'same' })).text)).toEqual(
      toolResult('same', 'echo: c'),
    );
    const [a, b, c] = lines();
    expect(new Set([a, b, c]).size).toBe(3);
    hangUp.abort();
    await expect(slow).rejects.toThrow();
    await expect.poll(calls).toContain('cancelled pool-a');
    // The other call was not cancelled with it, and got its own answer under its own id.
    expect(JSON.parse((await other).text)).toEqual(toolResult('same', 'finished pool-b'));
    expect(calls()).not.toContain('cancelled pool-b');
    expect(calls()).not.toContain('finished pool-a');
    // The hung-up call's instance ended (its handler aborted); it serves nothing again.
    expect(a!.ended).toBe(true);
    expect(a!.server.transport).toBeUndefined();
    expect([b!.ended, c!.ended]).toEqual([false, false]);
    await turn();
    serve.mockClear();
    await post('watch__echo', { text: 'd' });
    expect([b, c]).toContain(lines()[0]);
  });

  it('see an access ceiling lowered and a tool disabled between calls as a fresh instance does', async () => {
    expect((await post('wait', { label: 'pool-w', ms: 1 }, { url: scoped })).status).toBe(200);
    expect((await post('watch__wait', { label: 'pool-w2', ms: 1 })).status).toBe(200);
    await turn();
    try {
      // Read: the write tool is refused, the read one still served.
      await fixture.engine.call('settings.set', { accessCeiling: 'read' });
      for (const [name, url] of [
        ['wait', scoped],
        ['watch__wait', fixture.engine.mcpUrl],
      ] as const) {
        const { direct, fresh } = await againstFresh(name, { label: 'pool-ro', ms: 1 }, { url });
        expect(direct).toEqual(fresh);
        expect(direct.text).toMatch(/"isError":true/);
      }
      expect(JSON.parse((await post('echo', { text: 'ro' }, { url: scoped })).text)).toEqual(
        toolResult('c-1', 'echo: ro'),
      );
      // Off: /mcp/watch shows this caller no tools at all, so no tools/call (-32601), as fresh.
      await fixture.engine.call('settings.set', { accessCeiling: 'off' });
      const off = await againstFresh('echo', { text: 'off' }, { url: scoped });
      expect(off.direct).toEqual(off.fresh);
      expect(off.direct.status).toBe(404);
      expect(JSON.parse(off.direct.text).error.code).toBe(-32601);
      const aggregate = await againstFresh('watch__echo', { text: 'off' });
      expect(aggregate.direct).toEqual(aggregate.fresh);
      expect(aggregate.direct.text).toMatch(/"isError":true/);
      await fixture.engine.call('settings.set', { accessCeiling: 'write' });
      await fixture.engine.call('tools.set', { connector: CONNECTOR, tool: 'echo', enabled: false });
      const disabled = await againstFresh('echo', { text: 'gone' }, { url: scoped });
      expect(disabled.direct).toEqual(disabled.fresh);
      expect(disabled.direct.text).toMatch(/"isError":true/);
    } finally {
      await fixture.engine.call('settings.set', { accessCeiling: 'write' });
      await fixture.engine.call('tools.set', { connector: CONNECTOR, tool: 'echo', enabled: true });
    }
    expect(JSON.parse((await post('echo', { text: 'back' }, { url: scoped })).text)).toEqual(
      toolResult('c-1', 'echo: back'),
    );
    expect(calls().filter((line) => line.includes('pool-ro'))).toEqual([]);
  });

  it('of a disabled connector are answered as on a fresh instance, and served again once it is enabled', async () => {
    await post('echo', { text: 'before' }, { url: scoped });
    await post('watch__echo', { text: 'before' });
    await turn();
    await fixture.engine.call('connectors.disable', { name: CONNECTOR });
    try {
      for (const [name, url] of [
        ['echo', scoped],
        ['watch__echo', fixture.engine.mcpUrl],
      ] as const) {
        const { direct, fresh } = await againstFresh(name, { text: 'while disabled' }, { url });
        expect(direct).toEqual(fresh);
        expect(direct.text).not.toMatch(/while disabled/);
      }
    } finally {
      await fixture.engine.call('connectors.enable', { name: CONNECTOR });
    }
    await expect
      .poll(async () => (await fixture.engine.call('connectors.get', { name: CONNECTOR })).status.connection)
      .toBe('connected');
    expect(JSON.parse((await post('echo', { text: 'after' }, { url: scoped })).text)).toEqual(
      toolResult('c-1', 'echo: after'),
    );
  });

  it('of a revoked client are refused before any instance, idle or fresh, serves them; its idle instances end', async () => {
    const own = (await obtainTokens(fixture.engine, { access: 'write' })) as {
      accessToken: string;
      clientId: string;
    };
    await post('watch__echo', { text: 'other' }, { token: tokenB });
    const others = lines()[0]!;
    await post('watch__echo', { text: 'mine' }, { token: own.accessToken });
    const mine = lines()[1]!;
    await turn();
    const pool = (take.mock.contexts as ToolCallPool[])[0]!;
    const idle = pool.size;
    expect(mine.idle && others.idle).toBe(true);
    await fixture.engine.call('clients.revoke', { clientId: own.clientId });
    // The revoked client's instance ended and left the pool; another client's stayed.
    expect(mine.ended).toBe(true);
    expect(others.ended).toBe(false);
    expect(pool.size).toBe(idle - 1);
    serve.mockClear();
    const direct = await post('watch__echo', { text: 'revoked' }, { token: own.accessToken });
    const fresh = await post('watch__echo', { text: 'revoked' }, { token: own.accessToken, encoded: true });
    expect(direct.status).toBe(401);
    expect(direct).toEqual(fresh);
    expect(serve).not.toHaveBeenCalled();
  });
});

describe('the engine’s stop', () => {
  it('ends every idle instance: the pool is emptied and each instance closed', async () => {
    await post('watch__echo', { text: 'last' });
    await post('watch__echo', { text: 'last' }, { token: tokenB });
    await turn();
    const pool = (take.mock.contexts as ToolCallPool[])[0]!;
    const idle = [...new Set(lines())];
    expect(pool.size).toBeGreaterThanOrEqual(2);
    expect(idle.every((line) => !line.ended)).toBe(true);
    stopped = true;
    await fixture.stop();
    expect(pool.size).toBe(0);
    for (const line of idle) {
      expect(line.ended).toBe(true);
      expect(line.server.transport).toBeUndefined();
    }
  });
});
