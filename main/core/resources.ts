// Gatehouse's protected resources (RFC 8707 resource indicators, RFC 9728 metadata): `/mcp` for the
// aggregate endpoint and `/mcp/<connector>` per connector. 127.0.0.1 and localhost name the same
// loopback server, so resource URIs are compared in one canonical form.

/**
 * The scopes of Gatehouse's MCP resources, as RFC 9728 metadata and discovery list them; a client asking
 * for none gets both (RFC 6749 §3.3).
 */
export const MCP_SCOPES = ['mcp:read', 'mcp:write'] as const;
/** The scope every grant carries: list and call read tools. */
export const READ_SCOPE = 'mcp:read';
/** The scope a read & write grant adds: call write tools too. */
export const WRITE_SCOPE = 'mcp:write';

const canonicalCache = new Map<string, string | undefined>();

/**
 * Canonical form of a resource URI on Gatehouse's own endpoint (a token's audience, a request's
 * resource; `localhost` reads as 127.0.0.1), or undefined if it is not an absolute http(s) URL without
 * fragment or query. An upstream server's resource is connectors/oauth's `upstreamResource`.
 * Remembered (it runs twice on every MCP request, and the set of resources is small; the bound only
 * keeps a stream of odd Host headers from growing it).
 */
export function gatehouseResource(uri: string): string | undefined {
  if (canonicalCache.has(uri)) return canonicalCache.get(uri);
  const canonical = computeCanonical(uri);
  if (canonicalCache.size >= 256) canonicalCache.clear();
  canonicalCache.set(uri, canonical);
  return canonical;
}

function computeCanonical(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash || url.search) return undefined;
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  return `${url.protocol}//${url.host}${path}`;
}

/** The MCP path a resource names on this issuer (`/mcp` or `/mcp/<connector>`), or undefined. */
export function mcpPathOf(resource: string, issuer: string): string | undefined {
  const canonical = gatehouseResource(resource);
  const base = gatehouseResource(issuer);
  if (!canonical || !base || !canonical.startsWith(`${base}/`)) return undefined;
  const path = canonical.slice(base.length);
  return /^\/mcp(\/[a-z0-9][a-z0-9_-]{0,31})?$/.test(path) ? path : undefined;
}
