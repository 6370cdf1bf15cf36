// oidc-provider's configuration for Gatehouse: the MCP authorization profile (PKCE S256 only, resource
// indicators with opaque audience-bound tokens, rotation, revocation and introspection, dynamic
// registration and Client ID Metadata Documents behind their checks), with every decision about a
// client left to the interaction the authorization server hosts. Split from authorization-server.ts,
// which builds and runs the provider; this is only what oidc-provider is told.
import { errors, type Configuration, type JWK } from 'oidc-provider';
import { renderMessagePage } from '../consent/consent-page.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Fetch, Random } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';
import { metadataDocumentRefusal, type HostLookup } from './metadata-document-guard.js';
import type { OidcStore } from '../store/oidc-store.js';
import { looksNative, redirectUrisRefusal, type ApplicationType } from './redirect-uris.js';
import { gatehouseResource, mcpPathOf, MCP_SCOPES } from '../resources.js';

/** How long a consent interaction (the waiting page and its decision) lives. */
const INTERACTION_TTL_SECONDS = 15 * 60;

/**
 * Stands in for a client's undeclared `application_type` until the registration validator has
 * inferred one (never kept by any client).
 */
const UNDECLARED_APPLICATION_TYPE = 'gatehouse:undeclared';

/** The keys and the internal introspection client the authorization server starts with. */
export interface AuthorizationServerSecrets {
  cookieKeys: string[];
  signingKey: JWK;
  introspector: { clientId: string; clientSecret: string };
}

/** What the configuration is made from (the authorization server's options, in part). */
export interface ProviderConfigurationOptions {
  issuer: string;
  store: OidcStore;
  settings: Settings;
  clients: ClientStore;
  audit: AuditLog;
  secrets: AuthorizationServerSecrets;
  random: Random;
  fetch: Fetch;
  /** Whether an MCP path (`/mcp`, `/mcp/<connector>`) exists and can be granted. */
  isKnownResourcePath(path: string): boolean;
  hostLookup?: HostLookup;
  metadataDocumentFetch?: Fetch;
}

