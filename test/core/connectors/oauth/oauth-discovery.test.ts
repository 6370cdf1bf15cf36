// Discovery for the upstream OAuth client, request by request: the WWW-Authenticate parser, the RFC
// 9728 and RFC 8414 / OIDC well-known orders the MCP spec (2025-11-25) fixes, and the refusals that
// keep credentials from going to the wrong place.
import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  upstreamResource,
  defaultAuthorizationServer,
  discoverAuthorizationServer,
  discoverProtectedResource,
  MetadataNotFound,
  parseBearerChallenge,
  protectedResourceMetadataUrls,
} from '../../../../main/core/connectors/oauth/discovery.js';
import type { Fetch } from '../../../../main/core/effects.js';

/** A fetch that answers from a table (anything else 404) and records what was asked, in order. */
function tableFetch(answers: Record<string, unknown>): { fetch: Fetch; asked: string[] } {
  const asked: string[] = [];
  const fetch: Fetch = async (input) => {
    const url = String(input);
    asked.push(url);
    return url in answers
      ? Response.json(answers[url])
      : new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  };
  return { fetch, asked };
}

describe('parseBearerChallenge', () => {
  it('reads the MCP parameters from a Bearer challenge, quoted or not', () => {
    expect(
      parseBearerChallenge(
        'Bearer error="insufficient_scope", scope="files:read files:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", error_description="Needs \\"write\\""',
      ),
    ).toEqual({
      error: 'insufficient_scope',
      scope: 'files:read files:write',
      resourceMetadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      errorDescription: 'Needs "write"',
    });
    expect(parseBearerChallenge('bearer resource_metadata=https://a.example/m,scope=x')).toEqual({
      resourceMetadata: 'https://a.example/m',
      scope: 'x',
    });
  });

  it('finds the Bearer challenge among others, and nothing where there is none', () => {
    expect(parseBearerChallenge('Basic realm="x", Bearer realm="mcp", scope="a"')).toEqual({ scope: 'a' });
    expect(parseBearerChallenge('Negotiate abc123==, Bearer error="invalid_token"')).toEqual({
      error: 'invalid_token',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(parseBearerChallenge('Bearer')).toEqual({});
  });
});

describe('well-known URIs', () => {
  it('tries protected resource metadata with path insertion, then at the root', () => {
    expect(protectedResourceMetadataUrls('https://example.com/public/mcp').map(String)).toEqual([
      'https://example.com/.well-known/oauth-protected-resource/public/mcp',
      'https://example.com/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://example.com/').map(String)).toEqual([
      'https://example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('tries authorization server metadata in the MCP order', () => {
    expect(authorizationServerMetadataUrls('https://auth.example.com/tenant1').map(String)).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/openid-configuration/tenant1',
      'https://auth.example.com/tenant1/.well-known/openid-configuration',
    ]);
    expect(authorizationServerMetadataUrls('https://auth.example.com/').map(String)).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server',
      'https://auth.example.com/.well-known/openid-configuration',
    ]);
  });

  it('writes the canonical resource without fragment or bare trailing slash', () => {
    expect(upstreamResource('https://MCP.example.com/')).toBe('https://mcp.example.com');
    expect(upstreamResource('https://mcp.example.com/mcp#x')).toBe('https://mcp.example.com/mcp');
  });
});

