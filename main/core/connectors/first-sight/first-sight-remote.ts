// First sight off the main thread for a remote connector's large tools/list, as
// first-sight-off-thread.ts does it for a stdio connector. A remote listing's body is read inside the
// SDK's HTTP transport, so Gatehouse takes it one step earlier, in the fetch the transport is given:
// the answer to a tagged tools/list request (a JSON body, or an event of its SSE stream) that is long
// enough is handed to the worker, and parsed here, where the SDK would have parsed it; the SDK gets a
// small placeholder in its place — a response to the same request whose result carries only a nonce —
// and the transport's message tap (`observe`, called before the client handles anything) puts the
// parsed result back into that very message. So what the worker scanned is, by construction, what the
// client receives, and parsing the listing still happens once on the main thread.
//
// Which answer counts is the client's rule: the first response with the request's id, from any
// stream. A server may answer one listing twice, or on another stream first (the standalone GET of
// Streamable HTTP, another request's stream, a string id the client reads as the number): the tap sees
// every message in the order the client does, and the worker's findings are taken only when the first
// answer to the request is the placeholder. Anything else is scanned on the main thread, as before.
// docs/decisions.md, "Issue 18: first sight off the main thread, for a remote connector's listing".
import { randomUUID } from 'node:crypto';
import {
  parseJSONRPCMessage,
  type FetchLike,
  type JSONRPCMessage,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import {
  addListingScan,
  LISTING_TAG,
  ListingRequests,
  listingOpen,
  OFF_THREAD_MIN_CHARS,
  scanLineOffThread,
  taggedListingRequest,
  type StartedScan,
} from './first-sight-off-thread.js';

/** The `_meta` key of a placeholder result: its value names the parsed result that replaces it. */
export const PLACEHOLDER_KEY = 'dev.gatehouse/firstSightListing';

/** A listing's answer parsed here, waiting for its placeholder to reach the tap. */
interface Parsed {
  /** The request it answers (the client's numeric id). */
  id: number;
  tag: string;
  result: Record<string, unknown>;
  scan: StartedScan;
}

/**
 * The off-thread first sight of one remote connection: `fetch` wraps the fetch its transport is given,
 * `observe` is the transport's message tap (INCOMING_OBSERVER, task-results.ts).
 */
export class RemoteListingScans {
  /** Tagged tools/list requests not yet answered. */
  readonly #waiting = new ListingRequests();
  /** Parsed answers by placeholder nonce. */
  readonly #parsed = new Map<string, Parsed>();

  /**
   * Sees every message from the transport before the client does. A placeholder gets its parsed
   * result back; the first response to a waiting listing request decides whether the worker's scan
   * stands for it (only if that response is the placeholder of the request's own parsed answer).
   */
  readonly observe = (message: JSONRPCMessage): void => {
    if (!('id' in message) || 'method' in message) return;
    let parsed: Parsed | undefined;
    if ('result' in message) {
      const nonce = (message.result._meta as Record<string, unknown> | undefined)?.[PLACEHOLDER_KEY];
      parsed = typeof nonce === 'string' ? this.#parsed.get(nonce) : undefined;
      if (parsed) {
        this.#parsed.delete(nonce as string);
        (message as { result: unknown }).result = parsed.result;
      }
    }
    // The first response to a waiting request, its id read as the client reads it, settles it.
    const tag = this.#waiting.answered(message.id);
    if (tag !== undefined && parsed && parsed.id === Number(message.id)) addListingScan(tag, parsed.scan);
  };

  /**
   * `inner`, with a tagged listing request's large answer scanned off the main thread: the answer to
   * the request itself (Streamable HTTP), or — `legacy`, the HTTP+SSE transport, whose answers all
   * come on the one GET stream — any event of that stream while a listing request waits.
   */
  fetch(inner: FetchLike, legacy = false): FetchLike {
    return async (input, init = {}) => {
      // The SDK passes a Headers object: most requests (untagged) are read, not copied.
      const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      const tag = given.get(LISTING_TAG);
      if (tag === null) {
        if (!legacy || (init.method ?? 'GET').toUpperCase() !== 'GET') return inner(input, init);
        const stream = await inner(input, init);
        return mediaType(stream) === 'text/event-stream' && stream.body ? this.#streamAnswer(stream) : stream;
      }
      const headers = new Headers(given);
      headers.delete(LISTING_TAG);
      const id = listingRequestId(init.body);
      // Noted before the request leaves: an answer on another stream may come before this one's.
      const waits = id !== undefined && this.#wait(id, tag);
      const response = await inner(input, { ...init, headers });
      if (!waits || !response.ok || !response.body) return response;
      const type = mediaType(response);
      if (type === 'application/json') return this.#jsonAnswer(response);
      if (type === 'text/event-stream') return this.#streamAnswer(response);
      return response;
    };
  }

  /**
   * The legacy transport's `send` passes no headers on: it tells this a tagged listing request is
   * about to leave (its answer will come on the GET stream).
   */
  sending(message: JSONRPCMessage, options: TransportSendOptions | undefined): void {
    const listing = taggedListingRequest(message, options);
    if (listing && typeof listing.id === 'number') this.#wait(listing.id, listing.tag);
  }

  /** Notes a listing request as waiting (false: left out, ListingRequests.note); drops ended listings' answers. */
  #wait(id: number, tag: string): boolean {
    for (const [nonce, { tag: of }] of this.#parsed) if (!listingOpen(of)) this.#parsed.delete(nonce);
    return this.#waiting.note(id, tag);
  }

  /** A JSON body: read whole (as the client would), and a long one swapped for a placeholder. */
  async #jsonAnswer(response: Response): Promise<Response> {
    const bytes = await response.arrayBuffer();
    // Bytes, not characters: a body this short is never a line this long.
    if (bytes.byteLength < OFF_THREAD_MIN_CHARS) return rebuilt(response, bytes);
    // What response.json() decodes (UTF-8, a leading BOM dropped).
    const text = new TextDecoder().decode(bytes);
    return rebuilt(response, this.#placeholderFor(text) ?? bytes);
  }

  /** An SSE stream: every event passed on as the client's parser would read it, a long answer swapped. */
  #streamAnswer(response: Response): Response {
    const body = response
      .body!.pipeThrough(new TextDecoderStream())
      .pipeThrough(rewrittenEvents((data) => this.#placeholderFor(data)))
      .pipeThrough(new TextEncoderStream());
    return rebuilt(response, body);
  }

  /**
   * Starts the worker on `text` (while a listing request waits), then parses it as the SDK's transport
   * would; a result response to a waiting listing request (its id that very number) listing tools is
   * kept for its placeholder, which is returned. Anything else (not JSON, not a message, an id no
   * listing waits for — a string "7" included — or no tools) goes on to the client unchanged.
   */
  #placeholderFor(text: string): string | undefined {
    if (text.length < OFF_THREAD_MIN_CHARS || !this.#waiting.any) return undefined;
    const scan = scanLineOffThread(text);
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (!('result' in message) || typeof message.id !== 'number' || !Array.isArray(message.result.tools))
      return undefined;
    const { id } = message;
    const tag = this.#waiting.tagOf(id);
    if (tag === undefined) return undefined;
    const nonce = randomUUID();
    this.#parsed.set(nonce, { id, tag, result: message.result, scan });
    return JSON.stringify({ jsonrpc: '2.0', id, result: { _meta: { [PLACEHOLDER_KEY]: nonce } } });
  }
}

/** The id of a tools/list request body the SDK sent (a number), if that is what it is. */
function listingRequestId(body: unknown): number | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body) as { method?: unknown; id?: unknown } | null;
    return message?.method === 'tools/list' && typeof message.id === 'number' ? message.id : undefined;
  } catch {
    return undefined;
  }
}

