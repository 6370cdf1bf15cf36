// First sight off the main thread for a large tools/list (issue 18). A 5,000-tool listing is about
// 8 MB on one stdio line: the main thread spends ~70 ms parsing it, ~170 ms in the SDK's check of
// the result and more comparing it with the last listing, and scanning it would add ~100–160 ms after
// all that. So when the stdio transport reads a long line while a tagged tools/list request waits,
// it hands the raw line to a worker thread (first-sight-thread.ts) before parsing it itself; the
// worker parses and scans it meanwhile. The listing (OfferingCache) then takes the findings of the
// responses to its own requests — tied to them by a tag it passed with the requests, which the
// transport noted against their ids — and files them under the very tool objects the SDK gave it;
// the tool store's first-sight hook reads them there (firstSightOf). Anything not found that way (a
// small listing, a remote connector, a name listed twice, a worker that failed) is scanned on the
// main thread as before. docs/decisions.md, "Issue 18: first sight off the main thread".
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { scanDefinition, type FirstSightFinding } from '../policy/first-sight.js';
import { THREAD_DATA, type ScanAnswer, type ScanJob } from './first-sight-thread.js';

/** The request option header a listing's tools/list requests carry its tag in (stdio ignores headers). */
export const LISTING_TAG = 'x-gatehouse-first-sight-listing';

/** Lines shorter than this are parsed and scanned on the main thread: a worker would not save time. */
export const OFF_THREAD_MIN_CHARS = 256 * 1024;

/**
 * Lines handed to the worker and not yet answered, at most. A server that floods long lines while a
 * listing waits would otherwise queue copies of them all in the worker; past this, a line is left to
 * the main thread (scanned there if it is the listing's answer).
 */
export const MAX_WAITING_LINES = 2;

/** Findings by tool name, for the tools one response listed once; undefined when the scan failed. */
type LineScan = Promise<Map<string, FirstSightFinding[]> | undefined>;

/**
 * One worker thread that scans listing lines in turn. Started on the first line, not kept alive for
 * the process's sake (`unref`); one that fails to start or dies answers every job undefined from
 * then on, and its lines are scanned on the main thread.
 */
export class ScanThread {
  readonly #url: URL;
  #worker: Worker | undefined;
  #failed = false;
  #next = 0;
  readonly #waiting = new Map<number, (findings: ScanAnswer['findings'] | undefined) => void>();

  constructor(url = new URL('./first-sight-thread.js', import.meta.url)) {
    this.#url = url;
  }

  /** Scans a tools/list response's line in the worker (undefined: left to the main thread). */
  scan(text: string): LineScan {
    if (this.#waiting.size >= MAX_WAITING_LINES) return Promise.resolve(undefined);
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

  /** Stops the worker; a scan still waiting is answered undefined. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failed = true;
    this.#settleAll();
    await worker?.terminate();
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
        if (this.#waiting.size === 0) worker.unref();
        resolve?.(findings ?? undefined);
      });
      const fail = () => {
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
