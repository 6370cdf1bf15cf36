// Black-box tests of discovery: RFC 8414 / OIDC metadata and RFC 9728 protected resource metadata,
// each at both well-known names, and the challenge that points an anonymous MCP client at them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { mcpPost, initializeMessage } from '../../support/raw-oauth.js';

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
