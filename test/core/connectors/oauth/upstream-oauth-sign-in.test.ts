// The browser step of Gatehouse's upstream OAuth client: callbacks it did not start (or that come back
// too late) are refused, and a pre-registered client with typed endpoints signs in without discovery.
import { describe, expect, it } from 'vitest';
import { followAuthorization } from '../../../fixtures/upstream-oauth-harness.js';
import {
  authorizer,
  callback,
  callWhoami,
  connect,
  effects,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { MemoryCredentialStore } from '../../../support/memory-stores.js';

useOAuthUpstream();

describe('upstream OAuth: the sign-in', () => {
  it('rejects a callback whose state it did not issue, or that is over ten minutes old', async () => {
    await start();
    const oauth = await authorizer(new MemoryCredentialStore());
    const { url } = await oauth.beginAuthorization();
    const mismatch =
      'This authorization response for notes does not match a sign-in Gatehouse started: its state is unknown or more than 10 minutes old. Use Connect again.';

    const forged = new URL(callback.redirectUri);
    forged.searchParams.set('code', 'stolen-code');
    forged.searchParams.set('state', 'not-the-state');
    const landed = await effects.fetch(forged.href);
    expect(landed.status).toBe(400);
    expect(await landed.text()).toBe(mismatch);
    await expect(oauth.completeAuthorization(new URL(`${callback.redirectUri}?code=x`))).rejects.toThrow(
      mismatch,
    );
    expect(oauth.state()).toBe('action-required');

    // The real flow, but the user comes back after eleven minutes.
    effects.clock.advance(11 * 60_000);
    expect(await followAuthorization(url, effects.fetch)).toEqual({ status: 400, body: mismatch });
    expect(upstream.tokenRequests).toHaveLength(0);
  });

  it('uses a pre-registered client with manual endpoints and custom scopes, without any discovery', async () => {
    await start({
      preRegistered: {
        clientId: 'gatehouse-manual',
        clientSecret: 'manual-secret',
        redirectUris: [callback.redirectUri],
      },
      scopesSupported: ['notes:read', 'notes:write', 'notes:admin'],
    });
    const oauth = await authorizer(new MemoryCredentialStore(), {
      settings: {
        clientId: 'gatehouse-manual',
        clientSecret: 'manual-secret',
        authorizeUrl: `${upstream.origin}/authorize`,
        tokenUrl: `${upstream.origin}/token`,
        scopes: ['notes:read', 'notes:write'],
      },
    });
    const url = await connect(oauth);
    expect(url.searchParams.get('client_id')).toBe('gatehouse-manual');
    expect(url.searchParams.get('scope')).toBe('notes:read notes:write');
    expect(effects.requests.some((request) => request.includes('/.well-known/'))).toBe(false);
    expect(upstream.registrations).toHaveLength(0);
    // No metadata says otherwise, so the secret goes in HTTP Basic (RFC 8414 §2 default).
    expect(upstream.tokenRequests).toEqual([
      {
        grantType: 'authorization_code',
        clientId: 'gatehouse-manual',
        clientAuth: 'basic',
        resource: upstream.mcpUrl,
      },
    ]);
    expect(await callWhoami(oauth)).toEqual({
      clientId: 'gatehouse-manual',
      scopes: ['notes:read', 'notes:write'],
    });
    effects.clock.advance(601_000);
    await oauth.authorize(new Headers());
    expect(upstream.refreshRequests()).toEqual([
      {
        grantType: 'refresh_token',
        clientId: 'gatehouse-manual',
        clientAuth: 'basic',
        resource: upstream.mcpUrl,
      },
    ]);
    expect(effects.requests.some((request) => request.includes('/.well-known/'))).toBe(false);
  });
});
