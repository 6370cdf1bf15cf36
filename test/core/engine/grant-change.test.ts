// Editing a client's grant after the consent, against the real engine with real SDK clients of both
// eras and two real server-everything connectors: a narrower grant is what the client's next call
// meets, its open session (2025) or listen stream (2026-07-28) hears at once that its lists changed,
// and a tool of a connector it lost is gone from its list and refused when called; read-only hides
// and refuses the write tools; an expiry set now ends it; what cannot be given is refused in words;
// every change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS, outcome } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { mcpPost } from '../../support/raw-oauth.js';
import { EVERYTHING } from '../../support/real-servers.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ approvalTimeoutMs: 30_000 });
  const { engine } = fixture;
  await engine.call('settings.set', { accessCeiling: 'write' });
  for (const name of ['alpha', 'beta']) {
    const added = await engine.call('connectors.add', {
      name,
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    expect(added.status.connection).toBe('connected');
  }
}, 90_000);
afterAll(async () => {
  await fixture?.stop();
});

const names = async (client: Client) =>
  (await client.listTools(undefined, { cacheMode: 'refresh' })).tools.map((tool) => tool.name);

describe.each(BOTH_ERAS)("editing a %s client's grant", (era) => {
  it('narrowing its connectors takes the lost one from its open session at once', async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, { era, access: 'write', name: `Edit ${era}` });
    const clientId = provider.info!.client_id;
    let heard = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void heard++);
    // A 2026-07-28 client has no session: it hears through its listen stream.
    const listening = era === '2026-07-28' ? await client.listen({ toolsListChanged: true }) : undefined;
    expect(await names(client)).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo']));

    const view = await engine.call('clients.grant', { clientId, connectors: ['alpha'] });
    expect(view.grants).toMatchObject([{ connectors: ['alpha'], access: 'write' }]);
    await expect.poll(() => heard).toBeGreaterThanOrEqual(1);
    const now = await names(client);
    expect(now).toContain('alpha__echo');
    expect(now.filter((name) => name.startsWith('beta__'))).toEqual([]);
    expect(
      outcome(await client.callTool({ name: 'beta__echo', arguments: { message: 'still there?' } })),
    ).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'gatehouse: there is no tool named beta__echo for this client.' }],
    });
    expect(outcome(await client.callTool({ name: 'alpha__echo', arguments: { message: 'hi' } }))).toEqual({
      isError: undefined,
      content: [{ type: 'text', text: 'Echo: hi' }],
    });
    const [changed] = await engine.call('audit.list', { type: 'grant.changed', clientId, limit: 1 });
    expect(changed).toMatchObject({
      decision: 'info',
      reason: `The user changed Edit ${era}'s grant: all connectors → alpha`,
    });

    // Given back: the lost connector's tools return, and the client hears it again.
    const before = heard;
    await engine.call('clients.grant', { clientId, connectors: '*' });
    await expect.poll(() => heard).toBeGreaterThan(before);
    expect(await names(client)).toContain('beta__echo');
    await listening?.close();
    await client.close();
  });

  it('read-only hides the write tools and refuses them on the next call; read & write comes back', async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, { era, access: 'write' });
    const clientId = provider.info!.client_id;
    const write = 'alpha__toggle-simulated-logging';
    expect(await names(client)).toContain(write);
    await engine.call('clients.grant', { clientId, access: 'read' });
    expect(await names(client)).not.toContain(write);
    expect(outcome(await client.callTool({ name: write, arguments: {} }))).toMatchObject({ isError: true });
    // The grant was approved read & write, so its tokens carry that scope: it can be given back.
    const back = await engine.call('clients.grant', { clientId, access: 'write' });
    expect(back.effectiveAccess).toBe('write');
    expect(await names(client)).toContain(write);
    await client.close();
  });
});

describe('what an edit cannot do', () => {
  it('refuses read & write for a grant approved read-only: its tokens carry read-only access', async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, { access: 'read', name: 'Reader' });
    await expect(
      engine.call('clients.grant', { clientId: provider.info!.client_id, access: 'write' }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message:
        'Reader was given read-only access, so the tokens it holds carry read-only access (a token never gains rights). To give it read & write, revoke it and approve read & write when it asks again.',
    });
    await client.close();
  });

  it('refuses a connector that does not exist, naming the one meant, and changes nothing', async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, { name: 'Typist' });
    const clientId = provider.info!.client_id;
    await expect(engine.call('clients.grant', { clientId, connectors: ['alpah'] })).rejects.toMatchObject({
      code: 'bad_request',
      message:
        'There is no connector named alpah; the connectors are alpha, beta. Did you mean alpha? The grant was not changed.',
    });
    expect((await engine.call('clients.get', { clientId })).grants).toMatchObject([{ connectors: '*' }]);
    await client.close();
  });

  it("keeps a grant for one connector's own URL to that connector", async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, {
      url: `${engine.mcpUrl}/alpha`,
      name: 'Alpha Only',
    });
    const clientId = provider.info!.client_id;
    expect((await engine.call('clients.get', { clientId })).grants).toMatchObject([
      { connectors: ['alpha'], connectorPath: true },
    ]);
    await expect(engine.call('clients.grant', { clientId, connectors: ['beta'] })).rejects.toMatchObject({
      code: 'bad_request',
      message: `This grant is for alpha's own URL (${engine.mcpUrl}/alpha); it reaches alpha only. Revoke it, and approve a grant for ${engine.mcpUrl} when Alpha Only asks again, to give it other connectors.`,
    });
    // Its expiry and level still change.
    const view = await engine.call('clients.grant', { clientId, expiresInSeconds: 3_600 });
    expect(view.grants[0]!.expiresAt).toBeGreaterThan(fixture.clock.now());
    await client.close();
  });
});

describe('an edit of the expiry and the calls waiting for approval', () => {
  it('a waiting call to a connector the grant loses is denied at once; an expiry set now ends the grant', async () => {
    const { engine, clock } = fixture;
    await engine.call('tools.set', { connector: 'beta', tool: 'echo', approval: 'ask' });
    const { client, provider } = await authorizeClient(engine, { name: 'Waiting' });
    const clientId = provider.info!.client_id;
    const call = client.callTool({ name: 'beta__echo', arguments: { message: 'wait' } });
    await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
    const started = performance.now();
    await engine.call('clients.grant', { clientId, connectors: ['alpha'] });
    expect(outcome(await call)).toMatchObject({ isError: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await engine.call('approvals.list')).toEqual([]);
    await engine.call('tools.set', { connector: 'beta', tool: 'echo', approval: 'never' });

    // An hour from now, then the hour passes: its token is refused, as any expired grant's is.
    const token = (provider.savedTokens as { access_token: string }).access_token;
    const before = clock.now();
    const view = await engine.call('clients.grant', { clientId, expiresInSeconds: 3_600 });
    expect(view.grants[0]!.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(view.grants[0]!.expiresAt).toBeLessThanOrEqual(clock.now() + 3_600_000);
    clock.advance(3_600_000 + 1_000);
    const refused = await mcpPost(engine, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(refused.status).toBe(401);
    expect((await engine.call('clients.get', { clientId })).grants).toEqual([]);
    await client.close().catch(() => undefined);
  });
});
