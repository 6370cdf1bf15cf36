// Keeping one OAuth connector's access alive: when a refresh is due (ahead of expiry), one refresh at a
// time however many requests ask, the rotated refresh token kept (OAuth 2.1 §4.3.1), and a pause after a
// passing failure so an outage does not turn every request into a token request.
import * as oauth from 'oauth4webapi';
import type { Clock, Logger } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type { StoredTokens } from '../../store/oauth-credential-store.js';
import type { AuthorizationServers, ServerView } from './authorization-server.js';
import type { ClientIdentities } from './client-identity.js';
import { type ConnectorCredentials, UpstreamAuthorizationRequired } from './credentials.js';
import type { RequestOptions } from './protocol.js';
import { tokenEndpointFailure, tokensFrom, type TokenFailureContext } from './token-response.js';

/** Refresh when less than this remains (or a tenth of the lifetime, whichever is smaller). */
const REFRESH_MARGIN_MS = 60_000;
/** After a refresh fails for a passing reason, wait this long before trying again (unless expired). */
const REFRESH_BACKOFF_MS = 30_000;

/** What refreshing one connector's tokens depends on. */
export interface TokenRefreshContext {
  connector: string;
  serverUrl: string;
  clock: Clock;
  logger: Logger;
  credentials: Pick<ConnectorCredentials, 'stored' | 'persist' | 'needAction' | 'required' | 'setState'>;
  servers: Pick<AuthorizationServers, 'serverFor'>;
  identities: Pick<ClientIdentities, 'forTokens'>;
  failure: TokenFailureContext;
  http(endpoint: string | undefined): RequestOptions;
}

/** The refresh_token grant (RFC 6749 §6) for one connector, one request at a time. */
export class TokenRefresh {
  readonly #context: TokenRefreshContext;
  #refreshing: Promise<void> | undefined;
  #retryAt = 0;

  constructor(context: TokenRefreshContext) {
    this.#context = context;
  }

  /** Whether the access token is past its expiry (tokens without one never are). */
  expired(tokens: StoredTokens): boolean {
    return tokens.expiresAt !== undefined && this.#context.clock.now() >= tokens.expiresAt;
  }

  /** Whether to refresh before using the token: expired, or close enough to it and not pausing. */
  due(tokens: StoredTokens): boolean {
    if (tokens.expiresAt === undefined) return false;
    const now = this.#context.clock.now();
    if (now >= tokens.expiresAt) return true;
    if (now < this.#retryAt) return false;
    const margin = Math.min(REFRESH_MARGIN_MS, (tokens.expiresAt - tokens.obtainedAt) / 10);
    return tokens.expiresAt - now <= margin;
  }

  /** The refresh under way, if any: a 401 meanwhile waits for it instead of starting another. */
  inFlight(): Promise<void> | undefined {
    return this.#refreshing;
  }

  /** New tokens arrived by sign-in: no pause left from an earlier failure. */
  reset(): void {
    this.#retryAt = 0;
  }

  /** One refresh at a time: every caller waits on the same token request. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#perform().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #perform(): Promise<void> {
    const { credentials, clock, connector } = this.#context;
    const tokens = credentials.stored.tokens;
    if (!tokens?.refreshToken) throw credentials.required();
    if (this.expired(tokens) && clock.now() < this.#retryAt)
      throw new GatehouseError(
        'internal',
        `${connector}'s authorization could not be renewed a moment ago; Gatehouse will try again shortly.`,
      );
    let server: ServerView;
    try {
      server = await this.#context.servers.serverFor(tokens.issuer);
    } catch (error) {
      this.#retryAt = clock.now() + REFRESH_BACKOFF_MS;
      throw error;
    }
    const identity = this.#context.identities.forTokens(tokens, server);
    if (!identity) {
      await credentials.needAction('expired', { dropTokens: true });
      throw credentials.required();
    }
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.refreshTokenGrantRequest(
        server.as,
        identity.client,
        identity.auth,
        tokens.refreshToken,
        {
          additionalParameters: { resource: tokens.resource },
          ...this.#context.http(server.as.token_endpoint),
        },
      );
      result = await oauth.processRefreshTokenResponse(server.as, identity.client, response);
    } catch (error) {
      const failure = await tokenEndpointFailure(this.#context.failure, error, identity, 'refresh');
      if (!(failure instanceof UpstreamAuthorizationRequired))
        this.#retryAt = clock.now() + REFRESH_BACKOFF_MS;
      throw failure;
    }
    // A sign-in finished meanwhile: its tokens are newer than these.
    if (credentials.stored.tokens !== tokens) return;
    // RFC 6749 §6 / OAuth 2.1 §4.3.1: a rotated refresh token replaces the old one, which is now dead.
    credentials.stored.tokens = tokensFrom(
      result,
      {
        previous: tokens,
        resource: tokens.resource,
        issuer: tokens.issuer,
        clientId: tokens.clientId,
        requestedScope: tokens.requestedScope,
      },
      { connector, serverUrl: this.#context.serverUrl, now: clock.now() },
    );
    this.#retryAt = 0;
    await credentials.persist();
    this.#context.logger.info('upstream OAuth: tokens refreshed', { connector });
    if (!credentials.stored.attention) credentials.setState('ready');
  }
}
