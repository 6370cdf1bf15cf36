// A 2025-03-26-era upstream: no protected resource metadata, its own origin as the authorization
// server, and — when it publishes no metadata either — the default endpoints /authorize, /token and
// /register there. Signed into and refreshed against the real SDK auth router; then the servers that
// must not be guessed for (metadata refused, not missing) attacked, each refused before any endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizationServerMetadataUrls } from '../../../../main/core/connectors/oauth/discovery.js';
import {
  authorizer,
  bareInitialize,
  callback,
  callWhoami,
  connect,
  effects,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { followAuthorization } from '../../../fixtures/upstream-oauth-harness.js';
import { MemoryCredentialStore } from '../../../support/memory-stores.js';

useOAuthUpstream();

const defaultEndpointsLog =
  'info upstream OAuth: no metadata published; using the 2025-03-26 default endpoints';

describe('upstream OAuth with a 2025-03-26 server', () => {
  it('signs into a server without any metadata at /register, /authorize and /token of its origin, and refreshes there after a restart', async () => {
    await start({ metadata: 'none' });
    const store = new MemoryCredentialStore();
    const oauth = await authorizer(store);
    const bare = await bareInitialize(oauth);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).not.toContain('resource_metadata');

    const url = await connect(oauth);
    // Every metadata lookup first (each answers 404), then the default endpoints, all at the origin.
    expect(upstream.wellKnownRequests).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]);
    expect(effects.requests.filter((request) => !request.includes('/.well-known/'))).toEqual([
      `POST ${upstream.mcpUrl}`,
      `POST ${upstream.origin}/register`,
      expect.stringMatching(new RegExp(`^GET ${upstream.origin}/authorize\\?`)),
      expect.stringMatching(/\/connectors\/oauth\/callback\?/),
      `POST ${upstream.origin}/token`,
    ]);
    expect(url.origin + url.pathname).toBe(`${upstream.origin}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      code_challenge_method: 'S256',
      redirect_uri: callback.redirectUri,
      resource: upstream.mcpUrl,
    });
    expect(effects.logs).toContain(
      `${defaultEndpointsLog} {"connector":"notes","authorizationServer":"${upstream.origin}"}`,
    );
    const [registration] = upstream.registrations;
    expect(await callWhoami(oauth)).toEqual({ clientId: registration?.client_id, scopes: [] });
    expect(store.current()?.registration?.issuer).toBe(upstream.origin);
    expect(store.current()?.discovery).toEqual({ serverUrl: upstream.mcpUrl, issuer: upstream.origin });

    // Gatehouse restarts; the token expires; the refresh finds no metadata and goes to /token (with
    // HTTP Basic: without metadata, RFC 7591's default client authentication).
    const restarted = await authorizer(store);
    effects.clock.advance(11 * 60_000);
    expect(await callWhoami(restarted)).toEqual({ clientId: registration?.client_id, scopes: [] });
    expect(upstream.refreshRequests()).toEqual([
      {
        grantType: 'refresh_token',
        clientId: registration?.client_id,
        clientAuth: 'basic',
        resource: upstream.mcpUrl,
      },
    ]);
    expect(upstream.registrations).toHaveLength(1);
  });

  it('uses the authorization server metadata at the origin when there is some, and no default endpoint', async () => {
    await start({ metadata: 'authorization-server' });
    const oauth = await authorizer(new MemoryCredentialStore());
    await bareInitialize(oauth);
    await connect(oauth);
    expect(upstream.wellKnownRequests).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
    ]);
    expect(effects.logs.some((line) => line.startsWith(defaultEndpointsLog))).toBe(false);
    expect((await callWhoami(oauth)).clientId).toBe(upstream.registrations[0]?.client_id);
  });
});

/** A hostile upstream: answers from a table by path, 404 elsewhere, and records every request. */
interface HostileServer {
  origin: string;
  mcpUrl: string;
  seen: string[];
  close(): Promise<void>;
}

let hostile: HostileServer | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

interface Answer {
  status: number;
  body?: unknown;
  location?: string;
}

async function startHostile(
  table: (origin: string) => Record<string, Answer | ((url: URL) => Answer)>,
): Promise<HostileServer> {
  const seen: string[] = [];
  const routes: { table?: ReturnType<typeof table> } = {};
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(`${req.method} ${url.pathname}`);
    req.resume();
    const route = routes.table?.[url.pathname];
    const answer = typeof route === 'function' ? route(url) : route;
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.location ? { location: answer.location } : {}),
      })
      .end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.table = table(origin);
  hostile = {
    origin,
    mcpUrl: `${origin}/mcp`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return hostile;
}

const endpoints = /^(GET|POST) \/(authorize|token|register)$/;

describe('upstream OAuth never guesses endpoints where metadata exists or is refused', () => {
  it('refuses authorization server metadata at the origin that names another issuer', async () => {
    const server = await startHostile(() => ({
      '/.well-known/oauth-authorization-server': {
        status: 200,
        body: {
          issuer: 'https://evil.example.com',
          authorization_endpoint: 'https://evil.example.com/authorize',
          token_endpoint: 'https://evil.example.com/token',
          registration_endpoint: 'https://evil.example.com/register',
          code_challenge_methods_supported: ['S256'],
        },
      },
    }));
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: server.mcpUrl });
    await expect(oauth.beginAuthorization()).rejects.toThrow(
      `Gatehouse could not find how to authorize with notes: The authorization server metadata at ${server.origin}/.well-known/oauth-authorization-server is not usable ("response" body "issuer" property does not match the expected value).`,
    );
    expect(server.seen.filter((line) => endpoints.test(line))).toEqual([]);
    expect(effects.opened).toEqual([]);
  });

  it.each([
    [401, 'a protected well-known URL'],
    [302, 'a redirect'],
  ])('refuses to guess when the metadata URLs answer %i (%s) rather than 404', async (status) => {
    const server = await startHostile((origin) => ({
      '/.well-known/oauth-authorization-server': { status, location: `${origin}/elsewhere` },
      '/.well-known/openid-configuration': { status, location: `${origin}/elsewhere` },
    }));
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: server.mcpUrl });
    await expect(oauth.beginAuthorization()).rejects.toThrow(
      `Gatehouse could not find how to authorize with notes: No authorization server metadata was found for ${server.origin} (tried ${authorizationServerMetadataUrls(
        server.origin,
      )
        .map(String)
        .join(', ')}).`,
    );
    expect(server.seen.filter((line) => endpoints.test(line))).toEqual([]);
  });

  it('refuses to guess when the metadata answers 500', async () => {
    const server = await startHostile(() => ({
      '/.well-known/oauth-authorization-server': { status: 500 },
    }));
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: server.mcpUrl });
    await expect(oauth.beginAuthorization()).rejects.toThrow(
      `Gatehouse could not find how to authorize with notes: The authorization server metadata at ${server.origin}/.well-known/oauth-authorization-server answered HTTP 500.`,
    );
    expect(server.seen.filter((line) => endpoints.test(line))).toEqual([]);
  });

  it('never falls back for a server that publishes protected resource metadata, or names it in its challenge', async () => {
    const server = await startHostile((origin) => ({
      '/.well-known/oauth-protected-resource/mcp': {
        status: 200,
        body: { resource: `${origin}/mcp`, authorization_servers: [origin] },
      },
    }));
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: server.mcpUrl });
    const missing = `Gatehouse could not find how to authorize with notes: No authorization server metadata was found for ${server.origin}`;
    await expect(oauth.beginAuthorization()).rejects.toThrow(missing);

    // The challenge names metadata that is gone: a server that says it has some is not guessed for.
    const named = await startHostile(() => ({}));
    const challenged = await authorizer(new MemoryCredentialStore(), { serverUrl: named.mcpUrl });
    await challenged.unauthorized(
      `Bearer error="invalid_token", resource_metadata="${named.origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    await expect(challenged.beginAuthorization()).rejects.toThrow(
      `Gatehouse could not find how to authorize with notes: No authorization server metadata was found for ${named.origin}`,
    );
    expect([...server.seen, ...named.seen].filter((line) => endpoints.test(line))).toEqual([]);
    await server.close();
  });

  it('asks nothing at all of a server that is neither https nor on this computer, default endpoints included', async () => {
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: 'http://mcp.example.com/mcp' });
    await expect(oauth.beginAuthorization()).rejects.toThrow(
      'Gatehouse could not find how to authorize with notes: The connector’s protected resource metadata (http://mcp.example.com) does not use https; Gatehouse only sends OAuth requests over https, or over http to this computer.',
    );
    expect(effects.requests).toEqual([]);
  });

  it('refuses a callback from the default endpoints whose iss names another issuer (RFC 9207), before any token request', async () => {
    const server = await startHostile(() => ({
      '/register': { status: 201, body: { client_id: 'hostile-client', redirect_uris: [] } },
      // A mix-up: the code comes back claiming another authorization server issued it.
      '/authorize': (url) => {
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', 'mixed-up');
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        back.searchParams.set('iss', 'https://evil.example.com');
        return { status: 302, location: back.href };
      },
    }));
    const oauth = await authorizer(new MemoryCredentialStore(), { serverUrl: server.mcpUrl });
    const { url } = await oauth.beginAuthorization();
    expect(new URL(url).origin + new URL(url).pathname).toBe(`${server.origin}/authorize`);
    expect(await followAuthorization(url, effects.fetch)).toEqual({
      status: 400,
      body: 'The authorization response for notes is not valid (unexpected "iss" (issuer) response parameter value). Use Connect again.',
    });
    expect(server.seen).not.toContain('POST /token');
    expect(oauth.state()).toBe('action-required');
  });
});
