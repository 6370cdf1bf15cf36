// /mcp on the wire for a 2026-07-28 client (raw HTTP): the `_meta` envelope checked on every request,
// headers that must agree with the body, unsupported revisions named with the supported list, methods
// the revision removed, cache hints on lists; and the bounds per client — 2025-era sessions (the least
// recently used idle one makes room) and subscriptions/listen streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope as modernEnvelope } from '../../support/eras.js';
import { initializeMessage, mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

const REVISION = '2026-07-28';
const envelope = modernEnvelope(REVISION);

let fixture: EngineFixture;
let token: string;
beforeAll(async () => {
  fixture = await startEngine({ maxSessionsPerClient: 2, maxListenStreamsPerClient: 2 });
  token = (await obtainTokens(fixture.engine, { access: 'read' })).accessToken;
});
afterAll(async () => {
  await fixture?.stop();
});

/** A 2026-07-28 request with the standard headers (SEP-2243), any of which a test may replace. */
async function modern(method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const reply = await mcpPost(fixture.engine, token, { jsonrpc: '2.0', id: 7, method, params }, '/mcp', {
    'mcp-protocol-version': REVISION,
    'mcp-method': method,
    ...headers,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON-RPC answer, read field by field
  return { status: reply.status, body: JSON.parse(reply.body) as Record<string, any> };
}

describe('a 2026-07-28 request on /mcp', () => {
  it('is told what this caller may use by server/discover, cacheable only for itself', async () => {
    const { status, body } = await modern('server/discover', { _meta: envelope });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      supportedVersions: [REVISION],
      capabilities: { tools: { listChanged: true } },
      ttlMs: 5000,
      cacheScope: 'private',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'gatehouse' } },
    });
    // No connector is configured: nothing to prompt or read.
    expect(body.result.capabilities.prompts).toBeUndefined();
    expect(body.result.capabilities.resources).toBeUndefined();
  });

  it('lists tools with cache hints that keep them private to the caller', async () => {
    const { body } = await modern('tools/list', { _meta: envelope });
    expect(body.result).toMatchObject({ ttlMs: 5000, cacheScope: 'private', resultType: 'complete' });
    expect(body.result.tools.map((tool: { name: string }) => tool.name)).toContain('gatehouse__whoami');
  });

  it('refuses a request without the envelope, or with part of it, with 400 and -32602', async () => {
    for (const params of [
      {},
      { _meta: { ...envelope, 'io.modelcontextprotocol/clientCapabilities': undefined } },
    ]) {
      const { status, body } = await modern('server/discover', params);
      expect(status).toBe(400);
      expect(body).toMatchObject({ id: 7, error: { code: -32602 } });
    }
  });

  it('refuses headers that disagree with the body with 400 and -32020', async () => {
    const { status, body } = await modern(
      'server/discover',
      { _meta: envelope },
      { 'mcp-method': 'tools/list' },
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 7, error: { code: -32020 } });
  });

  it('names the revisions it speaks when asked for another, with 400 and -32022', async () => {
    const { status, body } = await modern(
      'server/discover',
      { _meta: { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      { 'mcp-protocol-version': '2099-01-01' },
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({
      id: 7,
      error: { code: -32022, data: { supported: [REVISION], requested: '2099-01-01' } },
    });
  });

  it('refuses a protocol version header that disagrees with the envelope, whichever way', async () => {
    // A 2026-07-28 body sent as 2025-era, and a 2025-era revision claimed in the envelope of a
    // request the header calls 2026-07-28: neither era's checks can be dodged by mixing the two.
    const asLegacy = await modern(
      'tools/list',
      { _meta: envelope },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    const asModern = await modern('tools/list', {
      _meta: { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2025-11-25' },
    });
    expect([asLegacy.status, asLegacy.body.error?.code, asModern.status, asModern.body.error?.code]).toEqual([
      400, -32020, 400, -32020,
    ]);
  });

  it('answers methods the revision removed with 404 and -32601', async () => {
    for (const method of ['ping', 'logging/setLevel', 'resources/subscribe']) {
      const { status, body } = await modern(method, { _meta: envelope });
      expect(status, method).toBe(404);
      expect(body, method).toMatchObject({ id: 7, error: { code: -32601 } });
    }
  });
});

describe('bounds per client', () => {
  it('closes the least recently used idle 2025-era session to make room, and refuses when all are busy', async () => {
    const open = async () => {
      const reply = await mcpPost(fixture.engine, token, initializeMessage);
      return { status: reply.status, sessionId: reply.sessionId, body: reply.body };
    };
    const first = await open();
    const second = await open();
    expect(engineParts(fixture.engine).mcp.sessionsOf(await clientId())).toBe(2);
    const third = await open();
    expect(third.status).toBe(200);
    expect(engineParts(fixture.engine).mcp.sessionsOf(await clientId())).toBe(2);
    // The first (least recently used) is gone; the second still answers.
    const ping = (sessionId: string) =>
      mcpPost(fixture.engine, token, { jsonrpc: '2.0', id: 2, method: 'ping' }, '/mcp', {
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      });
    expect((await ping(first.sessionId!)).status).toBe(404);
    expect((await ping(second.sessionId!)).status).toBe(200);

    // With a GET stream open on each session, none is idle: a new one is refused, in words.
    const streams = await Promise.all(
      [second.sessionId!, third.sessionId!].map((sessionId) => {
        const controller = new AbortController();
        return fetch(fixture.engine.mcpUrl, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'text/event-stream',
            'mcp-session-id': sessionId,
            'mcp-protocol-version': '2025-11-25',
          },
          signal: controller.signal,
        }).then((response) => ({ response, controller }));
      }),
    );
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.message).toBe(
      'This client already has 2 open MCP sessions and every one is in use; end one (DELETE its session) or wait for one to finish before opening another.',
    );
    for (const { controller } of streams) controller.abort();
  });

  it('refuses a subscriptions/listen stream past the bound, in words', async () => {
    const listen = () => {
      const controller = new AbortController();
      const response = fetch(fixture.engine.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': REVISION,
          'mcp-method': 'subscriptions/listen',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 9,
          method: 'subscriptions/listen',
          params: { notifications: { toolsListChanged: true }, _meta: envelope },
        }),
        signal: controller.signal,
      });
      return { response, controller };
    };
    const open = [listen(), listen()];
    for (const { response } of open) {
      const res = await response;
      expect(res.headers.get('content-type')).toContain('text/event-stream');
    }
    await expect.poll(async () => engineParts(fixture.engine).mcp.connectionsOf(await clientId())).toBe(2);
    const third = await (await listen().response).json();
    expect(third).toEqual({
      jsonrpc: '2.0',
      id: 9,
      error: {
        code: -32603,
        message:
          'gatehouse: this client already has 2 subscriptions/listen streams open; close one before opening another (one stream can carry every notification type).',
      },
    });
    for (const { controller } of open) controller.abort();
    await expect.poll(async () => engineParts(fixture.engine).mcp.connectionsOf(await clientId())).toBe(0);
  });
});

async function clientId(): Promise<string> {
  const [client] = await fixture.engine.call('clients.list');
  return client!.clientId;
}
