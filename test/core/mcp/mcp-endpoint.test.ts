// The MCP endpoint's guards: Host/Origin, body limits, bearer checks (expiry, audience, scope),
// pause, the access ceiling, and sessions bound to their client.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens, type Tokens } from '../../support/raw-oauth.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { fixture as fixturePath } from '../../support/paths.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

let fixture: EngineFixture;
let tokens: Tokens;
beforeAll(async () => {
  // Real time: the tests expire tokens whose expiry oidc-provider wrote from the real clock.
  fixture = await startEngine({ sessionIdleMs: 60_000, realTime: true });
  tokens = await obtainTokens(fixture.engine, { access: 'read' });
});
afterAll(async () => fixture.stop());

/** A raw request with full control of the Host header (fetch does not allow setting it). */
function rawRequest(
  port: number,
  headers: Record<string, string>,
  path = '/mcp',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('loopback guard', () => {
  it('refuses a foreign Host (DNS rebinding) with 403 and a plain reason', async () => {
    const { port } = fixture.engine;
    const res = await rawRequest(port, { host: `evil.example:${port}` });
    expect(res).toEqual({
      status: 403,
      body: `Gatehouse only answers requests addressed to 127.0.0.1:${port} or localhost:${port}; this one was addressed to evil.example:${port}.\n`,
    });
    expect(
      (await rawRequest(port, { host: '127.0.0.1:1' }, '/.well-known/openid-configuration')).status,
    ).toBe(403);
  });

  it("refuses a web page Origin, and accepts Gatehouse's own", async () => {
    const { port } = fixture.engine;
    const res = await rawRequest(
      port,
      { host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
      '/.well-known/openid-configuration',
    );
    expect(res).toEqual({
      status: 403,
      body: "Requests from web pages are refused: Origin https://evil.example is not Gatehouse's own.\n",
    });
    expect((await rawRequest(port, { host: `localhost:${port}`, origin: 'null' }, '/')).status).toBe(403);
    expect(
      (await rawRequest(port, { host: `localhost:${port}`, origin: `http://localhost:${port}` }, '/')).status,
    ).toBe(200);
  });
});

describe('bearer check', () => {
  it('accepts the token on /mcp and opens a session', async () => {
    const res = await mcpPost(fixture.engine, tokens.accessToken, initializeMessage);
    expect(res.status).toBe(200);
    expect(res.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unknown token with invalid_token', async () => {
    const res = await mcpPost(fixture.engine, 'not-a-token', initializeMessage);
    expect(res.status).toBe(401);
    expect(res.challenge).toContain(
      'error="invalid_token", error_description="The access token is unknown, expired or revoked."',
    );
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_token',
      error_description: 'The access token is unknown, expired or revoked.',
    });
  });

  it('refuses an expired token', async () => {
    fixture.clock.advance(3_601_000);
    try {
      const res = await mcpPost(fixture.engine, tokens.accessToken, initializeMessage);
      expect(res.status).toBe(401);
      expect(res.challenge).toContain('error_description="The access token has expired."');
    } finally {
      fixture.clock.advance(-3_601_000);
    }
  });

  it('answers 403 insufficient_scope for a token without an MCP scope (step-up)', async () => {
    const narrow = await obtainTokens(fixture.engine, { scope: 'openid' });
    expect(narrow.scope).not.toContain('mcp:');
    const res = await mcpPost(fixture.engine, narrow.accessToken, initializeMessage);
    expect(res.status).toBe(403);
    expect(res.challenge).toBe(
      `Bearer resource_metadata="${fixture.engine.issuer}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write", error="insufficient_scope", error_description="The access token carries none of the scopes this endpoint needs (mcp:read, mcp:write)."`,
    );
  });

  it('refuses a request body over 4 MiB with 413 and malformed JSON with 400', async () => {
    const big = await mcpPost(fixture.engine, tokens.accessToken, `{"x":"${'a'.repeat(4 * 1024 * 1024)}"}`);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.message).toBe('The request body is larger than 4194304 bytes.');
    const broken = await mcpPost(fixture.engine, tokens.accessToken, '{"jsonrpc":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe(-32700);
  });
});

describe('pause and ceiling', () => {
  it('answers every MCP request with 503 while paused, keeps grants, and serves again on resume', async () => {
    const { engine } = fixture;
    await engine.call('access.pause');
    try {
      const res = await mcpPost(engine, tokens.accessToken, initializeMessage);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).error.message).toBe(
        'Gatehouse has paused all access. The user can resume it from the Gatehouse tray menu or window.',
      );
      expect((await engine.call('clients.get', { clientId: tokens.clientId })).grants).toHaveLength(1);
    } finally {
      await engine.call('access.resume');
    }
    expect((await mcpPost(engine, tokens.accessToken, initializeMessage)).status).toBe(200);
  });

  it('caps a read & write grant at the ceiling, and reports no access when the ceiling is off', async () => {
    const { engine } = fixture;
    const { client } = await authorizeClient(engine, { access: 'write', name: 'Writer' });
    try {
      await engine.call('settings.set', { accessCeiling: 'write' });
      expect(
        (await client.callTool({ name: 'gatehouse__whoami', arguments: {} })).structuredContent,
      ).toMatchObject({ effectiveAccess: 'write' });
      await engine.call('settings.set', { accessCeiling: 'read' });
      expect(
        (await client.callTool({ name: 'gatehouse__whoami', arguments: {} })).structuredContent,
      ).toMatchObject({ effectiveAccess: 'read' });
      await engine.call('settings.set', { accessCeiling: 'off' });
      const permissions = await client.callTool({ name: 'gatehouse__list_my_permissions', arguments: {} });
      expect(permissions.content).toEqual([
        {
          type: 'text',
          text: 'Effective access: no access.\nConnectors: none.\nLimited because the Gatehouse user has turned all connector access off (access ceiling: Off).\nLimited because no connectors are configured in Gatehouse yet.',
        },
      ]);
    } finally {
      await engine.call('settings.set', { accessCeiling: 'read' });
      await client.close();
    }
  });
});

