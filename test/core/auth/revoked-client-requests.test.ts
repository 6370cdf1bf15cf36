// After a revoke, against the real engine: the client's next consent says when the user revoked it;
// a revoke that refuses the client's requests for a while answers its next authorization with
// access_denied at once (no one is asked) until the time is up or the user stops refusing; its
// refused refresh names the revoke; the client's tool call waiting for approval fails at once with
// the revoke, instead of after the approval's timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { sentenceTime } from '../../../main/core/text.js';
import {
  obtainTokens,
  openAuthorization,
  REDIRECT,
  refresh,
  registerPublicClient,
} from '../../support/raw-oauth.js';
import { EVERYTHING } from '../../support/real-servers.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
}, 60_000);
afterAll(async () => {
  await fixture?.stop();
});

describe('a client the user revoked', () => {
  // First: the tests after it move the clock past the tokens' lifetime.
  it('its tool call waiting for approval fails at once with the revoke', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { accessCeiling: 'write' });
    await engine.call('connectors.add', {
      name: 'everything',
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    await engine.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'ask' });
    const tokens = await obtainTokens(engine, { access: 'write' });
    const client = new Client({ name: 'revoked-call', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(engine.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${tokens.accessToken}` } },
      }),
    );
    const call = client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } }).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
    const started = Date.now();
    await engine.call('clients.revoke', { clientId: tokens.clientId });
    const outcome = await call;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await engine.call('approvals.list')).toEqual([]);
    // The refusal reaches the client before its session closes.
    expect(outcome).toMatchObject({ result: { isError: true } });
    expect(JSON.stringify(outcome)).toContain('denied');
    await client.close().catch(() => undefined);
  });

  it('asks again: the consent says when the user revoked it', async () => {
    const { engine, clock } = fixture;
    const { clientId } = await obtainTokens(engine);
    const revokedAt = clock.now();
    await engine.call('clients.revoke', { clientId });
    const { page } = await openAuthorization(engine, clientId, {
      scope: 'mcp:read',
      resource: engine.mcpUrl,
    });
    expect(page.status).toBe(200);
    const [consent] = (await engine.call('consents.list')).filter((c) => c.clientId === clientId);
    expect(consent?.revokedAt).toBeGreaterThanOrEqual(revokedAt);
    expect(consent?.revokedAt).toBeLessThanOrEqual(clock.now());
    await engine.call('consents.deny', { id: consent!.id });
    // An hour later, it is an ordinary request again.
    clock.advance(61 * 60_000);
    await openAuthorization(engine, clientId, { scope: 'mcp:read', resource: engine.mcpUrl });
    const later = (await engine.call('consents.list')).filter((c) => c.clientId === clientId);
    expect(later.map((c) => c.revokedAt)).toEqual([null]);
    await engine.call('consents.deny', { id: later[0]!.id });
  });

  it('refused for a while: its next authorization is denied without asking, until the time is up', async () => {
    const { engine, clock } = fixture;
    const clientId = await registerPublicClient(engine, { client_name: 'mcp-remote' });
    await engine.call('clients.revoke', { clientId, refuseForSeconds: 600 });
    const { page } = await openAuthorization(engine, clientId, {
      scope: 'mcp:read',
      resource: engine.mcpUrl,
    });
    const landed = new URL(page.url);
    expect(`${landed.origin}${landed.pathname}`).toBe(REDIRECT);
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toMatch(
      /^You revoked this client in Gatehouse and refuse its requests until (\d{4}-\d\d-\d\d )?\d\d:\d\d\.$/,
    );
    expect((await engine.call('consents.list')).filter((c) => c.clientId === clientId)).toEqual([]);
    expect(await engine.call('audit.list', { type: 'consent.refused', limit: 5 })).toMatchObject([
      {
        clientId,
        decision: 'deny',
        reason: expect.stringMatching(/^Refused mcp-remote's request without asking/),
      },
    ]);
    clock.advance(601_000);
    await openAuthorization(engine, clientId, { scope: 'mcp:read', resource: engine.mcpUrl });
    const asked = (await engine.call('consents.list')).filter((c) => c.clientId === clientId);
    expect(asked).toHaveLength(1);
    await engine.call('consents.deny', { id: asked[0]!.id });
  });

  it('its refresh is refused naming the revoke, and the client page shows it until it is approved again', async () => {
    const { engine, clock } = fixture;
    const tokens = await obtainTokens(engine);
    await engine.call('clients.revoke', { clientId: tokens.clientId });
    const { revoked } = await engine.call('clients.get', { clientId: tokens.clientId });
    expect(revoked).toEqual({ at: expect.any(Number), refusedUntil: null, endsAt: revoked!.at + 3_600_000 });
    const refused = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `You revoked this client in Gatehouse at ${sentenceTime(revoked!.at, clock.now())}; it must ask for your consent again.`,
      },
    });
    // Approved again: the revoke no longer counts, and a refused refresh is oidc-provider's own again.
    await obtainTokens(engine, { clientId: tokens.clientId });
    expect((await engine.call('clients.get', { clientId: tokens.clientId })).revoked).toBeNull();
    expect((await refresh(engine, tokens.clientId, tokens.refreshToken)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
    });
  });

  it('stops refusing when the user says so: the next request asks again', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine, { client_name: 'Pardoned' });
    await engine.call('clients.revoke', { clientId, refuseForSeconds: 7 * 86_400 });
    const view = await engine.call('clients.stopRefusing', { clientId });
    expect(view.revoked).toBeNull();
    await expect(engine.call('clients.stopRefusing', { clientId })).rejects.toMatchObject({
      code: 'conflict',
      message: "Gatehouse is not refusing Pardoned's requests; its next request asks for your consent.",
    });
    const [ended] = await engine.call('audit.list', { type: 'client.refusal_ended', limit: 1 });
    expect(ended).toMatchObject({
      clientId,
      reason: expect.stringMatching(/^The user stopped refusing Pardoned/),
    });
    const { page } = await openAuthorization(engine, clientId, {
      scope: 'mcp:read',
      resource: engine.mcpUrl,
    });
    expect(page.status).toBe(200);
    const asked = (await engine.call('consents.list')).filter((c) => c.clientId === clientId);
    expect(asked).toHaveLength(1);
    await engine.call('consents.deny', { id: asked[0]!.id });
  });

  it('refuses a refusal longer than a week', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    await expect(
      engine.call('clients.revoke', { clientId, refuseForSeconds: 8 * 86_400 }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
