// Gatehouse's tools/call wrapper (relay-server.ts) against the SDK's own, answer for answer, in both
// eras: the same tools/call sent raw to a RelayServer (its handler registered with TOOL_CALL_PARAMS)
// and to a plain SDK Server must get the same bytes — results, a content-less result, a malformed
// result a handler made, a handler's error, malformed params. And a result an upstream client
// validated is not checked again in its own era, nor a 2025 one for a 2026-07-28 client; a 2026-07-28
// one for a 2025 session is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMcpHandler,
  InMemoryTransport,
  ProtocolError,
  Server,
  type JSONRPCMessage,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { RelayServer, TOOL_CALL_PARAMS } from '../../../main/core/mcp/relay-server.js';
import { toolResultValidatedIn } from '../../../main/core/connectors/runtime/validated-results.js';
import { testUpstreamClient } from '../../support/test-upstream-client.js';
import { envelope, modernHeaders } from '../../support/eras.js';
import { startEraUpstream, type EraUpstream } from '../../fixtures/era-upstreams.js';

const REVISION = '2026-07-28';

/** Results an upstream client validated, by era, filled in beforeAll. */
const vetted: Record<string, Record<string, unknown>> = {};

const results: Record<string, () => unknown> = {
  echo: () => ({ content: [{ type: 'text', text: 'echo ✓' }] }),
  contentless: () => ({ structuredContent: { a: 1 } }),
  extra: () => ({ content: [], isError: false, extraKey: 'kept?', _meta: { 'example.com/x': 1 } }),
  malformed: () => ({ content: 'not an array' }),
  fails: () => {
    throw new ProtocolError(-32602, 'no such thing ✗');
  },
  // A result an upstream client validated, then broken: passed through unchecked only in its own era.
  'vetted-2025': () => Object.assign(vetted['2025-11-25']!, { content: 'broken after the check' }),
  'vetted-2026': () => Object.assign(vetted[REVISION]!, { content: 'broken after the check' }),
};
const handler = (name: string) => results[name]!() as never;

function relay(): RelayServer {
  const server = new RelayServer({ name: 'v', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/call', { params: TOOL_CALL_PARAMS }, async (params) =>
    handler(params.name),
  );
  return server;
}
function plain(): Server {
  const server = new Server({ name: 'v', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/call', async (request, _ctx: ServerContext) =>
    handler(request.params.name),
  );
  return server;
}

/** A 2025 session on an in-memory transport: initialize, then each params in turn; the raw answers. */
async function legacyAnswers(server: Server, calls: unknown[]): Promise<unknown[]> {
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const answers = new Map<unknown, JSONRPCMessage>();
  ours.onmessage = (message) => {
    if ('id' in message) answers.set(message.id, message);
  };
  await server.connect(theirs);
  await ours.start();
  const ask = async (id: number, method: string, params: unknown) => {
    await ours.send({ jsonrpc: '2.0', id, method, params } as JSONRPCMessage);
    await expect.poll(() => answers.has(id)).toBe(true);
    return answers.get(id);
  };
  await ask(0, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  });
  await ours.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const out: unknown[] = [];
  for (const [index, params] of calls.entries()) out.push(await ask(index + 1, 'tools/call', params));
  await server.close();
  return out;
}

/** A 2026-07-28 request through the SDK's entry: status and body text. */
async function modernAnswer(make: () => Server, params: Record<string, unknown>) {
  const entry = createMcpHandler(make, { legacy: 'reject' });
  const name = typeof params.name === 'string' ? params.name : 'x';
  const response = await entry.fetch(
    new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: modernHeaders('tools/call', name, REVISION),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { ...params, _meta: envelope(REVISION) },
      }),
    }),
  );
  const answer = { status: response.status, text: await response.text() };
  await entry.close();
  return answer;
}

const upstreams: EraUpstream[] = [];
beforeAll(async () => {
  for (const kind of ['legacy-only', 'modern-only'] as const) {
    const upstream = await startEraUpstream(kind);
    upstreams.push(upstream);
    const client = testUpstreamClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(upstream.url)));
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    vetted[client.getNegotiatedProtocolVersion()!] = result as Record<string, unknown>;
    await client.close();
  }
}, 30_000);
afterAll(async () => {
  for (const upstream of upstreams) await upstream.close();
});

const CALLS = ['echo', 'contentless', 'extra', 'malformed', 'fails'].map((name) => ({ name, arguments: {} }));
const BAD_PARAMS = [{ name: 5 }, { name: 'echo', arguments: 'not an object' }, {}];

describe("Gatehouse's tools/call wrapper", () => {
  it('runs where the client and server packages are one SDK release (one schema per era)', () => {
    const version = (name: string) => {
      let dir = dirname(createRequire(import.meta.url).resolve(name));
      while (!dir.endsWith(name) && dir !== dirname(dir)) dir = dirname(dir);
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    };
    expect(version('@modelcontextprotocol/client')).toBe(version('@modelcontextprotocol/server'));
  });

  it('marks what an upstream client validated with the era of the check', () => {
    expect(toolResultValidatedIn(vetted['2025-11-25'])).toBe('2025-11-25');
    expect(toolResultValidatedIn(vetted[REVISION])).toBe(REVISION);
    expect(toolResultValidatedIn({ ...vetted[REVISION] })).toBeUndefined();
  });

  it('answers a 2025 session exactly as the SDK wrapper does', async () => {
    const calls = [...CALLS, ...BAD_PARAMS];
    const ours = await legacyAnswers(relay(), calls);
    expect(ours).toEqual(await legacyAnswers(plain(), calls));
    expect(ours[1]).toMatchObject({ result: { content: [], structuredContent: { a: 1 } } });
    expect(ours[3]).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/^Invalid tools\/call result: /) },
    });
    expect(ours[5]).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/^Invalid tools\/call request: /) },
    });
  });

  it.each([...CALLS, ...BAD_PARAMS].map((params) => [JSON.stringify(params), params] as const))(
    'answers a 2026-07-28 request exactly as the SDK wrapper does: %s',
    async (_what, params) => {
      expect(await modernAnswer(relay, params)).toEqual(await modernAnswer(plain, params));
    },
  );

  it('checks an upstream-validated result again only where its era does not cover the client', async () => {
    // 2025 session: the 2025-validated result goes out unchecked; the 2026-validated one is checked.
    const [same, other] = await legacyAnswers(relay(), [
      { name: 'vetted-2025', arguments: {} },
      { name: 'vetted-2026', arguments: {} },
    ]);
    expect(same).toMatchObject({ result: { content: 'broken after the check' } });
    expect(other).toMatchObject({ error: { code: -32602 } });
    // 2026-07-28: both go out unchecked, the 2025 one because every 2025-valid tools/call result
    // without a serverInfo stamp is 2026-07-28-valid as it is (cross-era-results.test.ts).
    const modernSame = await modernAnswer(relay, { name: 'vetted-2026', arguments: {} });
    expect(JSON.parse(modernSame.text)).toMatchObject({ result: { content: 'broken after the check' } });
    const modernOther = await modernAnswer(relay, { name: 'vetted-2025', arguments: {} });
    expect(JSON.parse(modernOther.text)).toMatchObject({ result: { content: 'broken after the check' } });
    // The SDK wrapper checks both, in both eras.
    const [sdkSame] = await legacyAnswers(plain(), [{ name: 'vetted-2025', arguments: {} }]);
    expect(sdkSame).toMatchObject({ error: { code: -32602 } });
  });
});
