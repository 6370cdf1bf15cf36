// Gatehouse's upstream OAuth client end to end against a real OAuth-protected MCP server on loopback:
// discovery from the 401, dynamic registration kept across restarts, the browser step through a
// callback route like the engine's, refresh ahead of expiry and exactly once under concurrency,
// revocation and reconnect, and the credentials sealed in the vault-backed store.
import { describe, expect, it } from 'vitest';
import { vaultCredentialStore } from '../../../../main/core/store/oauth-credential-store.js';
import type { AuthState } from '../../../../main/core/connectors/runtime/upstream.js';
import {
  authorizer,
  bareInitialize,
  callback,
  callWhoami,
  connect,
  connectSentence,
  effects,
  reconnectSentence,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { MemoryCredentialStore, memoryVault } from '../../../support/memory-stores.js';

useOAuthUpstream();

describe('upstream OAuth: the whole journey against a real OAuth-protected MCP server', () => {
  it('discovers from the 401, registers once, connects, refreshes once under load, and asks to reconnect when revoked', async () => {
    await start();
    const store = new MemoryCredentialStore();
    const oauth = await authorizer(store);
    const states: AuthState[] = [];
    oauth.onStateChange((state) => states.push(state));
    expect(oauth.state()).toBe('action-required');

    // The engine connects: the first request goes without credentials and the 401 names the metadata.
    const bare = await bareInitialize(oauth);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toContain(
      `resource_metadata="${upstream.resourceMetadataUrl}"`,
    );
    expect(oauth.attention()).toEqual({ reason: 'not-connected', message: connectSentence });
    await expect(oauth.authorize(new Headers())).rejects.toThrow(connectSentence);

    // Connect: discovery, dynamic registration (persisted), PKCE + resource, the browser, the callback.
    const url = await connect(oauth);
    expect(effects.opened).toEqual([url.href]);
    expect(effects.requests.filter((request) => request.startsWith('GET'))).toEqual([
      `GET ${upstream.resourceMetadataUrl}`,
      `GET ${upstream.origin}/.well-known/oauth-authorization-server`,
      expect.stringMatching(/\/authorize\?/),
      expect.stringMatching(/\/connectors\/oauth\/callback\?/),
    ]);
    expect(upstream.registrations).toHaveLength(1);
    const [registration] = upstream.registrations;
    expect(registration).toMatchObject({
      redirect_uris: [callback.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(store.current()?.registration).toMatchObject({
      clientId: registration?.client_id,
      clientSecret: registration?.client_secret,
      redirectUri: callback.redirectUri,
    });
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: registration?.client_id,
      redirect_uri: callback.redirectUri,
      code_challenge_method: 'S256',
      resource: upstream.mcpUrl,
    });
    expect(oauth.state()).toBe('ready');
    expect(states).toEqual(['ready']);

    // The token works upstream.
    expect(await callWhoami(oauth)).toEqual({ clientId: registration?.client_id, scopes: [] });
    expect(upstream.refreshRequests()).toHaveLength(0);

    // Past expiry: the next request refreshes first (the fixture would reject the old token).
    effects.clock.advance(601_000);
    expect(await callWhoami(oauth)).toMatchObject({ clientId: registration?.client_id });
    expect(upstream.refreshRequests()).toHaveLength(1);

    // Ahead of expiry: 50 s left of 600 is inside the margin, so authorize refreshes before it lapses.
    effects.clock.advance(550_000);
    const rotatedFrom = store.current()?.tokens?.refreshToken;
    await oauth.authorize(new Headers());
    expect(upstream.refreshRequests()).toHaveLength(2);
    expect(store.current()?.tokens?.refreshToken).not.toBe(rotatedFrom);

    // Ten requests at once after expiry: exactly one refresh, and all carry the same new token.
    effects.clock.advance(601_000);
    const before = store.current()?.tokens?.accessToken;
    const headers = Array.from({ length: 10 }, () => new Headers());
    await Promise.all(headers.map((h) => oauth.authorize(h)));
    expect(upstream.refreshRequests()).toHaveLength(3);
    const sent = new Set(headers.map((h) => h.get('authorization')));
    expect(sent.size).toBe(1);
    expect([...sent][0]).toBe(`Bearer ${store.current()?.tokens?.accessToken}`);
    expect(store.current()?.tokens?.accessToken).not.toBe(before);

    // A "restart": a new client on the same store reuses the registration and the tokens.
    const restarted = await authorizer(store);
    expect(restarted.state()).toBe('ready');
    expect(await callWhoami(restarted)).toMatchObject({ clientId: registration?.client_id });
    effects.clock.advance(601_000);
    expect(await callWhoami(restarted)).toMatchObject({ clientId: registration?.client_id });
    expect(upstream.refreshRequests()).toHaveLength(4);
    expect(upstream.registrations).toHaveLength(1);

    // The user revokes Gatehouse upstream: the refresh is refused and the user is told what to do.
    upstream.revokeRefreshTokens();
    effects.clock.advance(601_000);
    const restartedStates: AuthState[] = [];
    restarted.onStateChange((state) => restartedStates.push(state));
    await expect(restarted.authorize(new Headers())).rejects.toThrow(reconnectSentence);
    expect(upstream.refreshRequests()).toHaveLength(5);
    expect(restarted.state()).toBe('action-required');
    expect(restartedStates).toEqual(['action-required']);
    expect(restarted.attention()).toEqual({ reason: 'expired', message: reconnectSentence });

    // Reconnect: the same registration, a new grant, ready again.
    await connect(restarted);
    expect(restarted.state()).toBe('ready');
    expect(restartedStates).toEqual(['action-required', 'ready']);
    expect(await callWhoami(restarted)).toMatchObject({ clientId: registration?.client_id });
    expect(upstream.registrations).toHaveLength(1);

    // RFC 8707: the resource on every authorization, code and refresh request.
    expect(upstream.authorizeRequests.map((request) => request.resource)).toEqual([
      upstream.mcpUrl,
      upstream.mcpUrl,
    ]);
    expect(new Set(upstream.tokenRequests.map((request) => request.grantType))).toEqual(
      new Set(['authorization_code', 'refresh_token']),
    );
    expect(upstream.tokenRequests.every((request) => request.resource === upstream.mcpUrl)).toBe(true);
    expect(upstream.tokenRequests.every((request) => request.clientAuth === 'post')).toBe(true);

    // No token, secret, code or verifier in anything Gatehouse logged.
    const logged = effects.logs.join('\n');
    const secrets = [
      ...upstream.bearerTokens,
      registration?.client_secret ?? 'no-secret',
      store.current()?.tokens?.refreshToken ?? 'no-refresh-token',
      url.searchParams.get('code_challenge') ?? '',
    ];
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).toContain('upstream OAuth: tokens refreshed');
  });

  it('keeps the registration and tokens encrypted in the vault-backed store', async () => {
    await start();
    let blob: Buffer | undefined;
    const store = vaultCredentialStore(memoryVault(), {
      read: async () => blob,
      write: async (bytes) => void (blob = bytes),
      remove: async () => void (blob = undefined),
    });
    const oauth = await authorizer(store);
    await bareInitialize(oauth);
    await connect(oauth);
    const stored = blob?.toString('latin1') ?? '';
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toContain(upstream.registrations[0]?.client_secret ?? 'missing');
    expect(stored).not.toContain('rt-');
    expect(stored).not.toContain(upstream.registrations[0]?.client_id ?? 'missing');

    const restarted = await authorizer(store);
    expect(restarted.state()).toBe('ready');
    expect(await callWhoami(restarted)).toMatchObject({ clientId: upstream.registrations[0]?.client_id });
    await restarted.forget();
    expect(blob).toBeUndefined();
    expect(restarted.state()).toBe('action-required');
  });
});
