// Gatehouse's OAuth client for one upstream MCP server (MCP authorization 2025-11-25, on oauth4webapi),
// as the rest of the engine sees it: credentials on each request, the answer to a 401 or 403, the
// browser step, and what the user must do. The parts live beside it in oauth/: the authorization
// server (authorization-server.ts), the client identity (client-identity.ts), the sign-in
// (sign-in.ts), refresh (token-refresh.ts), scope (scope.ts), and what is held (credentials.ts).
import type { Effects } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type { HttpAuth } from '../../api/connector-config.js';
import type { AttentionReason, OAuthCredentialStore } from '../../store/oauth-credential-store.js';
import { type BearerChallenge, parseBearerChallenge } from './discovery.js';
import type { UpstreamAuthorizer } from '../runtime/upstream-auth.js';
import type { AuthProblem } from '../../api/auth-problem.js';
import { AuthorizationServers, type Discovery } from './authorization-server.js';
import { ClientIdentities } from './client-identity.js';
import { ConnectorCredentials, UpstreamAuthorizationRequired } from './credentials.js';
import { problemOf } from './attention.js';
import { clientMetadataUrlRefusal, describeError, requestOptions } from './protocol.js';
import { selectScope, stepUp } from './scope.js';
import { SignIn } from './sign-in.js';
import { TokenRefresh } from './token-refresh.js';
import type { TokenFailureContext } from './token-response.js';
import type { AuthState } from '../runtime/upstream.js';

/** A connector's OAuth settings as the OAuth client reads them (pre-registered client, endpoints, scopes). */
export type OAuthSettings = Omit<Extract<HttpAuth, { type: 'oauth' }>, 'type'>;

/** What one connector's OAuth client is made from. */
export interface UpstreamOAuthOptions {
  /** The connector's name: in every sentence the user reads. */
  connector: string;
  /** The upstream MCP server's URL. */
  serverUrl: string;
  /** The connector's OAuth settings (pre-registered client, manual endpoints, custom scopes). */
  settings?: Partial<OAuthSettings>;
  /** Gatehouse's own loopback callback, e.g. http://127.0.0.1:<port>/connectors/oauth/callback. */
  redirectUri: string;
  /** An https URL serving Gatehouse's client ID metadata document; used only when the server supports it. */
  clientMetadataUrl?: string;
  /** Where the registration, tokens and reasons to act are kept (encrypted) between runs. */
  store: OAuthCredentialStore;
  effects: Pick<Effects, 'clock' | 'random' | 'fetch' | 'openUrl' | 'logger'>;
  /** `client_name` for dynamic registration. */
  clientName?: string;
  /** Per request to the authorization server; default 30 s. */
  requestTimeoutMs?: number;
}

/** A 401 this soon after new tokens arrived is answered with a retry, not another refresh. */
const FRESH_TOKENS_MS = 10_000;

/**
 * The version metadata discovery names before any request has spoken one in this run: the first one
 * Gatehouse's client offers (its negotiation opens with a 2026-07-28 server/discover).
 */
const FIRST_OFFERED_VERSION = '2026-07-28';

/**
 * The OAuth client for one upstream: implements `UpstreamAuthorizer` for the HTTP upstream, and the
 * browser step (`beginAuthorization`, `completeAuthorization`) for the engine's callback route.
 */
export class UpstreamOAuth implements UpstreamAuthorizer {
  readonly #options: UpstreamOAuthOptions;
  readonly #settings: Partial<OAuthSettings>;
  readonly #credentials: ConnectorCredentials;
  readonly #servers: AuthorizationServers;
  readonly #refresh: TokenRefresh;
  readonly #signIn: SignIn;
  /** The latest Bearer challenge from the upstream (scope, resource_metadata). */
  #challenge: BearerChallenge | undefined;
  /** Whether the upstream has answered 401/403 in this run. Until then requests go without credentials. */
  #challenged = false;
  /** The MCP version of the latest request to the upstream (negotiated, or being attempted). */
  #protocolVersion: string | undefined;

