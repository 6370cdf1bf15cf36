// What is wrong with a connector's credentials, when its auth state is "action required": the
// window, the tray and the CLI say it in the same words. No imports, so the renderer uses it too.

/** Why a connector waits for the user, from the authorizer that knows. */
export const authProblems = [
  /** An OAuth connector that has never been signed in. */
  'never-connected',
  /** Signed in before, but must sign in afresh (e.g. its authorization server changed). */
  'sign-in-needed',
  /** Its authorization expired or a refresh was refused: Reconnect. */
  'reconnect-needed',
  /** The server asks for more access than was granted. */
  'more-access-needed',
  /** The server refuses even the access granted. */
  'access-refused',
  /** The authorization server refused Gatehouse's client identity. */
  'client-refused',
  /** A bearer-token connector whose token the server refuses. */
  'token-refused',
] as const;

/** One of `authProblems`: the key the window, tray, CLI and contract share for a credentials problem. */
export type AuthProblemKind = (typeof authProblems)[number];

/** What is wrong, in a kind and a sentence that says what to do. */
export interface AuthProblem {
  kind: AuthProblemKind;
  message: string;
}

/** The problem in a few words, as a badge or a status column shows it. */
export const AUTH_PROBLEM_WORDS: Record<AuthProblemKind, string> = {
  'never-connected': 'Never connected: sign-in needed',
  'sign-in-needed': 'Sign-in needed',
  'reconnect-needed': 'Reconnect needed',
  'more-access-needed': 'More access needed',
  'access-refused': 'Access refused',
  'client-refused': 'Client refused',
  'token-refused': 'Token refused',
};
