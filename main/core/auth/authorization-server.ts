// The embedded OAuth 2.1 authorization server: oidc-provider configured for the MCP authorization
// spec (2025-11-25) on loopback, plus the two things oidc-provider leaves to its host — the
// interaction (consent, decided only through Gatehouse's trusted API) and the registration policy.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type KoaContextWithOIDC, type JWK } from 'oidc-provider';
import type {
  AccessLevel,
  ConnectorSelection,
  PendingConsentView,
  PendingRegistrationView,
  RegistrationKind,
} from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock, Fetch, Logger, Notifier, Random } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { readBody, replayRequest, sendJson, BodyError } from '../http/http-io.js';
import type { ClientRegistry } from '../registry/client-registry.js';
import type { GrantStore } from '../registry/grant-store.js';
import type { Settings } from '../store/settings.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import {
  pageSecurityHeaders,
  renderConsentWaitingPage,
  renderMessagePage,
  sendMessagePage,
} from '../consent/consent-page.js';
import type { OidcStore } from './oidc-adapter.js';
import { redirectHost } from './redirect-host.js';
import { canonicalResource, mcpPathOf, MCP_SCOPES, READ_SCOPE, WRITE_SCOPE } from './resources.js';
import { metadataDocumentRefusal, type HostLookup } from './metadata-document-guard.js';
import { looksNative, RegistrationRateLimit, registrationRefusal } from './registration-gate.js';

/** Gatehouse has one user: whoever sits at this desktop. */
export const OWNER_ACCOUNT = 'owner';
export const CONSENT_TIMEOUT_MS = 10 * 60_000;
const REGISTRATION_ASK_TIMEOUT_MS = 2 * 60_000;
/** How long an approval given after the client stopped waiting lets its next attempt through. */
const REGISTRATION_RETRY_MS = 10 * 60_000;
const INTERACTION_TTL_SECONDS = 15 * 60;
const LONG_POLL_MS = 25_000;
const REGISTRATION_BODY_LIMIT = 56 * 1024;

export interface ConsentRequest {
  clientId: string;
  clientName: string;
  kind: RegistrationKind;
  redirectHost: string;
  matchCode: string;
  requestedScopes: string[];
  resource: string;
}

export type ConsentDecision =
  { outcome: 'approved'; grantId: string } | { outcome: 'denied' } | { outcome: 'timed-out' };

export interface RegistrationRequest {
  clientName: string;
  redirectUris: string[];
}

export type RegistrationDecision = 'approved' | 'denied' | 'timed-out';

export interface AuthorizationServerSecrets {
  cookieKeys: string[];
  signingKey: JWK;
  introspector: { clientId: string; clientSecret: string };
}

export interface AuthorizationServerOptions {
  issuer: string;
  store: OidcStore;
  settings: Settings;
  clients: ClientRegistry;
  grants: GrantStore;
  audit: AuditLog;
  secrets: AuthorizationServerSecrets;
  clock: Clock;
  random: Random;
  fetch: Fetch;
  logger: Logger;
  notifier: Notifier;
  /** Called when oidc-provider revokes a grant itself (refresh reuse, code replay, RFC 7009). */
  onGrantRevoked(grantId: string, reason: string): void;
  /** Whether an MCP path (`/mcp`, `/mcp/<connector>`) exists and can be granted. */
  isKnownResourcePath(path: string): boolean;
  /** How long a consent waits for the user before it is denied (default 10 minutes). */
  consentTimeoutMs?: number;
  /** Registrations allowed per window (default 20 per 10 minutes). */
  registrationLimit?: { count: number; windowMs: number };
  /** Resolves metadata-document hosts for the SSRF check (tests pass a fake resolver). */
  hostLookup?: HostLookup;
  /** Test hook: replaces oidc-provider's metadata-document fetch (production uses `fetch` with SSRF protection). */
  metadataDocumentFetch?: Fetch;
}

