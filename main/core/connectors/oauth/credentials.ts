// What one OAuth connector holds between runs and the state that puts it in: the stored record, saved
// one write at a time, and the reason (with its sentence) when only the user can move it on.
import type { Logger } from '../../effects.js';
import { GatehouseError } from '../../errors.js';
import type {
  AttentionReason,
  OAuthCredentialStore,
  StoredCredentials,
} from '../../store/oauth-credential-store.js';
import { attentionSentence } from './attention.js';
import { describeError } from './protocol.js';
import type { AuthState } from '../runtime/upstream.js';

/** Thrown by `authorize` (and friends) when only the user can fix things; `message` says how. */
export class UpstreamAuthorizationRequired extends GatehouseError {
  /** Why the user must act, as kept in the store. */
  readonly reason: AttentionReason;

  constructor(reason: AttentionReason, message: string) {
    super('unauthorized', message);
    this.name = 'UpstreamAuthorizationRequired';
    this.reason = reason;
  }
}

/** What marking a connector as needing the user records besides the reason. */
export interface NeedActionOptions {
  /** The scope the server asked for. */
  scope?: string;
  /** The tokens are no use any more: drop them with the same write. */
  dropTokens?: boolean;
  /** For 'client-rejected': which of Gatehouse's client identities the server refused. */
  client?: NonNullable<StoredCredentials['attention']>['client'];
  /** For 'server-changed': the authorization server the resource names now. */
  issuer?: string;
}

/** What the credentials of one connector need to know about it. */
export interface ConnectorCredentialsOptions {
  connector: string;
  store: OAuthCredentialStore;
  logger: Logger;
  /** The user entered a client ID in the connector's OAuth settings (the sentences differ). */
  clientIdSet: boolean;
  clientMetadataUrl: string | undefined;
}

/**
 * One OAuth connector's credentials as held in memory: the other parts of the OAuth client change
 * `stored` in place and `persist` it; state changes go to the listeners (the HTTP upstream's status).
 */
export class ConnectorCredentials {
  /** The record as the store keeps it (registration, tokens, discovery, step-up scope, attention). */
  stored: StoredCredentials = { version: 1 };
  readonly #options: ConnectorCredentialsOptions;
  #current: AuthState = 'action-required';
  readonly #listeners = new Set<(state: AuthState) => void>();
  #saving: Promise<void> = Promise.resolve();

  constructor(options: ConnectorCredentialsOptions) {
    this.#options = options;
  }

  /** Reads the store; unreadable credentials count as none (the user connects again). */
  async load(): Promise<void> {
    let stored: StoredCredentials | undefined;
    try {
      stored = await this.#options.store.load();
    } catch (error) {
      this.#options.logger.warn('upstream OAuth: stored credentials could not be read', {
        connector: this.#options.connector,
        error: describeError(error),
      });
    }
    this.stored = stored ?? { version: 1 };
  }

  /** Whether requests can carry credentials ('ready') or wait for the user ('action-required'). */
  state(): AuthState {
    return this.#current;
  }

  /** Subscribes to state changes; returns the unsubscribe. */
  onStateChange(listener: (state: AuthState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Moves to `state`, telling the listeners only when it is a change. */
  setState(state: AuthState): void {
    if (state === this.#current) return;
    this.#current = state;
    for (const listener of this.#listeners) listener(state);
  }

  /** Saves a snapshot of `stored`, after any save still under way (writes never overtake). */
  async persist(): Promise<void> {
    const snapshot = structuredClone(this.stored);
    this.#saving = this.#saving.catch(() => undefined).then(() => this.#options.store.save(snapshot));
    await this.#saving;
  }

  /** Settles once the last save has, whether it worked or not. */
  async saved(): Promise<void> {
    await this.#saving.catch(() => undefined);
  }

  /** Forgets everything held, in memory and in the store; the connector waits for Connect. */
  async clear(): Promise<void> {
    this.stored = { version: 1 };
    await this.#options.store.clear();
    this.setState('action-required');
  }

  /** Records why the user must act (kept across restarts) and moves to 'action-required'. */
  async needAction(reason: AttentionReason, options: NeedActionOptions = {}): Promise<void> {
    const attention = {
      reason,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.client ? { client: options.client } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
    };
    const changed =
      this.#current !== 'action-required' ||
      (options.dropTokens === true && this.stored.tokens !== undefined) ||
      JSON.stringify(attention) !== JSON.stringify(this.stored.attention);
    // A connector that keeps answering 401 is not news after the first time.
    if (!changed) return;
    if (options.dropTokens) delete this.stored.tokens;
    this.stored.attention = attention;
    await this.persist();
    this.#options.logger.warn('upstream OAuth: the user must act', {
      connector: this.#options.connector,
      reason,
    });
    this.setState('action-required');
  }

  /** Why the user must act, with the sentence to show; undefined while the connector is ready. */
  attention(): { reason: AttentionReason; message: string } | undefined {
    if (this.#current !== 'action-required') return undefined;
    const reason = this.stored.attention?.reason ?? 'not-connected';
    return { reason, message: this.#sentence(reason) };
  }

  /** The error to throw where only the user can help, saying what to do. */
  required(): UpstreamAuthorizationRequired {
    const reason = this.stored.attention?.reason ?? 'not-connected';
    return new UpstreamAuthorizationRequired(reason, this.#sentence(reason));
  }

  #sentence(reason: AttentionReason): string {
    return attentionSentence(reason, {
      connector: this.#options.connector,
      scope: this.stored.attention?.scope,
      clientIdSet: this.#options.clientIdSet,
      client: this.stored.attention?.client,
      clientMetadataUrl: this.#options.clientMetadataUrl,
      issuer: this.stored.attention?.issuer,
    });
  }
}
