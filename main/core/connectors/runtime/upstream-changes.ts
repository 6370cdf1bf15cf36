// How one connection hears about changes, in its era. A 2025-era server sends list_changed unasked and
// resources/updated for what resources/subscribe asked about. A 2026-07-28 server says nothing unless
// a subscriptions/listen stream asks: one stream per connection, its filter the list changes the
// server offers plus the resources Gatehouse's clients watch, opened again (with the new filter)
// when that set changes, and after a drop. Either way the notifications reach the SDK client's
// handlers, which the runtime installed.
import type { Client, McpSubscription, SubscriptionFilter } from '@modelcontextprotocol/client';
import type { Logger } from '../../effects.js';

/** The wait before listening again after a stream dropped: 1 s, doubling, at most 30 s. */
const RELISTEN_MS = [1000, 2000, 4000, 8000, 16_000, 30_000];

/** How one connection hears about list and resource changes, in its era (see the module comment). */
export class UpstreamChanges {
  readonly #client: Client;
  readonly #logger: Logger;
  readonly #connector: string;
  /** Called after a dropped stream was opened again: what changed meanwhile was missed. */
  readonly #onResumed: () => void;
  readonly #resources: Set<string>;
  #subscription: McpSubscription | undefined;
  #opening: Promise<void> | undefined;
  #again = false;
  #drops = 0;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;

  /** `resources` is the runtime's own set of watched URIs (shared, read on every (re)open). */
  constructor(input: {
    client: Client;
    connector: string;
    logger: Logger;
    resources: Set<string>;
    onResumed(): void;
  }) {
    this.#client = input.client;
    this.#connector = input.connector;
    this.#logger = input.logger;
    this.#resources = input.resources;
    this.#onResumed = input.onResumed;
  }

  get modern(): boolean {
    return this.#client.getProtocolEra() === 'modern';
  }

  /** Starts listening (2026-07-28) or subscribes what is watched (2025 era) on a new connection. */
  async start(): Promise<void> {
    if (this.modern) {
      await this.#listen();
      return;
    }
    for (const uri of this.#resources) {
      await this.#client.subscribeResource({ uri }).catch((error: unknown) => {
        this.#logger.warn('connector refused a resource subscription', {
          connector: this.#connector,
          error: (error as Error).message,
        });
      });
    }
  }

  /** The runtime's set gained `uri`. */
  async subscribe(uri: string, signal?: AbortSignal): Promise<void> {
    if (this.modern) await this.#listen();
    else await this.#client.subscribeResource({ uri }, signal ? { signal } : undefined);
  }

  /** The runtime's set lost `uri`. */
  async unsubscribe(uri: string): Promise<void> {
    if (this.modern) await this.#listen();
    else await this.#client.unsubscribeResource({ uri });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    void this.#subscription?.close().catch(() => undefined);
    this.#subscription = undefined;
  }

  /** (Re)opens the stream with the current filter; concurrent calls coalesce into one more open. */
  async #listen(): Promise<void> {
    if (this.#opening) {
      this.#again = true;
      return this.#opening;
    }
    this.#opening = (async () => {
      do {
        this.#again = false;
        await this.#open();
      } while (this.#again && !this.#closed);
    })().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #open(): Promise<void> {
    if (this.#closed) return;
    const filter = this.#filter();
    const previous = this.#subscription;
    this.#subscription = undefined;
    if (Object.keys(filter).length === 0) {
      await previous?.close().catch(() => undefined);
      return;
    }
    let subscription: McpSubscription;
    try {
      subscription = await this.#client.listen(filter);
    } catch (error) {
      this.#logger.warn(
        'connector refused subscriptions/listen; changes will not be seen until it reconnects',
        {
          connector: this.#connector,
          error: (error as Error).message,
        },
      );
      this.#subscription = previous;
      return;
    }
    // The new stream is acknowledged before the old one goes, so nothing falls between them.
    await previous?.close().catch(() => undefined);
    if (this.#closed) {
      await subscription.close().catch(() => undefined);
      return;
    }
    this.#subscription = subscription;
    this.#drops = 0;
    void subscription.closed.then((how) => {
      if (how !== 'remote' || this.#closed || this.#subscription !== subscription) return;
      const delay = RELISTEN_MS[Math.min(this.#drops++, RELISTEN_MS.length - 1)]!;
      this.#logger.info('connector subscriptions/listen stream dropped; listening again', {
        connector: this.#connector,
        inMs: delay,
      });
      this.#timer = setTimeout(() => {
        void this.#listen().then(() => this.#onResumed());
      }, delay);
      this.#timer.unref();
    });
  }

  #filter(): SubscriptionFilter {
    const offered = this.#client.getServerCapabilities() ?? {};
    return {
      ...(offered.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(offered.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(offered.resources?.listChanged ? { resourcesListChanged: true } : {}),
      ...(offered.resources?.subscribe && this.#resources.size > 0
        ? { resourceSubscriptions: [...this.#resources] }
        : {}),
    };
  }
}
