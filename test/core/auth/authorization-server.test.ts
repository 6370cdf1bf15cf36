// Black-box tests of the embedded authorization server: discovery, PKCE, codes, redirects,
// resources, refresh rotation and reuse, registration policy — each failure with its exact error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { TestBrowser } from '../../support/test-browser.js';
import {
  authorizeUrl,
  mcpPost,
  obtainCode,
  obtainTokens,
  openAuthorization,
  pkce,
  REDIRECT,
  refresh,
  register,
  registerPublicClient,
  tokenRequest,
  initializeMessage,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: 300 });
});
afterAll(async () => fixture.stop());

describe('discovery', () => {
  it('serves RFC 8414 and OIDC metadata with the exact issuer, S256 only, CIMD and DCR', async () => {
    const { engine } = fixture;
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(`${engine.issuer}${path}`);
      expect(res.status).toBe(200);
      const meta = (await res.json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(engine.issuer);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.client_id_metadata_document_supported).toBe(true);
      expect(meta.registration_endpoint).toBe(`${engine.issuer}/reg`);
      expect(meta.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
      expect(meta.response_types_supported).toEqual(['code']);
      expect(meta.token_endpoint_auth_methods_supported).toEqual([
        'none',
        'client_secret_basic',
        'client_secret_post',
      ]);
      expect(meta.revocation_endpoint).toBe(`${engine.issuer}/token/revocation`);
      expect(meta.introspection_endpoint).toBe(`${engine.issuer}/token/introspection`);
    }
  });

  it('serves protected resource metadata (RFC 9728) at both well-known paths', async () => {
    const { engine } = fixture;
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const meta = (await (await fetch(`${engine.issuer}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toEqual({
        resource: engine.mcpUrl,
        authorization_servers: [engine.issuer],
        scopes_supported: ['mcp:read', 'mcp:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Gatehouse',
      });
    }
    const viaLocalhost = (await (
      await fetch(`http://localhost:${engine.port}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as Record<string, unknown>;
    expect(viaLocalhost.resource).toBe(`http://localhost:${engine.port}/mcp`);
  });

  it('challenges an anonymous MCP request with resource_metadata and scope', async () => {
    const { engine } = fixture;
    const res = await mcpPost(engine, undefined, initializeMessage);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe(
      `Bearer resource_metadata="${engine.issuer}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"`,
    );
  });
});

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

describe('registration', () => {
  it('accepts the known callbacks of VS Code and Cursor, and custom schemes only for native clients', async () => {
    const { engine } = fixture;
    expect(
      (await register(engine, { redirect_uris: ['https://vscode.dev/redirect', 'http://127.0.0.1:33418/'] }))
        .status,
    ).toBe(201);
    expect(
      (
        await register(engine, {
          redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/user-github/callback'],
        })
      ).status,
    ).toBe(201);
    expect(await register(engine, { redirect_uris: ['myapp://callback'] })).toEqual({
      status: 400,
      body: {
        error: 'invalid_redirect_uri',
        error_description:
          'myapp://callback uses a private-use scheme (myapp), which only native apps may register; register with application_type "native"',
      },
    });
    expect(
      (await register(engine, { redirect_uris: ['myapp://callback'], application_type: 'native' })).status,
    ).toBe(201);
  });

  it('refuses registration when the policy is closed, with a sentence saying how to open it', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'closed' });
    try {
      const result = await register(engine, {});
      expect(result.status).toBe(403);
      expect(result.body).toEqual({
        error: 'access_denied',
        error_description:
          'New client registration is closed in Gatehouse. Open Gatehouse → Settings → New clients to allow it, or register this client by hand.',
      });
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('holds a registration for the user when the policy is ask', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const pendingResult = register(engine, { client_name: 'Asking Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      const [pending] = await engine.call('registrations.list');
      expect(pending).toMatchObject({ clientName: 'Asking Client', redirectUris: [REDIRECT] });
      await engine.call('registrations.approve', { id: pending!.id });
      const result = await pendingResult;
      expect(result.status).toBe(201);
      expect((await engine.call('clients.get', { clientId: result.body.client_id as string })).name).toBe(
        'Asking Client',
      );

      const refused = register(engine, { client_name: 'Refused Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      await engine.call('registrations.deny', { id: (await engine.call('registrations.list'))[0]!.id });
      expect(await refused).toEqual({
        status: 403,
        body: {
          error: 'access_denied',
          error_description: 'The user refused this client registration in Gatehouse.',
        },
      });
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('keeps the question when the client stops waiting, and lets its next try through once approved', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const impatient = new AbortController();
      const first = fetch(`${engine.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: 'none',
          client_name: 'Impatient Client',
        }),
        signal: impatient.signal,
      }).catch((error: unknown) => error);
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      impatient.abort();
      expect(await first).toBeInstanceOf(Error);
      await expect
        .poll(() => engine.audit.query({ type: 'client.registration_waiting', limit: 1 })[0]?.reason)
        .toBe(
          'Impatient Client stopped waiting for an answer; if you approve it, it registers when it tries again.',
        );
      // The client gave up (its own timeout); the question is still the user's to answer.
      const [pending] = await engine.call('registrations.list');
      expect(pending).toMatchObject({ clientName: 'Impatient Client' });
      await engine.call('registrations.approve', { id: pending!.id });
      await expect
        .poll(() => engine.audit.query({ type: 'client.registration_approved', limit: 1 })[0]?.reason)
        .toBe(
          'The user approved Impatient Client, which had stopped waiting; it registers when it tries again within 10 minutes.',
        );
      expect(await engine.call('registrations.list')).toEqual([]);

      // Its next try registers at once, without asking again…
      const retry = await register(engine, { client_name: 'Impatient Client' });
      expect(retry.status).toBe(201);
      expect(await engine.call('registrations.list')).toEqual([]);
      // …once: a later attempt is a new question.
      const later = register(engine, { client_name: 'Impatient Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      await engine.call('registrations.deny', { id: (await engine.call('registrations.list'))[0]!.id });
      expect((await later).status).toBe(403);
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('joins a retry to the question its earlier attempt is waiting on: one question, one registration', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const first = register(engine, { client_name: 'Twice Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      const second = register(engine, { client_name: 'Twice Client' });
      // The retry is in (its body read and matched) before the answer: give it a moment, then check
      // it raised no second question.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pending = await engine.call('registrations.list');
      expect(pending).toHaveLength(1);
      await engine.call('registrations.approve', { id: pending[0]!.id });
      expect((await second).status).toBe(201);
      expect(await first).toEqual({
        status: 409,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'A newer registration attempt from this client is waiting for the same answer.',
        },
      });
      expect((await engine.call('clients.list')).filter((c) => c.name === 'Twice Client')).toHaveLength(1);
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('answers malformed registration JSON with invalid_request, not a crash', async () => {
    const res = await fetch(`${fixture.engine.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"redirect_uris": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'failed to parse the request body',
    });
  });
});

describe('registration rate limit', () => {
  it('refuses a source’s registrations beyond its limit with 429 and Retry-After', async () => {
    const limited = await startEngine({ registrationLimit: { count: 2, windowMs: 60_000 } });
    try {
      expect((await register(limited.engine, {})).status).toBe(201);
      expect((await register(limited.engine, {})).status).toBe(201);
      const res = await fetch(`${limited.engine.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1:5555/other-port'],
          client_name: 'Raw Client',
        }),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(55);
      expect(await res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.stringMatching(
          /^Too many registrations from "Raw Client" \(2 in 1 minute\); try again in \d+ seconds\.$/,
        ),
      });
    } finally {
      await limited.stop();
    }
  });
});
