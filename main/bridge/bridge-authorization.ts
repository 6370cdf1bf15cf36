// How the bridge holds Gatehouse's authorization like any other MCP client: discovery from the 401
// (RFC 9728 → RFC 8414), Dynamic Client Registration (RFC 7591), the authorization code flow with
// PKCE S256 and a resource indicator (RFC 8707) — whose consent the user gives in Gatehouse — and
// refresh-token rotation. Several bridge processes may share one token file: every renewal happens
// under a file lock and starts by re-reading the file, so a rotated refresh token is used exactly once.
import { randomBytes } from 'node:crypto';
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  exchangeAuthorization,
  extractWWWAuthenticateParams,
  refreshAuthorization,
  registerClient,
  startAuthorization,
  OAuthError,
  type AuthorizationServerMetadata,
  type OAuthClientInformationFull,
  type OAuthClientMetadata,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { BridgeError } from './bridge-error.js';
import { ClientRejectedError, walkConsent, type AuthorizationResponse } from './consent-walk.js';
import { withFileLock, type FileLockOptions } from './file-lock.js';
import type { BridgeRecord, StoredTokens, TokenFile } from './token-file.js';

type Fetch = typeof globalThis.fetch;

/** A loopback redirect the bridge never serves: it reads the code from the Location header. */
const REDIRECT_URI = 'http://127.0.0.1/gatehouse-bridge/callback';

/** Gatehouse answers a consent within 10 minutes; the bridge waits a little longer than that. */
const CONSENT_WAIT_MS = 11 * 60_000;
const REFRESH_HOLD_MS = 30_000;
const REFRESH_AHEAD_MAX_MS = 60_000;

/**
 * What the bridge's OAuth client needs: the MCP endpoint, the name the user sees in Gatehouse, the token
 * file and fetch.
 */
export interface BridgeAuthorizationOptions {
  mcpUrl: URL;
  /** The name the user sees in Gatehouse (the registration's client_name). */
  clientName: string;
  tokenFile: TokenFile;
  fetch: Fetch;
  /** One line for the user (stderr). */
  log(line: string): void;
  version: string;
  now?: () => number;
  consentWaitMs?: number;
  /** Lock tuning for tests (process liveness, polling). */
  lock?: Pick<FileLockOptions, 'isAlive' | 'pollMs'>;
}

interface AuthorizationServer {
  url: string;
  metadata: AuthorizationServerMetadata | undefined;
  resource: string;
  scope: string | undefined;
}

const RENEWAL_REFUSED = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/**
 * The bridge as an OAuth client of Gatehouse: registration, consent, and an access token kept fresh for
 * every bridge process sharing the token file.
 */
export class BridgeAuthorization {
  readonly #options: BridgeAuthorizationOptions;
  readonly #now: () => number;
  #record: BridgeRecord | undefined;
  #server: Promise<AuthorizationServer | null> | undefined;
  /** Discovery found an endpoint that asks for no authorization. */
  #open = false;
  #renewal: Promise<string> | undefined;
  /** Once the user refused, this process does not ask again: it says so until it is restarted. */
  #refused: BridgeError | undefined;

