// The port between the shared upstream runtime (upstream-base.ts) and what carries a connection: the
// stdio and HTTP upstreams each implement `Transporter`, opening one `Connection` per attempt.
import type { Client, PriorDiscovery } from '@modelcontextprotocol/client';
import type { AuthState } from './upstream.js';

/** A failed attempt, in words for the user; `retry` false waits for the user (e.g. authorization). */
export class UpstreamFailure extends Error {
  /** Whether restarting with backoff can help (false: only the user can, e.g. by signing in). */
  readonly retry: boolean;

  constructor(message: string, options: { retry: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'UpstreamFailure';
    this.retry = options.retry;
  }
}

/** One open connection, made by a transport's `connect`. */
export interface Connection {
  client: Client;
  transport: 'stdio' | 'streamable-http' | 'sse';
  /** The server process's id (stdio), else null. */
  pid: number | null;
  /** The server process tree's resident memory (stdio), sampled while connected. */
  memoryBytes?(): Promise<number | null>;
  /** Ends the connection and, for stdio, the whole process tree. Safe to call twice. */
  close(): Promise<void>;
}

/** What the runtime hands a transport for one connection attempt. */
export interface ConnectContext {
  /** A fresh SDK client with the listing and notification handlers installed. */
  newClient(): Client;
  /** Aborted at the initialize deadline or by stop(): close whatever was opened. */
  signal: AbortSignal;
  /**
   * The connection is gone (process exited, stream ended for good); `reason` is for the user. With
   * `final`, it is not started again until the user does (a sandboxed server stopped at a bound).
   */
  lost(reason: string, final?: boolean): void;
  /** Something the user should know that does not end the connection (e.g. garbage on stdout). */
  warn(message: string): void;
  /** A line the server wrote to stderr, published as a 'stderr' event. */
  stderrLine(line: string): void;
  /** Pass to `client.connect` so the SDK's own request timeout is not shorter than the deadline. */
  initializeTimeoutMs: number;
  /** Pass to `client.connect`: the era this server spoke last time, so no probe is needed. */
  prior: PriorDiscovery | undefined;
}

/** How one kind of upstream (stdio, HTTP) opens connections and words their failures. */
export interface Transporter {
  connect(context: ConnectContext): Promise<Connection>;
  /** A user sentence for an error that escaped `connect` (not an UpstreamFailure). */
  describe(error: unknown): UpstreamFailure;
  /** The authorizer's state (always 'ready' for a transport without one). */
  auth(): AuthState;
  /** The last lines the server wrote to stderr (stdio), for the connector's logs. */
  stderrTail(): string[];
}
