// What one upstream answer can make Gatehouse hold. A stdio server's message is one line, held until
// its newline (stdio-upstream.ts); an HTTP server's answer is a JSON body or an SSE stream that the SDK
// transport reads and parses before anything of Gatehouse's sees it. Both are bounded here, counted on
// the bytes as they arrive (after fetch has decompressed them: what a gzip bomb expands to is what is
// counted), whatever Content-Length said: one message at most MAX_UPSTREAM_MESSAGE_BYTES, and the whole
// answer to one request (every event of the SSE stream a POST opens) at most MAX_UPSTREAM_ANSWER_BYTES
// and MAX_UPSTREAM_ANSWER_MESSAGES.
// Past a cap the body is cancelled (undici drops the connection) and that request fails with a
// sentence; a stream the server opened itself (the GET stream, legacy SSE's, which carries every
// answer) is the connection's, and passing a cap there loses the connection: the requests in flight
// on it fail with the sentence first (`streamFailed`, http-upstream.ts). A stdio line past the cap is
// the connection's too: the id inside it cannot be read, so the connection is lost and every request
// waiting on it fails (`oversizedLine`, used by stdio-upstream.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { UpstreamFailure } from './upstream-transporter.js';

/** The most one MCP message from an upstream may take: a stdio line, an HTTP JSON body, one SSE event's data. */
export const MAX_UPSTREAM_MESSAGE_BYTES = 16 * 1024 * 1024;
/**
 * The most the answer to one HTTP request may bring in all (a result with its progress and log
 * notifications, SSE framing included): room for a message at the cap and what comes with it; an
 * endless stream of small events ends here. A subscriptions/listen stream is meant to stay open and is
 * bounded by event only.
 */
const MAX_UPSTREAM_ANSWER_BYTES = 4 * MAX_UPSTREAM_MESSAGE_BYTES;
/**
 * The most messages the answer to one HTTP request may bring (its progress and log notifications):
 * each costs the SDK a parse, so an endless stream of small ones is bounded by count before bytes.
 */
const MAX_UPSTREAM_ANSWER_MESSAGES = 10_000;
/** The most an SSE event may carry besides its data (event, id and retry fields, comments, line ends). */
const MAX_EVENT_FRAMING_BYTES = 64 * 1024;

const inWords = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${Math.round(bytes / 1024)} KB`;

/** An upstream answer that passed a cap: the sentence names the server, what it sent and the cap. */
class OversizedAnswer extends UpstreamFailure {
  constructor(message: string) {
    super(message, { retry: true });
    this.name = 'OversizedAnswer';
  }
}

/** What an answer's sentence asks of whoever can change the server. */
const MAKE_ANSWERS_SMALLER =
  'If the server is yours, make its answers smaller (page its lists; return large content as resources); otherwise tell its maintainers.';

type Excess = 'message' | 'framing' | 'answer' | 'messages';

/** What passed which cap, as the sentence says it. */
function excessWords(excess: Excess): string {
  switch (excess) {
    case 'message':
      return `more than ${inWords(MAX_UPSTREAM_MESSAGE_BYTES)} in one message (Gatehouse's cap for one MCP message)`;
    case 'framing':
      return `an SSE event with more than ${inWords(MAX_EVENT_FRAMING_BYTES)} besides its data (Gatehouse's cap)`;
    case 'answer':
      return `more than ${inWords(MAX_UPSTREAM_ANSWER_BYTES)} in answer to one request (Gatehouse's cap for one answer)`;
    case 'messages':
      return `more than ${MAX_UPSTREAM_ANSWER_MESSAGES.toLocaleString('en-US')} messages in answer to one request (Gatehouse's cap for one answer)`;
  }
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const DATA = [100, 97, 116, 97]; // "data"

/**
 * The sizes of the SSE event being read, as the event-stream parser will see it: its data (each data
 * line's value, joined by line feeds: the message) and everything else. Lines end in LF, CR or CRLF;
 * a blank line ends the event. Long runs are measured with `indexOf`, not byte by byte.
 */
class EventMeter {
  #data = 0;
  #other = 0;
  #dataLines = 0;
  /** At the start of a line (the stream's first, or after a line end). */
  #lineStart = true;
  #afterCR = false;
  /** 'head': the field name is being read (`#matched` bytes of "data" so far). */
  #state: 'head' | 'value-start' | 'value' | 'other' = 'head';
  #matched = 0;
  #over: Excess | null = null;
  /** Events with data (messages) so far. */
  #events = 0;
  readonly #maxEvents: number | null;

  /** `maxEvents`: how many messages the whole stream may bring (null: no bound). */
  constructor(maxEvents: number | null) {
    this.#maxEvents = maxEvents;
  }

