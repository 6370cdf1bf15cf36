// Gatehouse's one paging policy for an upstream's lists (tools, resources, resource templates,
// prompts): Gatehouse walks the pages itself, one request at a time, and a server that pages in a
// circle or without end, sends more items or characters than any real listing needs, or takes too
// long, is stopped with a sentence saying what it did. Given no cursor, the SDK's list methods walk
// every page themselves (64 at most, then they throw; a page repeating its cursor and the page before
// it ends them silently) and bound nothing else; so the first page is a plain request and each later
// one the list method's per-page call with the server's cursor.
import { SdkError, SdkErrorCode, type Client, type RequestOptions } from '@modelcontextprotocol/client';
import { excludeUnmirrorableTools } from '../../sdk/client-internals.js';
import { UpstreamFailure } from './upstream-transporter.js';
import type { UpstreamOffering } from './upstream.js';

/** The lists of an offering, each listed on its own. */
export type ListName = keyof UpstreamOffering;

/**
 * How far one listing of one list may go. Real servers' listings (docs/measurements.md: 484 servers)
 * hold at most 401 tools in 1.03 MB.
 */
const LIST_BOUNDS = {
  /** Pages: the items' bound at ten a page, and a 401-tool listing at one a page two times over. */
  pages: 1_000,
  /** Items: 25 times the largest real listing; the benchmarks' synthetic 5,000-tool listing fits. */
  items: 10_000,
  /**
   * Characters of the items as JSON, cursors included: 16 times the largest real listing, and the
   * most one stdio message may carry (stdio-upstream.ts). Without it 1,000 pages of one large item
   * each would be held in memory.
   */
  chars: 16 * 1024 * 1024,
} as const;

/** The JSON-RPC method of each list. */
export const LIST_METHOD = {
  tools: 'tools/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
  prompts: 'prompts/list',
} as const satisfies Record<ListName, string>;

/** Each list in a user's words. */
const NOUN: Record<ListName, string> = {
  tools: 'tools',
  resources: 'resources',
  resourceTemplates: 'resource templates',
  prompts: 'prompts',
};

/** One page as the walk reads it. */
interface Page {
  items: unknown[];
  nextCursor?: string;
}

/** How long one listing may take. */
export interface ListTimes {
  /** Each page's request at most. */
  requestTimeoutMs: number;
  /** The whole list, every page. */
  listingTimeoutMs: number;
}

/**
 * Every page of `list`, walked under Gatehouse's bounds (`LIST_BOUNDS`, `times`): the items, or an
 * `UpstreamFailure` saying what the server did. A next cursor that is empty ends the list.
 */
export async function listEveryPage<List extends ListName>(
  client: Client,
  list: List,
  times: ListTimes,
): Promise<UpstreamOffering[List]> {
  const items: unknown[] = [];
  const pageOf = new Map<string, number>();
  const deadline = performance.now() + times.listingTimeoutMs;
  const stop = (what: string) =>
    new UpstreamFailure(`${what} Gatehouse stopped listing its ${NOUN[list]}.`, { retry: true });
  let chars = 0;
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > LIST_BOUNDS.pages)
      throw stop(
        `The server's ${LIST_METHOD[list]} did not end: it still named a next page after ${count(LIST_BOUNDS.pages)} pages, the most Gatehouse follows.`,
      );
    const slow = () =>
      stop(
        `The server took more than ${seconds(times.listingTimeoutMs)} to list its ${NOUN[list]} (page ${count(page)} had not come).`,
      );
    const left = deadline - performance.now();
    if (left <= 0) throw slow();
    // A page given what is left of the listing's time times out when the listing's time does. Said by
    // which bound the page had, not by reading the clock again: a timer may fire a fraction of a
    // millisecond before `performance.now()` reaches the deadline, and the walk would then report the
    // SDK's bare timeout instead of the listing's.
    const listingBound = left <= times.requestTimeoutMs;
    let result: Page;
    try {
      result = await fetchPage(client, list, cursor, { timeout: Math.min(times.requestTimeoutMs, left) });
    } catch (error) {
      const timedOut = error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
      if (timedOut && listingBound) throw slow();
      throw error;
    }
    if (items.length + result.items.length > LIST_BOUNDS.items)
      throw stop(
        `The server listed more than ${count(LIST_BOUNDS.items)} ${NOUN[list]} (by page ${count(page)}), the most Gatehouse takes.`,
      );
    for (const item of result.items) items.push(item);
    chars += JSON.stringify(result.items).length + (result.nextCursor?.length ?? 0);
    if (chars > LIST_BOUNDS.chars)
      throw stop(
        `The server's ${NOUN[list]} came to more than ${LIST_BOUNDS.chars / 1024 / 1024} MB (by page ${count(page)}), the most Gatehouse takes.`,
      );
    const next = result.nextCursor;
    if (!next) return items as UpstreamOffering[List];
    const earlier = pageOf.get(next);
    if (earlier !== undefined)
      throw stop(
        `The server's ${LIST_METHOD[list]} went in a circle: page ${count(page)} named as the next page the cursor page ${count(earlier)} had named.`,
      );
    pageOf.set(next, page);
    cursor = next;
  }
}

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** A page as the SDK hands it back: the list's items under its own key, and maybe a next cursor. */
type SdkPage = object & { nextCursor?: string };

/** Each list's per-page call (given a cursor, the SDK's list methods fetch that one page). */
const PER_PAGE: Record<
  ListName,
  (client: Client, params: { cursor: string }, options: RequestOptions) => Promise<SdkPage>
> = {
  tools: (client, params, options) => client.listTools(params, options),
  resources: (client, params, options) => client.listResources(params, options),
  resourceTemplates: (client, params, options) => client.listResourceTemplates(params, options),
  prompts: (client, params, options) => client.listPrompts(params, options),
};

/**
 * One page of `list`: the first by a plain request (the list methods would walk every page), each
 * later one by the list method's per-page call with the server's cursor. A first page of tools goes
 * through the SDK's SEP-2243 exclusion, as the per-page call does for the others.
 */
async function fetchPage(
  client: Client,
  list: ListName,
  cursor: string | undefined,
  options: RequestOptions,
): Promise<Page> {
  let page: SdkPage;
  if (cursor === undefined) {
    page = await client.request({ method: LIST_METHOD[list] }, options);
    if (list === 'tools') excludeUnmirrorableTools(client, page as { tools: unknown[] });
  } else {
    page = await PER_PAGE[list](client, { cursor }, options);
  }
  return { items: (page as Record<ListName, unknown[]>)[list], nextCursor: page.nextCursor };
}
