// How Gatehouse's upstream OAuth client answers a 401 with the tokens it holds: one refresh and a
// retry for a live token, a reconnect to ask for when the token expired and cannot be refreshed.
import { describe, expect, it } from 'vitest';
import {
  authorizer,
  bareInitialize,
  connect,
  effects,
  reconnectSentence,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { MemoryCredentialStore } from '../../../support/memory-stores.js';

useOAuthUpstream();

describe('upstream OAuth: a 401 on the tokens it holds', () => {
  it('answers a 401 on a live token with one refresh and a retry', async () => {
    await start();
    const oauth = await authorizer(new MemoryCredentialStore());
    await bareInitialize(oauth);
    await connect(oauth);
    effects.clock.advance(30_000);
    const challenge = `Bearer error="invalid_token", error_description="Token revoked", resource_metadata="${upstream.resourceMetadataUrl}"`;
    const answers = await Promise.all([oauth.unauthorized(challenge), oauth.unauthorized(challenge)]);
    expect(answers).toEqual([true, true]);
    expect(upstream.refreshRequests()).toHaveLength(1);
    expect(oauth.state()).toBe('ready');
  });

  it('asks to reconnect when the access token expired and there is no refresh token', async () => {
    await start();
    const now = effects.clock.now();
    const store = new MemoryCredentialStore({
      version: 1,
      tokens: {
        accessToken: 'old-access-token',
        tokenType: 'bearer',
        expiresAt: now - 1,
        obtainedAt: now - 3_600_000,
        resource: upstream.mcpUrl,
        issuer: `${upstream.origin}/`,
        clientId: 'someone',
        serverUrl: upstream.mcpUrl,
      },
    });
    const oauth = await authorizer(store);
    expect(oauth.state()).toBe('action-required');
    await expect(oauth.authorize(new Headers())).rejects.toThrow(reconnectSentence);
    expect(await oauth.unauthorized('Bearer error="invalid_token"')).toBe(false);
    expect(store.current()?.tokens).toBeUndefined();
  });
});
