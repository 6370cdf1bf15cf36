// A dynamic registration and the authorization server it belongs to: made again once when the server
// forgets it, and dropped with the tokens when the resource names another server (SEP-2352).
import { describe, expect, it } from 'vitest';
import {
  authorizer,
  bareInitialize,
  callback,
  callWhoami,
  connect,
  effects,
  reconnectSentence,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { MemoryCredentialStore } from '../../../support/memory-stores.js';

useOAuthUpstream();

describe('upstream OAuth: the registration and its authorization server', () => {
  it('re-registers once when the server forgets its client, and asks the user when it happens again', async () => {
    await start();
    const store = new MemoryCredentialStore();
    const oauth = await authorizer(store);
    await bareInitialize(oauth);
    await connect(oauth);

    upstream.forgetClients();
    effects.clock.advance(601_000);
    await expect(oauth.authorize(new Headers())).rejects.toThrow(reconnectSentence);
    expect(store.current()?.registration).toBeUndefined();

    // Connect registers anew; the server forgets that one too before the code is exchanged.
    const { url } = await oauth.beginAuthorization();
    expect(upstream.registrations).toHaveLength(2);
    const authorization = await effects.fetch(url, { redirect: 'manual' });
    const callbackUrl = new URL(authorization.headers.get('location') ?? '');
    upstream.forgetClients();
    const rejected =
      "notes's authorization server rejected Gatehouse's registration twice. Enter a client ID and secret registered with it in the connector's OAuth settings, then use Connect.";
    await expect(oauth.completeAuthorization(callbackUrl)).rejects.toThrow(rejected);
    await expect(oauth.beginAuthorization()).rejects.toThrow(rejected);
    expect(upstream.registrations).toHaveLength(2);
    expect(oauth.attention()?.reason).toBe('client-rejected');
  });

  it('drops what it held for an authorization server the resource no longer names, and registers with the new one (SEP-2352)', async () => {
    await start();
    const now = effects.clock.now();
    const oldIssuer = 'http://127.0.0.1:9/old-as';
    const store = new MemoryCredentialStore({
      version: 1,
      registration: {
        issuer: oldIssuer,
        clientId: 'old-as-client',
        clientSecret: 'old-as-secret',
        redirectUri: callback.redirectUri,
        registeredAt: now - 60_000,
      },
      tokens: {
        accessToken: 'old-as-access-token',
        tokenType: 'bearer',
        refreshToken: 'old-as-refresh-token',
        expiresAt: now + 3_600_000,
        obtainedAt: now - 60_000,
        resource: upstream.mcpUrl,
        issuer: oldIssuer,
        clientId: 'old-as-client',
        serverUrl: upstream.mcpUrl,
      },
    });
    const oauth = await authorizer(store);
    expect(oauth.state()).toBe('ready');
    // The resource refuses the old server's token; its metadata now names the fixture's server.
    expect((await bareInitialize(oauth)).status).toBe(401);
    expect(oauth.state()).toBe('action-required');
    const newIssuer = `${upstream.origin}/`;
    expect(oauth.problem()).toEqual({
      kind: 'sign-in-needed',
      message: `notes's authorization server changed (now ${newIssuer}): Gatehouse dropped what it held for the old one and will register with the new one. Sign in there: Use Connect in Gatehouse (or \`gatehouse connectors connect notes\`).`,
    });
    expect(store.current()).toMatchObject({ attention: { reason: 'server-changed', issuer: newIssuer } });
    expect(store.current()?.registration).toBeUndefined();
    expect(store.current()?.tokens).toBeUndefined();
    expect(upstream.tokenRequests).toEqual([]);

    await connect(oauth);
    expect(upstream.registrations).toHaveLength(1);
    expect(store.current()?.registration?.issuer).toBe(newIssuer);
    expect(upstream.authorizeRequests.map((request) => request.clientId)).toEqual([
      upstream.registrations[0]!.client_id,
    ]);
    expect((await callWhoami(oauth)).clientId).toBe(upstream.registrations[0]!.client_id);
  });
});
