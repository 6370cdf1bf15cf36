// An upstream's offering (its tools, resources, templates and prompts) as Gatehouse keeps it: every
// kind listed (all pages, under Gatehouse's paging policy: list-pages.ts) when a connection opens, one
// kind listed again on its list_changed — one listing at a time, again if it changed meanwhile — and
// only what actually changed published. Every listing also says which of its lists came complete
// (every page), changed or not (`listed`).
import type { Client } from '@modelcontextprotocol/client';
import type { Logger } from '../../effects.js';
import { LIST_METHOD, listEveryPage, type ListName } from './list-pages.js';
import { isMethodNotFound } from './upstream-client.js';
import type { UpstreamFailure } from './upstream-transporter.js';
import type { CompleteLists, UpstreamOffering } from './upstream.js';

/** The kinds of list a server offers, each with its own list_changed notification. */
export type OfferingKind = 'tools' | 'resources' | 'prompts';

/** Every kind, in the order they are listed. */
const OFFERING_KINDS = ['tools', 'resources', 'prompts'] as const;

const emptyOffering = (): UpstreamOffering => ({
  tools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
});

/**
 * The lists of an offering as one listing got them: a list listed (every page: list-pages.ts throws
 * on anything less), `null` for one the server does not offer or implement (empty, and not listed),
 * absent when its kind was not listed this time.
 */
type ListedLists = { [List in keyof UpstreamOffering]?: UpstreamOffering[List] | null };

/** Every list of an offering. */
const LISTS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;

/** Takes one list of a listing into the next offering, and into the complete lists when it came whole. */
function take<List extends keyof UpstreamOffering>(
  list: List,
  listings: ListedLists,
  into: { next: UpstreamOffering; complete: CompleteLists },
): void {
  const listed = listings[list];
  if (listed === undefined) return;
  into.next[list] = listed ?? [];
  if (listed !== null) into.complete[list] = listed;
}

/** What keeping one upstream's offering depends on. */
export interface OfferingContext {
  connector: string;
  logger: Logger;
  /** Per-request timeout for the listings. */
  requestTimeoutMs: number;
  /** How long the listing of one list may take, every page. */
  listingTimeoutMs: number;
  /** Whether `client` is still the live connection's: listings from an older one are dropped. */
  isCurrent(client: Client): boolean;
  /** Publishes the new offering and the kinds that changed in it. */
  changed(offering: UpstreamOffering, kinds: OfferingKind[]): void;
  /** Tells, before `changed`, which lists a listing brought complete (changed or not). */
  listed(lists: CompleteLists): void;
  /** A user sentence for a failed listing (its own, or the transport's words). */
  describe(error: unknown): UpstreamFailure;
  /**
   * A list_changed refresh failed (the sentence: what changed, why it could not be listed, the old
   * list kept), or a listing has succeeded since (null).
   */
  refreshProblem(problem: string | null): void;
}

/** One upstream's offering, kept across reconnects and refetched on list_changed. */
export class OfferingCache {
  readonly #context: OfferingContext;
  #value = emptyOffering();
  readonly #refreshing = new Map<OfferingKind, Promise<void>>();
  readonly #stale = new Set<OfferingKind>();
  /** The client whose first offering is being listed; list_changed meanwhile is replayed after. */
  #loading: Client | undefined;

  constructor(context: OfferingContext) {
    this.#context = context;
  }

  /** The offering as last listed. */
  value(): UpstreamOffering {
    return this.#value;
  }

  /** A new attempt: list_changed from an earlier connection no longer counts. */
  reset(): void {
    this.#stale.clear();
  }

  /** Lists everything for a new connection; a list_changed meanwhile is kept for `replay`. */
  async loadFirst(client: Client): Promise<void> {
    this.#loading = client;
    await this.#load(client, [...OFFERING_KINDS]).finally(() => (this.#loading = undefined));
  }

  /** Lists again what changed while the first listing ran. */
  replay(client: Client): void {
    for (const kind of [...this.#stale]) void this.refresh(client, kind);
  }

  /** Lists every kind again (the server's offer may have changed). */
  refreshAll(client: Client): void {
    for (const kind of OFFERING_KINDS) void this.refresh(client, kind);
  }

  /** A list_changed notification: refetch that kind, one fetch at a time, again if it changed meanwhile. */
  async refresh(client: Client, kind: OfferingKind): Promise<void> {
    const { isCurrent } = this.#context;
    if (!isCurrent(client)) return;
    if (this.#refreshing.has(kind) || this.#loading === client) {
      this.#stale.add(kind);
      return;
    }
    const run = (async () => {
      do {
        this.#stale.delete(kind);
        try {
          await this.#load(client, [kind]);
        } catch (error) {
          const reason = this.#context.describe(error).message;
          this.#context.logger.warn('connector catalog refresh failed', {
            connector: this.#context.connector,
            kind,
            reason,
          });
          if (isCurrent(client)) {
            this.#context.refreshProblem(
              `The server said its ${kind} changed, but listing them again failed: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Gatehouse still offers the ${kind} it listed before.`,
            );
          }
        }
      } while (this.#stale.has(kind) && isCurrent(client));
    })();
    this.#refreshing.set(kind, run);
    await run.finally(() => this.#refreshing.delete(kind));
  }

  /**
   * Lists the given kinds, tells which lists came complete, and publishes what actually changed. A
   * listing that fails anywhere tells and publishes nothing.
   */
  async #load(client: Client, kinds: OfferingKind[]): Promise<void> {
    const parts = await Promise.all(kinds.map((kind) => this.#fetchKind(client, kind)));
    if (!this.#context.isCurrent(client)) return;
    this.#context.refreshProblem(null);
    const listings: ListedLists = Object.assign({}, ...parts);
    const next: UpstreamOffering = { ...this.#value };
    const complete: CompleteLists = {};
    for (const list of LISTS) take(list, listings, { next, complete });
    if (Object.keys(complete).length > 0) this.#context.listed(complete);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed = kinds.filter((kind) =>
      kind === 'resources'
        ? !same(next.resources, this.#value.resources) ||
          !same(next.resourceTemplates, this.#value.resourceTemplates)
        : !same(next[kind], this.#value[kind]),
    );
    this.#value = next;
    if (changed.length > 0) this.#context.changed(next, changed);
  }

  /** The lists of one kind, each as listed (a list the server does not offer: `null`). */
  async #fetchKind(client: Client, kind: OfferingKind): Promise<ListedLists> {
    const capabilities = client.getServerCapabilities() ?? {};
    const times = {
      requestTimeoutMs: this.#context.requestTimeoutMs,
      listingTimeoutMs: this.#context.listingTimeoutMs,
    };
    const listed = async <List extends ListName>(list: List): Promise<UpstreamOffering[List] | null> => {
      try {
        return await listEveryPage(client, list, times);
      } catch (error) {
        // Declared but not implemented (common for resource templates): an empty list, not a failure.
        if (!isMethodNotFound(error)) throw error;
        this.#context.logger.warn('connector declares a capability it does not implement', {
          connector: this.#context.connector,
          what: LIST_METHOD[list],
        });
        return null;
      }
    };
    switch (kind) {
      case 'tools':
        return { tools: capabilities.tools ? await listed('tools') : null };
      case 'resources':
        if (!capabilities.resources) return { resources: null, resourceTemplates: null };
        return { resources: await listed('resources'), resourceTemplates: await listed('resourceTemplates') };
      case 'prompts':
        return { prompts: capabilities.prompts ? await listed('prompts') : null };
    }
  }
}
