// Idle server instances for clear-cut 2026-07-28 tools/calls: an instance whose call was
// answered serves a later call of the same client, scope, revision and capabilities instead of a fresh
// one being made, installed and connected per call. One call at a time per instance; an instance whose
// call did not finish (the client went away, an error, the engine stops) ends as a fresh one would.
// Why it is sound: docs/decisions.md, "tools/call below the SDK's per-request machinery".
import type {
  JSONRPCMessage,
  JSONRPCRequest,
  MessageExtraInfo,
  RequestId,
  ServerCapabilities,
  Transport,
} from '@modelcontextprotocol/server';
import type { RelayServer } from './relay-server.js';
import type { McpScope } from './session-services.js';
import { handlerControllers, requestDispatch } from '../sdk/server-internals.js';
import type { ResponseWriter } from '../sdk/response-writer.js';

/** What sending resolves to while no call is attached: the message is dropped. */
const DROPPED = Promise.resolve();

/** Idle instances kept for one key, and in all: an instance whose call finishes beyond that is closed. */
const IDLE_PER_KEY = 2;
const IDLE_IN_ALL = 32;

/**
 * The transport an instance is connected to once, for its whole life. Each call's ResponseWriter
 * is attached for that call only, and what the instance sends while no call is attached is dropped.
 * Closing the line, or the attached exchange being closed before its response, ends the instance: the
 * protocol aborts the call's handler and runs the gateway's close hook, as for a fresh instance.
 */
export class ToolCallLine implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  /** The instance this line carries. */
  readonly server: RelayServer;
  #exchange: ResponseWriter | undefined;
  #ended = false;
  readonly #dispatch: ((message: JSONRPCRequest, extra: MessageExtraInfo) => void) | undefined;

  private constructor(server: RelayServer) {
    this.server = server;
    // The protocol's dispatch, past its onmessage's zod checks (sdk/server-internals.ts).
    this.#dispatch = requestDispatch(server);
  }

  /** Connects `server` (bound to its revision, handlers installed) to a new line. */
  static async open(server: RelayServer): Promise<ToolCallLine> {
    const line = new ToolCallLine(server);
    await server.connect(line);
    return line;
  }

  async start(): Promise<void> {}

  send(message: JSONRPCMessage, options?: { relatedRequestId?: RequestId }): Promise<void> {
    return this.#exchange ? this.#exchange.send(message, options) : DROPPED;
  }

  /** Ends the instance: the call attached now, if any, is closed first (499, as the exchange does). */
  async close(): Promise<void> {
    const exchange = this.#exchange;
    if (exchange) await exchange.close();
    this.#end();
  }

  /** Whether the instance has ended (closed): it serves nothing more. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Whether the instance is between calls for certain: not ended, no exchange attached, and no request
   * handler still running in its protocol (when an SDK release hides that, never: nothing is pooled).
   */
  get idle(): boolean {
    return !this.#ended && this.#exchange === undefined && handlerControllers(this.server)?.size === 0;
  }

  /**
   * Serves one request through `exchange`; resolves true when its response was written, false when
   * the exchange was closed first (the instance has ended then).
   */
  async serve(exchange: ResponseWriter, message: JSONRPCRequest, extra: MessageExtraInfo): Promise<boolean> {
    if (this.#ended || this.#exchange !== undefined || !exchange.open)
      throw new Error('a tools/call instance was given a call while ended or busy, or a closed exchange');
    this.#exchange = exchange;
    exchange.onclose = () => this.#end();
    exchange.onerror = (error) => this.onerror?.(error);
    exchange.onmessage = this.onmessage;
    try {
      await exchange.serve(message, extra, this.#dispatch);
    } finally {
      this.#exchange = undefined;
    }
    return exchange.finished && !this.#ended;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    // The protocol's close: aborts a handler still running, then the instance's onclose (the gateway's
    // per-instance bookkeeping).
    this.onclose?.();
  }
}

/**
 * The idle tools/call instances, by key (`toolCallKey`). An instance goes back only after its call's
 * turn is over (the next `setImmediate`): anything the protocol or the gateway still had queued for that
 * call has been sent (and dropped, no exchange being attached) before another call can be attached.
 */
export class ToolCallPool {
  readonly #idle = new Map<string, ToolCallLine[]>();
  #count = 0;
  #closed = false;

  /** An idle instance for `key`, taken out of the pool; undefined when there is none. */
  take(key: string): ToolCallLine | undefined {
    const lines = this.#idle.get(key);
    const line = lines?.pop();
    if (!line) return undefined;
    this.#count -= 1;
    if (lines!.length === 0) this.#idle.delete(key);
    return line;
  }

  /** Puts `line` back under `key` once its call's turn is over; closes it when it cannot be kept. */
  giveBack(key: string, line: ToolCallLine): void {
    setImmediate(() => this.#keep(key, line));
  }

  #keep(key: string, line: ToolCallLine): void {
    const lines = this.#idle.get(key);
    if (this.#closed || !line.idle || this.#count >= IDLE_IN_ALL || (lines?.length ?? 0) >= IDLE_PER_KEY) {
      void line.close();
      return;
    }
    if (lines) lines.push(line);
    else this.#idle.set(key, [line]);
    this.#count += 1;
  }

  /**
   * Ends the idle instances that served `clientId` (its grant is revoked): none could serve anything
   * again — the token check refuses the client first — and each holds a server instance and its
   * bookkeeping. Returns how many. An instance whose call was still being answered comes back after
   * this and waits, idle, for the caps or the engine's stop, as every instance did before.
   */
  async closeOf(clientId: string): Promise<number> {
    const prefix = clientPart(clientId);
    const lines: ToolCallLine[] = [];
    for (const [key, kept] of this.#idle) {
      if (!key.startsWith(prefix)) continue;
      this.#idle.delete(key);
      this.#count -= kept.length;
      lines.push(...kept);
    }
    await Promise.all(lines.map((line) => line.close()));
    return lines.length;
  }

  /** How many idle instances the pool holds. */
  get size(): number {
    return this.#count;
  }

  /** Ends every idle instance, and any given back from now on (the engine stops). */
  async close(): Promise<void> {
    this.#closed = true;
    const lines = [...this.#idle.values()].flat();
    this.#idle.clear();
    this.#count = 0;
    await Promise.all(lines.map((line) => line.close()));
  }
}

/** Capability sets already keyed (the gateway's are shared frozen objects, so this is a lookup). */
const capabilityKeys = new WeakMap<ServerCapabilities, string>();

/**
 * The key an instance is pooled under: the client it served (first, so closeOf finds a client's
 * instances), and what it was made with (revision, scope, capabilities). The capabilities are this
 * caller's now (`toolCallCapabilities`), so a grant that changed what the call may declare never
 * reaches an instance made under the old one.
 */
export function toolCallKey(
  scope: McpScope,
  clientId: string,
  revision: string,
  capabilities: ServerCapabilities,
): string {
  let capabilityKey = capabilityKeys.get(capabilities);
  if (capabilityKey === undefined) {
    capabilityKey = JSON.stringify(capabilities);
    if (Object.isFrozen(capabilities)) capabilityKeys.set(capabilities, capabilityKey);
  }
  return `${clientPart(clientId)}${revision}\n${scope.connector ?? ''}\n${capabilityKey}`;
}

/** How a key starts: the client id, length first, so no client's prefix is another's. */
function clientPart(clientId: string): string {
  return `${clientId.length}:${clientId}\n`;
}
