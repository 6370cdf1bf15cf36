// `gatehouse tokens introspect`: Gatehouse asks its own RFC 7662 endpoint, as the internal
// introspection client whose secret only this process holds, so the answer is the server's own.
import type { OperationOutput } from '../api/contract.js';
import type { Fetch } from '../effects.js';
import { GatehouseError } from '../errors.js';

/** The internal introspection client's credentials (AuthorizationServerSecrets.introspector). */
interface Introspector {
  clientId: string;
  clientSecret: string;
}

/** Asks Gatehouse's own RFC 7662 endpoint about a token, as its internal introspection client. */
export async function introspectToken(
  fetch: Fetch,
  issuer: string,
  introspector: Introspector,
  token: string,
): Promise<OperationOutput<'tokens.introspect'>> {
  const { clientId, clientSecret } = introspector;
  // RFC 7662 §2.1 with client_secret_basic (RFC 6749 §2.3.1: each part form-encoded first).
  const res = await fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }),
  });
  if (!res.ok) throw new GatehouseError('internal', `Token introspection failed with HTTP ${res.status}.`);
  const body = (await res.json()) as {
    active: boolean;
    client_id?: string;
    scope?: string;
    aud?: string | string[];
    token_type?: string;
    exp?: number;
  };
  return {
    active: body.active,
    clientId: body.client_id ?? null,
    scope: body.scope ?? null,
    audience: Array.isArray(body.aud) ? (body.aud[0] ?? null) : (body.aud ?? null),
    tokenType: body.token_type ?? null,
    expiresAt: body.exp ? body.exp * 1000 : null,
  };
}
