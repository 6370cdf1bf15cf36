// Gatehouse's OAuth client for one upstream MCP server (MCP authorization 2025-11-25, on oauth4webapi):
// discovery from the server's 401, a client identity (pre-registered, metadata document, or a dynamic
// registration kept for good), authorization code + PKCE with the RFC 8707 resource, and tokens that
// refresh ahead of expiry, once however many requests ask, and that say plainly when the user must act.
import * as oauth from 'oauth4webapi';
import type { Effects } from '../effects.js';
import { GatehouseError } from '../errors.js';
import type { HttpAuth } from './connector-config.js';
import type {
  AttentionReason,
  OAuthCredentialStore,
  StoredCredentials,
  StoredRegistration,
  StoredTokens,
} from '../store/oauth-credential-store.js';
import {
  type BearerChallenge,
  canonicalResource,
  discoverAuthorizationServer,
  discoverProtectedResource,
  DiscoveryError,
  isLoopback,
  parseBearerChallenge,
  requireSecureUrl,
} from './oauth-discovery.js';
import type { UpstreamAuthorizer } from './upstream-auth.js';
import type { AuthProblem } from './auth-problem.js';
import { attentionSentence, problemOf } from './upstream-oauth-messages.js';
import {
  clientMetadataUrlRefusal,
  clientSecretBasic,
  describeError,
  processRegistration,
  registrationAuthMethod,
  scopeList,
  tokenEndpointAuthMethod,
  unionScopes,
} from './upstream-oauth-protocol.js';
import type { AuthState } from './upstream.js';

export type OAuthSettings = Omit<Extract<HttpAuth, { type: 'oauth' }>, 'type'>;

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
  store: OAuthCredentialStore;
  effects: Pick<Effects, 'clock' | 'random' | 'fetch' | 'openUrl' | 'logger'>;
  /** `client_name` for dynamic registration. */
  clientName?: string;
  /** Per request to the authorization server; default 30 s. */
  requestTimeoutMs?: number;
}

/** How long a started sign-in waits for its callback. */
const PENDING_AUTHORIZATION_MS = 10 * 60_000;
/** Refresh when less than this remains (or a tenth of the lifetime, whichever is smaller). */
const REFRESH_MARGIN_MS = 60_000;
/** A 401 this soon after new tokens arrived is answered with a retry, not another refresh. */
const FRESH_TOKENS_MS = 10_000;
/** After a refresh fails for a passing reason, wait this long before trying again (unless expired). */
const REFRESH_BACKOFF_MS = 30_000;
const MAX_PENDING = 16;

type ClientKind = 'pre-registered' | 'metadata-document' | 'registered';

/** Thrown by `authorize` (and friends) when only the user can fix things; `message` says how. */
export class UpstreamAuthorizationRequired extends GatehouseError {
  readonly reason: AttentionReason;

  constructor(reason: AttentionReason, message: string) {
    super('unauthorized', message);
    this.name = 'UpstreamAuthorizationRequired';
    this.reason = reason;
  }
}

interface ServerView {
  as: oauth.AuthorizationServer;
  /** The issuer credentials are bound to (client IDs and tokens are per authorization server). */
  issuer: string;
  /** Endpoints typed by the user: no metadata, issuer unknown, so `iss` cannot be checked. */
  manual: boolean;
}

interface Discovery extends ServerView {
  resource: string;
  scopesSupported?: string[];
  resourceMetadataUrl?: string;
}

interface ClientIdentity {
  kind: ClientKind;
  client: oauth.Client;
  auth: oauth.ClientAuth;
}

interface PendingAuthorization {
  discovery: Discovery;
  identity: ClientIdentity;
  verifier: string;
  scope: string | undefined;
  createdAt: number;
}

/**
 * The OAuth client for one upstream: implements `UpstreamAuthorizer` for the HTTP upstream, and the
 * browser step (`beginAuthorization`, `completeAuthorization`) for the engine's callback route.
 */
