// Black-box tests of the token endpoint: opaque audience-bound tokens, code replay and PKCE
// verification, refresh rotation and reuse, revocation (RFC 7009), each failure with its exact error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import {
  mcpPost,
  obtainCode,
  obtainTokens,
  pkce,
  REDIRECT,
  refresh,
  registerPublicClient,
  tokenRequest,
  initializeMessage,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: 300 });
});
afterAll(async () => fixture.stop());

describe('token endpoint', () => {
  it('issues opaque, audience-bound tokens with the granted scope only', async () => {
    const tokens = await obtainTokens(fixture.engine, { access: 'read' });
    expect(tokens.scope).toBe('mcp:read');
    expect(tokens.accessToken.split('.')).toHaveLength(1);
    expect(tokens.refreshToken).toBeTruthy();
  });

  it('refuses a replayed authorization code and revokes what it issued', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { code, verifier } = await obtainCode(engine, clientId);
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
    };
    const first = await tokenRequest(engine, form);
    expect(first.status).toBe(200);
    const replay = await tokenRequest(engine, form);
    expect(replay).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    const after = await mcpPost(engine, first.body.access_token as string, initializeMessage);
    expect(after.status).toBe(401);
  });

  it('refuses a wrong code_verifier', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { code } = await obtainCode(engine, clientId);
    const result = await tokenRequest(engine, {
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce().verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
    });
    expect(result).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
  });

  it('rotates refresh tokens and revokes the whole grant when a rotated one is reused after the grace window', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const first = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refreshToken);
    await new Promise((r) => setTimeout(r, 400));
    const reuse = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect(reuse).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    const newest = await refresh(engine, tokens.clientId, first.body.refresh_token as string);
    expect(newest.status).toBe(400);
    expect((await mcpPost(engine, first.body.access_token as string, initializeMessage)).status).toBe(401);
    const audit = await engine.call('audit.list', { type: 'token.refresh_reuse', clientId: tokens.clientId });
    expect(audit[0]?.reason).toBe('A rotated refresh token was used again: the whole grant was revoked');
  });

  it('revokes a refresh token (RFC 7009) and the grant with it', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const res = await fetch(`${engine.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refreshToken, client_id: tokens.clientId }),
    });
    expect(res.status).toBe(200);
    expect((await refresh(engine, tokens.clientId, tokens.refreshToken)).status).toBe(400);
    expect((await mcpPost(engine, tokens.accessToken, initializeMessage)).status).toBe(401);
  });
});
