// A 2025-era upstream asks its client for input (sampling, elicitation, roots) in the middle of a tool
// call, prompt or resource read, and waits. When the call came from a 2026-07-28 client, there is no
// channel to push that request on: the client's call must end with an InputRequiredResult, and the
// answer arrives with the client's retry — a new HTTP request. Meanwhile the upstream call stays open
// here, "parked", until the retry brings the answers, the client goes away, or the wait times out.
import {
  isInputRequiredResult,
  ProtocolError,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';

/** Where a call's progress goes: the caller's request, under its own progress token. */
export interface ProgressSink {
  /** `update` without a token: the request's own progress token is put on it. */
  send(update: Record<string, unknown>): void;
}

/** How long a parked call waits for the client's next retry (the SDK's own round timeout). */
export const PARK_TIMEOUT_MS = 10 * 60_000;

/** One input request as it goes out in `inputRequests`. */
export interface InputRequestEntry {
  method: string;
  params?: unknown;
}

/** What the caller of `next()` learns: the upstream finished, failed, or asks for input. */
export type ParkedOutcome<R extends object = CallToolResult> =
  | { kind: 'result'; result: R }
  | { kind: 'error'; error: unknown }
  | { kind: 'input'; requests: Record<string, InputRequestEntry> }
  /** Every request of the round needs something the client did not declare: the call ends. */
  | { kind: 'missing-capability'; required: ClientCapabilities };

interface Ask {
  key: string;
  request: InputRequestEntry;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const shortNames: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * One upstream call (tools/call, prompts/get, resources/read) on behalf of a 2026-07-28 client,
 * possibly parked between its rounds; `R` is what the upstream answers when it is done.
 */
export class ParkedCall<R extends object = CallToolResult> {
  readonly clientId: string;
  readonly connector: string;
  /** What the call is for, as the client named it ("tool x", "prompt y"): said in refusals. */
  readonly target: string;
  /** Aborts the upstream call (the client cancelled, or nobody came back in time). */
  readonly abort = new AbortController();
  /** What the client declared in the round under way (a request it cannot answer is refused). */
  capabilities: ClientCapabilities | undefined;
  /** The round under way's progress relay. */
  progress: ProgressSink | undefined;
  /**
   * Its requests went to the client and it waits for the answers: a request of the upstream's that
   * arrives meanwhile is not this call's (a server that waits for answers is not asking anew).
   */
  awaitingClient = false;
  /** Rounds handed to the client so far (each one's state differs from the last). */
  rounds = 0;
  readonly #asks = new Map<string, Ask>();
  #settled: ParkedOutcome<R> | undefined;
  #wake: (() => void) | undefined;
  #counter = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #timeoutMs: number;
  readonly #calls: Map<string, ParkedCall<object>>;
  readonly #newId: () => string;
  #id: string | undefined;
  /** Where it is in `#calls`: a local key until its id is drawn, then the id. */
  #key: string;

  /**
   * The call is entered into `calls` (the gateway's one map: upstream-traffic.ts finds the call an
   * upstream request belongs to there) and leaves it when it ends. `newId` draws its id, unguessable,
   * when a round first goes to the client (see `id`).
   */
  constructor(input: {
    calls: Map<string, ParkedCall<object>>;
    newId(): string;
    clientId: string;
    connector: string;
    target: string;
    timeoutMs?: number;
  }) {
    this.clientId = input.clientId;
    this.connector = input.connector;
    this.target = input.target;
    this.#timeoutMs = input.timeoutMs ?? PARK_TIMEOUT_MS;
    this.#calls = input.calls;
    this.#newId = input.newId;
    // Almost no call is ever parked: until one is, it needs no random id. The local key has a '~',
    // which a base64url id never has, and `named` says whether a key is an id handed out.
    this.#key = `~${++localKeys}`;
    this.#calls.set(this.#key, this);
  }

  /**
   * The id the client's retry names (in its sealed state, call-state.ts). Drawn on first read, when
   * the call's first round goes to the client; the call is then filed under it.
   */
  get id(): string {
    if (this.#id === undefined) {
      const id = this.#newId();
      this.#id = id;
      if (this.#calls.get(this.#key) === this) {
        this.#calls.delete(this.#key);
        this.#calls.set(id, this);
        this.#key = id;
      }
    }
    return this.#id;
  }

  /** Whether `id` is the id this call handed to its client (a local key never is). */
  named(id: string): boolean {
    return this.#id !== undefined && this.#id === id;
  }

  /** Runs the upstream call; its outcome is what `next()` eventually reports. */
  start(call: (signal: AbortSignal) => Promise<R | InputRequiredResult>): void {
    call(this.abort.signal).then(
      // A 2025-era upstream has no InputRequiredResult; if one says it has, it is not a result.
      (result) =>
        this.#settle(
          isInputRequiredResult(result)
            ? { kind: 'error', error: new Error('the upstream answered input_required on the 2025 era') }
            : { kind: 'result', result },
        ),
      (error: unknown) => this.#settle({ kind: 'error', error }),
    );
  }

  /** The upstream asks for input: it waits until the client's retry answers (or the call ends). */
  ask(method: string, params: unknown, signal: AbortSignal): Promise<unknown> {
    if (this.#settled || this.abort.signal.aborted)
      return Promise.reject(new Error('the call this request belongs to has ended'));
    const key = `${shortNames[method] ?? method.replace(/[^A-Za-z0-9]/g, '_')}-${++this.#counter}`;
    return new Promise((resolve, reject) => {
      this.#asks.set(key, {
        key,
        request: params === undefined ? { method } : { method, params },
        resolve,
        reject,
      });
      signal.addEventListener(
        'abort',
        () => this.#drop(key, new Error('the upstream withdrew the request')),
        {
          once: true,
        },
      );
      this.#wake?.();
    });
  }

  /**
   * Waits for what happens next: the upstream's result or error, or its requests for input (those
   * arriving in the same turn are gathered into one round). `signal` is the current HTTP request's:
   * when the client goes away mid-wait, the upstream call is cancelled.
   */
  async next(signal: AbortSignal): Promise<ParkedOutcome<R>> {
    this.#stopTimer();
    this.awaitingClient = false;
    const onAbort = () => this.cancel('the client cancelled the call');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        while (!this.#settled && this.#asks.size === 0) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = undefined;
          // The upstream finished (the usual case): there are no requests to gather.
          if (this.#settled) break;
          // Requests sent together arrive a few ticks apart: one round carries all of them.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.#settled) break;
        const missing = this.#refuseUnanswerable();
        if (missing) {
          this.cancel(`the client cannot answer what ${this.target} asked for`);
          return { kind: 'missing-capability', required: missing };
        }
        // Only refused asks (roots): the upstream carries on without them.
        if (this.#asks.size > 0) break;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (this.#settled) {
      this.#finish();
      return this.#settled;
    }
    this.#startTimer();
    this.awaitingClient = true;
    this.rounds += 1;
    return { kind: 'input', requests: this.pending() };
  }

  /**
   * What the client cannot answer is refused to the upstream, which may carry on without it. When
   * nothing of the round is answerable and it asked for sampling or elicitation, the call ends as the
   * revision says (MissingRequiredClientCapability, with the capabilities it needs): returns those. Roots are context a server
   * asks for on its own account (a 2025-era client lacking them gets an error too), never a reason to
   * end the call.
   */
  #refuseUnanswerable(): ClientCapabilities | undefined {
    const unanswerable = [...this.#asks.values()].filter((ask) => this.#cannotAnswer(ask.request.method));
    const needed = unanswerable.map((ask) => requiredCapability(ask.request.method)!);
    if (unanswerable.length === this.#asks.size && !needed.includes('roots')) {
      return Object.fromEntries(needed.map((capability) => [capability, {}])) as ClientCapabilities;
    }
    for (const ask of unanswerable) {
      this.#drop(
        ask.key,
        new ProtocolError(
          JsonRpcCode.InvalidRequest,
          `gatehouse: the client waiting on ${this.target} does not support ${requiredCapability(ask.request.method)}, so it cannot answer ${ask.request.method}`,
        ),
      );
    }
    return undefined;
  }

  #cannotAnswer(method: string): boolean {
    const needed = requiredCapability(method);
    return needed !== undefined && !this.capabilities?.[needed];
  }

  /** The requests still waiting for an answer, by key. */
  pending(): Record<string, InputRequestEntry> {
    return Object.fromEntries([...this.#asks.values()].map((ask) => [ask.key, ask.request]));
  }

  /** The client's answers (`inputResponses`): each resolves its waiting request; others stay. */
  answer(responses: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(responses)) {
      const ask = this.#asks.get(key);
      if (!ask) continue;
      this.#asks.delete(key);
      ask.resolve(value);
    }
  }

  /** Ends the call: the upstream request is cancelled and its pending requests refused. */
  cancel(reason: string): void {
    if (this.#settled) return;
    this.abort.abort(new Error(reason));
    for (const ask of this.#asks.values()) ask.reject(new Error(reason));
    this.#asks.clear();
    this.#settle({ kind: 'error', error: new Error(reason) });
    this.#finish();
  }

  #settle(outcome: ParkedOutcome<R>): void {
    if (this.#settled) return;
    this.#settled = outcome;
    for (const ask of this.#asks.values()) ask.reject(new Error('the call ended'));
    this.#asks.clear();
    this.#wake?.();
  }

  #drop(key: string, error: Error): void {
    const ask = this.#asks.get(key);
    if (!ask) return;
    this.#asks.delete(key);
    ask.reject(error);
  }

  #startTimer(): void {
    this.#timer = setTimeout(
      () =>
        this.cancel(
          `nobody answered its input request within ${Math.round(this.#timeoutMs / 60_000)} minutes`,
        ),
      this.#timeoutMs,
    );
    this.#timer.unref();
  }

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #finish(): void {
    this.#stopTimer();
    if (this.#calls.get(this.#key) === this) this.#calls.delete(this.#key);
  }
}

/** Keys of calls not handed to a client yet (unique within the process). */
let localKeys = 0;

/** The client capability an upstream request needs answered. */
function requiredCapability(method: string): 'sampling' | 'elicitation' | 'roots' | undefined {
  if (method === 'sampling/createMessage') return 'sampling';
  if (method === 'elicitation/create') return 'elicitation';
  if (method === 'roots/list') return 'roots';
  return undefined;
}