  /** Measures a chunk; the cap it passed, if any. */
  feed(chunk: Uint8Array): Excess | null {
    const n = chunk.length;
    let lf = -2;
    let cr = -2;
    let i = 0;
    while (i < n) {
      if (this.#state === 'value' || this.#state === 'other') {
        if (lf !== -1 && lf < i) lf = chunk.indexOf(LF, i);
        if (cr !== -1 && cr < i) cr = chunk.indexOf(CR, i);
        const end = Math.min(lf === -1 ? n : lf, cr === -1 ? n : cr);
        if (end > i) {
          if (this.#state === 'value') this.#data += end - i;
          else this.#other += end - i;
          this.#lineStart = false;
          this.#afterCR = false;
          i = end;
          if (i === n) break;
        }
      }
      const byte = chunk[i++]!;
      if (byte === LF || byte === CR) this.#lineEnd(byte);
      else this.#fieldByte(byte);
      if (this.#over) return this.#over;
    }
    return this.#check();
  }

  #fieldByte(byte: number): void {
    this.#lineStart = false;
    this.#afterCR = false;
    if (this.#state === 'head') {
      this.#other++;
      if (this.#matched < DATA.length && byte === DATA[this.#matched]) this.#matched++;
      else this.#state = this.#matched === DATA.length && byte === COLON ? 'value-start' : 'other';
    } else if (this.#state === 'value-start') {
      // One space after the colon is not part of the value.
      this.#state = 'value';
      if (byte === SPACE) this.#other++;
      else this.#data++;
    } else if (this.#state === 'value') this.#data++;
    else this.#other++;
  }

  #lineEnd(byte: number): void {
    this.#other++;
    if (byte === LF && this.#afterCR) {
      this.#afterCR = false;
      return;
    }
    this.#afterCR = byte === CR;
    if (this.#lineStart) {
      // A blank line: the event is complete, and measured before the next one starts.
      this.#over ??= this.#check();
      if (this.#dataLines > 0 && this.#maxEvents !== null && ++this.#events > this.#maxEvents)
        this.#over ??= 'messages';
      this.#data = 0;
      this.#other = 0;
      this.#dataLines = 0;
    } else if (this.#state !== 'other' && (this.#state !== 'head' || this.#matched === DATA.length)) {
      if (this.#dataLines > 0) this.#data++;
      this.#dataLines++;
    }
    this.#lineStart = true;
    this.#state = 'head';
    this.#matched = 0;
  }

  #check(): Excess | null {
    if (this.#data > MAX_UPSTREAM_MESSAGE_BYTES) return 'message';
    if (this.#other > MAX_EVENT_FRAMING_BYTES) return 'framing';
    return null;
  }
}

/** How one body is measured: as one message, or as SSE events; `whole` bounds the whole answer. */
interface BodyRules {
  sse: boolean;
  whole: { bytes: number; messages: number } | null;
}

/** Measures a body's chunks against its rules; the cap passed, if any. */
function bodyMeter(rules: BodyRules): (chunk: Uint8Array) => Excess | null {
  const whole = rules.whole;
  const events = rules.sse ? new EventMeter(whole?.messages ?? null) : null;
  let bytes = 0;
  return (chunk) => {
    bytes += chunk.length;
    if (!events) return bytes > MAX_UPSTREAM_MESSAGE_BYTES ? 'message' : null;
    if (whole !== null && bytes > whole.bytes) return 'answer';
    return events.feed(chunk);
  };
}

/**
 * `body` read only as fast as its reader asks, each chunk measured before it is passed on. The chunk
 * that passes a cap is not: the body fails with `trip(excess)` and the source is cancelled. `finished`
 * hears once how the body ended: read to its end or cancelled (no error), or failed.
 */
function meteredBody(
  body: ReadableStream<Uint8Array>,
  measure: (chunk: Uint8Array) => Excess | null,
  trip: (excess: Excess) => OversizedAnswer,
  finished: (error?: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let read: Awaited<ReturnType<typeof reader.read>>;
        try {
          read = await reader.read();
        } catch (error) {
          finished(error);
          controller.error(error);
          return;
        }
        if (read.done) {
          finished();
          controller.close();
          return;
        }
        const excess = measure(read.value);
        if (excess === null) {
          controller.enqueue(read.value);
          return;
        }
        const failure = trip(excess);
        finished(failure);
        controller.error(failure);
        await reader.cancel(failure).catch(() => undefined);
      },
      cancel(reason) {
        finished();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A Response like `response` (status, headers, url, redirected) with another body. */
function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  const next = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // The legacy SSE client resolves its endpoint against the stream's (possibly redirected) URL.
  Object.defineProperty(next, 'url', { value: response.url });
  Object.defineProperty(next, 'redirected', { value: response.redirected });
  return next;
}

/** The request whose answer a fetch is reading: the method it asked, and where a failure goes. */
interface AnswerWatch {
  method: string;
  /** The SSE stream of the answer: settles when it ends, fails when it passes a cap. */
  stream: Promise<void>;
}

const watches = new AsyncLocalStorage<AnswerWatch>();

/**
 * Makes each request `transport` sends fail when its answer passes a cap. A JSON answer fails the
 * SDK's send, which fails the request; an SSE answer is read after the send has returned, so the
 * send Gatehouse's client sees waits for that stream too (the SDK's client only catches a request's
 * send, it never waits on it) and fails with it.
 */
export function failRequestsOnOversizedAnswers<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if (!isRequest(message)) return send(message, options);
    const watch: AnswerWatch = { method: message.method, stream: Promise.resolve() };
    return watches.run(watch, () => send(message, options)).then(() => watch.stream);
  };
  return transport;
}

function isRequest(
  message: JSONRPCMessage | JSONRPCMessage[],
): message is JSONRPCMessage & { method: string } {
  return !Array.isArray(message) && 'method' in message && 'id' in message;
}

/** Where an upstream's oversized answers are told. */
export interface AnswerCapHooks {
  /** The server, as it may be shown (no secret). */
  where: string;
  /** A request's answer passed a cap: that request fails, the connection goes on. */
  requestFailed(failure: OversizedAnswer): void;
  /** A stream the server keeps open (a GET) passed a cap: the connection is lost. */
  streamFailed(failure: OversizedAnswer): void;
}

/** `fetch` with every answer's body bounded (see the top of this file). */
export function capAnswers(fetch: FetchLike, hooks: AnswerCapHooks): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    const method = (init?.method ?? 'GET').toUpperCase();
    const stream = method === 'GET';
    const watch = stream ? undefined : watches.getStore();
    const sse = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
    const asked = watch ? ` to ${watch.method}` : '';
    const trip = (excess: Excess): OversizedAnswer => {
      const failure = new OversizedAnswer(
        stream
          ? `The server at ${hooks.where} sent ${excessWords(excess)} on its event stream, so Gatehouse closed the connection and failed the requests waiting for its answers. If the server is yours, send smaller messages; otherwise tell its maintainers.`
          : `The server at ${hooks.where} answered${asked} with ${excessWords(excess)}, so Gatehouse stopped reading and failed that request. ${MAKE_ANSWERS_SMALLER}`,
      );
      if (stream) hooks.streamFailed(failure);
      else hooks.requestFailed(failure);
      return failure;
    };
    // A declared length past the cap is refused unread (a length that lies is caught while reading).
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!sse && !encoded && declared > MAX_UPSTREAM_MESSAGE_BYTES) {
      const refused = trip('message');
      await response.body.cancel(refused).catch(() => undefined);
      return withBody(response, new ReadableStream({ start: (controller) => controller.error(refused) }));
    }
    // The GET stream and a subscriptions/listen stream stay open by design: bounded by event only. A
    // resumed answer (a GET with Last-Event-ID) is still one request's.
    const endless =
      watch?.method === 'subscriptions/listen' ||
      (stream && !new Headers(init?.headers).has('last-event-id'));
    const rules: BodyRules = {
      sse,
      whole:
        sse && !endless ? { bytes: MAX_UPSTREAM_ANSWER_BYTES, messages: MAX_UPSTREAM_ANSWER_MESSAGES } : null,
    };
    let finished = (_error?: unknown) => undefined as void;
    if (watch && sse) {
      // The request's send waits for this stream (failRequestsOnOversizedAnswers).
      watch.stream = new Promise<void>((resolve, reject) => {
        finished = (error) => (error instanceof OversizedAnswer ? reject(error) : resolve());
      });
      watch.stream.catch(() => undefined);
    }
    const body = meteredBody(response.body, bodyMeter(rules), trip, finished);
    return withBody(response, body);
  };
}

/**
 * A stdio server wrote a line past MAX_UPSTREAM_MESSAGE_BYTES. Which request it answered cannot be
 * known without reading it, so, as with an HTTP server's own stream, the connection is lost: the
 * process is stopped and the requests waiting on it fail with this. `server` names it as it may be shown.
 */
export function oversizedLine(server: string): UpstreamFailure {
  return new OversizedAnswer(
    `The server ${server} sent ${excessWords('message')} on its standard output, so Gatehouse stopped it and failed the requests waiting for its answers. ${MAKE_ANSWERS_SMALLER}`,
  );
}
