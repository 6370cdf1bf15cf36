// The embedded OAuth 2.1 authorization server: oidc-provider configured for the MCP authorization
// spec (2025-11-25) on loopback, plus the two things oidc-provider leaves to its host — the
// interaction (consent, decided only through Gatehouse's trusted API) and the registration policy.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
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
import { sendJson } from '../http/http-io.js';
import type { ClientStore } from '../store/client-store.js';
import type { GrantStore } from '../store/grant-store.js';
import type { Settings } from '../store/settings-store.js';
import { PendingDecisions } from '../consent/pending-decisions.js';
import { pageSecurityHeaders, renderConsentWaitingPage, sendMessagePage } from '../consent/consent-page.js';
import type { OidcStore } from '../store/oidc-store.js';
import { canonicalResource, mcpPathOf, MCP_SCOPES, READ_SCOPE, WRITE_SCOPE } from './resources.js';
import type { HostLookup } from './metadata-document-guard.js';
import {
  RegistrationGate,
  type RegistrationLimits,
  type RegistrationDecision,
  type RegistrationRequest,
} from './registration-gate.js';
import { describeDuration, readOAuthBody, replayRequest } from './replay-request.js';
import { decisionId } from '../consent/decision-id.js';
import { looksNative } from './redirect-uris.js';
import { presenterOf, RefreshReplays, type RotationAnswer } from './refresh-replays.js';
import { UnusedRegistrations } from './unused-registrations.js';
import { revokedSentence } from './revoked-tokens.js';
import { providerConfiguration, type AuthorizationServerSecrets } from './provider-configuration.js';
import { redirectHost } from '../text.js';

/** Gatehouse has one user: whoever sits at this desktop. */
const OWNER_ACCOUNT = 'owner';
const CONSENT_TIMEOUT_MS = 10 * 60_000;
const LONG_POLL_MS = 25_000;
const TOKEN_BODY_LIMIT = 56 * 1024;

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
  | { outcome: 'approved'; grantId: string }
  | { outcome: 'denied' }
  | { outcome: 'timed-out' }
  /** Made room for another client's request when the queue was full (see PendingDecisions). */
  | { outcome: 'set-aside' };

export type { RegistrationDecision, RegistrationRequest };

export type { AuthorizationServerSecrets };

export interface AuthorizationServerOptions {
  issuer: string;
  store: OidcStore;
  settings: Settings;
  clients: ClientStore;
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
  /** How long a rotated refresh token presented again gets the same answer (default 5 s). */
  refreshGraceMs?: number;
  /** Registrations allowed per source and window (default 10 per 10 minutes). */
  registrationLimit?: Partial<RegistrationLimits>;
  /** Self-registered clients kept while unused (default 200); past it the oldest unused is forgotten. */
  maxUnusedRegistrations?: number;
  /** Consent requests waiting at once: per client (default 5) and in all (default 100). */
  consentQueue?: { total: number; perClient: number };
  /** Resolves metadata-document hosts for the SSRF check (tests pass a fake resolver). */
  hostLookup?: HostLookup;
  /** Test hook: replaces oidc-provider's metadata-document fetch (production uses `fetch` with SSRF protection). */
  metadataDocumentFetch?: Fetch;
}

