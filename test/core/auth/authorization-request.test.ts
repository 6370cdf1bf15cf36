// Black-box tests of the authorization endpoint: PKCE, redirect URIs, resource indicators, and the
// consent interaction it leads to, each failure with its exact error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { TestBrowser } from '../../support/test-browser.js';
import {
  authorizeUrl,
  obtainCode,
  openAuthorization,
  pkce,
  REDIRECT,
  registerPublicClient,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: 300 });
});
afterAll(async () => fixture.stop());

describe('authorization request', () => {
  async function authorizeError(
    params: Record<string, string | undefined>,
  ): Promise<URLSearchParams | string> {
    const browser = new TestBrowser();
    const landed = await browser.navigate(authorizeUrl(fixture.engine, params), REDIRECT);
    if (landed.url.startsWith(REDIRECT)) return new URL(landed.url).searchParams;
    return landed.body;
  }

  it('refuses a request without PKCE', async () => {
    const clientId = await registerPublicClient(fixture.engine);
    const result = await authorizeError({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'mcp:read',
    });
    expect(result).toBeInstanceOf(URLSearchParams);
    expect((result as URLSearchParams).get('error')).toBe('invalid_request');
    expect((result as URLSearchParams).get('error_description')).toBe(
      'Authorization Server policy requires PKCE to be used for this request',
    );
  });

  it('refuses the plain PKCE method', async () => {
    const clientId = await registerPublicClient(fixture.engine);
    const result = (await authorizeError({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain',
    })) as URLSearchParams;
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('error_description')).toBe('not supported value of code_challenge_method');
  });

  it('refuses a redirect URI that was not registered, without redirecting to it', async () => {
    const clientId = await registerPublicClient(fixture.engine);
    const { challenge } = pkce();
    const body = (await authorizeError({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'https://attacker.example/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) as string;
    expect(body).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
  });

  it('accepts a loopback redirect on any port (RFC 8252 §7.3), for 127.0.0.1 and localhost', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const clientId = await registerPublicClient(fixture.engine, {
        redirect_uris: [`http://${host}:3000/callback`],
      });
      const { code } = await obtainCode(fixture.engine, clientId, {
        redirectUri: `http://${host}:49152/callback`,
      });
      expect(code).toMatch(/^[\w-]{20,}$/);
    }
  });

  it('refuses an unknown resource indicator', async () => {
    const clientId = await registerPublicClient(fixture.engine);
    const { challenge } = pkce();
    const result = (await authorizeError({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: 'https://elsewhere.example/mcp',
    })) as URLSearchParams;
    expect(result.get('error')).toBe('invalid_target');
    expect(result.get('error_description')).toBe(
      'https://elsewhere.example/mcp is not a resource served by this Gatehouse',
    );
  });

  it('answers access_denied when the user denies in Gatehouse', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { browser } = await openAuthorization(engine, clientId, { scope: 'mcp:read' });
    const consent = (await engine.call('consents.list')).find((c) => c.clientId === clientId)!;
    expect(consent.matchCode).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/);
    expect(browser.lastBody).toContain(consent.matchCode);
    await engine.call('consents.deny', { id: consent.id });
    const landed = new URL((await browser.reload(REDIRECT)).url);
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toBe('The user denied this request in Gatehouse.');
    const denied = await engine.call('audit.list', { type: 'consent.denied', clientId });
    expect(denied).toHaveLength(1);
  });

  it('offers no way to decide from the browser: the wait endpoint only reports', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { browser } = await openAuthorization(engine, clientId);
    const consentUrl = browser.lastUrl;
    const post = await fetch(consentUrl, {
      method: 'POST',
      body: 'decision=approve',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(404);
    const wait = await fetch(`${consentUrl}/wait`, { method: 'POST' });
    expect(wait.status).toBe(404);
    expect((await engine.call('consents.list')).find((c) => c.clientId === clientId)).toBeDefined();
  });
});
