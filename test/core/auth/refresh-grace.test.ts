// The refresh grace is idempotent: a rotated refresh token presented again just after its rotation,
// with the same client authentication, gets the very tokens the rotation gave — never a second
// chain. A thief replaying a stolen token inside the grace gains nothing new, and the first later
// use of a rotated token (by the thief or the client) is reuse: the grant is revoked and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import {
  initializeMessage,
  mcpPost,
  obtainCode,
  obtainTokens,
  REDIRECT,
  refresh,
  tokenRequest,
} from '../../support/raw-oauth.js';

const GRACE_MS = 1_000;
let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: GRACE_MS });
});
afterAll(async () => fixture.stop());

async function activeTokens(clientId: string): Promise<number> {
  return (await fixture.engine.call('clients.get', { clientId })).activeTokens;
}

const reuseRevoked = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
};

describe('a refresh token presented twice', () => {
  it('answers two concurrent refreshes with one and the same token pair', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const [a, b] = await Promise.all([
      refresh(engine, tokens.clientId, tokens.refreshToken),
      refresh(engine, tokens.clientId, tokens.refreshToken),
    ]);
    expect(a.status).toBe(200);
    expect(b).toEqual(a);
    expect((await mcpPost(engine, b.body.access_token as string, initializeMessage)).status).toBe(200);
    // The code's pair, then one rotation: two access tokens and one live refresh token.
    expect(await activeTokens(tokens.clientId)).toBe(3);
  });

  it('gives a thief replaying inside the grace nothing new, and revokes the grant at the next reuse', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const client = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect(client.status).toBe(200);
    const before = await activeTokens(tokens.clientId);

    // The thief holds the old refresh token (and the public client_id): inside the grace it gets
    // the client's own new pair — no second chain.
    const thief = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect(thief).toEqual(client);
    expect(await activeTokens(tokens.clientId)).toBe(before);
    expect(
      (await engine.call('audit.list', { clientId: tokens.clientId, type: 'token.refresh_replayed' })).map(
        (event) => event.reason,
      ),
    ).toEqual([
      'A refresh token was presented again just after its rotation: answered with the same tokens, no new chain',
    ]);

    // The client rotates on; the thief's copy of the rotated token is now reuse: the grant dies.
    const next = await refresh(engine, tokens.clientId, client.body.refresh_token as string);
    expect(next.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 100));
    expect(await refresh(engine, tokens.clientId, client.body.refresh_token as string)).toEqual(reuseRevoked);
    expect(await refresh(engine, tokens.clientId, next.body.refresh_token as string)).toEqual(reuseRevoked);
    expect((await mcpPost(engine, next.body.access_token as string, initializeMessage)).status).toBe(401);
    const reuse = await engine.call('audit.list', { clientId: tokens.clientId, type: 'token.refresh_reuse' });
    expect(reuse.map((event) => event.reason)).toEqual([
      'A rotated refresh token was used again: the whole grant was revoked',
    ]);
  });

  it('does not replay to a presenter whose client authentication differs (confidential client)', async () => {
    const { engine } = fixture;
    const registered = await engine.call('clients.register', {
      name: 'Confidential',
      redirectUris: [REDIRECT],
    });
    const basic = (secret: string) => ({
      authorization: `Basic ${Buffer.from(`${registered.clientId}:${secret}`).toString('base64')}`,
    });
    const { code, verifier } = await obtainCode(engine, registered.clientId);
    const issued = await tokenRequest(
      engine,
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT },
      basic(registered.clientSecret!),
    );
    const form = { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token as string };
    const rotated = await tokenRequest(engine, form, basic(registered.clientSecret!));
    expect(rotated.status).toBe(200);
    // A thief without the client's secret is refused by client authentication, and learns nothing.
    expect(await tokenRequest(engine, form, basic('guessed'))).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
    // The client itself, retrying inside the grace, gets the same answer again.
    expect(await tokenRequest(engine, form, basic(registered.clientSecret!))).toEqual(rotated);
  });

  it('treats a replay after the grace as reuse: the grant is revoked', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const first = await refresh(engine, tokens.clientId, tokens.refreshToken);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 100));
    expect(await refresh(engine, tokens.clientId, tokens.refreshToken)).toEqual(reuseRevoked);
    expect((await mcpPost(engine, first.body.access_token as string, initializeMessage)).status).toBe(401);
  });
});