  private constructor(options: UpstreamOAuthOptions) {
    this.#options = options;
    const settings = options.settings ?? {};
    const { connector, serverUrl, redirectUri, clientMetadataUrl, effects } = options;
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    const http = (endpoint: string | undefined) => requestOptions(effects.fetch, timeoutMs, endpoint);
    const credentials = new ConnectorCredentials({
      connector,
      store: options.store,
      logger: effects.logger,
      clientIdSet: Boolean(settings.clientId),
      clientMetadataUrl,
    });
    const scopeFor = (discovery: Discovery) =>
      selectScope(discovery, {
        configured: settings.scopes ?? [],
        challenged: this.#challenge?.scope,
        requestedScope: credentials.stored.requestedScope,
      });
    const servers = new AuthorizationServers({
      connector,
      serverUrl,
      authorizeUrl: settings.authorizeUrl ?? undefined,
      tokenUrl: settings.tokenUrl ?? undefined,
      http: {
        fetch: effects.fetch,
        signal: () => AbortSignal.timeout(timeoutMs),
        protocolVersion: () => this.#protocolVersion ?? FIRST_OFFERED_VERSION,
      },
      logger: effects.logger,
      resourceMetadataUrl: () =>
        this.#challenge?.resourceMetadata ?? credentials.stored.discovery?.resourceMetadataUrl,
    });
    const identities = new ClientIdentities({
      connector,
      redirectUri,
      clientId: settings.clientId ?? undefined,
      clientSecret: settings.clientSecret ?? undefined,
      clientMetadataUrl,
      clientName: options.clientName,
      clock: effects.clock,
      logger: effects.logger,
      credentials,
      scopeFor,
      http,
    });
    const failure: TokenFailureContext = {
      connector,
      credentials,
      clientRejected: (identity) => identities.rejected(identity),
    };
    const refresh = new TokenRefresh({
      connector,
      serverUrl,
      clock: effects.clock,
      logger: effects.logger,
      credentials,
      servers,
      identities,
      failure,
      http,
    });
    this.#signIn = new SignIn({
      connector,
      serverUrl,
      redirectUri,
      clientIdSet: Boolean(settings.clientId),
      effects,
      credentials,
      servers,
      identities,
      scopeFor,
      failure,
      http,
      connected: () => refresh.reset(),
    });
    this.#settings = settings;
    this.#credentials = credentials;
    this.#servers = servers;
    this.#refresh = refresh;
  }

  /** Validates the options and loads what the store holds. */
  static async create(options: UpstreamOAuthOptions): Promise<UpstreamOAuth> {
    if (!URL.canParse(options.serverUrl))
      throw new GatehouseError('bad_request', `${options.connector}: the connector URL is not a valid URL.`);
    if (!URL.canParse(options.redirectUri))
      throw new GatehouseError('bad_request', 'The OAuth redirect URI must be an absolute URL.');
    const refusal =
      options.clientMetadataUrl === undefined
        ? undefined
        : clientMetadataUrlRefusal(options.clientMetadataUrl);
    if (refusal) throw new GatehouseError('bad_request', refusal);
    const upstream = new UpstreamOAuth(options);
    await upstream.#load();
    return upstream;
  }

  // ---- UpstreamAuthorizer ----------------------------------------------------------------------

  async authorize(headers: Headers, protocolVersion?: string): Promise<void> {
    if (protocolVersion) this.#protocolVersion = protocolVersion;
    const credentials = this.#credentials;
    let tokens = credentials.stored.tokens;
    if (!tokens) {
      // Never challenged in this run: let the request go bare so the upstream's 401 can say where and
      // with which scope to authorize (RFC 9728 §5.1, MCP "Scope Selection Strategy").
      if (!this.#challenged) return;
      throw credentials.required();
    }
    if (this.#refresh.due(tokens)) {
      if (tokens.refreshToken) {
        try {
          await this.#refresh.refresh();
        } catch (error) {
          if (error instanceof UpstreamAuthorizationRequired || this.#refresh.expired(tokens)) throw error;
          this.#options.effects.logger.warn(
            'upstream OAuth: refresh failed, using the current token meanwhile',
            {
              connector: this.#options.connector,
              error: describeError(error),
            },
          );
        }
      } else if (this.#refresh.expired(tokens)) {
        await credentials.needAction('expired', { dropTokens: true });
        throw credentials.required();
      }
    }
    tokens = credentials.stored.tokens;
    if (!tokens) throw credentials.required();
    headers.set('authorization', `Bearer ${tokens.accessToken}`);
  }

  async unauthorized(header: string | null): Promise<boolean> {
    const credentials = this.#credentials;
    const challenge = parseBearerChallenge(header);
    this.#challenged = true;
    if (challenge) this.#challenge = challenge;
    const tokens = credentials.stored.tokens;
    if (challenge?.error === 'insufficient_scope') return stepUp(credentials, challenge.scope, tokens);
    if (!tokens) {
      await credentials.needAction(credentials.stored.attention?.reason ?? 'not-connected');
      return false;
    }
    try {
      // Tokens and a registration are bound to the server that issued them: if the resource now
      // names another, drop them; Connect registers with the new one (SEP-2352).
      const moved = await this.#servers.movedFrom(tokens);
      if (moved) {
        await this.#serverChanged(tokens.issuer, moved);
        return false;
      }
      const refreshing = this.#refresh.inFlight();
      if (refreshing) {
        await refreshing;
        return true;
      }
      // Another request's refresh (or the sign-in) just landed: retry with those tokens.
      if (this.#options.effects.clock.now() - tokens.obtainedAt < FRESH_TOKENS_MS) return true;
      if (!tokens.refreshToken) {
        await credentials.needAction('expired', { dropTokens: true });
        return false;
      }
      await this.#refresh.refresh();
      return true;
    } catch (error) {
      if (!(error instanceof UpstreamAuthorizationRequired))
        this.#options.effects.logger.warn('upstream OAuth: refresh after 401 failed', {
          connector: this.#options.connector,
          error: describeError(error),
        });
      return false;
    }
  }

  state(): AuthState {
    return this.#credentials.state();
  }

  onStateChange(listener: (state: AuthState) => void): () => void {
    return this.#credentials.onStateChange(listener);
  }

  // ---- The browser step --------------------------------------------------------------------------

  /** Why the user must act, with the sentence to show; undefined while the connector is ready. */
  attention(): { reason: AttentionReason; message: string } | undefined {
    return this.#credentials.attention();
  }

  problem(): AuthProblem | undefined {
    const attention = this.attention();
    return attention && { kind: problemOf(attention.reason), message: attention.message };
  }

  /**
   * Discovers, identifies Gatehouse to the authorization server (registering if it must), and opens
   * the authorization URL in the user's browser. The engine's callback route then calls
   * `completeAuthorization`.
   */
  beginAuthorization(): Promise<{ url: string }> {
    return this.#signIn.begin();
  }

  /** Whether a callback carrying this `state` belongs to a sign-in this connector started. */
  ownsState(state: string | null): boolean {
    return this.#signIn.owns(state);
  }

  /** Finishes the sign-in from Gatehouse's callback URL (`?code&state`, or `?error&state`). */
  completeAuthorization(callbackUrl: URL): Promise<{ connector: string }> {
    return this.#signIn.complete(callbackUrl);
  }

  /** Forgets the registration and tokens (the connector was deleted, or the user starts over). */
  async forget(): Promise<void> {
    await this.#credentials.saved();
    this.#signIn.clear();
    this.#servers.forget();
    await this.#credentials.clear();
  }

  // ---- Loading and the server changing ------------------------------------------------------------

  async #load(): Promise<void> {
    const credentials = this.#credentials;
    await credentials.load();
    const { stored } = credentials;
    // Tokens obtained for another URL, by another pre-registered client, or from endpoints the
    // settings no longer name, are not presented here.
    const tokens = stored.tokens;
    const manualIssuer = this.#servers.manual()?.issuer;
    if (
      tokens &&
      (tokens.serverUrl !== this.#options.serverUrl ||
        (this.#settings.clientId && tokens.clientId !== this.#settings.clientId) ||
        (manualIssuer ?? '') !== (tokens.issuer.startsWith('manual:') ? tokens.issuer : ''))
    )
      delete stored.tokens;
    if (stored.discovery && stored.discovery.serverUrl !== this.#options.serverUrl) delete stored.discovery;
    const usable = stored.tokens && (stored.tokens.refreshToken || !this.#refresh.expired(stored.tokens));
    credentials.setState(usable && !stored.attention ? 'ready' : 'action-required');
  }

  /**
   * MCP "Authorization Server Binding" (SEP-2352): credentials belong to the server that issued them.
   * Tokens and a dynamic registration from the old one are dropped (never presented to the new one);
   * the next Connect discovers the new server and registers there. A metadata-document client id is
   * portable and stays; a pre-registered one is the user's to replace, which the sentence says.
   */
  async #serverChanged(from: string, to: string): Promise<void> {
    const { stored } = this.#credentials;
    if (stored.registration?.issuer === from) delete stored.registration;
    delete stored.discovery;
    delete stored.reregistered;
    this.#servers.forget();
    this.#options.effects.logger.warn('upstream OAuth: the authorization server changed', {
      connector: this.#options.connector,
      from,
      to,
    });
    await this.#credentials.needAction('server-changed', { dropTokens: true, issuer: to });
  }
}