export class UpstreamOAuth implements UpstreamAuthorizer {
  readonly #options: UpstreamOAuthOptions;
  readonly #settings: Partial<OAuthSettings>;
  readonly #timeoutMs: number;
  #creds: StoredCredentials = { version: 1 };
  #current: AuthState = 'action-required';
  readonly #listeners = new Set<(state: AuthState) => void>();
  readonly #pending = new Map<string, PendingAuthorization>();
  /** The latest Bearer challenge from the upstream (scope, resource_metadata). */
  #challenge: BearerChallenge | undefined;
  /** Whether the upstream has answered 401/403 in this run. Until then requests go without credentials. */
  #challenged = false;
  #refreshing: Promise<void> | undefined;
  #movedCheck: Promise<string | undefined> | undefined;
  #refreshRetryAt = 0;
  #serverCache: ServerView | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(options: UpstreamOAuthOptions) {
    this.#options = options;
    this.#settings = options.settings ?? {};
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
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

  async authorize(headers: Headers): Promise<void> {
    let tokens = this.#creds.tokens;
    if (!tokens) {
      // Never challenged in this run: let the request go bare so the upstream's 401 can say where and
      // with which scope to authorize (RFC 9728 §5.1, MCP "Scope Selection Strategy").
      if (!this.#challenged) return;
      throw this.#required();
    }
    if (this.#refreshDue(tokens)) {
      if (tokens.refreshToken) {
        try {
          await this.#refresh();
        } catch (error) {
          if (error instanceof UpstreamAuthorizationRequired || this.#expired(tokens)) throw error;
          this.#options.effects.logger.warn(
            'upstream OAuth: refresh failed, using the current token meanwhile',
            {
              connector: this.#options.connector,
              error: describeError(error),
            },
          );
        }
      } else if (this.#expired(tokens)) {
        await this.#needAction('expired', { dropTokens: true });
        throw this.#required();
      }
    }
    tokens = this.#creds.tokens;
    if (!tokens) throw this.#required();
    headers.set('authorization', `Bearer ${tokens.accessToken}`);
  }

  async unauthorized(header: string | null): Promise<boolean> {
    const challenge = parseBearerChallenge(header);
    this.#challenged = true;
    if (challenge) this.#challenge = challenge;
    const tokens = this.#creds.tokens;
    if (challenge?.error === 'insufficient_scope') return this.#insufficientScope(challenge.scope, tokens);
    if (!tokens) {
      await this.#needAction(this.#creds.attention?.reason ?? 'not-connected');
      return false;
    }
    try {
      // Tokens and a registration are bound to the server that issued them: if the resource now
      // names another, drop them; Connect registers with the new one (SEP-2352).
      const moved = await this.#authorizationServerMoved(tokens);
      if (moved) {
        await this.#serverChanged(tokens.issuer, moved);
        return false;
      }
      if (this.#refreshing) {
        await this.#refreshing;
        return true;
      }
      // Another request's refresh (or the sign-in) just landed: retry with those tokens.
      if (this.#options.effects.clock.now() - tokens.obtainedAt < FRESH_TOKENS_MS) return true;
      if (!tokens.refreshToken) {
        await this.#needAction('expired', { dropTokens: true });
        return false;
      }
      await this.#refresh();
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
    return this.#current;
  }

  onStateChange(listener: (state: AuthState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- The browser step --------------------------------------------------------------------------

  /** Why the user must act, with the sentence to show; undefined while the connector is ready. */
  attention(): { reason: AttentionReason; message: string } | undefined {
    if (this.#current !== 'action-required') return undefined;
    const reason = this.#creds.attention?.reason ?? 'not-connected';
    return { reason, message: this.#sentence(reason) };
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
  async beginAuthorization(): Promise<{ url: string }> {
    const attention = this.#creds.attention;
    if (attention?.reason === 'client-rejected' && !this.#settings.clientId) throw this.#required();
    const discovery = await this.#discover();
    if (!discovery.manual && !discovery.as.code_challenge_methods_supported?.includes('S256'))
      throw new GatehouseError(
        'bad_request',
        `${this.#options.connector}'s authorization server does not advertise PKCE with S256 (code_challenge_methods_supported), which MCP requires; Gatehouse will not authorize with it.`,
      );
    const identity = await this.#identity(discovery);
    const verifier = this.#randomToken();
    const state = this.#randomToken();
    const scope = this.#selectScope(discovery);
    const url = new URL(discovery.as.authorization_endpoint ?? '');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', identity.client.client_id);
    url.searchParams.set('redirect_uri', this.#options.redirectUri);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    if (scope) url.searchParams.set('scope', scope);
    // OIDC Core §11: a refresh token for offline_access is only issued after a consent prompt.
    if (scopeList(scope).includes('offline_access')) url.searchParams.set('prompt', 'consent');
    // RFC 8707 §2.1: the token is for this MCP server only.
    url.searchParams.set('resource', discovery.resource);
    this.#prunePending();
    if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value ?? '');
    this.#pending.set(state, {
      discovery,
      identity,
      verifier,
      scope,
      createdAt: this.#options.effects.clock.now(),
    });
    this.#options.effects.logger.info('upstream OAuth: authorization started', {
      connector: this.#options.connector,
      authorizationServer: discovery.issuer,
      client: identity.kind,
    });
    try {
      await this.#options.effects.openUrl.open(url.href);
    } catch (error) {
      this.#options.effects.logger.warn('upstream OAuth: could not open the browser', {
        connector: this.#options.connector,
        error: describeError(error),
      });
    }
    return { url: url.href };
  }

  /** Whether a callback carrying this `state` belongs to a sign-in this connector started. */
  ownsState(state: string | null): boolean {
    this.#prunePending();
    return state !== null && this.#pending.has(state);
  }

  /** Finishes the sign-in from Gatehouse's callback URL (`?code&state`, or `?error&state`). */
  async completeAuthorization(callbackUrl: URL): Promise<{ connector: string }> {
    const { connector } = this.#options;
    this.#prunePending();
    const state = callbackUrl.searchParams.get('state');
    const flow = state === null ? undefined : this.#pending.get(state);
    if (state === null || !flow)
      throw new GatehouseError(
        'bad_request',
        `This authorization response for ${connector} does not match a sign-in Gatehouse started: its state is unknown or more than 10 minutes old. Use Connect again.`,
      );
    this.#pending.delete(state);
    const parameters = new URLSearchParams(callbackUrl.searchParams);
    if (flow.discovery.manual) parameters.delete('iss');
    let callback: URLSearchParams;
    try {
      callback = oauth.validateAuthResponse(flow.discovery.as, flow.identity.client, parameters, state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError)
        throw new GatehouseError(
          'forbidden',
          `${connector}'s authorization server did not grant access (${error.error}${error.error_description ? `: ${error.error_description}` : ''}). Use Connect to try again.`,
        );
      throw new GatehouseError(
        'bad_request',
        `The authorization response for ${connector} is not valid (${describeError(error)}). Use Connect again.`,
        { cause: error },
      );
    }
    const { as } = flow.discovery;
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        flow.identity.client,
        flow.identity.auth,
        callback,
        this.#options.redirectUri,
        flow.verifier,
        { additionalParameters: { resource: flow.discovery.resource }, ...this.#http(as.token_endpoint) },
      );
      result = await oauth.processAuthorizationCodeResponse(as, flow.identity.client, response);
    } catch (error) {
      throw await this.#tokenEndpointFailure(error, flow.identity, 'code');
    }
    this.#creds.tokens = this.#tokensFrom(result, {
      resource: flow.discovery.resource,
      issuer: flow.discovery.issuer,
      clientId: flow.identity.client.client_id,
      requestedScope: flow.scope,
    });
    this.#creds.discovery = {
      serverUrl: this.#options.serverUrl,
      issuer: flow.discovery.issuer,
      ...(flow.discovery.resourceMetadataUrl
        ? { resourceMetadataUrl: flow.discovery.resourceMetadataUrl }
        : {}),
    };
    delete this.#creds.attention;
    delete this.#creds.reregistered;
    this.#serverCache = flow.discovery;
    this.#refreshRetryAt = 0;
    await this.#persist();
    this.#options.effects.logger.info('upstream OAuth: connected', { connector });
    this.#setState('ready');
    return { connector };
  }

  /** Forgets the registration and tokens (the connector was deleted, or the user starts over). */
  async forget(): Promise<void> {
    await this.#saving.catch(() => undefined);
    this.#creds = { version: 1 };
    this.#pending.clear();
    this.#serverCache = undefined;
    await this.#options.store.clear();
    this.#setState('action-required');
  }

  // ---- Loading and state -------------------------------------------------------------------------

  async #load(): Promise<void> {
    let stored: StoredCredentials | undefined;
    try {
      stored = await this.#options.store.load();
    } catch (error) {
      this.#options.effects.logger.warn('upstream OAuth: stored credentials could not be read', {
        connector: this.#options.connector,
        error: describeError(error),
      });
    }
    this.#creds = stored ?? { version: 1 };
    // Tokens obtained for another URL, by another pre-registered client, or from endpoints the
    // settings no longer name, are not presented here.
    const tokens = this.#creds.tokens;
    const manualIssuer = this.#manualServer()?.issuer;
    if (
      tokens &&
      (tokens.serverUrl !== this.#options.serverUrl ||
        (this.#settings.clientId && tokens.clientId !== this.#settings.clientId) ||
        (manualIssuer ?? '') !== (tokens.issuer.startsWith('manual:') ? tokens.issuer : ''))
    )
      delete this.#creds.tokens;
    if (this.#creds.discovery && this.#creds.discovery.serverUrl !== this.#options.serverUrl)
      delete this.#creds.discovery;
    const usable =
      this.#creds.tokens && (this.#creds.tokens.refreshToken || !this.#expired(this.#creds.tokens));
    this.#current = usable && !this.#creds.attention ? 'ready' : 'action-required';
  }

  #setState(state: AuthState): void {
    if (state === this.#current) return;
    this.#current = state;
    for (const listener of this.#listeners) listener(state);
  }

  async #persist(): Promise<void> {
    const snapshot = structuredClone(this.#creds);
    this.#saving = this.#saving.catch(() => undefined).then(() => this.#options.store.save(snapshot));
    await this.#saving;
  }

  async #needAction(
    reason: AttentionReason,
    options: { scope?: string; dropTokens?: boolean; client?: ClientKind; issuer?: string } = {},
  ): Promise<void> {
    const attention = {
      reason,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.client ? { client: options.client } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
    };
    const changed =
      this.#current !== 'action-required' ||
      (options.dropTokens === true && this.#creds.tokens !== undefined) ||
      JSON.stringify(attention) !== JSON.stringify(this.#creds.attention);
    // A connector that keeps answering 401 is not news after the first time.
    if (!changed) return;
    if (options.dropTokens) delete this.#creds.tokens;
    this.#creds.attention = attention;
    await this.#persist();
    this.#options.effects.logger.warn('upstream OAuth: the user must act', {
      connector: this.#options.connector,
      reason,
    });
    this.#setState('action-required');
  }

  #sentence(reason: AttentionReason): string {
    return attentionSentence(reason, {
      connector: this.#options.connector,
      scope: this.#creds.attention?.scope,
      clientIdSet: Boolean(this.#settings.clientId),
      client: this.#creds.attention?.client,
      clientMetadataUrl: this.#options.clientMetadataUrl,
      issuer: this.#creds.attention?.issuer,
    });
  }

  #required(): UpstreamAuthorizationRequired {
    const reason = this.#creds.attention?.reason ?? 'not-connected';
    return new UpstreamAuthorizationRequired(reason, this.#sentence(reason));
  }

  // ---- Tokens ------------------------------------------------------------------------------------

  #expired(tokens: StoredTokens): boolean {
    return tokens.expiresAt !== undefined && this.#options.effects.clock.now() >= tokens.expiresAt;
  }

  #refreshDue(tokens: StoredTokens): boolean {
    if (tokens.expiresAt === undefined) return false;
    const now = this.#options.effects.clock.now();
    if (now >= tokens.expiresAt) return true;
    if (now < this.#refreshRetryAt) return false;
    const margin = Math.min(REFRESH_MARGIN_MS, (tokens.expiresAt - tokens.obtainedAt) / 10);
    return tokens.expiresAt - now <= margin;
  }

  /** One refresh at a time: every caller waits on the same token request. */
  #refresh(): Promise<void> {
    this.#refreshing ??= this.#performRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #performRefresh(): Promise<void> {
    const tokens = this.#creds.tokens;
    if (!tokens?.refreshToken) throw this.#required();
    const { clock } = this.#options.effects;
    if (this.#expired(tokens) && clock.now() < this.#refreshRetryAt)
      throw new GatehouseError(
        'internal',
        `${this.#options.connector}'s authorization could not be renewed a moment ago; Gatehouse will try again shortly.`,
      );
    let server: ServerView;
    try {
      server = await this.#serverFor(tokens.issuer);
    } catch (error) {
      this.#refreshRetryAt = clock.now() + REFRESH_BACKOFF_MS;
      throw error;
    }
    const identity = this.#identityForTokens(tokens, server);
    if (!identity) {
      await this.#needAction('expired', { dropTokens: true });
      throw this.#required();
    }
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.refreshTokenGrantRequest(
        server.as,
        identity.client,
        identity.auth,
        tokens.refreshToken,
        { additionalParameters: { resource: tokens.resource }, ...this.#http(server.as.token_endpoint) },
      );
      result = await oauth.processRefreshTokenResponse(server.as, identity.client, response);
    } catch (error) {
      const failure = await this.#tokenEndpointFailure(error, identity, 'refresh');
      if (!(failure instanceof UpstreamAuthorizationRequired))
        this.#refreshRetryAt = clock.now() + REFRESH_BACKOFF_MS;
      throw failure;
    }
    // A sign-in finished meanwhile: its tokens are newer than these.
    if (this.#creds.tokens !== tokens) return;
    // RFC 6749 §6 / OAuth 2.1 §4.3.1: a rotated refresh token replaces the old one, which is now dead.
    this.#creds.tokens = this.#tokensFrom(result, {
      previous: tokens,
      resource: tokens.resource,
      issuer: tokens.issuer,
      clientId: tokens.clientId,
      requestedScope: tokens.requestedScope,
    });
    this.#refreshRetryAt = 0;
    await this.#persist();
    this.#options.effects.logger.info('upstream OAuth: tokens refreshed', {
      connector: this.#options.connector,
    });
    if (!this.#creds.attention) this.#setState('ready');
  }

  #tokensFrom(
    result: oauth.TokenEndpointResponse,
    context: {
      previous?: StoredTokens;
      resource: string;
      issuer: string;
      clientId: string;
      requestedScope: string | undefined;
    },
  ): StoredTokens {
    if (result.token_type !== 'bearer')
      throw new GatehouseError(
        'internal',
        `${this.#options.connector}'s authorization server issued a "${result.token_type}" token; Gatehouse supports only bearer tokens.`,
      );
    const now = this.#options.effects.clock.now();
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
      serverUrl: this.#options.serverUrl,
    };
  }

  /** Turns a token endpoint failure into the error to throw, acting on what it means. */
  async #tokenEndpointFailure(
    error: unknown,
    identity: ClientIdentity,
    grant: 'code' | 'refresh',
  ): Promise<Error> {
    const { connector } = this.#options;
    const oauthError =
      error instanceof oauth.ResponseBodyError
        ? error.error
        : error instanceof oauth.WWWAuthenticateChallengeError
          ? 'invalid_client'
          : undefined;
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
      await this.#clientRejected(identity);
      return this.#required();
    }
    if (oauthError === 'invalid_grant') {
      if (grant === 'refresh') {
        await this.#needAction('expired', { dropTokens: true });
        return this.#required();
      }
      return new GatehouseError(
        'bad_request',
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

  /**
   * The server says it does not know the client. A dynamic registration is dropped and made again on
   * the next Connect, but only once: a second rejection needs the user. Tokens of a rejected client
   * are useless either way.
   */
  async #clientRejected(identity: ClientIdentity): Promise<void> {
    if (identity.kind === 'registered') {
      delete this.#creds.registration;
      if (!this.#creds.reregistered) {
        this.#creds.reregistered = true;
        await this.#needAction('expired', { dropTokens: true });
        return;
      }
    }
    await this.#needAction('client-rejected', { dropTokens: true, client: identity.kind });
  }

  // ---- Step-up (MCP "Scope Challenge Handling") --------------------------------------------------

  async #insufficientScope(scope: string | undefined, tokens: StoredTokens | undefined): Promise<boolean> {
    const wanted = scopeList(scope);
    if (!tokens) {
      this.#creds.requestedScope =
        unionScopes(scopeList(this.#creds.requestedScope), wanted).join(' ') || undefined;
      await this.#needAction(this.#creds.attention?.reason ?? 'not-connected');
      return false;
    }
    const granted = new Set(scopeList(tokens.scope ?? tokens.requestedScope));
    // Asking again for what was already granted cannot help: stop rather than loop (retry limit).
    if (wanted.length === 0 || wanted.every((item) => granted.has(item))) {
      await this.#needAction('scope-refused', { ...(scope ? { scope } : {}) });
      return false;
    }
    this.#creds.requestedScope = unionScopes(
      scopeList(this.#creds.requestedScope),
      scopeList(tokens.requestedScope),
      [...granted],
      wanted,
    ).join(' ');
    await this.#needAction('more-scope', { scope: wanted.join(' ') });
    return false;
  }

  /** Custom scopes, else the challenge's, else the resource's scopes_supported, else none; plus step-ups. */
  #selectScope(discovery: Discovery): string | undefined {
    const configured = this.#settings.scopes ?? [];
    const challenged = scopeList(this.#challenge?.scope);
    const base = configured.length
      ? configured
      : challenged.length
        ? challenged
        : (discovery.scopesSupported ?? []);
    const scopes = unionScopes(scopeList(this.#creds.requestedScope), base);
    // SEP-2207: where the server issues refresh tokens only for offline_access, ask for it: a connector
    // whose access cannot be renewed breaks after an hour. Not when no scope is sent (that would narrow
    // the server's defaults to offline_access alone), nor over the user's own choice of scopes.
    const offline = discovery.as.scopes_supported?.includes('offline_access');
    if (offline && !configured.length && scopes.length && !scopes.includes('offline_access'))
      scopes.push('offline_access');
    return scopes.length ? scopes.join(' ') : undefined;
  }

  // ---- Discovery ---------------------------------------------------------------------------------

  /** Both endpoints typed by the user: no discovery at all. */
  #manualServer(): ServerView | undefined {
    const { authorizeUrl, tokenUrl } = this.#settings;
    if (!authorizeUrl || !tokenUrl) return undefined;
    const as: oauth.AuthorizationServer = {
      issuer: new URL(tokenUrl).origin,
      authorization_endpoint: authorizeUrl,
      token_endpoint: tokenUrl,
    };
    return { as, issuer: `manual:${tokenUrl}`, manual: true };
  }

  /** One manual endpoint overrides the discovered one. */
  #withManualEndpoints(as: oauth.AuthorizationServer): oauth.AuthorizationServer {
    const { authorizeUrl, tokenUrl } = this.#settings;
    return {
      ...as,
      ...(authorizeUrl ? { authorization_endpoint: authorizeUrl } : {}),
      ...(tokenUrl ? { token_endpoint: tokenUrl } : {}),
    };
  }

  #discoveryHttp() {
    return { fetch: this.#options.effects.fetch, signal: () => AbortSignal.timeout(this.#timeoutMs) };
  }

  async #discover(): Promise<Discovery> {
    const { serverUrl, connector } = this.#options;
    const manual = this.#manualServer();
    if (manual) {
      this.#checkEndpoints(manual.as);
      return { ...manual, resource: canonicalResource(serverUrl) };
    }
    try {
      const http = this.#discoveryHttp();
      const resource = await discoverProtectedResource(
        serverUrl,
        this.#challenge?.resourceMetadata ?? this.#creds.discovery?.resourceMetadataUrl,
        http,
      );
      // No RFC 9728 metadata: the 2025-03-26 convention, the server's origin is the authorization server.
      const issuer = resource?.authorizationServers[0] ?? new URL(serverUrl).origin;
      const as = this.#withManualEndpoints(await discoverAuthorizationServer(issuer, http));
      this.#checkEndpoints(as);
      const discovery: Discovery = {
        as,
        issuer,
        manual: false,
        resource: resource?.resource ?? canonicalResource(serverUrl),
        ...(resource?.scopesSupported ? { scopesSupported: resource.scopesSupported } : {}),
        ...(resource ? { resourceMetadataUrl: resource.metadataUrl } : {}),
      };
      this.#serverCache = discovery;
      return discovery;
    } catch (error) {
      if (error instanceof DiscoveryError)
        throw new GatehouseError(
          'bad_request',
          `Gatehouse could not find how to authorize with ${connector}: ${error.message}`,
          {
            cause: error,
          },
        );
      throw error;
    }
  }

  #checkEndpoints(as: oauth.AuthorizationServer): void {
    try {
      for (const endpoint of [as.authorization_endpoint, as.token_endpoint, as.registration_endpoint])
        if (endpoint) requireSecureUrl(new URL(endpoint), 'The authorization server');
    } catch (error) {
      throw new GatehouseError('bad_request', `${this.#options.connector}: ${describeError(error)}`);
    }
  }

  /** The authorization server the protected resource metadata now names, if not the tokens'. */
  #authorizationServerMoved(tokens: StoredTokens): Promise<string | undefined> {
    if (this.#manualServer()) return Promise.resolve(undefined);
    this.#movedCheck ??= (async () => {
      try {
        const resource = await discoverProtectedResource(
          this.#options.serverUrl,
          this.#challenge?.resourceMetadata ?? this.#creds.discovery?.resourceMetadataUrl,
          this.#discoveryHttp(),
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

  /**
   * MCP "Authorization Server Binding" (SEP-2352): credentials belong to the server that issued them.
   * Tokens and a dynamic registration from the old one are dropped (never presented to the new one);
   * the next Connect discovers the new server and registers there. A metadata-document client id is
   * portable and stays; a pre-registered one is the user's to replace, which the sentence says.
   */
  async #serverChanged(from: string, to: string): Promise<void> {
    if (this.#creds.registration?.issuer === from) delete this.#creds.registration;
    delete this.#creds.discovery;
    delete this.#creds.reregistered;
    this.#serverCache = undefined;
    this.#options.effects.logger.warn('upstream OAuth: the authorization server changed', {
      connector: this.#options.connector,
      from,
      to,
    });
    await this.#needAction('server-changed', { dropTokens: true, issuer: to });
  }

  /** The authorization server that issued the tokens (for a refresh): no protected-resource round trip. */
  async #serverFor(issuer: string): Promise<ServerView> {
    const manual = this.#manualServer();
    if (manual) return manual;
    if (this.#serverCache?.issuer === issuer) return this.#serverCache;
    try {
      const as = this.#withManualEndpoints(await discoverAuthorizationServer(issuer, this.#discoveryHttp()));
      this.#serverCache = { as, issuer, manual: false };
      return this.#serverCache;
    } catch (error) {
      if (error instanceof DiscoveryError)
        throw new GatehouseError('internal', `${this.#options.connector}: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
  }

  // ---- Client identity (MCP "Client Registration Approaches") ------------------------------------

  async #identity(discovery: Discovery): Promise<ClientIdentity> {
    const { clientId, clientSecret } = this.#settings;
    if (clientId)
      return this.#identityOf('pre-registered', discovery.as, clientId, clientSecret ?? undefined);
    const metadataUrl = this.#options.clientMetadataUrl;
    if (metadataUrl && discovery.as.client_id_metadata_document_supported === true)
      return this.#identityOf('metadata-document', discovery.as, metadataUrl, undefined, 'none');
    const registration = this.#creds.registration;
    if (registration && this.#registrationUsable(registration, discovery.issuer))
      return this.#identityOf(
        'registered',
        discovery.as,
        registration.clientId,
        registration.clientSecret,
        registration.tokenEndpointAuthMethod,
      );
    return this.#register(discovery);
  }

  #registrationUsable(registration: StoredRegistration, issuer: string): boolean {
    const expiresAt = registration.clientSecretExpiresAt ?? 0;
    return (
      registration.issuer === issuer &&
      registration.redirectUri === this.#options.redirectUri &&
      (expiresAt === 0 || expiresAt * 1000 > this.#options.effects.clock.now())
    );
  }

  /** The client that obtained these tokens, if it is still the one configured. */
  #identityForTokens(tokens: StoredTokens, server: ServerView): ClientIdentity | undefined {
    const { clientId, clientSecret } = this.#settings;
    if (clientId)
      return clientId === tokens.clientId
        ? this.#identityOf('pre-registered', server.as, clientId, clientSecret ?? undefined)
        : undefined;
    if (this.#options.clientMetadataUrl === tokens.clientId)
      return this.#identityOf('metadata-document', server.as, tokens.clientId, undefined, 'none');
    const registration = this.#creds.registration;
    if (registration?.clientId === tokens.clientId)
      return this.#identityOf(
        'registered',
        server.as,
        registration.clientId,
        registration.clientSecret,
        registration.tokenEndpointAuthMethod,
      );
    return undefined;
  }

  #identityOf(
    kind: ClientKind,
    as: oauth.AuthorizationServer,
    clientId: string,
    secret: string | undefined,
    registeredMethod?: string,
  ): ClientIdentity {
    const method = tokenEndpointAuthMethod(as, secret, registeredMethod);
    const auth =
      method === 'client_secret_basic' && secret
        ? clientSecretBasic(secret)
        : method === 'client_secret_post' && secret
          ? oauth.ClientSecretPost(secret)
          : oauth.None();
    return { kind, client: { client_id: clientId }, auth };
  }

  /** RFC 7591 registration with Gatehouse's redirect URI, persisted (encrypted) and reused from then on. */
  async #register(discovery: Discovery): Promise<ClientIdentity> {
    const { connector, redirectUri } = this.#options;
    const { as } = discovery;
    if (!as.registration_endpoint)
      throw new GatehouseError(
        'bad_request',
        `${connector}'s authorization server does not offer dynamic client registration. Register Gatehouse there with the redirect URI ${redirectUri}, then enter the client ID (and secret) in the connector's OAuth settings.`,
      );
    const method = registrationAuthMethod(as);
    const scope = this.#selectScope(discovery);
    let registered: oauth.OmitSymbolProperties<oauth.Client>;
    try {
      const response = await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: this.#options.clientName ?? 'Gatehouse',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          // A desktop app with a loopback redirect (RFC 8252, OIDC Registration §2).
          application_type: 'native',
          ...(method ? { token_endpoint_auth_method: method } : {}),
          ...(scope ? { scope } : {}),
        },
        this.#http(as.registration_endpoint),
      );
      registered = await processRegistration(response);
    } catch (error) {
      const detail =
        error instanceof oauth.ResponseBodyError
          ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
          : describeError(error);
      throw new GatehouseError(
        'bad_request',
        `${connector}'s authorization server refused to register Gatehouse (${detail}). Register Gatehouse there with the redirect URI ${redirectUri} and enter the client ID in the connector's OAuth settings.`,
        { cause: error },
      );
    }
    const secret = typeof registered.client_secret === 'string' ? registered.client_secret : undefined;
    const expiresAt =
      typeof registered.client_secret_expires_at === 'number'
        ? registered.client_secret_expires_at
        : undefined;
    const authMethod =
      typeof registered.token_endpoint_auth_method === 'string'
        ? registered.token_endpoint_auth_method
        : method;
    this.#creds.registration = {
      issuer: discovery.issuer,
      clientId: registered.client_id,
      ...(secret ? { clientSecret: secret } : {}),
      ...(expiresAt !== undefined ? { clientSecretExpiresAt: expiresAt } : {}),
      ...(authMethod ? { tokenEndpointAuthMethod: authMethod } : {}),
      redirectUri,
      registeredAt: this.#options.effects.clock.now(),
    };
    await this.#persist();
    this.#options.effects.logger.info('upstream OAuth: registered with the authorization server', {
      connector,
      authorizationServer: discovery.issuer,
    });
    return this.#identityOf('registered', as, registered.client_id, secret, authMethod);
  }

  // ---- Plumbing ----------------------------------------------------------------------------------

  /** oauth4webapi request options: the injected fetch, a timeout, http only to this computer. */
  #http(endpoint: string | undefined) {
    return {
      [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
        this.#options.effects.fetch(url, init as RequestInit),
      [oauth.allowInsecureRequests]:
        endpoint !== undefined && URL.canParse(endpoint) && isLoopback(new URL(endpoint)),
      signal: () => AbortSignal.timeout(this.#timeoutMs),
    };
  }

  #randomToken(): string {
    return this.#options.effects.random.bytes(32).toString('base64url');
  }

  #prunePending(): void {
    const now = this.#options.effects.clock.now();
    for (const [state, flow] of this.#pending)
      if (now - flow.createdAt > PENDING_AUTHORIZATION_MS) this.#pending.delete(state);
  }
}
