// First sight off the main thread for a large tools/list. A 5,000-tool listing is about
// 8 MB on one stdio line: the main thread spends ~70 ms parsing it, ~170 ms in the SDK's check of
// the result and more comparing it with the last listing, and scanning it would add ~100–160 ms after
// all that. So when the stdio transport reads a long line while a tagged tools/list request waits,
// it hands the raw line to a worker thread (first-sight-thread.ts) before parsing it itself; the
// worker parses and scans it meanwhile. The listing (OfferingCache) then takes the findings of the
// responses to its own requests — tied to them by a tag it passed with the requests, which the
// transport noted against their ids — and files them under the very tool objects the SDK gave it;
// the tool store's first-sight hook reads them there (firstSightOf). A remote connector's answers come
// here through first-sight-remote.ts. Anything not found that way (a small listing, a name listed
// twice, a worker that failed) is scanned on the main thread as before. docs/decisions.md, "Issue 18:
// first sight off the main thread".
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { JSONRPCMessage, RequestId, TransportSendOptions } from '@modelcontextprotocol/client';
import { scanDefinition, type FirstSightFinding } from '../../policy/first-sight.js';
import { THREAD_DATA, type ScanAnswer, type ScanJob } from './first-sight-thread.js';

/** The request option header a listing's tools/list requests carry its tag in (never sent upstream). */
export const LISTING_TAG = 'x-gatehouse-first-sight-listing';

/** Lines shorter than this are parsed and scanned on the main thread: a worker would not save time. */
export const OFF_THREAD_MIN_CHARS = 256 * 1024;

/**
 * Lines handed to the worker and not yet answered, at most. A server that floods long lines while a
 * listing waits would otherwise queue copies of them all in the worker; past this, a line is left to
 * the main thread (scanned there if it is the listing's answer).
 */
export const MAX_WAITING_LINES = 2;

/**
 * How long the worker stays after its last answer. A worker that has parsed a 5,000-tool listing holds
 * some 60–80 MB until it is gone, and a tray app should not keep that for a listing that came once.
 */
const IDLE_STOP_MS = 5_000;

/** Findings by tool name, for the tools one response listed once; undefined when the scan failed. */
type LineScan = Promise<Map<string, FirstSightFinding[]> | undefined>;

/**
 * One worker thread that scans listing lines in turn. Started on a line, stopped `idleStopMs` after
 * its last answer (and started again for the next line), never keeping the process alive (`unref`);
 * one that fails to start or dies answers every job undefined from then on, and its lines are
 * scanned on the main thread.
 */
export class ScanThread {
  readonly #url: URL;
  readonly #idleStopMs: number;
  #worker: Worker | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #failed = false;
  #next = 0;
  readonly #waiting = new Map<number, (findings: ScanAnswer['findings'] | undefined) => void>();

  constructor(url = new URL('./first-sight-thread.js', import.meta.url), idleStopMs = IDLE_STOP_MS) {
    this.#url = url;
    this.#idleStopMs = idleStopMs;
  }

