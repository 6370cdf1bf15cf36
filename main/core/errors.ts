// Gatehouse's internal error family: a stable string code plus a sentence for the user. The code and
// message cross the API boundary; `cause` stays on this side (never serialized).

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
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
  | 'internal';

const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  port_in_use: 500,
  engine_not_running: 503,
  engine_unreachable: 503,
  registry_unavailable: 502,
  unsupported: 422,
  does_not_start: 422,
  internal: 500,
};

export class GatehouseError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatehouseError';
    this.code = code;
  }

  get httpStatus(): number {
    return httpStatusOf[this.code];
  }
}

export function isGatehouseError(error: unknown): error is GatehouseError {
  return error instanceof GatehouseError;
}
