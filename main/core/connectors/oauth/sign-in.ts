// The browser step of one OAuth connector: the authorization request (code with PKCE S256 and the
// RFC 8707 resource) opened in the user's browser, then Gatehouse's callback checked against the
// sign-ins it started (state, RFC 9207 `iss`) and its code exchanged for tokens.
import * as oauth from 'oauth4webapi';
import type { Effects } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type { AuthorizationServers, Discovery } from './authorization-server.js';
import type { ClientIdentities, ClientIdentity } from './client-identity.js';
import type { ConnectorCredentials } from './credentials.js';
import { describeError, type RequestOptions, scopeList } from './protocol.js';
import { tokenEndpointFailure, tokensFrom, type TokenFailureContext } from './token-response.js';

/** How long a started sign-in waits for its callback. */
const PENDING_AUTHORIZATION_MS = 10 * 60_000;
const MAX_PENDING = 16;

interface PendingAuthorization {
  discovery: Discovery;
  identity: ClientIdentity;
  verifier: string;
  scope: string | undefined;
  createdAt: number;
}

/** What signing a connector in depends on. */
export interface SignInContext {
  connector: string;
  serverUrl: string;
  /** Gatehouse's own loopback callback, e.g. http://127.0.0.1:<port>/connectors/oauth/callback. */
  redirectUri: string;
  /** The user entered a client ID: a rejected one is theirs to fix before Connect can help. */
  clientIdSet: boolean;
  effects: Pick<Effects, 'clock' | 'random' | 'openUrl' | 'logger'>;
  credentials: Pick<ConnectorCredentials, 'stored' | 'persist' | 'required' | 'setState'>;
  servers: Pick<AuthorizationServers, 'discover' | 'remember'>;
  identities: Pick<ClientIdentities, 'forSignIn'>;
  /** The scope a sign-in with this discovery asks for (scope.ts). */
  scopeFor(discovery: Discovery): string | undefined;
  failure: TokenFailureContext;
  http(endpoint: string | undefined): RequestOptions;
  /** New tokens are in: whatever held refreshes back is over. */
  connected(): void;
}

/** The sign-ins one connector has started, and how each one ends. */
export class SignIn {
  readonly #context: SignInContext;
  readonly #pending = new Map<string, PendingAuthorization>();

  constructor(context: SignInContext) {
    this.#context = context;
  }

  /**
   * Discovers, identifies Gatehouse to the authorization server (registering if it must), and opens
   * the authorization URL in the user's browser. The engine's callback route then calls `complete`.
   */
  async begin(): Promise<{ url: string }> {
    const { connector, credentials, effects, redirectUri } = this.#context;
    const attention = credentials.stored.attention;
    if (attention?.reason === 'client-rejected' && !this.#context.clientIdSet) throw credentials.required();
    const discovery = await this.#context.servers.discover();
    // MCP authorization: PKCE with S256 is required, and a server must say it supports it. Typed
    // endpoints and the 2025-03-26 default ones have no metadata to say it in; S256 is sent regardless.
    if (
      !discovery.manual &&
      !discovery.defaultEndpoints &&
      !discovery.as.code_challenge_methods_supported?.includes('S256')
    )
      throw new GatehouseError(
        'upstream_failed',
        `${connector}'s authorization server does not advertise PKCE with S256 (code_challenge_methods_supported), which MCP requires; Gatehouse will not authorize with it.`,
      );
    const identity = await this.#context.identities.forSignIn(discovery);
    const verifier = this.#randomToken();
    const state = this.#randomToken();
    const scope = this.#context.scopeFor(discovery);
    const url = new URL(discovery.as.authorization_endpoint ?? '');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', identity.client.client_id);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    if (scope) url.searchParams.set('scope', scope);
    // OIDC Core §11: a refresh token for offline_access is only issued after a consent prompt.
    if (scopeList(scope).includes('offline_access')) url.searchParams.set('prompt', 'consent');
    // RFC 8707 §2.1: the token is for this MCP server only.
    url.searchParams.set('resource', discovery.resource);
    this.#prune();
    if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value ?? '');
    this.#pending.set(state, {
      discovery,
      identity,
      verifier,
      scope,
      createdAt: effects.clock.now(),
    });
    effects.logger.info('upstream OAuth: authorization started', {
      connector,
      authorizationServer: discovery.issuer,
      client: identity.kind,
    });
    try {
      await effects.openUrl.open(url.href);
    } catch (error) {
      effects.logger.warn('upstream OAuth: could not open the browser', {
        connector,
        error: describeError(error),
      });
    }
    return { url: url.href };
  }

  /** Whether a callback carrying this `state` belongs to a sign-in this connector started. */
  owns(state: string | null): boolean {
    this.#prune();
    return state !== null && this.#pending.has(state);
  }

  /** Finishes the sign-in from Gatehouse's callback URL (`?code&state`, or `?error&state`). */
  async complete(callbackUrl: URL): Promise<{ connector: string }> {
    const { connector, credentials, effects } = this.#context;
    this.#prune();
    const state = callbackUrl.searchParams.get('state');
    const flow = state === null ? undefined : this.#pending.get(state);
    if (state === null || !flow)
      throw new GatehouseError(
        'bad_request',
        `This authorization response for ${connector} does not match a sign-in Gatehouse started: its state is unknown or more than 10 minutes old. Use Connect again.`,
      );
    this.#pending.delete(state);
    const parameters = new URLSearchParams(callbackUrl.searchParams);
    // RFC 9207: `iss` is checked against the discovered issuer; typed endpoints have none to check.
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
        'upstream_failed',
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
        this.#context.redirectUri,
        flow.verifier,
        {
          additionalParameters: { resource: flow.discovery.resource },
          ...this.#context.http(as.token_endpoint),
        },
      );
      result = await oauth.processAuthorizationCodeResponse(as, flow.identity.client, response);
    } catch (error) {
      throw await tokenEndpointFailure(this.#context.failure, error, flow.identity, 'code');
    }
    credentials.stored.tokens = tokensFrom(
      result,
      {
        resource: flow.discovery.resource,
        issuer: flow.discovery.issuer,
        clientId: flow.identity.client.client_id,
        requestedScope: flow.scope,
      },
      { connector, serverUrl: this.#context.serverUrl, now: effects.clock.now() },
    );
    credentials.stored.discovery = {
      serverUrl: this.#context.serverUrl,
      issuer: flow.discovery.issuer,
      ...(flow.discovery.resourceMetadataUrl
        ? { resourceMetadataUrl: flow.discovery.resourceMetadataUrl }
        : {}),
    };
    delete credentials.stored.attention;
    delete credentials.stored.reregistered;
    this.#context.servers.remember(flow.discovery);
    this.#context.connected();
    await credentials.persist();
    effects.logger.info('upstream OAuth: connected', { connector });
    credentials.setState('ready');
    return { connector };
  }

  /** Forgets every sign-in under way (the connector starts over). */
  clear(): void {
    this.#pending.clear();
  }

  #randomToken(): string {
    return this.#context.effects.random.bytes(32).toString('base64url');
  }

  #prune(): void {
    const now = this.#context.effects.clock.now();
    for (const [state, flow] of this.#pending)
      if (now - flow.createdAt > PENDING_AUTHORIZATION_MS) this.#pending.delete(state);
  }
}
