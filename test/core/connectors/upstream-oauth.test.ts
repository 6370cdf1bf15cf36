// Gatehouse's upstream OAuth client against a real OAuth-protected MCP server on loopback (the MCP
// SDK's auth router, bearer middleware and Streamable HTTP server): discovery from the 401, dynamic
// registration kept across restarts, the browser step through a callback route like the engine's,
// refresh ahead of expiry and exactly once under concurrency, revocation, reconnect, manual clients.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UpstreamOAuth, type UpstreamOAuthOptions } from '../../../main/core/connectors/upstream-oauth.js';
import {
  MemoryCredentialStore,
  vaultCredentialStore,
  type OAuthCredentialStore,
} from '../../../main/core/store/oauth-credential-store.js';
import { memoryVault } from '../../../main/core/store/key-file-vault.js';
import type { AuthState } from '../../../main/core/connectors/upstream.js';
import {
  startOAuthUpstream,
  type OAuthUpstream,
  type OAuthUpstreamOptions,
} from '../../fixtures/oauth-upstream.js';
import {
  authorizedFetch,
  followAuthorization,
  startCallbackRoute,
  testEffects,
  type CallbackRoute,
  type TestEffects,
} from '../../fixtures/upstream-oauth-harness.js';

const reconnectSentence =
  'notes needs you to reconnect: its authorization expired or was revoked. Use Connect in Gatehouse (or `gatehouse connectors connect notes`).';
const connectSentence =
  'notes needs you to connect: it requires authorization. Use Connect in Gatehouse (or `gatehouse connectors connect notes`).';

let effects: TestEffects;
let upstream: OAuthUpstream;
let callback: CallbackRoute;
let authorizers: UpstreamOAuth[];

async function start(options: OAuthUpstreamOptions = {}): Promise<void> {
  upstream = await startOAuthUpstream({
    now: () => effects.clock.now(),
    accessTokenSeconds: 600,
    ...options,
  });
}

beforeEach(async () => {
  effects = testEffects();
  authorizers = [];
  callback = await startCallbackRoute(() => authorizers);
});

afterEach(async () => {
  await upstream?.close();
  await callback.close();
});

async function authorizer(
  store: OAuthCredentialStore,
  overrides: Partial<UpstreamOAuthOptions> = {},
): Promise<UpstreamOAuth> {
  const created = await UpstreamOAuth.create({
    connector: 'notes',
    serverUrl: upstream.mcpUrl,
    redirectUri: callback.redirectUri,
    store,
    effects,
    ...overrides,
  });
  authorizers.push(created);
  return created;
}

/** The SDK client the engine would hold, its requests authorized by `oauth`. */
async function callWhoami(oauth: UpstreamOAuth): Promise<{ clientId: string; scopes: string[] }> {
  const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(upstream.mcpUrl), {
      fetch: authorizedFetch(oauth, effects.fetch),
    }),
  );
  try {
    const result = await client.callTool({ name: 'whoami' });
    const [content] = result.content as Array<{ type: string; text: string }>;
    return JSON.parse(content?.text ?? '{}') as { clientId: string; scopes: string[] };
  } finally {
    await client.close();
  }
}

/** Connect: begin, let the browser follow the URL to the callback route, expect the route's answer. */
async function connect(oauth: UpstreamOAuth): Promise<URL> {
  const { url } = await oauth.beginAuthorization();
  const landed = await followAuthorization(url, effects.fetch);
  expect(landed).toEqual({ status: 200, body: 'Connected notes. You can close this tab.' });
  return new URL(url);
}

async function bareInitialize(oauth: UpstreamOAuth): Promise<Response> {
  return authorizedFetch(oauth, effects.fetch)(upstream.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'probe', version: '1' },
      },
    }),
  });
}

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

  it.each([
    {
      name: 'the challenge’s scope when the 401 names one',
      upstream: { scopesSupported: ['notes:read', 'notes:write'], requiredScopes: ['notes:read'] },
      custom: null,
      expected: 'notes:read',
    },
    {
      name: 'all of scopes_supported when the challenge names none',
      upstream: { scopesSupported: ['notes:read', 'notes:write'] },
      custom: null,
      expected: 'notes:read notes:write',
    },
    {
      name: 'no scope at all when neither says',
      upstream: {},
      custom: null,
      expected: null,
    },
    {
      name: 'offline_access as well when the server lists it, so refresh keeps working',
      upstream: { scopesSupported: ['notes:read', 'offline_access'], requiredScopes: ['notes:read'] },
      custom: null,
      expected: 'notes:read offline_access',
    },
    {
      name: 'the custom scopes over both',
      upstream: { scopesSupported: ['notes:read', 'notes:write'], requiredScopes: ['notes:read'] },
      custom: ['notes:admin'],
      expected: 'notes:admin',
    },
  ])('asks for $name', async ({ upstream: upstreamOptions, custom, expected }) => {
    await start(upstreamOptions);
    const oauth = await authorizer(new MemoryCredentialStore(), { settings: { scopes: custom } });
    await bareInitialize(oauth);
    const { url } = await oauth.beginAuthorization();
    expect(new URL(url).searchParams.get('scope')).toBe(expected);
    expect(upstream.registrations[0]?.scope).toBe(expected ?? undefined);
  });

  it('steps up on insufficient_scope with the union of scopes, and stops when more cannot help', async () => {
    await start({ scopesSupported: ['notes:read'] });
    const oauth = await authorizer(new MemoryCredentialStore());
    await bareInitialize(oauth);
    await connect(oauth);
    const challenge = (scope: string) =>
      `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${upstream.resourceMetadataUrl}"`;

    expect(await oauth.unauthorized(challenge('notes:write'))).toBe(false);
    expect(oauth.state()).toBe('action-required');
    expect(oauth.attention()).toEqual({
      reason: 'more-scope',
      message:
        'notes needs you to reconnect to grant more access (scope "notes:write"). Use Connect in Gatehouse (or `gatehouse connectors connect notes`).',
    });
    // The current token still serves what it can meanwhile.
    const headers = new Headers();
    await oauth.authorize(headers);
    expect(headers.get('authorization')).toMatch(/^Bearer at-/);

    await connect(oauth);
    expect(upstream.authorizeRequests.at(-1)?.scope).toBe('notes:read notes:write');
    expect(oauth.state()).toBe('ready');

    // Granted and still refused: asking again cannot help, so Gatehouse stops (retry limit).
    expect(await oauth.unauthorized(challenge('notes:write'))).toBe(false);
    expect(oauth.attention()?.reason).toBe('scope-refused');
    expect(upstream.authorizeRequests).toHaveLength(2);
  });

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
