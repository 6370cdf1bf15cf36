// MCP-Protocol-Version on OAuth metadata discovery (MCP 2025-03-26 authorization §2.3.2: a client
// SHOULD send it during metadata discovery). A real engine signs into a 2025-03-26-era server that
// publishes no metadata (every well-known lookup 404, then the default endpoints), and the server
// records the version each request names: every metadata request names the version of the MCP
// request before it — the one being attempted before the sign-in, the negotiated one after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { startOAuthUpstream, type OAuthUpstream } from '../../../fixtures/oauth-upstream.js';
import { followAuthorization } from '../../../fixtures/upstream-oauth-harness.js';

let fixture: EngineFixture;
let upstream: OAuthUpstream;

beforeAll(async () => {
  fixture = await startEngine();
  upstream = await startOAuthUpstream({
    now: () => fixture.clock.now(),
    accessTokenSeconds: 600,
    metadata: 'none',
  });
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
});

const status = async () => (await fixture.engine.call('connectors.get', { name: 'notes' })).status;

/** The metadata requests recorded from `from` on, each with the version of the MCP request before it. */
function metadataRequests(from: number) {
  const seen = upstream.protocolVersions;
  return seen.slice(from).flatMap((entry, index) => {
    if (!entry.path.startsWith('/.well-known/')) return [];
    const before = seen.slice(0, from + index).findLast((earlier) => earlier.path === '/mcp');
    return [{ path: entry.path, version: entry.version, mcpVersion: before?.version }];
  });
}

describe('MCP-Protocol-Version on metadata discovery', () => {
  it('names the attempted version on every lookup of a sign-in, and the negotiated one once connected', async () => {
    const { engine } = fixture;
    await engine.call('connectors.add', {
      name: 'notes',
      settings: { kind: 'http', url: upstream.mcpUrl, auth: { type: 'oauth' } },
    });
    await expect.poll(async () => (await status()).auth).toBe('action-required');

    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'notes' });
    const first = metadataRequests(0);
    expect(first.map((request) => request.path)).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]);
    // Before any version is negotiated: the one the refused MCP request attempted.
    for (const request of first) {
      expect(request.version).toBe('2026-07-28');
      expect(request.version).toBe(request.mcpVersion);
    }

    expect((await followAuthorization(authorizationUrl, fetch)).status).toBe(200);
    await expect
      .poll(async () => status(), { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready' });
    const negotiated = (await status()).protocolVersion;
    expect(negotiated).toMatch(/^2025-/);

    // Connecting again looks the metadata up afresh, under the version the connection speaks.
    const mark = upstream.protocolVersions.length;
    await engine.call('connectors.connect', { name: 'notes' });
    const again = metadataRequests(mark);
    expect(again).toHaveLength(4);
    for (const request of again) {
      expect(request.version).toBe(negotiated);
      expect(request.mcpVersion).toBe(negotiated);
    }
  });
});
