// What one connector's token endpoint answers mean, for a sign-in's code and a refresh alike: a
// response becomes the tokens Gatehouse keeps; a refusal becomes the error to throw, after acting on
// it (a rejected client, a dead grant).
import * as oauth from 'oauth4webapi';
import { GatehouseError } from '../../errors.js';
import type { StoredTokens } from '../../store/oauth-credential-store.js';
import type { ClientIdentity } from './client-identity.js';
import type { ConnectorCredentials } from './credentials.js';
import { describeError } from './protocol.js';

/** What the tokens are bound to, besides the token response itself. */
export interface TokenContext {
  /** The tokens this response replaces (a refresh): their refresh token and scope carry over. */
  previous?: StoredTokens;
  resource: string;
  issuer: string;
  clientId: string;
  requestedScope: string | undefined;
}

/** The tokens to keep from a token response; only bearer tokens are accepted. */
export function tokensFrom(
  result: oauth.TokenEndpointResponse,
  context: TokenContext,
  connection: { connector: string; serverUrl: string; now: number },
): StoredTokens {
  if (result.token_type !== 'bearer')
    throw new GatehouseError(
      'internal',
      `${connection.connector}'s authorization server issued a "${result.token_type}" token; Gatehouse supports only bearer tokens.`,
    );
  const { now } = connection;
  const refreshToken = result.refresh_token ?? context.previous?.refreshToken;
  const scope = result.scope ?? context.previous?.scope ?? context.requestedScope;
  return {
    accessToken: result.access_token,
    tokenType: 'bearer',
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof result.expires_in === 'number' ? { expiresAt: now + result.expires_in * 1000 } : {}),
    obtainedAt: now,
    ...(scope ? { scope } : {}),
    ...(context.requestedScope ? { requestedScope: context.requestedScope } : {}),
    resource: context.resource,
    issuer: context.issuer,
    clientId: context.clientId,
    serverUrl: connection.serverUrl,
  };
}

/** What acting on a token endpoint refusal needs. */
export interface TokenFailureContext {
  connector: string;
  credentials: Pick<ConnectorCredentials, 'needAction' | 'required'>;
  /** The server does not know the client (client-identity.ts decides what that costs). */
  clientRejected(identity: ClientIdentity): Promise<void>;
}

/** Turns a token endpoint failure into the error to throw, acting on what it means (RFC 6749 §5.2). */
export async function tokenEndpointFailure(
  context: TokenFailureContext,
  error: unknown,
  identity: ClientIdentity,
  grant: 'code' | 'refresh',
): Promise<Error> {
  const { connector, credentials } = context;
  const oauthError =
    error instanceof oauth.ResponseBodyError
      ? error.error
      : error instanceof oauth.WWWAuthenticateChallengeError
        ? 'invalid_client'
        : undefined;
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
    await context.clientRejected(identity);
    return credentials.required();
  }
  if (oauthError === 'invalid_grant') {
    if (grant === 'refresh') {
      await credentials.needAction('expired', { dropTokens: true });
      return credentials.required();
    }
    return new GatehouseError(
      'upstream_failed',
      `${connector}'s authorization server refused the sign-in code (invalid_grant). Use Connect again.`,
    );
  }
  if (error instanceof GatehouseError) return error;
  const doing = grant === 'code' ? 'finish the sign-in' : 'renew the authorization';
  if (error instanceof oauth.ResponseBodyError)
    return new GatehouseError(
      'internal',
      `${connector}'s authorization server refused to ${doing} (${error.error}${error.error_description ? `: ${error.error_description}` : ''}).`,
    );
  return new GatehouseError(
    'internal',
    `Gatehouse could not ${doing} with ${connector}'s authorization server (${describeError(error)}).`,
    { cause: error },
  );
}
