// Which authorization server one OAuth connector signs in with, and its metadata: the endpoints the user
// typed, else RFC 9728 protected resource metadata then RFC 8414 metadata (discovery.ts), else,
// for a 2025-03-26 server that publishes none, its default endpoints; the server last used, kept for
// refreshes; and whether the resource has since named another one (SEP-2352).
import type * as oauth from 'oauth4webapi';
import { GatehouseError } from '../../errors.js';
import type { StoredTokens } from '../../store/oauth-credential-store.js';
import {
  upstreamResource,
  defaultAuthorizationServer,
  discoverAuthorizationServer,
  discoverProtectedResource,
  DiscoveryError,
  type DiscoveryHttp,
  MetadataNotFound,
  requireSecureUrl,
} from './discovery.js';
import { describeError } from './protocol.js';
import type { Logger } from '../../effects.js';

/** An authorization server as the OAuth client talks to it. */
export interface ServerView {
  /** Its metadata, with any endpoint the user typed in place of the discovered one. */
  as: oauth.AuthorizationServer;
  /** The issuer credentials are bound to (client IDs and tokens are per authorization server). */
  issuer: string;
  /** Endpoints typed by the user: no metadata, issuer unknown, so `iss` cannot be checked. */
  manual: boolean;
  /** The 2025-03-26 default endpoints at the server's origin: it publishes no metadata at all. */
  defaultEndpoints?: true;
}

/** Where a sign-in goes: the authorization server, and the protected resource it grants access to. */
export interface Discovery extends ServerView {
  /** The RFC 8707 resource indicator every token request names. */
  resource: string;
  /** The resource's scopes_supported (RFC 9728 §2), a fallback for the scope to ask for. */
  scopesSupported?: string[];
  /** Where the protected resource metadata was found, remembered for the next run. */
  resourceMetadataUrl?: string;
}

/** What finding a connector's authorization server depends on. */
export interface AuthorizationServerContext {
  connector: string;
  serverUrl: string;
  /** Endpoints the user typed in the connector's OAuth settings. */
  authorizeUrl: string | undefined;
  tokenUrl: string | undefined;
  /** The injected fetch with a timeout per request. */
  http: DiscoveryHttp;
  logger: Pick<Logger, 'info'>;
  /** The resource_metadata URL the latest challenge named, else the one that worked last time. */
  resourceMetadataUrl(): string | undefined;
}

/** One connector's authorization server: discovered for a sign-in, remembered for refreshes. */
export class AuthorizationServers {
  readonly #context: AuthorizationServerContext;
  #cache: ServerView | undefined;
  #movedCheck: Promise<string | undefined> | undefined;

  constructor(context: AuthorizationServerContext) {
    this.#context = context;
  }

  /** Both endpoints typed by the user: no discovery at all. */
  manual(): ServerView | undefined {
    const { authorizeUrl, tokenUrl } = this.#context;
    if (!authorizeUrl || !tokenUrl) return undefined;
    const as: oauth.AuthorizationServer = {
      issuer: new URL(tokenUrl).origin,
      authorization_endpoint: authorizeUrl,
      token_endpoint: tokenUrl,
    };
    return { as, issuer: `manual:${tokenUrl}`, manual: true };
  }

  /** Where a sign-in goes now, found afresh (MCP "Authorization Server Discovery"). */
  async discover(): Promise<Discovery> {
    const { serverUrl, connector, http } = this.#context;
    const manual = this.manual();
    if (manual) {
      this.#checkEndpoints(manual.as);
      return { ...manual, resource: upstreamResource(serverUrl) };
    }
    try {
      const named = this.#context.resourceMetadataUrl();
      const missed: number[] = [];
      const resource = await discoverProtectedResource(serverUrl, named, http, missed);
      // No RFC 9728 metadata: the 2025-03-26 convention, the server's origin is the authorization server.
      const issuer = resource?.authorizationServers[0] ?? new URL(serverUrl).origin;
      const server = await this.#metadataOrDefaults(issuer, !resource && !named, missed);
      const as = this.#withManualEndpoints(server.as);
      this.#checkEndpoints(as);
      const discovery: Discovery = {
        ...server,
        as,
        resource: resource?.resource ?? upstreamResource(serverUrl),
        ...(resource?.scopesSupported ? { scopesSupported: resource.scopesSupported } : {}),
        ...(resource ? { resourceMetadataUrl: resource.metadataUrl } : {}),
      };
      this.#cache = discovery;
      return discovery;
    } catch (error) {
      if (error instanceof DiscoveryError)
        throw new GatehouseError(
          'upstream_failed',
          `Gatehouse could not find how to authorize with ${connector}: ${error.message}`,
          {
            cause: error,
          },
        );
      throw error;
    }
  }