/** The configuration the authorization server hands oidc-provider. */
export function providerConfiguration(options: ProviderConfigurationOptions): Configuration {
  const settings = options.settings;
  const isKnownResource = (resource: string): string | undefined => {
    const path = mcpPathOf(resource, options.issuer);
    return path && options.isKnownResourcePath(path) ? gatehouseResource(resource) : undefined;
  };
  return {
    adapter: (name: string) => options.store.adapterFor(name),
    clients: [
      {
        client_id: options.secrets.introspector.clientId,
        client_secret: options.secrets.introspector.clientSecret,
        client_name: 'Gatehouse (internal introspection)',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      // Not oidc-provider's 'web': the validator below must see whether a client declared a type
      // (it always replaces this marker, so no client ever keeps it).
      application_type: UNDECLARED_APPLICATION_TYPE as 'web',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    cookies: { keys: options.secrets.cookieKeys },
    jwks: { keys: [options.secrets.signingKey] },
    // OpenID scopes only: mcp:read / mcp:write are resource-server scopes (getResourceServerInfo).
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    fetch: options.metadataDocumentFetch ?? options.fetch,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    // Every authorization is a fresh decision in the trusted UI: only the grant the user just made
    // in this interaction counts, never an earlier one remembered by the browser session.
    loadExistingGrant: async (ctx) => {
      const grantId = (ctx.oidc.result as { consent?: { grantId?: string } } | undefined)?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/consent/${interaction.uid}` },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: () => settings.get().accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      // Sliding: each rotation starts a fresh window, so a client in use never has to re-consent.
      RefreshToken: () => settings.get().refreshTokenTtlDays * 86_400,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: 14 * 86_400,
      Grant: 10 * 365 * 86_400,
    },
    extraClientMetadata: {
      properties: ['software_id'],
      // oidc-provider calls this for every client it validates (DCR, metadata documents, manual and
      // static clients), before its own checks: the one place every registration passes.
      validator: (_ctx, key, _value, metadata) => {
        if (key !== 'software_id') return;
        // OIDC Registration §2: a declared application_type is honoured. MCP clients rarely declare
        // it, so infer it from the redirect URIs: native gets RFC 8252 §7.3's loopback redirects on
        // any port. (clientDefaults leaves it unset, so "absent" is visible here.)
        const declared = metadata.application_type as string | undefined;
        const applicationType: ApplicationType =
          declared === 'web' || declared === 'native'
            ? declared
            : looksNative(metadata.redirect_uris)
              ? 'native'
              : 'web';
        // Anything else declared is oidc-provider's to refuse (with its own sentence).
        if (
          declared !== undefined &&
          declared !== UNDECLARED_APPLICATION_TYPE &&
          declared !== applicationType
        )
          return;
        metadata.application_type = applicationType;
        const refusal = redirectUrisRefusal(metadata.redirect_uris, applicationType);
        if (refusal) {
          const error = new errors.InvalidRedirectUri();
          error.error_description = refusal;
          throw error;
        }
        // MCP clients often register the resource scopes they will ask for; oidc-provider only
        // knows OpenID scopes at registration, and resource scopes are governed per resource.
        if (typeof metadata.scope === 'string') {
          const kept = metadata.scope
            .split(' ')
            .filter((scope) => scope && !(MCP_SCOPES as readonly string[]).includes(scope));
          if (kept.length > 0) metadata.scope = kept.join(' ');
          else delete metadata.scope;
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      registration: {
        enabled: true,
        initialAccessToken: false,
        issueRegistrationAccessToken: false,
        idFactory: () => `gh_${options.random.bytes(12).toString('base64url')}`,
        secretFactory: async () => options.random.bytes(32).toString('base64url'),
      },
      // RFC 7009 §2.1: a client may revoke only tokens issued to it.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client) => client.clientId === options.secrets.introspector.clientId,
      },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02',
        allowFetch: async (_ctx, clientId) => {
          if (options.clients.get(clientId) === undefined && settings.get().registrationPolicy === 'closed') {
            options.audit.record({
              type: 'client.registration_refused',
              clientId: null,
              decision: 'deny',
              reason: `Registration is closed; refused the metadata document client ${clientId}`,
            });
            return false;
          }
          const refusal = await metadataDocumentRefusal(clientId, options.hostLookup);
          if (refusal) {
            options.audit.record({
              type: 'client.metadata_document_refused',
              clientId: null,
              decision: 'deny',
              reason: `Did not fetch ${clientId}: ${refusal}`,
            });
            return false;
          }
          return true;
        },
        allowClient: async (_ctx, client) => {
          const name = client.clientName ?? new URL(client.clientId).host;
          const redirectUris = [...(client.redirectUris ?? [])];
          if (
            options.clients.upsert({
              clientId: client.clientId,
              kind: 'metadata-document',
              name,
              redirectUris,
            })
          ) {
            options.audit.record({
              type: 'client.registered',
              clientId: client.clientId,
              decision: 'info',
              reason: `First seen through its client ID metadata document`,
              detail: { redirectUris },
            });
          }
          return true;
        },
        cacheDuration: { min: 60, max: 86_400 },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? `${options.issuer}/mcp`,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          const audience = isKnownResource(resourceIndicator);
          if (!audience)
            throw new errors.InvalidTarget(`${resourceIndicator} is not a resource served by this Gatehouse`);
          return {
            scope: MCP_SCOPES.join(' '),
            audience,
            accessTokenTTL: settings.get().accessTokenTtlSeconds,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const description =
        typeof out.error_description === 'string' ? out.error_description : String(out.error);
      ctx.body = renderMessagePage(
        'Gatehouse could not complete this request',
        `${description} (${String(out.error)})`,
      );
    },
  };
}
