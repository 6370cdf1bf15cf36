// The authorization server's MCP 2026-07-28 profile: RFC 9207 `iss` in every authorization response
// (success and error) and advertised; the MCP scopes in the metadata's scopes_supported, which give a
// working token when a client asks for them; a declared application_type honoured at registration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import {
  initializeMessage,
  mcpPost,
  obtainCode,
  openAuthorization,
  REDIRECT,
  register,
  registerPublicClient,
  tokenRequest,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => fixture.stop());

async function metadata(): Promise<Record<string, unknown>> {
  const res = await fetch(`${fixture.engine.issuer}/.well-known/oauth-authorization-server`);
  return (await res.json()) as Record<string, unknown>;
}

describe('authorization server metadata', () => {
  it('advertises iss in authorization responses (RFC 9207 §2.3) and CIMD support', async () => {
    const meta = await metadata();
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.client_id_metadata_document_supported).toBe(true);
  });

  it('lists the MCP scopes in scopes_supported, as the protected resource metadata does', async () => {
    const meta = await metadata();
    expect(meta.scopes_supported).toEqual(['mcp:read', 'mcp:write', 'openid', 'offline_access']);
    const resource = (await (
      await fetch(`${fixture.engine.issuer}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as { scopes_supported: string[] };
    for (const scope of resource.scopes_supported) expect(meta.scopes_supported).toContain(scope);
  });

  it('gives a client that asks for every scope the AS metadata lists a token that works at /mcp', async () => {
    const { engine } = fixture;
    const scope = ((await metadata()).scopes_supported as string[]).join(' ');
    const clientId = await registerPublicClient(engine);
    const { code, verifier } = await obtainCode(engine, clientId, { scope, access: 'write' });
    const token = await tokenRequest(engine, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
      resource: engine.mcpUrl,
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('mcp:read mcp:write');
    expect(token.body.refresh_token).toEqual(expect.any(String));
    expect((await mcpPost(engine, token.body.access_token as string, initializeMessage)).status).toBe(200);
  });
});

describe('iss in authorization responses (RFC 9207 §2)', () => {
  it('carries iss beside the code', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { browser } = await obtainCode(engine, clientId);
    const landed = new URL(browser.lastUrl);
    expect(landed.searchParams.get('iss')).toBe(engine.issuer);
    expect(landed.searchParams.getAll('iss')).toHaveLength(1);
  });

  it('carries iss beside an error (the user denied)', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { browser } = await openAuthorization(engine, clientId, { scope: 'mcp:read' });
    const consent = (await engine.call('consents.list')).find((c) => c.clientId === clientId)!;
    await engine.call('consents.deny', { id: consent.id });
    const landed = new URL((await browser.reload(REDIRECT)).url);
    expect(Object.fromEntries(landed.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied this request in Gatehouse.',
      iss: engine.issuer,
    });
  });

  it('carries iss beside an error raised before any consent (no PKCE)', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { page } = await openAuthorization(engine, clientId, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    const landed = new URL(page.url);
    expect(landed.searchParams.get('error')).toBe('invalid_request');
    expect(landed.searchParams.get('iss')).toBe(engine.issuer);
  });
});

describe('application_type at registration', () => {
  it('honours a declared web type: loopback http is registered, but only its exact port matches', async () => {
    const { engine } = fixture;
    const web = await register(engine, { application_type: 'web' });
    expect(web.status).toBe(201);
    expect(web.body.application_type).toBe('web');
    const { page } = await openAuthorization(engine, web.body.client_id as string, {
      redirect_uri: 'http://127.0.0.1:61235/cb',
    });
    expect(page.status).toBe(400);
    expect(page.body).toContain(
      'redirect_uri did not match any of the client&#39;s registered redirect_uris',
    );
  });

  it('infers native for loopback redirects when none is declared, and accepts any port (RFC 8252 §7.3)', async () => {
    const { engine } = fixture;
    const inferred = await register(engine, {});
    expect(inferred.status).toBe(201);
    expect(inferred.body.application_type).toBe('native');
    const { code } = await obtainCode(engine, inferred.body.client_id as string, {
      redirectUri: 'http://127.0.0.1:61299/cb',
    });
    expect(code).toBeTruthy();
  });

  it('honours a declared native type for a private-use scheme', async () => {
    const registered = await register(fixture.engine, {
      application_type: 'native',
      redirect_uris: ['com.example.app:/oauth/callback'],
    });
    expect(registered.status).toBe(201);
    expect(registered.body.application_type).toBe('native');
  });

  it('refuses a type that is neither web nor native, with oidc-provider’s sentence', async () => {
    expect(await register(fixture.engine, { application_type: 'desktop' })).toEqual({
      status: 400,
      body: {
        error: 'invalid_client_metadata',
        error_description: "application_type must be 'native' or 'web'",
      },
    });
  });
});
