// Adding a remote server that signs in with OAuth from the catalog, enabled, as the window does: its
// first start can only end in "sign-in needed" — that is not a failure to start, so the connector is
// kept and asks the user to Connect, and after the sign-in it connects. (The same rule as
// connectors.add's onlyIfItStarts.) A token the server refuses is a failure to start on every path:
// connectors.add (window, CLI) and catalog.add take the connector back, and say the token was refused.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stdioSettings } from '../../../main/core/api/connector-config.js';
import { startEngine, type EngineFixture, connectorNames } from '../../support/engine-fixture.js';
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
          name: 'io.example/keyed',
          description: 'A hosted server that takes an API token in a header.',
          version: '1.0.0',
          remotes: [
            {
              type: 'streamable-http',
              url: upstream.mcpUrl,
              headers: [
                {
                  name: 'Authorization',
                  value: 'Bearer {api_token}',
                  isRequired: true,
                  variables: { api_token: { isRequired: true, isSecret: true } },
                },
              ],
            },
          ],
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
    expect(await connectorNames(engine)).toContain('secure');
    expect(await engine.call('audit.list', { type: 'connector.add_failed', limit: 10 })).toEqual([]);

    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'secure' });
    expect((await followAuthorization(authorizationUrl, fetch)).status).toBe(200);
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'secure' })).status, { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready' });
  });
});

describe('a token the server refuses', () => {
  it('connectors.add: a refused bearer token is not kept (does_not_start), unless kept anyway', async () => {
    const { engine } = fixture;
    const settings = {
      kind: 'http' as const,
      url: upstream.mcpUrl,
      transport: 'streamable-http' as const,
      timeoutSeconds: 30,
      headers: {},
      auth: { type: 'bearer' as const, token: 'not-a-token-this-server-issued' },
    };
    await expect(
      engine.call('connectors.add', { name: 'refused', settings, enabled: true, onlyIfItStarts: true }),
    ).rejects.toMatchObject({
      code: 'does_not_start',
      message:
        "refused was not added: it does not start (The server refused the connector's bearer token (HTTP 401). Check the token in the connector's settings, or get a new one from the server).",
    });
    expect(await connectorNames(engine)).not.toContain('refused');
    expect(await engine.call('audit.list', { type: 'connector.add_failed', limit: 10 })).toMatchObject([
      { connector: 'refused' },
    ]);

    const kept = await engine.call('connectors.add', {
      name: 'refused-kept',
      settings,
      enabled: true,
      onlyIfItStarts: false,
    });
    expect(kept.status).toMatchObject({ connection: 'error', authProblem: 'token-refused' });
    await engine.call('connectors.remove', { name: 'refused-kept' });
  });

  it('catalog.add: "the token you gave was refused", and nothing is kept', async () => {
    const { engine } = fixture;
    await expect(
      addReviewed(engine, {
        name: 'io.example/keyed',
        answers: { 'variable:api_token': 'not-a-token-this-server-issued' },
        enabled: true,
        // The connector "secure" above reaches the same URL.
        again: true,
      }),
    ).rejects.toThrow(
      `io.example/keyed did not start, so Gatehouse did not add it: The server at ${upstream.mcpUrl} refused the token you gave (HTTP 401; sent in the Authorization header). Check it, or get a new one from the server. Check your answers and add it again.`,
    );
    expect(await connectorNames(engine)).not.toContain('keyed');
  });
});

describe('a local program that does not start', () => {
  it('is not kept; the message names the line that explains, and its whole stderr stays readable', async () => {
    const { engine } = fixture;
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-add-'));
    try {
      await writeFile(path.join(dir, 'server.cjs'), "require('gatehouse-weather-sdk');\n");
      const settings = stdioSettings.parse({
        kind: 'stdio',
        command: process.execPath,
        args: [path.join(dir, 'server.cjs')],
      });
      await expect(
        engine.call('connectors.add', { name: 'weather', settings, enabled: true, onlyIfItStarts: true }),
      ).rejects.toMatchObject({
        code: 'does_not_start',
        message: `weather was not added: it does not start (The server exited with code 1. Its stderr says: "Error: Cannot find module 'gatehouse-weather-sdk'").`,
      });
      expect(await connectorNames(engine)).not.toContain('weather');
      const { lines } = await engine.call('connectors.logs', { name: 'weather' });
      expect(lines).toContain("Error: Cannot find module 'gatehouse-weather-sdk'");
      expect(lines.at(-1)).toMatch(/^Node\.js v22\./);
      // A name never added has no stderr to show.
      await expect(engine.call('connectors.logs', { name: 'never-added' })).rejects.toMatchObject({
        code: 'not_found',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
