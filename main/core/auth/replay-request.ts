// A request whose body Gatehouse had to read first (to apply the registration policy, to answer a
// refresh replay) is handed on to oidc-provider as a fresh IncomingMessage carrying that body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, readBody, sendJson } from '../http/http-io.js';

export { replayRequest } from '../http/http-io.js';

/**
 * Reads a request's whole body (at most `limit` bytes) for Gatehouse to look at before oidc-provider;
 * when it cannot be read, answers with an OAuth `invalid_request` (413 when too large) and returns
 * undefined.
 */
export async function readOAuthBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (error) {
    const status = error instanceof BodyError ? error.status : 400;
    sendJson(res, status, { error: 'invalid_request', error_description: (error as Error).message });
    return undefined;
  }
}
