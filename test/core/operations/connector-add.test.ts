// Adding a remote server that signs in with OAuth from the catalog, enabled, as the window does: its
// first start can only end in "sign-in needed" — that is not a failure to start, so the connector is
// kept and asks the user to Connect, and after the sign-in it connects. (The same rule as
// connectors.add's onlyIfItStarts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { addReviewed, startLocalRegistry, type LocalRegistry } from '../../support/registry-server.js';
import { startOAuthUpstream, type OAuthUpstream } from '../../fixtures/oauth-upstream.js';
import { followAuthorization } from '../../fixtures/upstream-oauth-harness.js';

let registry: LocalRegistry;
let upstream: OAuthUpstream;
let fixture: EngineFixture;

beforeAll(async () => {
  fixture = await startEngine();
  upstream = await startOAuthUpstream({ now: () => fixture.clock.now(), accessTokenSeconds: 600 });
  registry = await startLocalRegistry({
    extra: [
      {
        server: {
          name: 'io.example/secure',
          description: 'A hosted server that signs in with OAuth.',
          version: '1.0.0',
          remotes: [{ type: 'streamable-http', url: upstream.mcpUrl }],
        },
        _meta: {
          'io.modelcontextprotocol.registry/official': {
            status: 'active',
            publishedAt: '2026-01-01T00:00:00Z',
            updatedAt: '2026-01-01T00:00:00Z',
            isLatest: true,
          },
        },
      },
    ],
  });
  await fixture.engine.call('settings.set', { registryUrl: registry.url });
}, 30_000);

afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
  await registry?.close();
});

describe('catalog.add of an OAuth remote', () => {
  it('keeps it, waiting for the sign-in, and it connects once the user has signed in', async () => {
    const { engine } = fixture;
    const added = await addReviewed(engine, {
      name: 'io.example/secure',
      auth: 'oauth',
      enabled: true,
    });
    expect(added.connector).toMatchObject({
      name: 'secure',
      enabled: true,
      status: { auth: 'action-required', authProblem: 'never-connected' },
    });
    expect(engine.connectorStore.get('secure')).toBeDefined();
    expect(await engine.call('audit.list', { type: 'connector.add_failed', limit: 10 })).toEqual([]);

    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'secure' });
    expect((await followAuthorization(authorizationUrl, fetch)).status).toBe(200);
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'secure' })).status, { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready' });
  });
});
