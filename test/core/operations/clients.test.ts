// The client registry: manual (confidential) registration with a full code flow, introspection,
// forget, and what the registry reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import {
  initializeMessage,
  mcpPost,
  obtainCode,
  obtainTokens,
  REDIRECT,
  tokenRequest,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => fixture.stop());

describe('manual registration', () => {
  it('registers a confidential client whose secret works once at the token endpoint (client_secret_basic)', async () => {
    const { engine } = fixture;
    const registered = await engine.call('clients.register', { name: 'Hand Made', redirectUris: [REDIRECT] });
    expect(registered.clientId).toMatch(/^gh_/);
    expect(registered.clientSecret).toHaveLength(43);
    expect(registered.tokenEndpointAuthMethod).toBe('client_secret_basic');
    const { code, verifier } = await obtainCode(engine, registered.clientId);
    const basic = `Basic ${Buffer.from(`${registered.clientId}:${registered.clientSecret}`).toString('base64')}`;
    const wrong = await tokenRequest(
      engine,
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT },
      { authorization: `Basic ${Buffer.from(`${registered.clientId}:nope`).toString('base64')}` },
    );
    expect(wrong).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
    const { code: code2, verifier: verifier2 } = await obtainCode(engine, registered.clientId);
    const ok = await tokenRequest(
      engine,
      {
        grant_type: 'authorization_code',
        code: code2,
        code_verifier: verifier2,
        redirect_uri: REDIRECT,
        resource: engine.mcpUrl,
      },
      { authorization: basic },
    );
    expect(ok.status).toBe(200);
    expect((await mcpPost(engine, ok.body.access_token as string, initializeMessage)).status).toBe(200);
    const view = await engine.call('clients.get', { clientId: registered.clientId });
    expect(view).toMatchObject({ name: 'Hand Made', kind: 'manual' });
    expect(JSON.stringify(view)).not.toContain(registered.clientSecret!);
  });

  it('rejects bad manual registrations with a reason', async () => {
    const { engine } = fixture;
    await expect(engine.call('clients.register', { name: '', redirectUris: [REDIRECT] })).rejects.toThrow(
      'A client name is required.',
    );
    await expect(engine.call('clients.register', { name: 'x', redirectUris: ['not a url'] })).rejects.toThrow(
      'Each redirect URI must be an absolute URL.',
    );
    await expect(
      engine.call('clients.register', { name: 'x', redirectUris: ['https://a.example/cb#frag'] }),
    ).rejects.toThrow(
      'The client was not registered: https://a.example/cb#frag has a fragment, which a redirect URI must not have',
    );
  });
});

describe("introspection (RFC 7662, Gatehouse's own use)", () => {
  it('reports an active token with its client, scope and audience, and an inactive one after revoke', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine, { access: 'write' });
    expect(await engine.call('tokens.introspect', { token: tokens.accessToken })).toMatchObject({
      active: true,
      clientId: tokens.clientId,
      scope: 'mcp:read mcp:write',
      audience: engine.mcpUrl,
      tokenType: 'Bearer',
    });
    await engine.call('clients.revoke', { clientId: tokens.clientId });
    expect(await engine.call('tokens.introspect', { token: tokens.accessToken })).toMatchObject({
      active: false,
    });
  });

  it('tells an ordinary client nothing about a live token', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const registered = await engine.call('clients.register', { name: 'Nosy', redirectUris: [REDIRECT] });
    const res = await fetch(`${engine.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${registered.clientId}:${registered.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.accessToken }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ active: false });
    expect((await engine.call('tokens.introspect', { token: tokens.accessToken })).active).toBe(true);
  });
});

describe('revoke and forget', () => {
  it('revoke keeps the registration (next authorization asks again); forget deletes it', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const revoked = await engine.call('clients.revoke', { clientId: tokens.clientId });
    expect(revoked).toMatchObject({
      clientId: tokens.clientId,
      grantsRevoked: 1,
      tokensRevoked: expect.any(Number),
    });
    expect((await engine.call('clients.get', { clientId: tokens.clientId })).grants).toEqual([]);
    const again = await obtainTokens(engine, { clientId: tokens.clientId });
    expect((await mcpPost(engine, again.accessToken, initializeMessage)).status).toBe(200);

    await engine.call('clients.forget', { clientId: tokens.clientId });
    await expect(engine.call('clients.get', { clientId: tokens.clientId })).rejects.toThrow(
      `No client with id ${tokens.clientId} is known to Gatehouse`,
    );
    expect((await mcpPost(engine, again.accessToken, initializeMessage)).status).toBe(401);
    const reg = await tokenRequest(engine, {
      grant_type: 'refresh_token',
      refresh_token: again.refreshToken,
      client_id: tokens.clientId,
    });
    expect(reg).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
    await expect(engine.call('clients.revoke', { clientId: 'nope' })).rejects.toThrow(
      'No client with id nope is known to Gatehouse (see gatehouse clients list).',
    );
  });

  it('audits the whole life of a client', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    await engine.call('clients.revoke', { clientId: tokens.clientId });
    const types = (await engine.call('audit.list', { clientId: tokens.clientId }))
      .map((e) => e.type)
      .reverse();
    expect(types).toEqual([
      'client.registered',
      'consent.requested',
      'consent.granted',
      'token.issued',
      'client.revoked',
    ]);
  });
});