  constructor(options: BridgeAuthorizationOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get clientName(): string {
    return this.#options.clientName;
  }

  /**
   * A usable access token: the stored one, a refreshed one ahead of expiry, or one from a new consent;
   * undefined when the endpoint asks for no authorization at all (an open server named with --url).
   */
  async accessToken(): Promise<string | undefined> {
    const tokens = (this.#record ?? this.#reload())?.tokens;
    if (tokens && !this.#dueForRefresh(tokens)) return tokens.access_token;
    if (!tokens && (await this.#authorizationServer()) === null) return undefined;
    return this.#renewOnce(tokens?.access_token);
  }

  /** Gatehouse answered 401 to `rejected`: renew (another bridge may already have), then hand out the new token. */
  renewAfterRejection(rejected: string | undefined): Promise<string> {
    // An endpoint that was open asks for authorization now: discover it afresh.
    if (this.#open) {
      this.#open = false;
      this.#server = undefined;
    }
    return this.#renewOnce(rejected);
  }

  /** Single-flight within this process; the file lock makes it single-flight across processes. */
  #renewOnce(stale: string | undefined): Promise<string> {
    if (this.#refused) return Promise.reject(this.#refused);
    this.#renewal ??= this.#renew(stale).finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  async #renew(stale: string | undefined): Promise<string> {
    const adoptable = (record: BridgeRecord | undefined): string | undefined => {
      const tokens = record?.tokens;
      return tokens && tokens.access_token !== stale && !this.#dueForRefresh(tokens)
        ? tokens.access_token
        : undefined;
    };
    const waitMs = (this.#options.consentWaitMs ?? CONSENT_WAIT_MS) + 60_000;
    const lock = (holdMs: number): FileLockOptions => ({
      holdMs,
      waitMs,
      now: this.#now,
      ...this.#options.lock,
    });
    const path = this.#options.tokenFile.lockPath;
    this.#options.tokenFile.ensureDirectory();

    const renewed = adoptable(this.#reload());
    if (renewed) return renewed;
    if (this.#record?.tokens?.refresh_token) {
      const refreshed = await withFileLock(path, lock(REFRESH_HOLD_MS), async () => {
        // Another bridge may have refreshed while we waited: its tokens are ours, and the refresh
        // token we hold is already spent — presenting it again would revoke the grant (RFC 9700 §4.14.2).
        const record = this.#reload();
        return adoptable(record) ?? (record ? this.#refresh(record) : undefined);
      });
      if (refreshed) return refreshed;
    }
    return withFileLock(path, lock(waitMs), async () => {
      const record = this.#reload();
      return adoptable(record) ?? this.#authorize(record);
    });
  }

  /** Uses the stored refresh token once; undefined when Gatehouse no longer honours it (consent needed). */
  async #refresh(record: BridgeRecord): Promise<string | undefined> {
    const refreshToken = record.tokens?.refresh_token;
    if (!refreshToken || !record.client) return undefined;
    const server = await this.#requireAuthorizationServer();
    let tokens: OAuthTokens;
    try {
      tokens = await refreshAuthorization(server.url, {
        metadata: server.metadata,
        clientInformation: record.client,
        refreshToken,
        resource: server.resource,
        fetchFn: this.#options.fetch,
      });
    } catch (error) {
      // Gatehouse's OAuth error (RFC 6749 §5.2), or undefined when the answer never came back as one.
      const code: string | undefined = error instanceof OAuthError ? error.code : undefined;
      if (code === undefined) {
        // Refused connections never reached Gatehouse: the token is unspent, keep it. Any other
        // failure may have lost the answer to a refresh Gatehouse did make: the token may be spent,
        // and presenting it again would revoke the grant — so forget it and ask for consent instead.
        if (connectionRefused(error)) throw error;
        this.#write({ ...record, tokens: undefined });
        this.#options.log('The answer to a token refresh was lost; Gatehouse will ask for consent again.');
        throw error;
      }
      if (!RENEWAL_REFUSED.has(code)) throw error;
      // Revoked, expired or forgotten: drop what no longer works so no bridge presents it again.
      this.#write({
        ...record,
        tokens: undefined,
        client: code === 'invalid_grant' ? record.client : undefined,
      });
      this.#options.log(`Gatehouse no longer accepts this bridge's authorization (${code}); asking again.`);
      return undefined;
    }
    // Written before anything else happens: the old refresh token is spent from this moment.
    this.#write({ ...record, tokens: this.#stored(tokens) });
    return tokens.access_token;
  }

  /** Registers if needed, then runs the authorization request through Gatehouse's consent. */
  async #authorize(record: BridgeRecord | undefined): Promise<string> {
    const server = await this.#requireAuthorizationServer();
    let client = record?.client;
    for (let attempt = 0; ; attempt++) {
      if (!client) {
        client = await this.#register(server);
        this.#write({ version: 1, mcpUrl: this.#options.mcpUrl.href, client, updatedAt: this.#now() });
      }
      const state = randomBytes(16).toString('base64url');
      const { authorizationUrl, codeVerifier } = await startAuthorization(server.url, {
        metadata: server.metadata,
        clientInformation: client,
        redirectUrl: REDIRECT_URI,
        state,
        resource: new URL(server.resource),
        ...(server.scope ? { scope: server.scope } : {}),
      });
      let response: AuthorizationResponse;
      try {
        response = await walkConsent({
          authorizationUrl,
          redirectUri: REDIRECT_URI,
          state,
          fetch: this.#options.fetch,
          timeoutMs: this.#options.consentWaitMs ?? CONSENT_WAIT_MS,
          now: this.#now,
          onWaiting: (matchCode) =>
            this.#options.log(`Approve "${this.#options.clientName}" in Gatehouse — match code ${matchCode}`),
        });
      } catch (error) {
        // A registration Gatehouse no longer knows (the user chose Forget): register afresh, once.
        if (error instanceof ClientRejectedError && attempt === 0) {
          client = undefined;
          continue;
        }
        if (error instanceof BridgeError && error.code === 'consent_refused') this.#refused = error;
        throw error;
      }
      const tokens = await exchangeAuthorization(server.url, {
        metadata: server.metadata,
        clientInformation: client,
        authorizationCode: response.code,
        iss: response.iss,
        codeVerifier,
        redirectUri: REDIRECT_URI,
        resource: new URL(server.resource),
        fetchFn: this.#options.fetch,
      });
      this.#write({
        version: 1,
        mcpUrl: this.#options.mcpUrl.href,
        client,
        tokens: this.#stored(tokens),
        updatedAt: this.#now(),
      });
      this.#options.log(`Gatehouse approved "${this.#options.clientName}".`);
      return tokens.access_token;
    }
  }

  async #register(server: AuthorizationServer): Promise<OAuthClientInformationFull> {
    const metadata: OAuthClientMetadata = {
      client_name: this.#options.clientName,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      software_id: 'gatehouse-bridge',
      software_version: this.#options.version,
    };
    // With registration set to "ask", Gatehouse holds the request until the user answers there.
    const hint = setTimeout(
      () => this.#options.log(`If Gatehouse asks, allow the new client "${this.#options.clientName}".`),
      1_500,
    );
    try {
      return await registerClient(server.url, {
        metadata: server.metadata,
        clientMetadata: metadata,
        fetchFn: this.#options.fetch,
      });
    } catch (error) {
      throw new BridgeError(
        'authorization_failed',
        `Gatehouse did not register "${this.#options.clientName}": ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      clearTimeout(hint);
    }
  }

  /**
   * Discovery, once per process: the 401's challenge names the resource metadata (RFC 9728 §5.1).
   * Null when the endpoint answers without asking for authorization.
   */
  #authorizationServer(): Promise<AuthorizationServer | null> {
    this.#server ??= this.#discover().catch((error: unknown) => {
      this.#server = undefined;
      throw error;
    });
    return this.#server;
  }

  async #discover(): Promise<AuthorizationServer | null> {
    const { mcpUrl, fetch } = this.#options;
    const probe = await fetch(mcpUrl, { method: 'GET', headers: { accept: 'text/event-stream' } });
    await probe.body?.cancel();
    if (probe.status !== 401 && probe.status !== 403) {
      this.#open = true;
      return null;
    }
    const challenge = extractWWWAuthenticateParams(probe);
    const resourceMetadata = await discoverOAuthProtectedResourceMetadata(
      mcpUrl,
      challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {},
      fetch,
    );
    if (sameResource(resourceMetadata.resource, mcpUrl.href) === false) {
      throw new BridgeError(
        'authorization_failed',
        `${mcpUrl.href} describes itself as ${resourceMetadata.resource}; refusing to authorize for a different resource.`,
      );
    }
    const url = resourceMetadata.authorization_servers?.[0];
    if (!url) throw new BridgeError('authorization_failed', `${mcpUrl.href} names no authorization server.`);
    const metadata = await discoverAuthorizationServerMetadata(url, { fetchFn: fetch });
    return {
      url,
      metadata,
      resource: resourceMetadata.resource,
      scope: challenge.scope ?? resourceMetadata.scopes_supported?.join(' '),
    };
  }

  async #requireAuthorizationServer(): Promise<AuthorizationServer> {
    const server = await this.#authorizationServer();
    if (server) return server;
    throw new BridgeError(
      'authorization_failed',
      `${this.#options.mcpUrl.href} refused the request but does not ask for authorization (no 401 on discovery).`,
    );
  }

  /** The file's record when it is for this MCP endpoint (another endpoint's credentials are not ours). */
  #reload(): BridgeRecord | undefined {
    const record = this.#options.tokenFile.read();
    this.#record = record?.mcpUrl === this.#options.mcpUrl.href ? record : undefined;
    return this.#record;
  }

  #write(record: BridgeRecord): void {
    const next = { ...record, updatedAt: this.#now() };
    if (!next.tokens) delete next.tokens;
    if (!next.client) delete next.client;
    this.#options.tokenFile.write(next);
    this.#record = next;
  }

  #stored(tokens: OAuthTokens): StoredTokens {
    const now = this.#now();
    return {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
      obtained_at: now,
      ...(tokens.expires_in !== undefined ? { expires_at: now + tokens.expires_in * 1000 } : {}),
    };
  }

  /** Refresh ahead of expiry: a quarter of the lifetime before it ends, at most a minute. */
  #dueForRefresh(tokens: StoredTokens): boolean {
    if (tokens.expires_at === undefined) return false;
    const lifetime = tokens.expires_at - tokens.obtained_at;
    const ahead = Math.min(REFRESH_AHEAD_MAX_MS, Math.max(0, lifetime / 4));
    return this.#now() >= tokens.expires_at - ahead;
  }
}

function connectionRefused(error: unknown): boolean {
  return (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED';
}

/** Compares resource URIs the way Gatehouse does: localhost is 127.0.0.1, no trailing slash. */
function sameResource(a: string, b: string): boolean | undefined {
  const canonical = (uri: string): string | undefined => {
    try {
      const url = new URL(uri);
      if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const [left, right] = [canonical(a), canonical(b)];
  return left === undefined || right === undefined ? undefined : left === right;
}

/** fetch with the bearer token attached; a 401 renews the token (RFC 6750 §3.1) and sends once more. */
export function authorizedFetch(authorization: BridgeAuthorization, fetch: Fetch): Fetch {
  return async (input, init = {}) => {
    const send = (token: string | undefined): Promise<Response> =>
      fetch(input, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
    const token = await authorization.accessToken();
    const response = await send(token);
    if (response.status !== 401 || init.signal?.aborted) return response;
    await response.body?.cancel();
    return send(await authorization.renewAfterRejection(token));
  };
}
