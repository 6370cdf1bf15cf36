// Who Gatehouse is to one connector's authorization server (MCP "Client Registration Approaches"), in
// this order: the client the user registered there, Gatehouse's client ID metadata document, or an
// RFC 7591 dynamic registration kept (encrypted) and reused; and what a rejected client costs.
import * as oauth from 'oauth4webapi';
import type { Clock, Logger } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type {
  StoredCredentials,
  StoredRegistration,
  StoredTokens,
} from '../../store/oauth-credential-store.js';
import type { Discovery, ServerView } from './authorization-server.js';
import type { ConnectorCredentials } from './credentials.js';
import {
  clientSecretBasic,
  describeError,
  processRegistration,
  registrationAuthMethod,
  type RequestOptions,
  tokenEndpointAuthMethod,
} from './protocol.js';

/** Which of the three ways Gatehouse identified itself. */
export type ClientKind = NonNullable<NonNullable<StoredCredentials['attention']>['client']>;

/** A client as oauth4webapi uses it, and how it was obtained. */
export interface ClientIdentity {
  kind: ClientKind;
  client: oauth.Client;
  /** How it authenticates at the token endpoint. */
  auth: oauth.ClientAuth;
}

/** What choosing and registering a client depends on. */
export interface ClientIdentityContext {
  connector: string;
  /** Gatehouse's loopback callback: registered, and part of a registration's identity. */
  redirectUri: string;
  /** The client the user registered with the authorization server (connector's OAuth settings). */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** An https URL serving Gatehouse's client ID metadata document, when one is published. */
  clientMetadataUrl: string | undefined;
  /** `client_name` for dynamic registration. */
  clientName: string | undefined;
  clock: Clock;
  logger: Logger;
  credentials: Pick<ConnectorCredentials, 'stored' | 'persist' | 'needAction'>;
  /** The scope a sign-in with this discovery asks for; registered as the client's scope. */
  scopeFor(discovery: Discovery): string | undefined;
  http(endpoint: string | undefined): RequestOptions;
}

/** Gatehouse's client identity with one connector's authorization server. */
export class ClientIdentities {
  readonly #context: ClientIdentityContext;

  constructor(context: ClientIdentityContext) {
    this.#context = context;
  }

  /** The client to sign in with, registering one when nothing else will do. */
  async forSignIn(discovery: Discovery): Promise<ClientIdentity> {
    const { clientId, clientSecret, clientMetadataUrl, credentials } = this.#context;
    if (clientId) return this.#identityOf('pre-registered', discovery.as, clientId, clientSecret);
    if (clientMetadataUrl && discovery.as.client_id_metadata_document_supported === true)
      return this.#identityOf('metadata-document', discovery.as, clientMetadataUrl, undefined, 'none');
    const registration = credentials.stored.registration;
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

  /** The client that obtained these tokens, if it is still the one configured. */
  forTokens(tokens: StoredTokens, server: ServerView): ClientIdentity | undefined {
    const { clientId, clientSecret, clientMetadataUrl, credentials } = this.#context;
    if (clientId)
      return clientId === tokens.clientId
        ? this.#identityOf('pre-registered', server.as, clientId, clientSecret)
        : undefined;
    if (clientMetadataUrl === tokens.clientId)
      return this.#identityOf('metadata-document', server.as, tokens.clientId, undefined, 'none');
    const registration = credentials.stored.registration;
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

  /**
   * The server says it does not know the client. A dynamic registration is dropped and made again on
   * the next Connect, but only once: a second rejection needs the user. Tokens of a rejected client
   * are useless either way.
   */
  async rejected(identity: ClientIdentity): Promise<void> {
    const { credentials } = this.#context;
    if (identity.kind === 'registered') {
      delete credentials.stored.registration;
      if (!credentials.stored.reregistered) {
        credentials.stored.reregistered = true;
        await credentials.needAction('expired', { dropTokens: true });
        return;
      }
    }
    await credentials.needAction('client-rejected', { dropTokens: true, client: identity.kind });
  }

  #registrationUsable(registration: StoredRegistration, issuer: string): boolean {
    const expiresAt = registration.clientSecretExpiresAt ?? 0;
    return (
      registration.issuer === issuer &&
      registration.redirectUri === this.#context.redirectUri &&
      (expiresAt === 0 || expiresAt * 1000 > this.#context.clock.now())
    );
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
    const { connector, redirectUri, credentials } = this.#context;
    const { as } = discovery;
    if (!as.registration_endpoint)
      throw new GatehouseError(
        'upstream_failed',
        `${connector}'s authorization server does not offer dynamic client registration. Register Gatehouse there with the redirect URI ${redirectUri}, then enter the client ID (and secret) in the connector's OAuth settings.`,
      );
    const method = registrationAuthMethod(as);
    const scope = this.#context.scopeFor(discovery);
    let registered: oauth.OmitSymbolProperties<oauth.Client>;
    try {
      const response = await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: this.#context.clientName ?? 'Gatehouse',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          // A desktop app with a loopback redirect (RFC 8252, OIDC Registration §2).
          application_type: 'native',
          ...(method ? { token_endpoint_auth_method: method } : {}),
          ...(scope ? { scope } : {}),
        },
        this.#context.http(as.registration_endpoint),
      );
      registered = await processRegistration(response);
    } catch (error) {
      const detail =
        error instanceof oauth.ResponseBodyError
          ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
          : describeError(error);
      throw new GatehouseError(
        'upstream_failed',
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
    credentials.stored.registration = {
      issuer: discovery.issuer,
      clientId: registered.client_id,
      ...(secret ? { clientSecret: secret } : {}),
      ...(expiresAt !== undefined ? { clientSecretExpiresAt: expiresAt } : {}),
      ...(authMethod ? { tokenEndpointAuthMethod: authMethod } : {}),
      redirectUri,
      registeredAt: this.#context.clock.now(),
    };
    await credentials.persist();
    this.#context.logger.info('upstream OAuth: registered with the authorization server', {
      connector,
      authorizationServer: discovery.issuer,
    });
    return this.#identityOf('registered', as, registered.client_id, secret, authMethod);
  }
}