  /** The authorization server that issued the tokens (for a refresh): no protected-resource round trip. */
  async serverFor(issuer: string): Promise<ServerView> {
    const manual = this.manual();
    if (manual) return manual;
    if (this.#cache?.issuer === issuer) return this.#cache;
    try {
      // Tokens from the default endpoints refresh there while the server still publishes nothing.
      const origin = new URL(this.#context.serverUrl).origin;
      const server = await this.#metadataOrDefaults(
        issuer,
        issuer === origin && !this.#context.resourceMetadataUrl(),
        [],
      );
      this.#cache = { ...server, as: this.#withManualEndpoints(server.as) };
      return this.#cache;
    } catch (error) {
      if (error instanceof DiscoveryError)
        throw new GatehouseError('internal', `${this.#context.connector}: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
  }

  /** The authorization server the protected resource metadata now names, if not the tokens'. */
  movedFrom(tokens: StoredTokens): Promise<string | undefined> {
    if (this.manual()) return Promise.resolve(undefined);
    this.#movedCheck ??= (async () => {
      try {
        const resource = await discoverProtectedResource(
          this.#context.serverUrl,
          this.#context.resourceMetadataUrl(),
          this.#context.http,
        );
        const issuer = resource?.authorizationServers[0];
        return issuer !== undefined && issuer !== tokens.issuer ? issuer : undefined;
      } catch {
        // Cannot tell: carry on with the tokens' own server.
        return undefined;
      } finally {
        this.#movedCheck = undefined;
      }
    })();
    return this.#movedCheck;
  }

  /** Keeps the server a sign-in just went through, so its refreshes skip discovery. */
  remember(server: ServerView): void {
    this.#cache = server;
  }

  /** Drops the remembered server (it changed, or the connector starts over). */
  forget(): void {
    this.#cache = undefined;
  }

  /**
   * The issuer's metadata; failing that, the 2025-03-26 default endpoints, but only for a server that
   * names no protected resource metadata and where every lookup answered 404: metadata that exists
   * but is refused (another issuer, a 5xx, a redirect, a 401) is never replaced by guessed endpoints.
   */
  async #metadataOrDefaults(issuer: string, mayFallBack: boolean, missed: number[]): Promise<ServerView> {
    const { serverUrl, connector, http, logger } = this.#context;
    try {
      return { as: await discoverAuthorizationServer(issuer, http), issuer, manual: false };
    } catch (error) {
      const nothingAnywhere =
        error instanceof MetadataNotFound && [...missed, ...error.statuses].every((status) => status === 404);
      if (!mayFallBack || !nothingAnywhere) throw error;
      const as = defaultAuthorizationServer(serverUrl);
      logger.info('upstream OAuth: no metadata published; using the 2025-03-26 default endpoints', {
        connector,
        authorizationServer: as.issuer,
      });
      return { as, issuer: as.issuer, manual: false, defaultEndpoints: true };
    }
  }

  /** One manual endpoint overrides the discovered one. */
  #withManualEndpoints(as: oauth.AuthorizationServer): oauth.AuthorizationServer {
    const { authorizeUrl, tokenUrl } = this.#context;
    return {
      ...as,
      ...(authorizeUrl ? { authorization_endpoint: authorizeUrl } : {}),
      ...(tokenUrl ? { token_endpoint: tokenUrl } : {}),
    };
  }

  #checkEndpoints(as: oauth.AuthorizationServer): void {
    try {
      for (const endpoint of [as.authorization_endpoint, as.token_endpoint, as.registration_endpoint])
        if (endpoint) requireSecureUrl(new URL(endpoint), 'The authorization server');
    } catch (error) {
      throw new GatehouseError('bad_request', `${this.#context.connector}: ${describeError(error)}`);
    }
  }
}
