// How an HTTP upstream gets its credentials onto requests, whatever the kind: none, a static bearer
// token, or OAuth (oauth4webapi; see oauth/upstream-oauth.ts). The HTTP upstream calls `authorize` before
// each request and `unauthorized` when the server answers 401; it never sees how tokens are made.
import type { AuthState } from './upstream.js';
import type { AuthProblem } from '../../api/auth-problem.js';

/**
 * How an HTTP upstream gets its credentials: adds them to each request, hears about a 401/403, and
 * says whether the user must act. Implemented here for none and bearer, by `UpstreamOAuth` for OAuth.
 */
export interface UpstreamAuthorizer {
  /**
   * Sets the Authorization header (refreshing ahead of expiry when needed). Throws when action is
   * required. `protocolVersion` is the MCP version the request speaks, which OAuth's metadata
   * discovery names too.
   */
  authorize(headers: Headers, protocolVersion?: string): Promise<void>;
  /**
   * The upstream answered 401 (or 403 insufficient_scope) with this WWW-Authenticate header. Returns
   * true when new credentials were obtained and one retry is worthwhile; false sets `state()` to
   * 'action-required'.
   */
  unauthorized(challenge: string | null): Promise<boolean>;
  state(): AuthState;
  /**
   * While `state()` is 'action-required': what is wrong and what to do, in words the connector's
   * status and error show (a refused bearer token is not a sign-in to do).
   */
  problem?(): AuthProblem | undefined;
  /** Listens for state changes (e.g. a refused refresh → 'action-required'). */
  onStateChange(listener: (state: AuthState) => void): () => void;
}

/** The authorizer of a connector without credentials: nothing to add, nothing to fix. */
export const noAuth: UpstreamAuthorizer = {
  authorize: async () => undefined,
  unauthorized: async () => false,
  state: () => 'not-applicable',
  onStateChange: () => () => undefined,
};

/** A fixed bearer token; a 401 means the user must replace it (it cannot be refreshed). */
export function bearerAuth(token: string): UpstreamAuthorizer {
  let state: AuthState = 'ready';
  const listeners = new Set<(state: AuthState) => void>();
  return {
    authorize: async (headers) => headers.set('authorization', `Bearer ${token}`),
    unauthorized: async () => {
      if (state !== 'action-required') {
        state = 'action-required';
        for (const listener of listeners) listener(state);
      }
      return false;
    },
    state: () => state,
    problem: () =>
      state === 'action-required'
        ? {
            kind: 'token-refused',
            message:
              "The server refused the connector's bearer token (HTTP 401). Check the token in the connector's settings, or get a new one from the server.",
          }
        : undefined,
    onStateChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
