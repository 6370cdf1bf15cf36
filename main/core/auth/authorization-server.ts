// The embedded OAuth 2.1 authorization server: oidc-provider configured for the MCP authorization
// spec (2025-11-25) on loopback (provider-configuration.ts), and what oidc-provider leaves to its
// host, each in its own file: the registration gate in front of /reg, the refresh grace at /token,
// the consent interaction and its answers, manual registrations, and the audit of its events. This
// file builds them, routes requests to them and closes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import type { PendingConsentView, PendingRegistrationView } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { SummarizedRows } from '../audit/summarized-rows.js';
import type { Clock, Fetch, Logger, Notifier, Random } from '../effects.js';
import type { ClientStore } from '../store/client-store.js';
import type { GrantStore } from '../store/grant-store.js';
import type { OidcStore } from '../store/oidc-store.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import type { Settings } from '../store/settings-store.js';
import {
  deleteRegistration,
  registerManualClient,
  type ManualClientCredentials,
  type ManualClientInput,
} from './client-registrations.js';
import { ConsentAnswers, type ConsentChoice } from './consent-answers.js';
import { ConsentInteraction } from './consent-interaction.js';
import { CONSENT_TIMEOUT_MS, consentQueue, type ConsentQueue } from './consent-request.js';
import type { HostLookup } from './metadata-document-guard.js';
import { providerConfiguration, type AuthorizationServerSecrets } from './provider-configuration.js';
import { reportProviderEvents } from './provider-events.js';
import { RefreshGrace } from './refresh-grace.js';
import { RefreshReplays } from './refresh-replays.js';
import { RegistrationGate, type RegistrationLimits } from './registration-gate.js';
import { revokedClientErrors } from './revoked-client-errors.js';
import { MCP_SCOPES } from '../resources.js';
import { UnusedRegistrations } from './unused-registrations.js';
import { count } from '../text.js';

/** Self-registrations a minute that get an activity row each; a flood's others are summed up. */
const REGISTRATION_ROWS_PER_MINUTE = 10;

export type { AuthorizationServerSecrets };

/** What the authorization server is built from: its issuer, its stores, the effects, and its limits. */
export interface AuthorizationServerOptions {
  issuer: string;
  store: OidcStore;
  settings: Settings;
  clients: ClientStore;
  grants: GrantStore;
  /** The clients the user revoked: their consents are marked, or refused for a while. */
  revokedClients: RevokedClients;
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

/**
 * Gatehouse's OAuth 2.1 authorization server: every OAuth route, the consent pages, and the
 * consents and registrations waiting for the user's answer in a trusted surface.
 */
export class AuthorizationServer {
  /** oidc-provider itself: the protocol, its models (Grant, Client, Interaction) and its storage. */
  readonly provider: Provider;
  /** Consents waiting for the user's answer (the engine pushes `consents.changed` from it). */
  readonly consents: ConsentQueue;
  /** Self-registrations held for the user's answer in "ask" mode. */
  readonly registrations: RegistrationGate['queue'];
  /** Clients the user revoked lately: their consents are marked, or refused for a while. */
  readonly revokedClients: RevokedClients;
  readonly #issuer: string;
  readonly #callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly #unused: UnusedRegistrations;
  /** Self-registrations in the activity log: a row each up to a bound a minute, then summed up. */
  readonly #registered: SummarizedRows;
  readonly #registrationGate: RegistrationGate;
  readonly #refreshGrace: RefreshGrace;
  readonly #interaction: ConsentInteraction;
  readonly #answers: ConsentAnswers;
  readonly #clients: ClientStore;
  readonly #audit: AuditLog;
  readonly #random: Random;

