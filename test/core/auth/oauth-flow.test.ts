// The whole path a real MCP client takes through Gatehouse: discovery, DCR, PKCE, consent in the
// trusted API, tokens, the MCP endpoint, refresh, revoke.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';

let fixture: EngineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

describe('a real MCP SDK client', () => {
  it('registers, is consented through the API, calls gatehouse__whoami, and loses access on revoke', async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    const { client, consentPage, provider } = await authorizeClient(engine, {
      access: 'read',
      name: 'Flow Test Client',
    });

    expect(consentPage).toContain('Flow Test Client');
    expect(consentPage).not.toMatch(/<form|<button/i);

    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual([
      'gatehouse__whoami',
      'gatehouse__list_my_permissions',
      'gatehouse__list_permission_errors',
    ]);
    const whoami = await client.callTool({ name: 'gatehouse__whoami', arguments: {} });
    expect(whoami.structuredContent).toMatchObject({
      client: { id: provider.info?.client_id, name: 'Flow Test Client', registration: 'dcr' },
      grant: { access: 'read', connectors: '*' },
      effectiveAccess: 'read',
    });

    const [listed] = await engine.call('clients.list');
    expect(listed).toMatchObject({
      name: 'Flow Test Client',
      kind: 'dcr',
      redirectHosts: ['127.0.0.1:53682'],
      openSessions: 1,
    });
    expect(listed!.lastUsedAt).toBeGreaterThan(0);
    expect(listed!.activeTokens).toBe(2);

    const revoked = await engine.call('clients.revoke', { clientId: provider.info!.client_id });
    expect(revoked).toMatchObject({ grantsRevoked: 1, sessionsClosed: 1 });
    const res = await fetch(engine.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.savedTokens!.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('an unanswered consent', () => {
  it('is denied after the timeout, and the browser carries access_denied to the client', async () => {
    // A second, not 200 ms: the consent must still be waiting when the list is read just below, on
    // a loaded 2-core machine too (the sentence rounds up to "1 second" either way).
    fixture = await startEngine({ consentTimeoutMs: 1_000 });
    const { engine } = fixture;
    const { registerPublicClient, openAuthorization, REDIRECT } = await import('../../support/raw-oauth.js');
    const clientId = await registerPublicClient(engine);
    const { browser } = await openAuthorization(engine, clientId);
    expect(await engine.call('consents.list')).toHaveLength(1);
    const wait = await fetch(`${browser.lastUrl}/wait`);
    expect(await wait.json()).toEqual({ decided: true });
    expect(await engine.call('consents.list')).toHaveLength(0);
    const landed = new URL((await browser.reload(REDIRECT)).url);
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toBe(
      'No answer was given in Gatehouse within 1 second.',
    );
  });
});
