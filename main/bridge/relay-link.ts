// What both eras of the HTTP relay share: the bridge's options, the end of the relay (one abort for
// every request and stream), the streams still being read, and the way Gatehouse's answers reach the
// stdio client — answers to requests the relay sent itself are kept back, and a request that cannot
// be answered gets a JSON-RPC error of its own.
import { jsonRpcError, JsonRpcCode } from '../core/json-rpc-errors.js';
import { isResponse, type JsonRpcId, type JsonRpcMessage } from './stdio-channel.js';

/** What the bridge gives the relay: where Gatehouse is, how to reach it, and where answers go. */
export interface HttpRelayOptions {
  url: URL;
  /** Fetch with Gatehouse's authorization attached (401s already handled). */
  fetch: typeof globalThis.fetch;
  /** Hands a message from Gatehouse to the stdio client. */
  deliver(message: unknown): void;
  log(line: string): void;
  /** Gatehouse could not be reached: wait for it (starting it if possible); rejects if it stays away. */
  reconnect(): Promise<void>;
}

/** A JSON-RPC response from Gatehouse, on its way to the client. */
export type RelayedResponse = JsonRpcMessage & { id: JsonRpcId };

/** How the eras take part in Gatehouse's answers before the client gets them. */
export interface AnswerHooks {
  /** Sees every response, the relay's own included (the 2025 session reads the negotiated version). */
  note(response: RelayedResponse): void;
  /** What the client gets instead of the response; the same object when nothing changes. */
  rewrite(response: RelayedResponse): unknown;
}

/** The part of the relay both eras use: options, the closing signal, tracked streams, answers. */
export class RelayLink {
  readonly options: HttpRelayOptions;
  readonly #hooks: AnswerHooks;
  readonly #closing = new AbortController();
  readonly #streams = new Set<Promise<void>>();
  /** Ids of requests the relay sent itself (re-initialization): their answers are not the client's. */
  readonly #internal = new Set<JsonRpcId>();

  constructor(options: HttpRelayOptions, hooks: AnswerHooks) {
    this.options = options;
    this.#hooks = hooks;
  }

  /** Aborted when the relay closes: every request and stream listens to it. */
  get signal(): AbortSignal {
    return this.#closing.signal;
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Ends every request and stream. */
  abort(): void {
    this.#closing.abort();
  }

  /** Waits for the streams still being read to finish, but no longer than `ms`. */
  async drain(ms: number): Promise<void> {
    await atMost(ms, Promise.allSettled([...this.#streams]));
  }

  /** Keeps a stream being read in view, so closing can wait for it. */
  track(work: Promise<void>): void {
    this.#streams.add(work);
    void work.finally(() => this.#streams.delete(work));
  }

  /** Marks a request as the relay's own, so its answer (or failure) does not reach the client. */
  markInternal(id: JsonRpcId): void {
    this.#internal.add(id);
  }

  /** One SSE event's data: parsed and passed on, or dropped with a log line when it is not JSON. */
  receiveText(data: string, pending: Set<JsonRpcId> | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.options.log('Gatehouse sent an event that is not JSON; it was dropped.');
      return;
    }
    this.receive(parsed, pending);
  }

  /** Passes Gatehouse's message on, noting what the transport needs from it. */
  receive(parsed: unknown, pending: Set<JsonRpcId> | undefined): void {
    const items = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    const forClient = items
      .filter((item) => {
        if (!isResponse(item)) return true;
        pending?.delete(item.id);
        this.#hooks.note(item);
        return !this.#internal.delete(item.id);
      })
      .map((item) => (isResponse(item) ? this.#hooks.rewrite(item) : item));
    if (forClient.length === 0) return;
    this.options.deliver(Array.isArray(parsed) ? forClient : forClient[0]);
  }

  /** Answers a request Gatehouse will not answer with an error (logged instead when it was the relay's own). */
  fail(id: JsonRpcId, code: number, message: string): void {
    if (this.#internal.delete(id)) {
      this.options.log(`Opening a new MCP session failed: ${message}`);
      return;
    }
    this.options.deliver(jsonRpcError(id, code, message));
  }
}

/** Whether Gatehouse answered with an SSE stream. */
export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream');
}

/** What to tell the client about an HTTP refusal: Gatehouse's JSON-RPC error, or its OAuth error text. */
export function refusalOf(text: string, status: number): { code: number; message: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown } | string;
      error_description?: unknown;
    };
    if (typeof body.error === 'object' && body.error && typeof body.error.message === 'string') {
      return {
        code: typeof body.error.code === 'number' ? body.error.code : JsonRpcCode.ServerError,
        message: body.error.message,
      };
    }
    if (typeof body.error_description === 'string') {
      return {
        code: JsonRpcCode.ServerError,
        message: `Gatehouse refused the request: ${body.error_description}`,
      };
    }
  } catch {
    /* not JSON */
  }
  return { code: JsonRpcCode.ServerError, message: `Gatehouse answered HTTP ${status}.` };
}

/** Waits for `work`, but no longer than `ms` (and leaves no timer behind to hold the process open). */
export async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
