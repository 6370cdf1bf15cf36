// A real MCP SDK client (v2) with the SDK's own OAuth machinery (discovery, DCR, PKCE, resource
// indicators, refresh), whose "browser step" is a TestBrowser and whose consent is given through
// the engine's API — the trusted path. `era` chooses how it connects: the 2025 `initialize`
// handshake (default), `auto` (server/discover, falling back), or pinned to 2026-07-28.
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type ClientCapabilities,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import type { Engine } from '../../main/core/engine/engine.js';
import type { AccessLevel } from '../../main/core/api/contract.js';
import { TestBrowser } from './test-browser.js';

export const CALLBACK = 'http://127.0.0.1:53682/callback';

export class RecordingOAuthProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  savedTokens: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  discovery: OAuthDiscoveryState | undefined;
  readonly metadata: OAuthClientMetadata;

  constructor(
    metadata: Partial<OAuthClientMetadata> = {},
    readonly redirect: string = CALLBACK,
  ) {
    this.metadata = {
      client_name: 'Test MCP Client',
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    };
  }

  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return this.metadata;
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }
  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }
  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

/** legacy: `initialize` only; auto: `server/discover`, falling back; 2026-07-28: that revision or nothing. */
export type ClientEra = 'legacy' | 'auto' | '2026-07-28';

export function negotiation(era: ClientEra = 'legacy'): { mode: 'legacy' | 'auto' | { pin: string } } {
  return { mode: era === '2026-07-28' ? { pin: era } : era };
}

export interface AuthorizedClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  provider: RecordingOAuthProvider;
  browser: TestBrowser;
  consentId: string;
  consentPage: string;
}

/** Runs the whole flow: 401 → discovery → DCR → /authorize → consent (approved via API) → tokens → connected. */
export async function authorizeClient(
  engine: Engine,
  options: {
    access?: AccessLevel;
    provider?: RecordingOAuthProvider;
    url?: string;
    name?: string;
    /** The grant's connectors (default: all). */
    connectors?: string[];
    /** Capabilities the connected client declares (e.g. sampling). */
    capabilities?: ClientCapabilities;
    /** How the connected client negotiates the protocol era (default: legacy). */
    era?: ClientEra;
  } = {},
): Promise<AuthorizedClient> {
  const url = new URL(options.url ?? engine.mcpUrl);
  const provider =
    options.provider ?? new RecordingOAuthProvider(options.name ? { client_name: options.name } : {});
  const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
  const probe = new Client({ name: 'test', version: '1.0.0' });
  await probe.connect(first).then(
    () => {
      throw new Error('expected the first connect to need authorization');
    },
    (error: unknown) => {
      if (!(error instanceof UnauthorizedError)) throw error;
    },
  );
  if (!provider.authorizationUrl) throw new Error('the SDK did not start authorization');
  const browser = new TestBrowser();
  const page = await browser.navigate(provider.authorizationUrl.href, provider.redirect);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${page.body}`);
  const consents = await engine.call('consents.list');
  const consent = consents.find((c) => c.clientId === provider.info?.client_id);
  if (!consent) throw new Error(`no pending consent for ${provider.info?.client_id}`);
  await engine.call('consents.approve', {
    id: consent.id,
    access: options.access ?? 'read',
    ...(options.connectors ? { connectors: options.connectors } : {}),
  });
  const landed = await browser.reload(provider.redirect);
  const code = new URL(landed.url).searchParams.get('code');
  if (!code) throw new Error(`no code in ${landed.url}; hops: ${JSON.stringify(browser.hops, null, 1)}`);
  // The whole callback query: it carries the authorization server's `iss` (RFC 9207).
  await first.finishAuth(new URL(landed.url).searchParams);
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { capabilities: options.capabilities ?? {}, versionNegotiation: negotiation(options.era) },
  );
  await client.connect(transport);
  return { client, transport, provider, browser, consentId: consent.id, consentPage: page.body };
}
