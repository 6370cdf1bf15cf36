// Finds where an upstream MCP server's authorization lives: its RFC 9728 protected resource metadata
// (named by the 401 challenge, or at the well-known URIs), then its authorization server's RFC 8414 /
// OpenID Connect metadata, in the order the MCP authorization spec (2025-11-25) fixes, and the
// 2025-03-26 default endpoints for a server that publishes neither. Every request goes through the
// fetch it is given; nothing here holds state.
import * as oauth from 'oauth4webapi';
import type { Fetch } from '../../effects.js';

/** What a `WWW-Authenticate: Bearer …` challenge tells a client (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  error?: string;
  errorDescription?: string;
  /** Space-separated scopes the resource wants (MCP "Scope Selection Strategy"). */
  scope?: string;
  /** The protected resource metadata URL (RFC 9728 §5.1). */
  resourceMetadata?: string;
}

/** What RFC 9728 protected resource metadata says about an MCP server. */
export interface ProtectedResource {
  /** The resource identifier exactly as published: sent verbatim as RFC 8707 `resource`. */
  resource: string;
  authorizationServers: string[];
  scopesSupported?: string[];
  /** Where the document was found, so a restart can ask the same place. */
  metadataUrl: string;
}

/** How discovery reaches the network: the injected fetch, with a timeout per request. */
export interface DiscoveryHttp {
  fetch: Fetch;
  /** A fresh timeout signal per request. */
  signal?: () => AbortSignal;
  /**
   * The MCP protocol version to name in `MCP-Protocol-Version` on every metadata request (MCP
   * 2025-03-26 authorization §2.3.2: a client SHOULD send it during metadata discovery, so the server
   * can answer for that version); none when undefined.
   */
  protocolVersion?: () => string | undefined;
}

/** Thrown when discovery cannot go on; the message is a sentence fit for the user. */
export class DiscoveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
  }
}

const tokenChars = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/**
 * Parses a WWW-Authenticate header (RFC 9110 §11.6.1: several challenges, each with auth-params,
 * values quoted or not) and returns the Bearer challenge, if any.
 */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  let rest = header;
  while (rest) {
    rest = rest.replace(/^[\s,]+/, '');
    const name = tokenChars.exec(rest)?.[0];
    if (!name) break;
    let after = rest.slice(name.length);
    const equals = /^\s*=\s*/.exec(after);
    const current = challenges.at(-1);
    if (!equals || !current || after.startsWith('==') || /^=+\s*(,|$)/.test(after)) {
      // A new challenge (or a token68, which Bearer never uses: skipped with its trailing '=').
      if (!equals) challenges.push({ scheme: name.toLowerCase(), params: {} });
      rest = after.replace(/^=+/, '');
      continue;
    }
    after = after.slice(equals[0].length);
    let value = '';
    if (after.startsWith('"')) {
      let index = 1;
      while (index < after.length && after[index] !== '"') {
        if (after[index] === '\\') index += 1;
        value += after[index] ?? '';
        index += 1;
      }
      rest = after.slice(index + 1);
    } else {
      value = /^[^\s,]*/.exec(after)?.[0] ?? '';
      rest = after.slice(value.length);
    }
    current.params[name.toLowerCase()] = value;
  }
  const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
  if (!bearer) return undefined;
  const {
    error,
    error_description: errorDescription,
    scope,
    resource_metadata: resourceMetadata,
  } = bearer.params;
  return {
    ...(error ? { error } : {}),
    ...(errorDescription ? { errorDescription } : {}),
    ...(scope ? { scope } : {}),
    ...(resourceMetadata ? { resourceMetadata } : {}),
  };
}

/** Thrown when no authorization server metadata answered; `statuses` are what each URL said instead. */
export class MetadataNotFound extends DiscoveryError {
  readonly statuses: number[];

  constructor(message: string, statuses: number[]) {
    super(message);
    this.name = 'MetadataNotFound';
    this.statuses = statuses;
  }
}

/** Loopback hosts, the only ones Gatehouse talks OAuth to over plain http (RFC 8252 §8.3). */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * An upstream server's canonical URI, the `resource` Gatehouse asks its authorization server for: no
 * fragment, and no trailing slash on a bare origin. Gatehouse's own resources are `gatehouseResource`.
 */
export function upstreamResource(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = '';
  return url.pathname === '/' && !url.search ? url.origin : url.href;
}

/**
 * RFC 9728 §3.1 well-known URIs for a resource, path-inserted first, then the root (MCP 2025-11-25
 * "Protected Resource Metadata Discovery Requirements").
 * @internal Exported for its tests only: the well-known URIs of every URL shape, checked without servers.
 */
export function protectedResourceMetadataUrls(serverUrl: string): URL[] {
  const url = new URL(serverUrl);
  const path = url.pathname.replace(/\/$/, '');
  const root = new URL('/.well-known/oauth-protected-resource', url.origin);
  if (!path) return [root];
  const inserted = new URL(`/.well-known/oauth-protected-resource${path}`, url.origin);
  inserted.search = url.search;
  return [inserted, root];
}

/**
 * Authorization server metadata URIs in the MCP 2025-11-25 order ("Authorization Server Metadata
 * Discovery"). With a path: RFC 8414 path insertion, OIDC path insertion, OIDC path appended.
 * Without: RFC 8414, then OIDC.
 * @internal Exported for its tests only: the well-known URIs of every URL shape, checked without servers.
 */
export function authorizationServerMetadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  if (!path) {
    return [
      new URL('/.well-known/oauth-authorization-server', url.origin),
      new URL('/.well-known/openid-configuration', url.origin),
    ];
  }
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin),
    new URL(`/.well-known/openid-configuration${path}`, url.origin),
    new URL(`${path}/.well-known/openid-configuration`, url.origin),
  ];
}