const MATCH_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export class AuthorizationServer {
  readonly provider: Provider;
  readonly consents: PendingDecisions<ConsentRequest, ConsentDecision>;
  readonly registrations: PendingDecisions<RegistrationRequest, RegistrationDecision>;
  readonly #options: AuthorizationServerOptions;
  readonly #callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly #registrationLimit: RegistrationRateLimit;
  /** Approvals given after the client stopped waiting, by registrationKey, until when they hold. */
  readonly #approvedRegistrations = new Map<string, number>();
  /** The attempt waiting for each pending registration (a retry replaces an earlier one). */
  readonly #registrationAttempts = new Map<string, symbol>();

  constructor(options: AuthorizationServerOptions) {
    this.#options = options;
    const { clock } = options;
    this.consents = new PendingDecisions<ConsentRequest, ConsentDecision>({
      clock,
      timeoutMs: options.consentTimeoutMs ?? CONSENT_TIMEOUT_MS,
      onTimeout: { outcome: 'timed-out' },
      maxPending: 20,
      what: 'consent request',
    });
    this.registrations = new PendingDecisions<RegistrationRequest, RegistrationDecision>({
      clock,
      timeoutMs: REGISTRATION_ASK_TIMEOUT_MS,
      onTimeout: 'timed-out',
      maxPending: 20,
      what: 'registration request',
    });
    this.#registrationLimit = new RegistrationRateLimit(
      clock,
      options.registrationLimit?.count,
      options.registrationLimit?.windowMs,
    );
    this.provider = new Provider(options.issuer, this.#configuration());
    this.#wireEvents();
    this.#callback = this.provider.callback() as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }

  get issuer(): string {
    return this.#options.issuer;
  }

  /** Every OAuth route (discovery, /auth, /token, /reg, revocation, introspection, jwks). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#options.issuer);
    // RFC 8414 metadata lives beside OIDC discovery: the same document at both well-known names.
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      req.url = `/.well-known/openid-configuration${url.search}`;
    }
    if (url.pathname === '/reg' && req.method === 'POST') {
      const gated = await this.#gateRegistration(req, res);
      if (!gated) return;
      req = gated;
    }
    if (url.pathname === '/auth' && req.method === 'GET' && !url.searchParams.has('scope')) {
      // RFC 6749 §3.3: with no scope requested, Gatehouse asks for its documented default; the user
      // still chooses read-only or read & write at consent.
      url.searchParams.set('scope', MCP_SCOPES.join(' '));
      req.url = `${url.pathname}${url.search}`;
    }
    await this.#callback(req, res);
  }

  /** GET /consent/<uid>: the waiting page, or — once decided — onward to oidc-provider's resume URL. */
  async handleConsentPage(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const interaction = await this.provider.Interaction.find(uid);
    if (!interaction) {
      this.consents.forget(uid);
      sendMessagePage(
        res,
        404,
        'This request has expired',
        'Nothing is waiting here any more. Start the connection again from your app.',
      );
      return;
    }
    const existing = this.consents.get(uid);
    if (existing?.decision) {
      interaction.result = this.#interactionResult(existing.decision);
      await interaction.save(
        Math.max(1, (interaction.exp ?? 0) - Math.floor(this.#options.clock.now() / 1000)),
      );
      this.consents.forget(uid);
      res.writeHead(303, {
        location: interaction.returnTo,
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    let pending = existing;
    if (!pending) {
      const request = await this.#consentRequestFor(interaction);
      try {
        this.consents.raise(uid, request);
      } catch (error) {
        sendMessagePage(res, 429, 'Too many requests are waiting', (error as Error).message);
        return;
      }
      this.#options.notifier.notify({
        kind: 'consent',
        title: `${request.clientName} asks for access`,
        body: `Match code ${request.matchCode}. Open Gatehouse to approve or deny.`,
      });
      this.#options.audit.record({
        type: 'consent.requested',
        clientId: request.clientId,
        decision: 'info',
        reason: `${request.clientName} asked for ${describeScopes(request.requestedScopes)}`,
        detail: {
          resource: request.resource,
          scopes: request.requestedScopes,
          redirectHost: request.redirectHost,
        },
      });
      pending = this.consents.get(uid)!;
    }
    const nonce = this.#options.random.bytes(16).toString('base64url');
    const item = pending.item;
    this.#sendPage(
      res,
      200,
      renderConsentWaitingPage({
        clientName: item.clientName,
        redirectHost: item.redirectHost,
        matchCode: item.matchCode,
        requestedAccess: item.requestedScopes.includes(WRITE_SCOPE) ? 'write' : 'read',
        waitUrl: `/consent/${encodeURIComponent(uid)}/wait`,
        nonce,
      }),
      nonce,
    );
  }

  /** GET /consent/<uid>/wait: long-poll until the user has answered (no decision can be made here). */
  async handleConsentWait(res: ServerResponse, uid: string): Promise<void> {
    const pending = this.consents.get(uid);
    if (!pending) {
      sendJson(res, 404, { decided: false });
      return;
    }
    if (pending.decision) {
      sendJson(res, 200, { decided: true });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const decided = await Promise.race([
      this.consents.wait(uid).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), LONG_POLL_MS))),
    ]);
    clearTimeout(timer);
    sendJson(res, 200, { decided });
  }

  listConsents(): PendingConsentView[] {
    return this.consents.pending().map(({ id, item, createdAt, expiresAt }) => ({
      id,
      clientId: item.clientId,
      clientName: item.clientName,
      kind: item.kind,
      redirectHost: item.redirectHost,
      matchCode: item.matchCode,
      requestedScopes: item.requestedScopes,
      requestedAccess: item.requestedScopes.includes(WRITE_SCOPE) ? 'write' : 'read',
      resource: item.resource,
      createdAt,
      expiresAt,
    }));
  }

  /** The user approved in a trusted surface: record the grant now, deliver it when the browser returns. */
  async approveConsent(
    id: string,
    choice: { access: AccessLevel; connectors: ConnectorSelection; expiresInSeconds: number | null },
  ): Promise<string> {
    const pending = this.consents.get(id);
    if (!pending)
      throw new GatehouseError(
        'not_found',
        `No consent request with id ${id} is waiting (it may have expired).`,
      );
    if (pending.decision) throw new GatehouseError('conflict', 'That consent request was already answered.');
    const request = pending.item;
    const ceiling = this.#options.settings.get().accessCeiling;
    // A token for /mcp/<connector> can only ever reach that connector: its grant says so.
    const connectorPath = mcpPathOf(request.resource, this.#options.issuer)?.slice('/mcp/'.length);
    if (connectorPath) choice = { ...choice, connectors: [connectorPath] };
    const granted: string[] = choice.access === 'write' ? [READ_SCOPE, WRITE_SCOPE] : [READ_SCOPE];
    const requestedMcp = request.requestedScopes.filter((scope) =>
      (MCP_SCOPES as readonly string[]).includes(scope),
    );
    const grant = new this.provider.Grant({ accountId: OWNER_ACCOUNT, clientId: request.clientId });
    grant.addResourceScope(request.resource, granted.join(' '));
    const refused = requestedMcp.filter((scope) => !granted.includes(scope));
    if (refused.length > 0) grant.rejectResourceScope(request.resource, refused.join(' '));
    const oidcScopes = request.requestedScopes.filter(
      (scope) => scope === 'openid' || scope === 'offline_access',
    );
    if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
    const now = this.#options.clock.now();
    const grantId = await grant.save();
    this.#options.grants.add({
      grantId,
      clientId: request.clientId,
      connectors: choice.connectors,
      access: choice.access,
      scopes: granted,
      resource: request.resource,
      createdAt: now,
      expiresAt: choice.expiresInSeconds === null ? null : now + choice.expiresInSeconds * 1000,
    });
    this.consents.decide(id, { outcome: 'approved', grantId });
    this.#options.audit.record({
      type: 'consent.granted',
      clientId: request.clientId,
      decision: 'allow',
      reason: `The user granted ${choice.access === 'write' ? 'read & write' : 'read-only'} access to ${choice.connectors === '*' ? 'all connectors' : choice.connectors.join(', ')}${ceiling !== 'write' && choice.access === 'write' ? ` (capped by the access ceiling: ${ceiling})` : ''}`,
      detail: {
        grantId,
        access: choice.access,
        connectors: choice.connectors,
        expiresInSeconds: choice.expiresInSeconds,
      },
    });
    return grantId;
  }

  denyConsent(id: string): void {
    const { item } = this.consents.decide(id, { outcome: 'denied' });
    this.#options.audit.record({
      type: 'consent.denied',
      clientId: item.clientId,
      decision: 'deny',
      reason: 'The user denied the request in Gatehouse',
      detail: { resource: item.resource },
    });
  }

  listRegistrations(): PendingRegistrationView[] {
    return this.registrations.pending().map(({ id, item, createdAt, expiresAt }) => ({
      id,
      clientName: item.clientName,
      redirectUris: item.redirectUris,
      createdAt,
      expiresAt,
    }));
  }

  /** Registers a client by hand (confidential by default); the secret is returned once and never again. */
  async registerManualClient(input: {
    name: string;
    redirectUris: string[];
    confidential: boolean;
  }): Promise<{ clientId: string; clientSecret: string | null; tokenEndpointAuthMethod: string }> {
    const clientId = `gh_${this.#options.random.bytes(12).toString('base64url')}`;
    const clientSecret = input.confidential ? this.#options.random.bytes(32).toString('base64url') : null;
    const metadata = {
      client_id: clientId,
      client_name: input.name,
      redirect_uris: input.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: input.confidential ? 'client_secret_basic' : 'none',
      ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
      ...(looksNative(input.redirectUris) ? { application_type: 'native' } : {}),
    };
    try {
      await this.provider.Client.validate(
        metadata as unknown as Parameters<Provider['Client']['validate']>[0],
      );
    } catch (error) {
      throw new GatehouseError('bad_request', `The client was not registered: ${oauthErrorText(error)}`, {
        cause: error,
      });
    }
    await clientAdapter(this.provider).upsert(clientId, metadata);
    this.#options.clients.upsert({
      clientId,
      kind: 'manual',
      name: input.name,
      redirectUris: input.redirectUris,
    });
    this.#options.audit.record({
      type: 'client.registered',
      clientId,
      decision: 'info',
      reason: `Registered by hand as a ${input.confidential ? 'confidential' : 'public'} client`,
      detail: { redirectUris: input.redirectUris },
    });
    return { clientId, clientSecret, tokenEndpointAuthMethod: metadata.token_endpoint_auth_method };
  }

  /** Deletes a client's registration (DCR or manual) so its client_id no longer authenticates. */
  async deleteRegistration(clientId: string): Promise<void> {
    await clientAdapter(this.provider).destroy(clientId);
  }

  close(): void {
    this.consents.close();
    this.registrations.close();
  }

  #configuration(): Configuration {
    const options = this.#options;
    const settings = options.settings;
    const isKnownResource = (resource: string): string | undefined => {
      const path = mcpPathOf(resource, options.issuer);
      return path && options.isKnownResourcePath(path) ? canonicalResource(resource) : undefined;
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
        validator: (_ctx, key, _value, metadata) => {
          if (key !== 'software_id') return;
          // RFC 8252 §7.3: loopback redirects must match on any port, which oidc-provider grants to
          // native clients. MCP clients rarely declare application_type, so infer it.
          if (looksNative(metadata.redirect_uris)) metadata.application_type = 'native';
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
            if (
              options.clients.get(clientId) === undefined &&
              settings.get().registrationPolicy === 'closed'
            ) {
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
              throw new errors.InvalidTarget(
                `${resourceIndicator} is not a resource served by this Gatehouse`,
              );
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

  #wireEvents(): void {
    const { audit, clients, onGrantRevoked, logger } = this.#options;
    // Some of oidc-provider's events are missing from its type definitions; one typed door for all.
    const on = this.provider.on.bind(this.provider) as unknown as (
      event: string,
      listener: (...args: never[]) => void,
    ) => void;
    on(
      'registration_create.success',
      (
        _ctx: KoaContextWithOIDC,
        client: { clientId: string; clientName?: string; redirectUris?: string[] },
      ) => {
        clients.upsert({
          clientId: client.clientId,
          kind: 'dcr',
          name: client.clientName ?? 'Unnamed client',
          redirectUris: client.redirectUris ?? [],
        });
        audit.record({
          type: 'client.registered',
          clientId: client.clientId,
          decision: 'info',
          reason: 'Registered itself (dynamic client registration)',
          detail: { redirectUris: client.redirectUris ?? [] },
        });
      },
    );
    on('grant.success', (ctx: KoaContextWithOIDC) => {
      const grantType = String(ctx.oidc.params?.grant_type ?? '');
      const clientId = ctx.oidc.client?.clientId ?? null;
      const refreshed = grantType === 'refresh_token';
      audit.record({
        type: refreshed ? 'token.refreshed' : 'token.issued',
        clientId,
        decision: 'allow',
        reason: refreshed
          ? 'Refresh token rotated; new access token issued'
          : 'Authorization code exchanged for tokens',
        detail: { grantId: ctx.oidc.entities.AccessToken?.grantId ?? null },
      });
    });
    on(
      'grant.error',
      (
        ctx: KoaContextWithOIDC,
        error: Error & { error?: string; error_description?: string; error_detail?: string },
      ) => {
        const description = error.error_detail ?? error.error_description ?? error.message;
        const reuse = error.error_detail === 'refresh token already used';
        audit.record({
          type: reuse ? 'token.refresh_reuse' : 'token.denied',
          clientId: ctx.oidc.client?.clientId ?? null,
          decision: 'deny',
          reason: reuse ? 'A rotated refresh token was used again: the whole grant was revoked' : description,
          detail: { error: error.error ?? 'error', grantType: String(ctx.oidc.params?.grant_type ?? '') },
        });
      },
    );
    on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
      const reason =
        ctx.oidc.route === 'revocation' ? 'revoked by the client (RFC 7009)' : 'revoked after token reuse';
      onGrantRevoked(grantId, reason);
    });
    on('access_token.destroyed', (token: { clientId?: string }) => {
      audit.record({
        type: 'token.revoked',
        clientId: token.clientId ?? null,
        decision: 'info',
        reason: 'An access token was revoked (RFC 7009)',
      });
    });
    on(
      'authorization.error',
      (ctx: KoaContextWithOIDC, error: Error & { error?: string; error_description?: string }) => {
        audit.record({
          type: 'authorization.denied',
          clientId: ctx.oidc.client?.clientId ?? null,
          decision: 'deny',
          reason: error.error_description ?? error.message,
          detail: { error: error.error ?? 'error' },
        });
      },
    );
    on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
      logger.error('authorization server error', { error: error.message });
    });
  }

  async #consentRequestFor(interaction: InstanceType<Provider['Interaction']>): Promise<ConsentRequest> {
    const params = interaction.params as Record<string, unknown>;
    const clientId = String(params.client_id ?? '');
    const client = await this.provider.Client.find(clientId);
    const record = this.#options.clients.get(clientId);
    const redirectUri = String(params.redirect_uri ?? client?.redirectUris?.[0] ?? '');
    const resourceParam = params.resource;
    const resource =
      canonicalResource(
        Array.isArray(resourceParam)
          ? String(resourceParam[0])
          : typeof resourceParam === 'string'
            ? resourceParam
            : `${this.#options.issuer}/mcp`,
      ) ?? `${this.#options.issuer}/mcp`;
    const bytes = this.#options.random.bytes(6);
    const matchCode = [...bytes]
      .map((b) => MATCH_ALPHABET[b % MATCH_ALPHABET.length])
      .join('')
      .replace(/^(...)/, '$1-');
    return {
      clientId,
      clientName: client?.clientName ?? record?.name ?? clientId,
      kind: record?.kind ?? (client && 'clientIdMetadataDocument' in client ? 'metadata-document' : 'dcr'),
      redirectHost: redirectHost(redirectUri),
      matchCode,
      requestedScopes: String(params.scope ?? '')
        .split(' ')
        .filter(Boolean),
      resource,
    };
  }

  #interactionResult(decision: ConsentDecision): Record<string, unknown> {
    switch (decision.outcome) {
      case 'approved':
        return { login: { accountId: OWNER_ACCOUNT }, consent: { grantId: decision.grantId } };
      case 'denied':
        return { error: 'access_denied', error_description: 'The user denied this request in Gatehouse.' };
      case 'timed-out':
        return {
          error: 'access_denied',
          error_description: `No answer was given in Gatehouse within ${describeDuration(this.#options.consentTimeoutMs ?? CONSENT_TIMEOUT_MS)}.`,
        };
    }
  }

  /** Applies the registration policy; returns the request to hand on, or undefined when answered here. */
  async #gateRegistration(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | undefined> {
    const policy = this.#options.settings.get().registrationPolicy;
    const refusal = registrationRefusal(policy);
    if (refusal) {
      this.#options.audit.record({
        type: 'client.registration_refused',
        decision: 'deny',
        reason: 'Registration is closed',
      });
      sendJson(res, 403, { error: 'access_denied', error_description: refusal });
      return undefined;
    }
    const slot = this.#registrationLimit.take();
    if (!slot.ok) {
      this.#options.audit.record({
        type: 'client.registration_refused',
        decision: 'deny',
        reason: 'Registration rate limit reached',
      });
      sendJson(
        res,
        429,
        {
          error: 'temporarily_unavailable',
          error_description: `Too many client registrations; try again in ${slot.retryAfterSeconds} seconds.`,
        },
        { 'retry-after': String(slot.retryAfterSeconds) },
      );
      return undefined;
    }
    if (policy !== 'ask') return req;

    let body: Buffer;
    let metadata: Record<string, unknown>;
    try {
      body = await readBody(req, REGISTRATION_BODY_LIMIT);
      metadata = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
        throw new Error('not a JSON object');
    } catch (error) {
      const status = error instanceof BodyError ? error.status : 400;
      sendJson(res, status, {
        error: 'invalid_client_metadata',
        error_description: `The registration request is not a JSON object: ${(error as Error).message}`,
      });
      return undefined;
    }
    const request: RegistrationRequest = {
      clientName: typeof metadata.client_name === 'string' ? metadata.client_name : 'Unnamed client',
      redirectUris: Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris.map(String) : [],
    };
    const key = registrationKey(request);
    // The user approved an earlier attempt of this client after it had stopped waiting: this retry
    // goes through without asking again (once).
    const remembered = this.#approvedRegistrations.get(key);
    this.#approvedRegistrations.delete(key);
    if (remembered !== undefined && remembered > this.#options.clock.now()) {
      this.#options.audit.record({
        type: 'client.registration_approved',
        decision: 'allow',
        reason: `${request.clientName} registered on its next try after the user approved it in Gatehouse.`,
        detail: { clientName: request.clientName },
      });
      return replayRequest(req, body);
    }
    // A retry while the earlier attempt is still waiting joins its question: the user is asked once,
    // and the answer goes to the attempt that is still connected.
    const existing = this.registrations.pending().find((item) => registrationKey(item.item) === key);
    const id = existing?.id ?? this.#options.random.bytes(9).toString('base64url');
    if (!existing) {
      try {
        this.registrations.raise(id, request);
      } catch (error) {
        sendJson(res, 429, { error: 'temporarily_unavailable', error_description: (error as Error).message });
        return undefined;
      }
      this.#options.notifier.notify({
        kind: 'registration',
        title: `${request.clientName} wants to register`,
        body: 'Open Gatehouse to allow or refuse this new client.',
      });
    }
    const attempt = Symbol('registration attempt');
    this.#registrationAttempts.set(id, attempt);
    const answered = this.registrations.wait(id);
    // A client that gives up closes its side of the connection; Node keeps the socket open for the
    // answer (half-open), so the sign is the socket's end, not the response's close.
    const gone = new Promise<'gone'>((resolve) => {
      const left = () => {
        if (!res.writableFinished) resolve('gone');
      };
      req.socket.once('end', left);
      req.socket.once('close', left);
      void answered.finally(() => {
        req.socket.off('end', left);
        req.socket.off('close', left);
      });
    });
    const decision = await Promise.race([answered, gone]);
    if (decision === 'gone' || this.#registrationAttempts.get(id) !== attempt) {
      if (decision === 'gone' && this.#registrationAttempts.get(id) === attempt) {
        // Nobody is waiting for this answer any more: the question stays for the user, and an
        // approval lets the client's next attempt through.
        this.#options.audit.record({
          type: 'client.registration_waiting',
          decision: 'info',
          reason: `${request.clientName} stopped waiting for an answer; if you approve it, it registers when it tries again.`,
          detail: { clientName: request.clientName },
        });
        void answered.then((later) => {
          if (this.#registrationAttempts.get(id) !== attempt) return;
          this.#registrationAttempts.delete(id);
          this.registrations.forget(id);
          if (later === 'approved') {
            const now = this.#options.clock.now();
            for (const [other, until] of this.#approvedRegistrations) {
              if (until <= now) this.#approvedRegistrations.delete(other);
            }
            this.#approvedRegistrations.set(key, now + REGISTRATION_RETRY_MS);
            this.#options.audit.record({
              type: 'client.registration_approved',
              decision: 'allow',
              reason: `The user approved ${request.clientName}, which had stopped waiting; it registers when it tries again within ${describeDuration(REGISTRATION_RETRY_MS)}.`,
              detail: { clientName: request.clientName },
            });
          }
        });
      } else if (!res.writableEnded) {
        sendJson(res, 409, {
          error: 'temporarily_unavailable',
          error_description: 'A newer registration attempt from this client is waiting for the same answer.',
        });
      }
      return undefined;
    }
    this.#registrationAttempts.delete(id);
    this.registrations.forget(id);
    if (decision !== 'approved') {
      const reason =
        decision === 'denied'
          ? 'The user refused this client registration in Gatehouse.'
          : `No answer was given in Gatehouse within ${describeDuration(REGISTRATION_ASK_TIMEOUT_MS)}.`;
      this.#options.audit.record({
        type: 'client.registration_refused',
        decision: 'deny',
        reason,
        detail: { clientName: request.clientName },
      });
      sendJson(res, 403, { error: 'access_denied', error_description: reason });
      return undefined;
    }
    return replayRequest(req, body);
  }

  #sendPage(res: ServerResponse, status: number, html: string, nonce?: string): void {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      ...pageSecurityHeaders(nonce),
    });
    res.end(html);
  }
}

/** oidc-provider's storage adapter for clients (present at runtime, absent from its types). */
function clientAdapter(provider: Provider): {
  upsert(id: string, payload: object): Promise<void>;
  destroy(id: string): Promise<void>;
} {
  return (provider.Client as unknown as { adapter: ReturnType<typeof clientAdapter> }).adapter;
}

/** A registration attempt's identity for retries: its name and redirect URIs. */
function registrationKey(request: RegistrationRequest): string {
  return JSON.stringify([request.clientName, [...request.redirectUris].sort()]);
}

function describeDuration(ms: number): string {
  const [amount, unit] =
    ms >= 60_000 ? [Math.round(ms / 60_000), 'minute'] : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

function describeScopes(scopes: string[]): string {
  return scopes.includes(WRITE_SCOPE) ? 'read & write access' : 'read-only access';
}

export function oauthErrorText(error: unknown): string {
  const e = error as { error_description?: string; message?: string };
  return e.error_description ?? e.message ?? String(error);
}
