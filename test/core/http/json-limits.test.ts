// Nesting and size limits on every JSON body the engine reads — /mcp (tool arguments included), the
// local API, and the authorization server's registration — refused before anything recursive sees
// them, with the exact error each surface speaks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SECRET_FILE } from '../../../main/core/engine/engine-record.js';
import { exceedsJsonDepth } from '../../../main/core/http/http-io.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { mcpPost, obtainTokens, register } from '../../support/raw-oauth.js';

/** How deep a request body may nest (http-io.ts), as the refusal states it. */
const MAX_JSON_DEPTH = 128;

const TOO_DEEP = `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep; Gatehouse accepts at most ${MAX_JSON_DEPTH}. Send flatter JSON.`;

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const bytes = (text: string) => Buffer.from(text);

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays alike, and stops at the limit', () => {
    expect(exceedsJsonDepth(bytes(deepObject(3)), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes(deepObject(4)), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes(deepArray(3)), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes(deepArray(4)), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes('[{"a":[1]},{"b":[2]}]'), 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(bytes(JSON.stringify({ a: '[[[[{{{{' })), 1)).toBe(false);
    expect(exceedsJsonDepth(bytes(JSON.stringify({ a: 'x\\"[[[[\\\\' })), 1)).toBe(false);
    expect(exceedsJsonDepth(bytes(JSON.stringify({ a: '"', b: [[[]]] })), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes(JSON.stringify({ 'ключ[': ['ü{'] })), 2)).toBe(false);
  });

  it('scans a million levels without recursion', () => {
    expect(exceedsJsonDepth(bytes(deepArray(1_000_000)))).toBe(true);
  });
});

describe('JSON bodies at the engine', () => {
  let fixture: EngineFixture;
  let token: string;
  beforeAll(async () => {
    fixture = await startEngine();
    token = (await obtainTokens(fixture.engine)).accessToken;
  });
  afterAll(async () => fixture?.stop());

  const toolCall = (argumentsText: string) =>
    `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"gatehouse__list_my_permissions","arguments":{"x":${argumentsText}}}}`;

  it('refuses a tool argument nested 100,000 deep on /mcp, as an object or an array, with -32600', async () => {
    for (const nested of [deepObject(100_000), deepArray(100_000)]) {
      const { status, body } = await mcpPost(fixture.engine, token, toolCall(nested));
      expect(status).toBe(400);
      expect(JSON.parse(body)).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: TOO_DEEP },
      });
    }
  });

  it('accepts a message nested up to the limit', async () => {
    // The envelope takes three levels (message, params, capabilities): the rest may nest.
    const nested = deepObject(MAX_JSON_DEPTH - 3);
    const { status, body } = await mcpPost(
      fixture.engine,
      token,
      `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","clientInfo":{"name":"deep","version":"1"},"capabilities":{"experimental":${nested}}}}`,
    );
    expect([status, body]).toEqual([200, expect.stringContaining('"protocolVersion"')]);
  });

  it('refuses a too-large /mcp body with 413 and -32600', async () => {
    const { status, body } = await mcpPost(
      fixture.engine,
      token,
      toolCall(`"${'x'.repeat(4 * 1024 * 1024)}"`),
    );
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toEqual({
      code: -32600,
      message: 'The request body is larger than 4194304 bytes.',
    });
  });

  it('refuses a deep API input with 400 and the reason', async () => {
    const secret = readFileSync(join(fixture.dataDir, API_SECRET_FILE), 'utf8').trim();
    const res = await fetch(`${fixture.engine.issuer}/api/rpc/rules.set`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: `{"rules":${deepArray(100_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'bad_request', message: TOO_DEEP });
  });

  it('refuses a deep client registration with invalid_client_metadata, and still registers a normal one', async () => {
    const deep = await fetch(`${fixture.engine.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: `{"redirect_uris":["http://127.0.0.1:5555/cb"],"client_name":"Deep","jwks":${deepArray(20_000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ error: 'invalid_client_metadata', error_description: TOO_DEEP });

    const large = await fetch(`${fixture.engine.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://127.0.0.1:5555/cb'],
        client_name: 'x'.repeat(60 * 1024),
      }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'The request body is larger than 57344 bytes.',
    });

    const normal = await register(fixture.engine, {});
    expect(normal.status).toBe(201);
  });
});