/**
 * The endpoints a 2025-03-26 server without metadata has by convention: `/authorize`, `/token` and
 * `/register` at the authorization base URL, which is the MCP server's URL without its path (MCP
 * 2025-03-26 authorization §2.3.2 "Authorization Base URL", §2.3.3 "Fallbacks for Servers without
 * Metadata Discovery"). The origin stands as the issuer, so an RFC 9207 `iss` must name it.
 */
export function defaultAuthorizationServer(serverUrl: string): oauth.AuthorizationServer {
  const { origin } = new URL(serverUrl);
  requireSecureUrl(new URL(origin), 'The authorization server');
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
  };
}

/** Throws unless the URL is https, or http to this computer. */
export function requireSecureUrl(url: URL, what: string): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return;
  throw new DiscoveryError(
    `${what} (${url.origin}) does not use https; Gatehouse only sends OAuth requests over https, or over http to this computer.`,
  );
}

async function get(url: URL, http: DiscoveryHttp, what: string): Promise<Response> {
  requireSecureUrl(url, what);
  const version = http.protocolVersion?.();
  try {
    return await http.fetch(url.href, {
      headers: { accept: 'application/json', ...(version ? { 'mcp-protocol-version': version } : {}) },
      redirect: 'manual',
      ...(http.signal ? { signal: http.signal() } : {}),
    });
  } catch (error) {
    throw new DiscoveryError(`${what} could not be reached at ${url.href} (${describe(error)}).`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** RFC 9728 §3.3 for path-aware resources, as the MCP SDK applies it: same origin, path prefix. */
function resourceCovers(published: string, serverUrl: string): boolean {
  let configured: URL;
  try {
    configured = new URL(published);
  } catch {
    return false;
  }
  const requested = new URL(serverUrl);
  if (configured.origin !== requested.origin) return false;
  const withSlash = (path: string) => (path.endsWith('/') ? path : `${path}/`);
  return withSlash(requested.pathname).startsWith(withSlash(configured.pathname));
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * Fetches the protected resource metadata: from the challenge's `resource_metadata` when given, else
 * (or when that fails with 4xx) from the well-known URIs. Undefined when the server publishes none;
 * `missed`, when given, receives the status each URL answered instead.
 */
export async function discoverProtectedResource(
  serverUrl: string,
  challengeUrl: string | undefined,
  http: DiscoveryHttp,
  missed?: number[],
): Promise<ProtectedResource | undefined> {
  const candidates: URL[] = [];
  if (challengeUrl && URL.canParse(challengeUrl)) candidates.push(new URL(challengeUrl));
  candidates.push(...protectedResourceMetadataUrls(serverUrl));
  const tried = new Set<string>();
  for (const url of candidates) {
    if (tried.has(url.href)) continue;
    tried.add(url.href);
    const response = await get(url, http, 'The connector’s protected resource metadata');
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new DiscoveryError(
        `The protected resource metadata at ${url.href} answered HTTP ${response.status}.`,
      );
    }
    if (response.status !== 200) {
      missed?.push(response.status);
      await response.body?.cancel();
      continue;
    }
    const body: unknown = await response.json().catch(() => undefined);
    const document = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    const resource = document?.resource;
    const authorizationServers = stringArray(document?.authorization_servers);
    if (typeof resource !== 'string' || !authorizationServers?.length) {
      throw new DiscoveryError(
        `The protected resource metadata at ${url.href} is not usable: it must be JSON with "resource" and at least one "authorization_servers" entry.`,
      );
    }
    if (!resourceCovers(resource, serverUrl)) {
      throw new DiscoveryError(
        `The protected resource metadata at ${url.href} is for ${resource}, not for ${serverUrl}; Gatehouse will not send credentials for another resource.`,
      );
    }
    const scopesSupported = stringArray(document?.scopes_supported);
    return {
      resource,
      authorizationServers,
      ...(scopesSupported ? { scopesSupported } : {}),
      metadataUrl: url.href,
    };
  }
  return undefined;
}

/**
 * Fetches and validates the authorization server metadata for `issuer` (oauth4webapi checks that the
 * document names the same issuer: RFC 8414 §3.3, the defence against mix-up). Throws MetadataNotFound
 * when no URL answered with a document.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  http: DiscoveryHttp,
): Promise<oauth.AuthorizationServer> {
  const expected = new URL(issuer);
  requireSecureUrl(expected, 'The authorization server');
  const statuses: number[] = [];
  for (const url of authorizationServerMetadataUrls(issuer)) {
    const response = await get(url, http, 'The authorization server');
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new DiscoveryError(
        `The authorization server metadata at ${url.href} answered HTTP ${response.status}.`,
      );
    }
    if (response.status !== 200) {
      statuses.push(response.status);
      await response.body?.cancel();
      continue;
    }
    let metadata: oauth.AuthorizationServer;
    try {
      metadata = await oauth.processDiscoveryResponse(expected, response);
    } catch (error) {
      throw new DiscoveryError(
        `The authorization server metadata at ${url.href} is not usable (${describe(error)}).`,
        { cause: error },
      );
    }
    if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
      throw new DiscoveryError(
        `The authorization server metadata at ${url.href} names no authorization or token endpoint.`,
      );
    }
    return metadata;
  }
  throw new MetadataNotFound(
    `No authorization server metadata was found for ${issuer} (tried ${authorizationServerMetadataUrls(issuer)
      .map((url) => url.href)
      .join(', ')}).`,
    statuses,
  );
}