describe('discoverProtectedResource', () => {
  const prm = {
    resource: 'https://mcp.example.com/mcp',
    authorization_servers: ['https://auth.example.com/tenant1'],
    scopes_supported: ['notes:read'],
  };

  it('uses the challenge URL first and goes no further when it answers', async () => {
    const { fetch, asked } = tableFetch({ 'https://mcp.example.com/custom/prm.json': prm });
    const found = await discoverProtectedResource(
      'https://mcp.example.com/mcp',
      'https://mcp.example.com/custom/prm.json',
      { fetch },
    );
    expect(found).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorizationServers: ['https://auth.example.com/tenant1'],
      scopesSupported: ['notes:read'],
      metadataUrl: 'https://mcp.example.com/custom/prm.json',
    });
    expect(asked).toEqual(['https://mcp.example.com/custom/prm.json']);
  });

  it('falls back to path insertion, then the root, and accepts a covering resource there', async () => {
    const { fetch, asked } = tableFetch({
      'https://mcp.example.com/.well-known/oauth-protected-resource': {
        ...prm,
        resource: 'https://mcp.example.com',
      },
    });
    const found = await discoverProtectedResource('https://mcp.example.com/mcp', undefined, { fetch });
    expect(found?.resource).toBe('https://mcp.example.com');
    expect(asked).toEqual([
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('refuses metadata for another resource', async () => {
    const { fetch } = tableFetch({
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp': {
        ...prm,
        resource: 'https://evil.example.com/mcp',
      },
    });
    await expect(
      discoverProtectedResource('https://mcp.example.com/mcp', undefined, { fetch }),
    ).rejects.toThrow(
      'The protected resource metadata at https://mcp.example.com/.well-known/oauth-protected-resource/mcp is for https://evil.example.com/mcp, not for https://mcp.example.com/mcp; Gatehouse will not send credentials for another resource.',
    );
  });

  it('returns nothing when the server publishes none, and says what each URL answered', async () => {
    const { fetch } = tableFetch({});
    const missed: number[] = [];
    expect(
      await discoverProtectedResource('https://mcp.example.com/mcp', undefined, { fetch }, missed),
    ).toBeUndefined();
    expect(missed).toEqual([404, 404]);
  });
});

describe('discoverAuthorizationServer', () => {
  const metadata = (issuer: string) => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  });

  it('walks the MCP order until one answers (here OIDC with the path appended)', async () => {
    const { fetch, asked } = tableFetch({
      'https://auth.example.com/tenant1/.well-known/openid-configuration': metadata(
        'https://auth.example.com/tenant1',
      ),
    });
    const found = await discoverAuthorizationServer('https://auth.example.com/tenant1', { fetch });
    expect(found.token_endpoint).toBe('https://auth.example.com/tenant1/token');
    expect(asked).toEqual(authorizationServerMetadataUrls('https://auth.example.com/tenant1').map(String));
  });

  it('refuses metadata that names another issuer (RFC 8414 §3.3)', async () => {
    const { fetch } = tableFetch({
      'https://auth.example.com/.well-known/oauth-authorization-server':
        metadata('https://other.example.com'),
    });
    await expect(discoverAuthorizationServer('https://auth.example.com', { fetch })).rejects.toThrow(
      /is not usable \("response" body "issuer" property does not match the expected value\)/,
    );
  });

  it('says where it looked when nothing answers, and never talks plain http to another host', async () => {
    const { fetch } = tableFetch({});
    await expect(discoverAuthorizationServer('https://auth.example.com', { fetch })).rejects.toThrow(
      'No authorization server metadata was found for https://auth.example.com (tried https://auth.example.com/.well-known/oauth-authorization-server, https://auth.example.com/.well-known/openid-configuration).',
    );
    await expect(discoverAuthorizationServer('http://auth.example.com', { fetch })).rejects.toThrow(
      'The authorization server (http://auth.example.com) does not use https; Gatehouse only sends OAuth requests over https, or over http to this computer.',
    );
  });

  it('says what each URL answered when none has metadata', async () => {
    const { fetch } = tableFetch({});
    const failure = await discoverAuthorizationServer('https://auth.example.com', { fetch }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MetadataNotFound);
    expect((failure as MetadataNotFound).statuses).toEqual([404, 404]);
  });
});

describe('defaultAuthorizationServer (MCP 2025-03-26 §2.3.3)', () => {
  it('puts /authorize, /token and /register at the origin, the path discarded', () => {
    expect(defaultAuthorizationServer('https://api.example.com/v1/mcp?tenant=1')).toEqual({
      issuer: 'https://api.example.com',
      authorization_endpoint: 'https://api.example.com/authorize',
      token_endpoint: 'https://api.example.com/token',
      registration_endpoint: 'https://api.example.com/register',
    });
  });

  it('refuses plain http to another host', () => {
    expect(() => defaultAuthorizationServer('http://api.example.com/mcp')).toThrow(
      'The authorization server (http://api.example.com) does not use https; Gatehouse only sends OAuth requests over https, or over http to this computer.',
    );
    expect(defaultAuthorizationServer('http://127.0.0.1:8080/mcp').token_endpoint).toBe(
      'http://127.0.0.1:8080/token',
    );
  });
});