/** A response's media type, lower case, without parameters. */
function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A response with another body; the length and encoding of the old one do not apply to it. */
function rebuilt(response: Response, body: ArrayBuffer | string | ReadableStream<Uint8Array>): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * An SSE text stream read with the parser the SDK's transport uses (eventsource-parser), written out
 * again so that the transport's parser reads exactly the same events and retry values: each event's
 * id, type and data lines, and each retry. A message event's data may be swapped by `swap` (undefined:
 * kept). Comments and unknown fields, which the transport ignores, are dropped; an event the stream
 * ends in the middle of is never dispatched, by either parser.
 */
export function rewrittenEvents(swap: (data: string) => string | undefined): TransformStream<string, string> {
  let out = '';
  const parser = createParser({
    onEvent: (event) => {
      const message = event.event === undefined || event.event === 'message';
      out += eventText(event, (message ? swap(event.data) : undefined) ?? event.data);
    },
    onRetry: (ms) => {
      out += `retry: ${retryDigits(ms)}\n`;
    },
  });
  return new TransformStream<string, string>({
    transform(chunk, controller) {
      parser.feed(chunk);
      if (out === '') return;
      controller.enqueue(out);
      out = '';
    },
  });
}

/** One event as SSE text. Field values never hold a line break; data lines are joined by "\n". */
function eventText({ id, event }: EventSourceMessage, data: string): string {
  let text = id === undefined ? '' : `id: ${id}\n`;
  if (event !== undefined) text += `event: ${event}\n`;
  // One space after each colon: the parser drops exactly one, so a value that starts with one keeps it.
  return `${text}data: ${data.split('\n').join('\ndata: ')}\n\n`;
}

/** A retry value as digits that parse back to the same number (parseInt of 400 nines is Infinity). */
function retryDigits(ms: number): string {
  return Number.isFinite(ms) ? BigInt(ms).toString() : '9'.repeat(400);
}
