// One OAuth-protected MCP server on loopback (the MCP SDK's auth router, bearer middleware and
// Streamable HTTP server) and what the engine does around Gatehouse's upstream OAuth client, shared by
// the test/core/connectors/oauth/upstream-oauth-*.test.ts files.
import { afterEach, beforeEach, expect } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UpstreamOAuth, type UpstreamOAuthOptions } from '../../main/core/connectors/oauth/upstream-oauth.js';
import type { OAuthCredentialStore } from '../../main/core/store/oauth-credential-store.js';
import {
  startOAuthUpstream,
  type OAuthUpstream,
  type OAuthUpstreamOptions,
} from '../fixtures/oauth-upstream.js';
import {
  authorizedFetch,
  followAuthorization,
  startCallbackRoute,
  testEffects,
  type CallbackRoute,
  type TestEffects,
} from '../fixtures/upstream-oauth-harness.js';

/** What the user reads when the connector's authorization expired or was revoked. */
export const reconnectSentence =
  'notes needs you to reconnect: its authorization expired or was revoked. Use Connect in Gatehouse (or `gatehouse connectors connect notes`).';
/** What the user reads before the connector was ever connected. */
export const connectSentence =
  'notes needs you to connect: it requires authorization. Use Connect in Gatehouse (or `gatehouse connectors connect notes`).';

// Live bindings: each test file reads the current test's effects, upstream and callback route.
/** The current test's effects: loopback fetch, manual clock, opened URLs, logs. */
export let effects: TestEffects;
/** The current test's OAuth-protected MCP server (started by `start`). */
export let upstream: OAuthUpstream;
/** The current test's callback route, like the engine's. */
export let callback: CallbackRoute;
let authorizers: UpstreamOAuth[];

/** Starts the OAuth-protected MCP server for this test (600 s access tokens on the test clock). */
export async function start(options: OAuthUpstreamOptions = {}): Promise<void> {
  upstream = await startOAuthUpstream({
    now: () => effects.clock.now(),
    accessTokenSeconds: 600,
    ...options,
  });
}

/** Gives every test of the file fresh effects and a callback route, and closes them after. */
export function useOAuthUpstream(): void {
  beforeEach(async () => {
    effects = testEffects();
    authorizers = [];
    callback = await startCallbackRoute(() => authorizers);
  });

  afterEach(async () => {
    await upstream?.close();
    await callback.close();
  });
}

/** Gatehouse's OAuth client for the upstream, as the engine makes one, answering the callback route. */
export async function authorizer(
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
export async function callWhoami(oauth: UpstreamOAuth): Promise<{ clientId: string; scopes: string[] }> {
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
export async function connect(oauth: UpstreamOAuth): Promise<URL> {
  const { url } = await oauth.beginAuthorization();
  const landed = await followAuthorization(url, effects.fetch);
  expect(landed).toEqual({ status: 200, body: 'Connected notes. You can close this tab.' });
  return new URL(url);
}

/** The engine's first request: an initialize authorized by `oauth` (bare until a challenge). */
export async function bareInitialize(oauth: UpstreamOAuth): Promise<Response> {
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