describe('sessions', () => {
  it('binds a session to its client: another client cannot use its id', async () => {
    const { engine } = fixture;
    const opened = await mcpPost(engine, tokens.accessToken, initializeMessage);
    const other = await obtainTokens(engine);
    const res = await mcpPost(
      engine,
      other.accessToken,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      '/mcp',
      { 'mcp-session-id': opened.sessionId!, 'mcp-protocol-version': '2025-11-25' },
    );
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.message).toBe('Session not found: initialize a new session.');
  });

  it('closes a session on DELETE and when idle', async () => {
    const { engine, clock } = fixture;
    const before = engineParts(engine).mcp.sessionCount;
    const opened = await mcpPost(engine, tokens.accessToken, initializeMessage);
    expect(engineParts(engine).mcp.sessionCount).toBe(before + 1);
    const del = await fetch(engine.mcpUrl, {
      method: 'DELETE',
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        'mcp-session-id': opened.sessionId!,
        'mcp-protocol-version': '2025-11-25',
      },
    });
    expect(del.status).toBe(200);
    expect(engineParts(engine).mcp.sessionCount).toBe(before);

    await mcpPost(engine, tokens.accessToken, initializeMessage);
    const open = engineParts(engine).mcp.sessionCount;
    clock.advance(61_000);
    try {
      expect(await engineParts(engine).mcp.closeIdleSessions()).toBe(open);
      expect(engineParts(engine).mcp.sessionCount).toBe(0);
    } finally {
      clock.advance(-61_000);
    }
  });

  it('closes the session of a client that exited without DELETE once its stream has been closed a while', async () => {
    const { engine, clock } = fixture;
    const before = engineParts(engine).mcp.sessionCount;
    const child = spawn(process.execPath, [fixturePath('exiting-client.mjs')], {
      env: { ...process.env, GATEHOUSE_MCP_URL: engine.mcpUrl, GATEHOUSE_TOKEN: tokens.accessToken },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the client exited early (${code})`)));
      });
      await expect.poll(() => engineParts(engine).mcp.sessionCount).toBe(before + 1);
      // Connected and quiet, with its stream open: kept however long it waits.
      await expect.poll(() => engineParts(engine).mcp.sessionCount, { timeout: 2_000 }).toBe(before + 1);
      clock.advance(5 * 60_000);
      expect(await engineParts(engine).mcp.closeIdleSessions()).toBe(0);
    } finally {
      clock.advance(-5 * 60_000);
      child.kill('SIGKILL');
      await exited;
    }
    // The process is gone; its stream closed. Within the grace the session is kept (a live client
    // would reopen its stream), after it the session closes and the count drops.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await engineParts(engine).mcp.closeIdleSessions()).toBe(0);
    expect(engineParts(engine).mcp.sessionCount).toBe(before + 1);
    clock.advance(2 * 60_000 + 1);
    try {
      expect(await engineParts(engine).mcp.closeIdleSessions()).toBe(1);
      expect(engineParts(engine).mcp.sessionCount).toBe(before);
    } finally {
      clock.advance(-(2 * 60_000 + 1));
    }
  });

  it('refuses a non-initialize request without a session', async () => {
    const res = await mcpPost(fixture.engine, tokens.accessToken, {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/list',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toBe(
      'No session: send an initialize request first (without Mcp-Session-Id).',
    );
  });
});

describe("a session's requests, plain or not, go where the SDK's classifier sends them", () => {
  async function opened(): Promise<Record<string, string>> {
    const { engine } = fixture;
    const res = await mcpPost(engine, tokens.accessToken, initializeMessage);
    const headers = { 'mcp-session-id': res.sessionId!, 'mcp-protocol-version': '2025-11-25' };
    await mcpPost(
      engine,
      tokens.accessToken,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      '/mcp',
      headers,
    );
    return headers;
  }

  it('a plain request is served by its session', async () => {
    const headers = await opened();
    const res = await mcpPost(
      fixture.engine,
      tokens.accessToken,
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      '/mcp',
      headers,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      jsonrpc: '2.0',
      id: 3,
      result: { tools: expect.any(Array) },
    });
  });

  it('a request with a key the JSON-RPC schema does not allow is refused, not served by the session', async () => {
    const headers = await opened();
    const res = await mcpPost(
      fixture.engine,
      tokens.accessToken,
      { jsonrpc: '2.0', id: 4, method: 'tools/list', smuggled: true },
      '/mcp',
      headers,
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: -32600, message: 'Bad Request: the request body is not a valid JSON-RPC message' },
    });
  });

  it('a request claiming the 2026-07-28 envelope inside a session goes to the 2026-07-28 entry', async () => {
    const headers = await opened();
    const res = await mcpPost(
      fixture.engine,
      tokens.accessToken,
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': 7 } },
      },
      '/mcp',
      headers,
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ id: 5, error: { code: -32602 } });
    expect(JSON.parse(res.body).error.message).toMatch(
      /^Invalid _meta envelope for protocol revision 2026-07-28/,
    );
  });
});

describe('audit of refusals', () => {
  it('records every refused request with its reason', async () => {
    const { engine } = fixture;
    const since = Date.now();
    await rawRequest(engine.port, { host: 'evil.example' });
    await mcpPost(engine, undefined, initializeMessage);
    await mcpPost(engine, 'bogus', initializeMessage);
    await expect
      .poll(async () =>
        (await engine.call('audit.list', { decision: 'deny', since, until: since + 60_000 }))
          .map((e) => `${e.type}: ${e.reason}`)
          .sort(),
      )
      .toEqual([
        `http.request_refused: Gatehouse only answers requests addressed to 127.0.0.1:${engine.port} or localhost:${engine.port}; this one was addressed to evil.example.`,
        'mcp.request_denied: No access token: challenged to authorize',
        'mcp.request_denied: The access token is unknown, expired or revoked.',
      ]);
  });
});
