// Gatehouse's internal error family: a stable string code plus a sentence for the user. The code and
// message cross the API boundary; `cause` stays on this side (never serialized). This is the local
// API's vocabulary (each code has its HTTP status); what MCP clients and the bridge's client read is
// a JSON-RPC error, named in json-rpc-errors.ts.

/** The stable codes of GatehouseError, each with its HTTP status on the local API. */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  /** A name the user chose is already someone else's (a connector's): pick another. */
  | 'name_taken'
  | 'unauthorized'
  | 'forbidden'
  | 'port_in_use'
  | 'engine_not_running'
  | 'engine_unreachable'
  /** The MCP Registry (the catalog) cannot be reached or answered badly. */
  | 'registry_unavailable'
  /** Understood, but not possible here: a runtime this machine lacks, a kind of package Gatehouse does not run. */
  | 'unsupported'
  /** A connector asked to be added only if it starts did not start: nothing was saved. */
  | 'does_not_start'
  /** A catalog entry cannot run as published (its package is not in its registry): no answer fixes it. */
  | 'broken_entry'
  /** A server Gatehouse works with for the user (a connector's authorization server) could not be reached or answered badly. */
  | 'upstream_failed'
  | 'internal';

const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  name_taken: 409,
  unauthorized: 401,
  forbidden: 403,
  port_in_use: 500,
  engine_not_running: 503,
  engine_unreachable: 503,
  registry_unavailable: 502,
  unsupported: 422,
  does_not_start: 422,
  broken_entry: 422,
  upstream_failed: 502,
  internal: 500,
};

/**
 * An error Gatehouse means the user to read: `code` for programs, the message for people (what was
 * wrong and what to do). Only these two cross the API; `cause` stays in the process.
 */
export class GatehouseError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatehouseError';
    this.code = code;
  }

  /** The status the local API answers this error with. */
  get httpStatus(): number {
    return httpStatusOf[this.code];
  }
}

/** Whether an error is one of Gatehouse's own (its message is meant for the user). */
export function isGatehouseError(error: unknown): error is GatehouseError {
  return error instanceof GatehouseError;
}

/**
 * An error and the errors it was caused by (`cause`, as undici and the SDK chain them), nearest first,
 * at most `depth` in all.
 */
export function causesOf(error: unknown, depth = 5): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < depth; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}
