// The bridge's errors: a stable code and one sentence for the user. The sentence is what Claude shows
// (as the JSON-RPC error of a request) and what the bridge writes to stderr; it never holds a token.
// On the wire every refusal the bridge makes itself is JsonRpcCode.ServerError (core/json-rpc-errors.ts)
// with that sentence; the BridgeErrorCode stays in the process, for tests and callers.

/** Why the bridge could not do what was asked, as a stable code for tests and callers. */
export type BridgeErrorCode =
  'engine_not_running' | 'consent_refused' | 'authorization_failed' | 'lock_timeout' | 'upstream_failed';

/**
 * What the user reads when Gatehouse is not running: how to start it, and that Claude's server then needs
 * a restart.
 */
const NOT_RUNNING_MESSAGE =
  'Gatehouse is not running. Open the Gatehouse app (or run `gatehouse serve`), then restart this server in Claude.';

/** A failure the bridge explains itself: a code and one sentence safe to show in Claude and on stderr. */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
  }
}

/** The "Gatehouse is not running" error, keeping the connection failure as its cause. */
export function notRunning(cause?: unknown): BridgeError {
  return new BridgeError('engine_not_running', NOT_RUNNING_MESSAGE, { cause });
}

/** The user-facing sentence of any failure; unexpected ones say so. */
export function describeFailure(error: unknown): string {
  if (error instanceof BridgeError) return error.message;
  return `Gatehouse bridge failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
}

/** Whether a fetch failed because nothing listens (connection refused or reset, host unreachable). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError') return false;
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return (
    error instanceof TypeError ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EHOSTUNREACH' ||
    code === 'UND_ERR_SOCKET'
  );
}
