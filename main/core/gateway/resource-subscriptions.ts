// Who wants notifications/resources/updated for which upstream resource. One upstream connection
// serves every client, so each (connector, URI) is subscribed upstream once, when its first
// subscriber arrives, and released when its last one leaves. A subscriber is a 2025-era session
// (resources/subscribe) or a 2026-07-28 subscriptions/listen stream; either gets the update
// in the URI form it knows.
import type { Logger } from '../effects.js';

/** Subscribes to and releases one resource on a connector's upstream (era-aware, in the runtime). */
export interface UpstreamResources {
  subscribe(connector: string, uri: string, signal?: AbortSignal): Promise<void>;
  unsubscribe(connector: string, uri: string): Promise<void>;
}

/** Called with the upstream's notification params (its own `uri`) when the resource changes. */
export type ResourceListener = (params: Record<string, unknown> & { uri: string }) => void;

/** The upstream resource subscriptions in force, each shared by every subscriber that asked for it. */
export class ResourceSubscriptions {
  readonly #upstream: UpstreamResources;
  readonly #logger: Logger;
  /** connector + URI → listeners; a key exists once its upstream subscription is asked for. */
  readonly #listeners = new Map<string, Set<ResourceListener>>();
  /** Upstream subscriptions under way, so a second subscriber waits for the first one's answer. */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(upstream: UpstreamResources, logger: Logger) {
    this.#upstream = upstream;
    this.#logger = logger;
  }

  /**
   * Adds a listener for one upstream resource, subscribing upstream if it is the first. Rejects
   * (adding nothing) when the upstream refuses; resolves to the function that removes it again.
   */
  async add(
    connector: string,
    uri: string,
    listener: ResourceListener,
    signal?: AbortSignal,
  ): Promise<() => Promise<void>> {
    const key = resourceKey(connector, uri);
    if (!this.#listeners.has(key)) {
      let pending = this.#pending.get(key);
      if (!pending) {
        pending = this.#upstream.subscribe(connector, uri, signal).finally(() => this.#pending.delete(key));
        this.#pending.set(key, pending);
      }
      await pending;
      if (!this.#listeners.has(key)) this.#listeners.set(key, new Set());
    }
    this.#listeners.get(key)!.add(listener);
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      await this.#remove(key, connector, uri, listener);
    };
  }

  /** An upstream said a resource changed: every listener of that resource hears it. */
  updated(connector: string, params: Record<string, unknown> & { uri: string }): void {
    for (const listener of this.#listeners.get(resourceKey(connector, params.uri)) ?? []) {
      try {
        listener(params);
      } catch (error) {
        this.#logger.warn('a resource update listener failed', { error: (error as Error).message });
      }
    }
  }

  /** Resources subscribed upstream right now (for tests and status). */
  get size(): number {
    return this.#listeners.size;
  }

  async #remove(key: string, connector: string, uri: string, listener: ResourceListener): Promise<void> {
    const listeners = this.#listeners.get(key);
    if (!listeners?.delete(listener) || listeners.size > 0) return;
    this.#listeners.delete(key);
    await this.#upstream.unsubscribe(connector, uri).catch((error: unknown) => {
      this.#logger.warn('releasing an upstream resource subscription failed', {
        connector,
        error: (error as Error).message,
      });
    });
  }
}

function resourceKey(connector: string, uri: string): string {
  return `${connector}\u0000${uri}`;
}
