// The OAuth protocol details Gatehouse's upstream client decides on its own, apart from any one
// connector: which client authentication to use at the token endpoint and at registration,
// client_secret_basic as RFC 6749 writes it, a registration response read leniently, scope lists, and
// whether a client metadata document URL can be a client id, and how oauth4webapi reaches the network.
import * as oauth from 'oauth4webapi';
import type { Fetch } from '../../effects.js';
import { isLoopback } from './discovery.js';

/**
 * Why a client ID metadata document URL cannot be Gatehouse's client id, or undefined when it can:
 * an https URL with a path (MCP "Client ID Metadata Documents").
 */
export function clientMetadataUrlRefusal(url: string): string | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed?.protocol === 'https:' && parsed.pathname !== '/' && !parsed.hash
    ? undefined
    : `The client metadata document URL must be an https URL with a path (e.g. https://example.com/gatehouse.json); got "${url}".`;
}

/** A space-delimited `scope` (RFC 6749 §3.3) as a list; none for an absent or empty one. */
export function scopeList(scope: string | null | undefined): string[] {
  return scope ? scope.split(' ').filter(Boolean) : [];
}

/** Every scope of the lists, once each, in first-seen order: what a step-up asks for. */
export function unionScopes(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** An error (and its cause) in one line for the log or a user's sentence. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** RFC 8414 §2 default and the MCP SDK's preference: basic, then post, then none (public client). */
export function tokenEndpointAuthMethod(
  as: oauth.AuthorizationServer,
  secret: string | undefined,
  registered: string | undefined,
): 'client_secret_basic' | 'client_secret_post' | 'none' {
  const supported = as.token_endpoint_auth_methods_supported ?? [];
  if (
    (registered === 'client_secret_basic' || registered === 'client_secret_post' || registered === 'none') &&
    (registered === 'none' || secret) &&
    (supported.length === 0 || supported.includes(registered))
  )
    return registered;
  if (supported.length === 0) return secret ? 'client_secret_basic' : 'none';
  if (secret && supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (secret && supported.includes('client_secret_post')) return 'client_secret_post';
  if (supported.includes('none')) return 'none';
  return secret ? 'client_secret_post' : 'none';
}

/** What to ask for at registration: a per-install secret when the server can take one (RFC 8252 §8.5). */
export function registrationAuthMethod(as: oauth.AuthorizationServer): string | undefined {
  const supported = as.token_endpoint_auth_methods_supported;
  if (!supported?.length) return undefined;
  return ['client_secret_basic', 'client_secret_post', 'none'].find((method) => supported.includes(method));
}

/**
 * client_secret_basic as RFC 6749 §2.3.1 and Appendix B write it: identifier and secret each
 * application/x-www-form-urlencoded, then HTTP Basic. (oauth4webapi's own also escapes "-", "." and "_",
 * which servers that skip the decoding step, the MCP conformance suite's among them, then reject.)
 */
export function clientSecretBasic(secret: string): oauth.ClientAuth {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return (_as, client, _body, headers) => {
    const credentials = Buffer.from(`${encode(client.client_id)}:${encode(secret)}`).toString('base64');
    headers.set('authorization', `Basic ${credentials}`);
  };
}

/**
 * RFC 7591 §3.2.1 requires `client_secret_expires_at` with a secret; servers omit it often enough (the
 * MCP conformance suite's does) that a missing one is read as "never expires", not as a failure.
 */
export async function processRegistration(
  response: Response,
): Promise<oauth.OmitSymbolProperties<oauth.Client>> {
  try {
    return await oauth.processDynamicClientRegistrationResponse(response.clone());
  } catch (error) {
    if (
      !(error instanceof oauth.OperationProcessingError) ||
      error.code !== oauth.INVALID_RESPONSE ||
      !error.message.includes('client_secret_expires_at')
    )
      throw error;
    const body = (await response.json()) as Record<string, unknown>;
    if (body.client_secret_expires_at !== undefined) throw error;
    return { ...(body as oauth.OmitSymbolProperties<oauth.Client>), client_secret_expires_at: 0 };
  }
}

/**
 * oauth4webapi request options: the injected fetch, a timeout per request, and plain http only to
 * this computer (MCP authorization requires https for every other authorization server endpoint).
 */
export function requestOptions(fetch: Fetch, timeoutMs: number, endpoint: string | undefined) {
  return {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      fetch(url, init as RequestInit),
    [oauth.allowInsecureRequests]:
      endpoint !== undefined && URL.canParse(endpoint) && isLoopback(new URL(endpoint)),
    signal: () => AbortSignal.timeout(timeoutMs),
  };
}

/** The options every oauth4webapi request of one connector's OAuth client carries. */
export type RequestOptions = ReturnType<typeof requestOptions>;
