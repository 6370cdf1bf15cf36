// One upstream OAuth client per OAuth connector, made on demand and kept for the connector's life:
// its credentials sealed by the vault in `connector_secrets` (key "oauth"), its browser step returning
// to Gatehouse's own loopback callback, which this module answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Effects } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import { sendMessagePage } from '../../consent/consent-page.js';
import { sendJson } from '../../http/http-io.js';
import type { ConnectorSettings, HttpSettings } from '../../api/connector-config.js';
import type { AuthProblemKind } from '../../api/auth-problem.js';
import type { AuthState } from '../runtime/upstream.js';
import {
  OAUTH_CREDENTIALS_KEY as CREDENTIALS_KEY,
  type ConnectorStore,
} from '../../store/connector-store.js';
import { vaultCredentialStore } from '../../store/oauth-credential-store.js';
import { UpstreamOAuth } from './upstream-oauth.js';

/** Where upstream authorization servers send the user back (Gatehouse's loopback redirect URI path). */
export const OAUTH_CALLBACK_PATH = '/connectors/oauth/callback';
/** Gatehouse's client ID metadata document, as it must be published at the configured URL. */
export const CLIENT_METADATA_PATH = '/connectors/oauth/client-metadata.json';

/**
 * The engine's upstream OAuth clients, one per OAuth connector (made on demand, forgotten with the
 * connector), and the HTTP side of their browser step: the callback and the client metadata document.
 */
export class ConnectorOAuth {
  readonly #store: ConnectorStore;
  readonly #effects: Effects;
  readonly #redirectUri: string;
  readonly #authorizers = new Map<string, Promise<UpstreamOAuth>>();
  /** The same clients once made, for questions answered at once (a connector's status). */
  readonly #made = new Map<string, UpstreamOAuth>();

  readonly #clientMetadataUrl: string | undefined;

  constructor(options: {
    store: ConnectorStore;
    effects: Effects;
    issuer: string;
    /**
     * Where Gatehouse's client ID metadata document is published (https). With it, an authorization
     * server that supports metadata documents gets that URL as client id, and no registration.
     */
    clientMetadataUrl?: string;
  }) {
    this.#store = options.store;
    this.#effects = options.effects;
    this.#redirectUri = `${options.issuer}${OAUTH_CALLBACK_PATH}`;
    this.#clientMetadataUrl = options.clientMetadataUrl;
  }

  /** The connector's OAuth client (created once; recreated after `reset`). */
  authorizer(name: string, settings: HttpSettings): Promise<UpstreamOAuth> {
    let authorizer = this.#authorizers.get(name);
    if (!authorizer) {
      const auth = settings.auth.type === 'oauth' ? settings.auth : undefined;
      const { type: _type, ...oauthSettings } = auth ?? { type: 'oauth' as const };
      authorizer = UpstreamOAuth.create({
        connector: name,
        serverUrl: settings.url,
        settings: oauthSettings,
        redirectUri: this.#redirectUri,
        ...(this.#clientMetadataUrl ? { clientMetadataUrl: this.#clientMetadataUrl } : {}),
        clientName: 'Gatehouse',
        store: vaultCredentialStore(this.#effects.vault, {
          read: async () => {
            const sealed = this.#store.secret(name, CREDENTIALS_KEY);
            return sealed === undefined ? undefined : Buffer.from(sealed, 'base64');
          },
          write: async (bytes) => this.#store.putSecret(name, CREDENTIALS_KEY, bytes.toString('base64')),
          remove: async () => this.#store.deleteSecret(name, CREDENTIALS_KEY),
        }),
        effects: this.#effects,
      });
      authorizer.then(
        (made) => {
          if (this.#authorizers.get(name) === authorizer) this.#made.set(name, made);
        },
        () => this.#authorizers.delete(name),
      );
      this.#authorizers.set(name, authorizer);
    }
    return authorizer;
  }

  /** Starts the browser step for a connector (opens the system browser, or prints the URL headless). */
  async begin(name: string): Promise<{ url: string }> {
    const record = this.#store.require(name);
    if (record.settings.kind !== 'http' || record.settings.auth.type !== 'oauth') {
      throw new GatehouseError(
        'bad_request',
        `${name} does not use OAuth, so there is nothing to connect; use Test instead.`,
      );
    }
    const authorizer = await this.authorizer(name, this.#store.unsealed(name) as HttpSettings);
    return authorizer.beginAuthorization();
  }

  /** Forgets a connector's client (after its settings change, or on delete with `clearCredentials`). */
  async reset(name: string, options: { clearCredentials: boolean }): Promise<void> {
    const authorizer = this.#authorizers.get(name);
    this.#authorizers.delete(name);
    this.#made.delete(name);
    if (options.clearCredentials) await (await authorizer?.catch(() => undefined))?.forget();
  }

  /**
   * What is wrong with a connector's credentials while its auth state is "action required": a
   * bearer token refused, an OAuth connector never signed in, to reconnect… (null otherwise).
   */
  problemOf(name: string, settings: ConnectorSettings, auth: AuthState): AuthProblemKind | null {
    if (auth !== 'action-required' || settings.kind !== 'http') return null;
    if (settings.auth.type === 'bearer') return 'token-refused';
    return this.#made.get(name)?.problem()?.kind ?? 'never-connected';
  }

  /**
   * GET /connectors/oauth/client-metadata.json: the document to publish at the configured URL
   * (its client_id must be that URL, its redirect URI this Gatehouse's callback).
   */
  handleClientMetadata(res: ServerResponse): void {
    const clientId = this.#clientMetadataUrl;
    if (!clientId) {
      sendJson(res, 404, {
        error: 'not_found',
        error_description:
          'This Gatehouse has no client metadata document URL. Start it with GATEHOUSE_CLIENT_METADATA_URL set to the https URL where you publish this document; until then it registers with each authorization server (DCR).',
      });
      return;
    }
    sendJson(res, 200, {
      client_id: clientId,
      client_name: 'Gatehouse',
      redirect_uris: [this.#redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
  }

  /** GET /connectors/oauth/callback: the upstream authorization server sends the browser back here. */
  async handleCallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#redirectUri);
    const state = url.searchParams.get('state');
    const settled = await Promise.all(
      [...this.#authorizers.values()].map((pending) => pending.catch(() => undefined)),
    );
    const owner = settled.find((authorizer) => authorizer?.ownsState(state));
    if (!owner) {
      sendMessagePage(
        res,
        400,
        'Nothing was waiting for this sign-in',
        'This link is not one Gatehouse started, or it expired. Start again with Connect in Gatehouse.',
      );
      return;
    }
    try {
      const { connector } = await owner.completeAuthorization(url);
      sendMessagePage(
        res,
        200,
        `${connector} is connected`,
        'Gatehouse holds the credentials now. You can close this tab.',
      );
    } catch (error) {
      sendMessagePage(res, 400, 'The sign-in did not complete', (error as Error).message);
    }
  }
}
