// Raw OAuth requests against the engine, for tests that must see exact errors: registration, PKCE,
// the authorization step (through a TestBrowser), consent through the API, code and refresh grants.
import { createHash, randomBytes } from 'node:crypto';
import type { Engine } from '../../main/core/engine/engine.js';

/** What these helpers need of an engine: in-process, or a running one reached over its API. */
export type EngineLike = Pick<Engine, 'issuer' | 'mcpUrl' | 'call'>;
import type { AccessLevel } from '../../main/core/api/contract.js';
import { TestBrowser } from './test-browser.js';

export const REDIRECT = 'http://127.0.0.1:61234/cb';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function register(
  engine: EngineLike,
  metadata: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${engine.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      client_name: 'Raw Client',
      ...metadata,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function registerPublicClient(
  engine: EngineLike,
  metadata: Record<string, unknown> = {},
): Promise<string> {
  const { status, body } = await register(engine, metadata);
  if (status !== 201) throw new Error(`registration failed: ${JSON.stringify(body)}`);
  return body.client_id as string;
}

export function authorizeUrl(engine: EngineLike, params: Record<string, string | undefined>): string {
  const url = new URL(`${engine.issuer}/auth`);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}

/**
 * Opens /auth for a public client with PKCE (S256) in a test browser, as a client would; `params`
 * add to the request or override it (undefined leaves one out). The consent it raises waits.
 */
export async function openAuthorization(
  engine: EngineLike,
  clientId: string,
  params: Record<string, string | undefined> = {},
  browser: TestBrowser = new TestBrowser(),
): Promise<{ browser: TestBrowser; page: Awaited<ReturnType<TestBrowser['navigate']>>; verifier: string }> {
  const { verifier, challenge } = pkce();
  const page = await browser.navigate(
    authorizeUrl(engine, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...params,
    }),
    params.redirect_uri ?? REDIRECT,
  );
  return { browser, page, verifier };
}

/** Opens /auth in a browser, approves the consent it raises through the API, returns the code. */
export async function obtainCode(
  engine: EngineLike,
  clientId: string,
  options: {
    access?: AccessLevel;
    redirectUri?: string;
    resource?: string;
    scope?: string;
    challenge?: string;
    browser?: TestBrowser;
    expiresInSeconds?: number;
  } = {},
): Promise<{ code: string; verifier: string; browser: TestBrowser; consentId: string }> {
  const redirectUri = options.redirectUri ?? REDIRECT;
  const { browser, page, verifier } = await openAuthorization(
    engine,
    clientId,
    {
      redirect_uri: redirectUri,
      scope: options.scope ?? 'mcp:read mcp:write',
      resource: options.resource ?? engine.mcpUrl,
      ...(options.challenge ? { code_challenge: options.challenge } : {}),
    },
    options.browser,
  );
  if (page.status !== 200)
    throw new Error(`authorization answered ${page.status} at ${page.url}: ${page.body.slice(0, 300)}`);
  const consent = (await engine.call('consents.list')).find((c) => c.clientId === clientId);
  if (!consent) throw new Error('no consent was raised');
  await engine.call('consents.approve', {
    id: consent.id,
    access: options.access ?? 'read',
    expiresInSeconds: options.expiresInSeconds ?? null,
  });
  const landed = await browser.reload(redirectUri);
  const code = new URL(landed.url).searchParams.get('code');
  if (!code) throw new Error(`no code: ${landed.url}`);
  return { code, verifier, browser, consentId: consent.id };
}

export async function tokenRequest(
  engine: EngineLike,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${engine.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Tokens {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  scope: string;
}

export async function obtainTokens(
  engine: EngineLike,
  options: {
    access?: AccessLevel;
    clientId?: string;
    resource?: string;
    scope?: string;
    expiresInSeconds?: number;
  } = {},
): Promise<Tokens> {
  const clientId = options.clientId ?? (await registerPublicClient(engine));
  const { code, verifier } = await obtainCode(engine, clientId, options);
  const { status, body } = await tokenRequest(engine, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: clientId,
    redirect_uri: REDIRECT,
    resource: options.resource ?? engine.mcpUrl,
  });
  if (status !== 200) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return {
    clientId,
    accessToken: body.access_token as string,
    refreshToken: body.refresh_token as string,
    scope: body.scope as string,
  };
}

export async function refresh(
  engine: EngineLike,
  clientId: string,
  refreshToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return tokenRequest(engine, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
  });
}

/** A JSON-RPC POST to an MCP path with a bearer token; returns status, challenge and parsed body. */
export async function mcpPost(
  engine: EngineLike,
  token: string | undefined,
  message: unknown,
  path = '/mcp',
  headers: Record<string, string> = {},
): Promise<{ status: number; challenge: string | null; body: string; sessionId: string | null }> {
  const res = await fetch(`${engine.issuer}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: await res.text(),
    sessionId: res.headers.get('mcp-session-id'),
  };
}

export const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