/** clientDefaults' application_type: stands for "the client did not say" until the validator decides. */
const MATCH_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export class AuthorizationServer {
  readonly provider: Provider;
  readonly consents: PendingDecisions<ConsentRequest, ConsentDecision>;
  readonly registrations: PendingDecisions<RegistrationRequest, RegistrationDecision>;
  readonly #options: AuthorizationServerOptions;
  readonly #callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly #registrationGate: RegistrationGate;
  readonly #refreshReplays: RefreshReplays;
  readonly #unused: UnusedRegistrations;
  /** Each consent's id by its interaction's uid (the waiting page's URL names the uid). */
  readonly #consentIds = new Map<string, string>();

  constructor(options: AuthorizationServerOptions) {
    this.#options = options;
    const { clock } = options;
    this.consents = new PendingDecisions<ConsentRequest, ConsentDecision>({
      clock,
      timeoutMs: options.consentTimeoutMs ?? CONSENT_TIMEOUT_MS,
      onTimeout: { outcome: 'timed-out' },
      maxPending: options.consentQueue?.total ?? 100,
      what: 'consent request',
      // One client's flood never keeps another client's request from being asked.
      fairness: {
        sourceOf: (item) => item.clientId,
        maxPerSource: options.consentQueue?.perClient ?? 5,
        describe: (item) => item.clientName,
        onSetAside: { outcome: 'set-aside' },
      },
    });
    this.#registrationGate = new RegistrationGate({
      settings: options.settings,
      audit: options.audit,
      clock,
      random: options.random,
      notifier: options.notifier,
      ...(options.registrationLimit ? { limits: options.registrationLimit } : {}),
    });
    this.registrations = this.#registrationGate.queue;
    this.#refreshReplays = new RefreshReplays(clock, options.refreshGraceMs ?? 5_000);
    this.provider = new Provider(options.issuer, providerConfiguration(options));
    this.#unused = new UnusedRegistrations({
      clients: options.clients,
      grants: options.grants,
      audit: options.audit,
      waiting: (clientId) => this.consents.find((item) => item.clientId === clientId) !== undefined,
      deleteRegistration: (clientId) => this.deleteRegistration(clientId),
      ...(options.maxUnusedRegistrations !== undefined ? { max: options.maxUnusedRegistrations } : {}),
    });
    this.provider.use(advertiseResourceScopes);
    this.provider.use(async (ctx, next) => {
      await next();
      const params = ctx.oidc?.params as { grant_type?: unknown; refresh_token?: unknown } | undefined;
      if (
        ctx.oidc?.route === 'token' &&
        ctx.status === 200 &&
        params?.grant_type === 'refresh_token' &&
        typeof params.refresh_token === 'string' &&
        typeof ctx.body === 'object' &&
        ctx.body !== null
      )
        this.#refreshReplays.record(
          params.refresh_token,
          ctx.body as RotationAnswer,
          ctx.oidc.client?.clientId,
        );
    });
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
      const gated = await this.#registrationGate.gate(req, res);
      if (!gated) return;
      req = gated;
    }
    if (url.pathname === '/auth' && req.method === 'GET' && !url.searchParams.has('scope')) {
      // RFC 6749 §3.3: with no scope requested, Gatehouse asks for its documented default; the user
      // still chooses read-only or read & write at consent.
      url.searchParams.set('scope', MCP_SCOPES.join(' '));
      req.url = `${url.pathname}${url.search}`;
    }
    let settle: (() => void) | undefined;
    if (url.pathname === '/token' && req.method === 'POST') {
      const routed = await this.#routeTokenRequest(req, res);
      if (!routed) return;
      ({ req, settle } = routed);
    }
    try {
      await this.#callback(req, res);
    } finally {
      settle?.();
    }
  }

  /**
   * A refresh presented again inside the grace by the same client gets the answer its rotation gave
   * (see refresh-replays.ts); every other token request goes to oidc-provider unchanged.
   */
  async #routeTokenRequest(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ req: IncomingMessage; settle?: () => void } | undefined> {
    const body = await readOAuthBody(req, res, TOKEN_BODY_LIMIT);
    if (!body) return undefined;
    const replay = replayRequest(req, body);
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
      return { req: replay };
    const params = new URLSearchParams(body.toString('utf8'));
    const refreshToken = params.get('refresh_token');
    if (params.get('grant_type') !== 'refresh_token' || !refreshToken) return { req: replay };
    const verdict = await this.#refreshReplays.begin(
      refreshToken,
      presenterOf(req.headers.authorization, params),
    );
    if (verdict.kind === 'rotate') return { req: replay, settle: verdict.settle };
    if (verdict.kind === 'pass') return { req: replay };
    this.#options.audit.record({
      type: 'token.refresh_replayed',
      clientId: verdict.clientId ?? null,
      decision: 'info',
      reason:
        'A refresh token was presented again just after its rotation: answered with the same tokens, no new chain',
    });
    sendJson(res, 200, verdict.answer, { pragma: 'no-cache' });
    return undefined;
  }

  /** GET /consent/<uid>: the waiting page, or — once decided — onward to oidc-provider's resume URL. */
  async handleConsentPage(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const interaction = await this.provider.Interaction.find(uid);
    if (!interaction) {
      this.#forgetConsent(uid);
      sendMessagePage(
        res,
        404,
        'This request has expired',
        'Nothing is waiting here any more. Start the connection again from your app.',
      );
      return;
    }
    const existing = this.#consentFor(uid);
    if (existing?.decision) {
      interaction.result = this.#interactionResult(existing.decision);
      await interaction.save(
        Math.max(1, (interaction.exp ?? 0) - Math.floor(this.#options.clock.now() / 1000)),
      );
      this.#forgetConsent(uid);
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
      const id = decisionId(this.#options.random);
      try {
        pending = { ...this.consents.raise(id, request), decision: undefined };
      } catch (error) {
        sendMessagePage(res, 429, 'Too many requests are waiting', (error as Error).message);
        return;
      }
      for (const [other, otherId] of this.#consentIds)
        if (!this.consents.get(otherId)) this.#consentIds.delete(other);
      this.#consentIds.set(uid, id);
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
    const pending = this.#consentFor(uid);
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
      this.consents.wait(pending.id).then(() => true),
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

  /** Denies every waiting consent request, or every one of a client; returns the ids denied. */
  denyAllConsents(clientId?: string): string[] {
    const ids = this.consents
      .pending()
      .filter((consent) => clientId === undefined || consent.item.clientId === clientId)
      .map((consent) => consent.id);
    for (const id of ids) this.denyConsent(id);
    return ids;
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
        // The table's bound: the oldest registrations nobody used make room (never a refusal).
        void this.#unused
          .makeRoom(client.clientId)
          .catch((error: unknown) =>
            logger.warn('could not forget unused registrations', { error: (error as Error).message }),
          );
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
        // A refresh token of a grant revoked lately: say whose it was and why it no longer works.
        const presented = ctx.oidc.params?.refresh_token;
        const revoked =
          typeof presented === 'string' && !reuse ? this.#options.store.revokedToken(presented) : undefined;
        audit.record({
          type: reuse ? 'token.refresh_reuse' : 'token.denied',
          clientId: ctx.oidc.client?.clientId ?? revoked?.clientId ?? null,
          decision: 'deny',
          reason: reuse
            ? 'A rotated refresh token was used again: the whole grant was revoked'
            : revoked
              ? `Refresh refused: the refresh token was ${revokedSentence(revoked)}`
              : description,
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
      case 'set-aside':
        return {
          error: 'temporarily_unavailable',
          error_description:
            'Gatehouse set this request aside to make room: too many requests were waiting for an answer. Start the connection again.',
        };
    }
  }

  /** The consent raised for an interaction, answered or not, while Gatehouse still holds it. */
  #consentFor(uid: string): ReturnType<AuthorizationServer['consents']['get']> {
    const id = this.#consentIds.get(uid);
    const consent = id === undefined ? undefined : this.consents.get(id);
    if (id !== undefined && !consent) this.#consentIds.delete(uid);
    return consent;
  }

  /** Forgets a consent and its uid (its outcome was delivered, or its interaction is gone). */
  #forgetConsent(uid: string): void {
    const id = this.#consentIds.get(uid);
    this.#consentIds.delete(uid);
    if (id !== undefined) this.consents.forget(id);
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

/**
 * RFC 8414 `scopes_supported` names the scopes a client may request. oidc-provider lists only its
 * OpenID scopes there; Gatehouse's tokens are for its MCP resources, whose scopes (`mcp:read`,
 * `mcp:write`, as the protected resource metadata says) come first, so a client that asks for what
 * the metadata lists gets a token that works at /mcp.
 */
async function advertiseResourceScopes(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.oidc?.route !== 'discovery' || typeof ctx.body !== 'object' || ctx.body === null) return;
  const body = ctx.body as { scopes_supported?: string[] };
  body.scopes_supported = [...new Set([...MCP_SCOPES, ...(body.scopes_supported ?? [])])];
}

/** oidc-provider's storage adapter for clients (present at runtime, absent from its types). */
function clientAdapter(provider: Provider): {
  upsert(id: string, payload: object): Promise<void>;
  destroy(id: string): Promise<void>;
} {
  return (provider.Client as unknown as { adapter: ReturnType<typeof clientAdapter> }).adapter;
}

function describeScopes(scopes: string[]): string {
  return scopes.includes(WRITE_SCOPE) ? 'read & write access' : 'read-only access';
}

function oauthErrorText(error: unknown): string {
  const e = error as { error_description?: string; message?: string };
  return e.error_description ?? e.message ?? String(error);
}
