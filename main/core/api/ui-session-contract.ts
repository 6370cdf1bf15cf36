// How the browser UI's page proves it is Gatehouse's own (security-model.md "The browser UI"): the
// names both sides use for its page token. Node-free, so the renderer imports it too.

/** The header the page sends its page token in, on every API call and on the event stream. */
export const UI_SESSION_HEADER = 'x-gatehouse-session';

/** Where the sign-in's redirect hands the page its token: `/ui/#<this>=<token>` (never sent to a server). */
export const UI_SESSION_FRAGMENT = 'gatehouse-session';