  constructor(options: AuthorizationServerOptions) {
    const { issuer, clock, audit, clients } = options;
    this.#issuer = issuer;
    this.#clients = clients;
    this.#audit = audit;
    this.#random = options.random;
    const timeoutMs = options.consentTimeoutMs ?? CONSENT_TIMEOUT_MS;
    this.consents = consentQueue(clock, timeoutMs, options.consentQueue);
    this.revokedClients = options.revokedClients;
    this.#registrationGate = new RegistrationGate({
      settings: options.settings,
      audit,
      clock,
      random: options.random,
      notifier: options.notifier,
      ...(options.registrationLimit ? { limits: options.registrationLimit } : {}),
    });
    this.registrations = this.#registrationGate.queue;
    this.#refreshGrace = new RefreshGrace(new RefreshReplays(clock, options.refreshGraceMs ?? 5_000), audit);
    const provider = new Provider(issuer, providerConfiguration(options));
    this.provider = provider;
    const unused = (this.#unused = new UnusedRegistrations({
      clients,
      grants: options.grants,
      audit,
      clock,
      waiting: (clientId) => this.consents.find((item) => item.clientId === clientId) !== undefined,
      forget: (clientIds) =>
        clients.forgetUnused(clientIds, (clientId) => options.store.destroy('Client', clientId)),
      whileForgetting: (work) => clients.whileForgetting(work),
      ...(options.maxUnusedRegistrations !== undefined ? { max: options.maxUnusedRegistrations } : {}),
    }));
    this.#interaction = new ConsentInteraction({
      provider,
      consents: this.consents,
      timeoutMs,
      issuer,
      clients,
      audit,
      clock,
      random: options.random,
      notifier: options.notifier,
      revokedClients: this.revokedClients,
    });
    this.#answers = new ConsentAnswers({
      provider,
      consents: this.consents,
      issuer,
      settings: options.settings,
      grants: options.grants,
      revokedClients: this.revokedClients,
      audit,
      clock,
    });
    this.#registered = new SummarizedRows({
      audit,
      clock,
      ownRowsPerMinute: REGISTRATION_ROWS_PER_MINUTE,
      summary: (registered, named) => ({
        type: 'client.registered',
        clientId: null,
        decision: 'info',
        reason: `${count(registered, 'more client')} registered themselves within a minute (${named.join(', ')}${
          registered > named.length ? ', …' : ''
        }); the first ${REGISTRATION_ROWS_PER_MINUTE} of a minute get a row each`,
        detail: { count: registered },
      }),
    });
    provider.use(advertiseResourceScopes);
    provider.use(this.#refreshGrace.recordRotations);
    provider.use(revokedClientErrors({ revokedClients: this.revokedClients, clock }));
    reportProviderEvents(provider, {
      audit,
      clients,
      store: options.store,
      logger: options.logger,
      onGrantRevoked: options.onGrantRevoked,
      makeRoom: () => unused.makeRoom(),
      registered: this.#registered,
      authorizationStarted: (clientId) => unused.authorizationStarted(clientId),
      authorizationEnded: (clientId) => unused.authorizationEnded(clientId),
    });
    this.#callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }

  /** The issuer (RFC 8414 §2): Gatehouse's loopback origin. */
  get issuer(): string {
    return this.#issuer;
  }

  /** Every OAuth route (discovery, /auth, /token, /reg, revocation, introspection, jwks). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#issuer);
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
      const routed = await this.#refreshGrace.route(req, res);
      if (!routed) return;
      ({ req, settle } = routed);
    }
    try {
      await this.#callback(req, res);
    } finally {
      settle?.();
    }
  }

  /** GET /consent/<uid>: the waiting page, or — once decided — onward to oidc-provider's resume URL. */
  handleConsentPage(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    return this.#interaction.page(req, res, uid);
  }

  /** GET /consent/<uid>/wait: long-poll until the user has answered (no decision can be made here). */
  handleConsentWait(res: ServerResponse, uid: string): Promise<void> {
    return this.#interaction.wait(res, uid);
  }

  /** The consents waiting for the user's answer. */
  listConsents(): PendingConsentView[] {
    return this.#answers.list();
  }

  /** The user approved in a trusted surface: record the grant now, deliver it when the browser returns. */
  approveConsent(id: string, choice: ConsentChoice): Promise<string> {
    return this.#answers.approve(id, choice);
  }

  /** The user denied a consent in a trusted surface. */
  denyConsent(id: string): void {
    this.#answers.deny(id);
  }

  /** Denies every waiting consent request, or every one of a client; returns the ids denied. */
  denyAllConsents(clientId?: string): string[] {
    return this.#answers.denyAll(clientId);
  }

  /** The self-registrations waiting for the user's answer ("ask" mode). */
  listRegistrations(): PendingRegistrationView[] {
    return this.#registrationGate.list();
  }

  /** Registers a client by hand (confidential by default); the secret is returned once and never again. */
  registerManualClient(input: ManualClientInput): Promise<ManualClientCredentials> {
    return registerManualClient(
      { provider: this.provider, clients: this.#clients, audit: this.#audit, random: this.#random },
      input,
    );
  }

  /** Deletes a client's registration (DCR or manual) so its client_id no longer authenticates. */
  deleteRegistration(clientId: string): Promise<void> {
    return deleteRegistration(this.provider, clientId);
  }

  /**
   * Engine shutdown: stops the timers of every waiting consent and registration, and waits for a
   * forgetting of unused registrations under way to end (it writes to the database).
   */
  async close(): Promise<void> {
    this.consents.close();
    this.registrations.close();
    this.#registrationGate.close();
    this.#registered.flush();
    await this.#unused.stop();
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
