// An OAuth-protected upstream as a connector: discovery from its 401, dynamic registration, the
// browser step returning to Gatehouse's own callback, refresh when the token expires, and "action
// required" once the upstream refuses the refresh — with no upstream secret ever reaching a client,
// the API or the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { authorizeClient } from '../../../support/oauth-client.js';
import { startOAuthUpstream, type OAuthUpstream } from '../../../fixtures/oauth-upstream.js';
import { followAuthorization } from '../../../fixtures/upstream-oauth-harness.js';
import { engineParts } from '../../../../main/core/engine/engine-parts.js';

let fixture: EngineFixture;
let upstream: OAuthUpstream;
let client: Client;

beforeAll(async () => {
  fixture = await startEngine();
  upstream = await startOAuthUpstream({ now: () => fixture.clock.now(), accessTokenSeconds: 600 });
  client = (await authorizeClient(fixture.engine, { access: 'read', name: 'OAuth Reader' })).client;
}, 60_000);

afterAll(async () => {
  await client?.close();
  await fixture?.stop();
  await upstream?.close();
});

async function connectorStatus() {
  return (await fixture.engine.call('connectors.get', { name: 'secure' })).status;
}

describe('an OAuth upstream', () => {
  it('asks for action until the user connects, then serves its tools through the gateway', async () => {
    const { engine } = fixture;
    await engine.call('connectors.add', {
      name: 'secure',
      settings: { kind: 'http', url: upstream.mcpUrl, auth: { type: 'oauth' } },
    });
    await expect.poll(async () => (await connectorStatus()).auth).toBe('action-required');
    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'secure' });
    expect(new URL(authorizationUrl).searchParams.get('resource')).toBe(upstream.mcpUrl);
    const landed = await followAuthorization(authorizationUrl, fetch);
    expect(landed.status).toBe(200);
    expect(landed.body).toContain('secure is connected');
    await expect
      .poll(async () => connectorStatus(), { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready' });
    expect(upstream.registrations).toHaveLength(1);
    // Connected is said as the listing arrives; its tools reach the store once first sight has judged
    // them (it loads on its first need, which a cold or busy machine makes slow).
    await expect
      .poll(async () => (await engine.call('tools.list', { connector: 'secure' })).map((tool) => tool.name), {
        timeout: 10_000,
      })
      .toEqual(['whoami']);

    // The upstream does not annotate its tool, so Gatehouse treats it as a write tool until the user says otherwise.
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('secure__whoami');
    await engine.call('tools.set', {
      connector: 'secure',
      tool: 'whoami',
      toolClass: 'read',
      approval: 'never',
    });
    const tools = (await client.listTools()).tools
      .map((tool) => tool.name)
      .filter((name) => name.startsWith('secure__'));
    expect(tools.length).toBeGreaterThan(0);
  });

  it('refreshes an expired token once, without the client noticing', async () => {
    const { clock } = fixture;
    const name = 'secure__whoami';
    const first = await client.callTool({ name, arguments: {} });
    expect(first.isError).toBeFalsy();
    clock.advance(11 * 60_000);
    const second = await client.callTool({ name, arguments: {} });
    expect(second.isError).toBeFalsy();
    expect(upstream.refreshRequests()).toHaveLength(1);
    expect(upstream.refreshRequests()[0]!.resource).toBe(upstream.mcpUrl);
  });

  it('turns to "action required" with a reconnect sentence when the upstream refuses the refresh', async () => {
    const { clock } = fixture;
    upstream.revokeRefreshTokens();
    clock.advance(11 * 60_000);
    const refused = await client.callTool({ name: 'secure__whoami', arguments: {} });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toContain('secure needs you to reconnect');
    await expect
      .poll(async () => (await connectorStatus()).auth, { timeout: 10_000 })
      .toBe('action-required');
    expect((await fixture.engine.call('status.get')).connectorsNeedingAction).toBe(1);
  });

  it('keeps every upstream secret out of the API, the audit log and the engine log', async () => {
    const { engine, logs } = fixture;
    const secrets = [
      ...upstream.bearerTokens,
      ...upstream.registrations.map((r) => r.client_secret).filter(Boolean),
    ] as string[];
    expect(secrets.length).toBeGreaterThan(0);
    const exposed = JSON.stringify([
      await engine.call('connectors.list'),
      await engine.call('audit.list', { limit: 10_000 }),
      await engine.call('tools.list', {}),
      logs,
    ]);
    for (const secret of secrets) expect(exposed).not.toContain(secret);
  });
});

describe('editing an OAuth connector', () => {
  it('keeps its upstream credentials when the URL stays, and drops them when it changes', async () => {
    const { engine } = fixture;
    const current = await engine.call('connectors.get', { name: 'secure' });
    const sealed = engineParts(engine).connectorStore.secret('secure', 'oauth');
    expect(sealed).toBeDefined();
    await engine.call('connectors.edit', {
      name: 'secure',
      settings: { ...current.settings, timeoutSeconds: 20 } as never,
    });
    expect(engineParts(engine).connectorStore.secret('secure', 'oauth')).toBe(sealed);
    await engine.call('connectors.edit', {
      name: 'secure',
      settings: { ...current.settings, url: `${upstream.mcpUrl}?moved=1` } as never,
    });
    // The old server's tokens are gone; whatever is stored now is a fresh registration awaiting Connect.
    expect(engineParts(engine).connectorStore.secret('secure', 'oauth')).not.toBe(sealed);
    await expect
      .poll(async () => (await connectorStatus()).auth, { timeout: 10_000 })
      .toBe('action-required');
  });
});

describe('a 2025-03-26 OAuth upstream that publishes no metadata at all', () => {
  it('is connected at its default endpoints and serves its tools through the gateway', async () => {
    const { engine } = fixture;
    const legacy = await startOAuthUpstream({ now: () => fixture.clock.now(), metadata: 'none' });
    try {
      await engine.call('connectors.add', {
        name: 'legacy',
        settings: { kind: 'http', url: legacy.mcpUrl, auth: { type: 'oauth' } },
      });
      const status = async () => (await engine.call('connectors.get', { name: 'legacy' })).status;
      await expect.poll(async () => (await status()).auth).toBe('action-required');
      const { authorizationUrl } = await engine.call('connectors.connect', { name: 'legacy' });
      const url = new URL(authorizationUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${legacy.origin}/authorize`);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      const landed = await followAuthorization(authorizationUrl, fetch);
      expect(landed.status).toBe(200);
      expect(landed.body).toContain('legacy is connected');
      await expect
        .poll(async () => status(), { timeout: 10_000 })
        .toMatchObject({ connection: 'connected', auth: 'ready' });
      expect(legacy.registrations).toHaveLength(1);
      expect(legacy.tokenRequests.map((request) => request.grantType)).toEqual(['authorization_code']);

      await engine.call('tools.set', {
        connector: 'legacy',
        tool: 'whoami',
        toolClass: 'read',
        approval: 'never',
      });
      const result = await client.callTool({ name: 'legacy__whoami', arguments: {} });
      expect(result.isError).toBeFalsy();
      const [content] = result.content as Array<{ text: string }>;
      expect(JSON.parse(content?.text ?? '{}')).toEqual({
        clientId: legacy.registrations[0]?.client_id,
        scopes: [],
      });
    } finally {
      await engine.call('connectors.remove', { name: 'legacy' });
      await legacy.close();
    }
  });
});