  /** Whether a worker thread is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Scans a tools/list response's line in the worker (undefined: left to the main thread). */
  scan(text: string): LineScan {
    if (this.#waiting.size >= MAX_WAITING_LINES) return Promise.resolve(undefined);
    clearTimeout(this.#idleTimer);
    const worker = this.#start();
    if (!worker) return Promise.resolve(undefined);
    const id = ++this.#next;
    const answered = new Promise<ScanAnswer['findings'] | undefined>((resolve) =>
      this.#waiting.set(id, resolve),
    );
    if (this.#waiting.size === 1) worker.ref();
    worker.postMessage({ id, text } satisfies ScanJob);
    return answered.then((findings) => (findings ? new Map(findings) : undefined));
  }

  /** Stops the worker for good; a scan still waiting is answered undefined. */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failed = true;
    this.#settleAll();
    await worker?.terminate();
  }

  /** Nothing waited for `idleStopMs`: the worker goes (not a failure; the next line starts another). */
  #stopIdle(): void {
    const worker = this.#worker;
    if (!worker || this.#waiting.size > 0) return;
    this.#worker = undefined;
    void worker.terminate();
  }

  #start(): Worker | undefined {
    if (this.#failed) return undefined;
    if (this.#worker) return this.#worker;
    try {
      const worker = new Worker(this.#url, { workerData: THREAD_DATA });
      worker.unref();
      worker.on('message', ({ id, findings }: ScanAnswer) => {
        const resolve = this.#waiting.get(id);
        this.#waiting.delete(id);
        if (this.#waiting.size === 0) {
          worker.unref();
          this.#idleTimer = setTimeout(() => this.#stopIdle(), this.#idleStopMs);
          this.#idleTimer.unref();
        }
        resolve?.(findings ?? undefined);
      });
      const fail = () => {
        // The end of a worker stopped for idleness (or by close) is no failure.
        if (this.#worker !== worker) return;
        this.#failed = true;
        this.#worker = undefined;
        this.#settleAll();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      this.#worker = worker;
      return worker;
    } catch {
      this.#failed = true;
      return undefined;
    }
  }

  #settleAll(): void {
    for (const resolve of this.#waiting.values()) resolve(undefined);
    this.#waiting.clear();
  }
}

/** The process's scan thread (the engine's listings share it). */
const thread = new ScanThread();

/** Listings under way, by tag: the scans of the responses to their tagged requests, and what handing them over cost. */
const listings = new Map<string, { scans: LineScan[]; handOverMs: number }>();

/** A tag for one listing's tools/list requests (passed as LISTING_TAG in their options' headers). */
export function newListing(): string {
  const tag = randomUUID();
  listings.set(tag, { scans: [], handOverMs: 0 });
  return tag;
}

/** Whether a listing is still under way (its scans not yet taken). */
export function listingOpen(tag: string): boolean {
  return listings.has(tag);
}

/**
 * A listing's tools/list request about to be sent (OfferingCache tags it in its send options): its id
 * and the listing's tag; undefined for anything else.
 */
export function taggedListingRequest(
  message: JSONRPCMessage,
  options: TransportSendOptions | undefined,
): { id: RequestId; tag: string } | undefined {
  const tag = options?.headers?.[LISTING_TAG];
  if (tag === undefined || !('method' in message) || message.method !== 'tools/list' || !('id' in message))
    return undefined;
  return { id: message.id, tag };
}

/**
 * One connection's tagged tools/list requests not yet answered, each with its listing's tag. The first
 * response to a request settles it, found by its id as the client reads a response's id
 * (`Number(id)`, Protocol._onresponse): "7" answers request 7. An answer seen for an id before its
 * request was noted (a server guessing the next id) leaves that request out.
 */
export class ListingRequests {
  readonly #waiting = new Map<number, string>();
  #highestAnswered = -Infinity;

  /** Notes a request about to leave; false when it is left out (its listing ended, or a guessed id). */
  note(id: RequestId, tag: string): boolean {
    const numeric = Number(id);
    if (!listingOpen(tag) || !(numeric > this.#highestAnswered)) return false;
    this.#waiting.set(numeric, tag);
    return true;
  }

  /** Whether a request still waits (requests of ended listings are dropped). */
  get any(): boolean {
    for (const [id, tag] of this.#waiting) if (!listingOpen(tag)) this.#waiting.delete(id);
    return this.#waiting.size > 0;
  }

  /** The tag of request `id`, if it waits. */
  tagOf(id: RequestId): string | undefined {
    return this.#waiting.get(Number(id));
  }

  /** A response with `id` arrived: the tag of the request it settles (undefined: none waited). */
  answered(id: RequestId | undefined): string | undefined {
    const numeric = Number(id);
    if (numeric > this.#highestAnswered) this.#highestAnswered = numeric;
    const tag = this.#waiting.get(numeric);
    if (tag !== undefined) this.#waiting.delete(numeric);
    return tag;
  }
}

/** A line's scan, started off the main thread, and the main thread's time handing the line over (ms). */
export interface StartedScan {
  scan: LineScan;
  handOverMs: number;
}

/** Starts scanning a line off the main thread, before the transport parses it. */
export function scanLineOffThread(text: string): StartedScan {
  const started = performance.now();
  const scan = thread.scan(text);
  return { scan, handOverMs: performance.now() - started };
}

/** Files a line's scan under the listing whose request the line answers. */
export function addListingScan(tag: string, { scan, handOverMs }: StartedScan): void {
  const listing = listings.get(tag);
  if (!listing) return;
  listing.scans.push(scan);
  listing.handOverMs += handOverMs;
}

/** What settling a listing found: tools whose findings were filed, and what the main thread spent on it (ms). */
export interface SettledListing {
  scanned: number;
  /** Handing the lines to the worker, and waiting for its answers after the listing's own work. */
  mainThreadMs: number;
}

/**
 * Ends a listing: waits for its lines' scans and files each tool's findings under the tool object the
 * SDK returned for it. A name found in two of the listing's lines, or in none, is left to the main
 * thread.
 */
export async function settleListing(
  tag: string,
  tools: ReadonlyArray<{ name: string }>,
): Promise<SettledListing> {
  const started = performance.now();
  const { scans, handOverMs } = listings.get(tag) ?? { scans: [], handOverMs: 0 };
  listings.delete(tag);
  const scanned = await fileFindings(scans, tools);
  return { scanned, mainThreadMs: handOverMs + performance.now() - started };
}

async function fileFindings(scans: LineScan[], tools: ReadonlyArray<{ name: string }>): Promise<number> {
  if (scans.length === 0) return 0;
  const found = new Map<string, FirstSightFinding[] | null>();
  for (const scan of await Promise.all(scans)) {
    for (const [name, findings] of scan ?? []) found.set(name, found.has(name) ? null : findings);
  }
  let count = 0;
  for (const tool of tools) {
    const findings = found.get(tool.name);
    if (!findings) continue;
    filed.set(tool, findings);
    count++;
  }
  return count;
}

/** Findings worked out off the main thread, by the tool object they were worked out for. */
const filed = new WeakMap<object, FirstSightFinding[]>();

/** The first-sight findings for a tool the upstream listed: worked out off the main thread, or now. */
export function firstSightOf(tool: object): FirstSightFinding[] {
  return filed.get(tool) ?? scanDefinition('tool', tool);
}
