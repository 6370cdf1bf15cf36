// The security policy of Gatehouse's windows, as data: the app's own origin, the Content Security
// Policy, the BrowserWindow options, and what a navigation or a new window may do. Pure, so one
// test reads every value; windows.ts and app-protocol.ts apply them.

/**
 * The window content is served from a custom privileged scheme, not file:// — a stable origin
 * (`app://gatehouse`) that the IPC sender check and CSP 'self' can name, and no file-system reach.
 * See docs/decisions.md ("The window loads `app://gatehouse`, through one IPC door").
 */
export const APP_SCHEME = 'app';
/** The host of the windows' origin (`app://gatehouse`). */
export const APP_HOST = 'gatehouse';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's entry page, under dist/renderer/. */
const APP_ENTRY = 'index.html';

/**
 * The same policy as the renderer's meta tag (renderer/index.html), sent as a header too: a header
 * also covers what a meta tag cannot (frame-ancestors) and applies before any HTML is parsed.
 */
const CONTENT_SECURITY_POLICY_DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['connect-src', "'self'"],
  ['img-src', "'self'", 'data:'],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The windows' Content-Security-Policy as one header value (app:// answers and the session's responses). */
export const CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY_DIRECTIVES.map((directive) =>
  directive.join(' '),
).join('; ');

/**
 * Response headers with Gatehouse's CSP in place of any the response carried (matched without
 * regard to case, as HTTP header names are), for session.webRequest.onHeadersReceived.
 */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = values;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

/** Whether a URL is Gatehouse's own content (`app://gatehouse/…`). */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // Node's URL gives custom schemes an opaque origin ('null'), so compare scheme and host instead.
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.host === APP_HOST &&
    url.username === '' &&
    url.password === '' &&
    url.port === ''
  );
}

/** A page of the app: `route` is the renderer's hash route, e.g. `/consents/<id>`. */
export function appUrl(route = '/'): string {
  return `${APP_ORIGIN}/${APP_ENTRY}#${route}`;
}

/** The hash routes the shell opens in a window: home, and one consent or approval by id. */
export const routes = {
  home: '/',
  // The renderer's own views (renderer/src/app/route.ts), with the decision's id as the view's param.
  consent: (id: string) => `/consents/${encodeURIComponent(id)}`,
  approval: (id: string) => `/approvals/${encodeURIComponent(id)}`,
} as const;

/** will-navigate / will-redirect: only within the app's own origin. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * window.open and target=_blank never open a window of ours: an https link goes to the user's
 * browser (through the URL opener's own checks), anything else is dropped.
 */
export function newWindowDecision(url: string): { action: 'deny'; openExternally: boolean } {
  const external = URL.canParse(url) && new URL(url).protocol === 'https:';
  return { action: 'deny', openExternally: external };
}

/**
 * webPreferences every Gatehouse window gets (Electron's security checklist, items 2–4, 6, 8, 12).
 * @internal Exported for its tests only: the windows' preferences, checked without Electron.
 */
export function webPreferences(options: { preload: string; devTools: boolean }) {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: options.devTools,
  } as const;
}

/** What the windows' webPreferences depend on: the preload script and whether DevTools are allowed. */
export interface WindowPolicyOptions {
  preload: string;
  /** DevTools only outside the packaged app. */
  devTools: boolean;
}

/**
 * The main window: hidden until its first paint, so it never flashes empty. Its menu bar stays in
 * sight on Windows and Linux: it holds Quit, Pause and Copy MCP URL (app-menu.ts), which must not
 * depend on a tray icon or on knowing that Alt shows a hidden menu.
 */
export function mainWindowOptions(options: WindowPolicyOptions) {
  return {
    title: 'Gatehouse',
    width: 1120,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    autoHideMenuBar: false,
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(options),
  } as const;
}

/**
 * A decision window (a consent or an approval waiting for the user): small, in front of every
 * other window, and focused, because a client or an agent is waiting on the answer.
 */
export function decisionWindowOptions(options: WindowPolicyOptions) {
  return {
    title: 'Gatehouse — decision needed',
    width: 520,
    height: 640,
    minWidth: 420,
    minHeight: 480,
    show: false,
    alwaysOnTop: true,
    minimizable: false,
    fullscreenable: false,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(options),
  } as const;
}
