// The "browser step" of the authorization code flow, walked by the bridge itself: it opens the
// authorization URL with a cookie jar, finds the match code on Gatehouse's waiting page, long-polls
// that page's wait endpoint until the user has answered in Gatehouse (the only place a decision can
// be made), then follows the redirects to its own redirect URI — which it never serves: the code is
// read from the Location header (RFC 8252 §7.3 loopback redirect, RFC 6749 §4.1.2).
import { BridgeError } from './bridge-error.js';
import { CookieJar } from './cookie-jar.js';

type Fetch = typeof globalThis.fetch;

/**
 * One authorization request to walk without a browser: where it starts, the redirect and state to expect,
 * and how long to wait for the user.
 */
export interface ConsentWalkOptions {
  authorizationUrl: URL;
  redirectUri: string;
  /** The `state` sent with the request; the redirect must carry it back (RFC 6749 §10.12). */
  state: string;
  fetch: Fetch;
  /** Called once the request waits in Gatehouse, with the code the user compares there. */
  onWaiting(matchCode: string): void;
  /** Give up after this long; Gatehouse itself answers "timed out" after its consent timeout. */
  timeoutMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Gatehouse refused the authorization request itself (e.g. an unknown client): register again. */
export class ClientRejectedError extends BridgeError {
  constructor(message: string) {
    super('authorization_failed', message);
    this.name = 'ClientRejectedError';
  }
}

const MAX_REDIRECTS = 20;
const WAIT_REQUEST_TIMEOUT_MS = 60_000;

type Landing = { kind: 'redirect'; url: URL } | { kind: 'page'; url: string; status: number; body: string };

/** What the authorization response carried back: the code, and the issuer that sent it (RFC 9207). */
export interface AuthorizationResponse {
  code: string;
  iss: string | undefined;
}

/** Walks the authorization request to its end and returns the authorization response. */
export async function walkConsent(options: ConsentWalkOptions): Promise<AuthorizationResponse> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  const jar = new CookieJar();
  const navigate = (url: string): Promise<Landing> =>
    follow(url, options.redirectUri, jar, options.fetch, deadline - now());

  let landing = await navigate(options.authorizationUrl.href);
  let announced = false;
  for (;;) {
    if (landing.kind === 'redirect') return codeFrom(landing.url, options.state);
    const page = landing;
    const matchCode = /aria-label="match code">([^<]+)</.exec(page.body)?.[1]?.trim();
    if (page.status !== 200 || !matchCode) throw pageError(page);
    if (!announced) {
      options.onWaiting(matchCode);
      announced = true;
    }
    await waitForAnswer(waitUrlOf(page), options.fetch, deadline, now, sleep);
    landing = await navigate(page.url);
  }
}

/** Follows redirects by hand until a page, or a redirect to our own redirect URI (never fetched). */
async function follow(
  start: string,
  redirectUri: string,
  jar: CookieJar,
  fetch: Fetch,
  timeoutMs: number,
): Promise<Landing> {
  let current = start;
  for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
    if (isRedirectUri(current, redirectUri)) return { kind: 'redirect', url: new URL(current) };
    const response = await fetch(current, {
      redirect: 'manual',
      headers: { accept: 'text/html', ...jar.headerFor(current) },
      signal: AbortSignal.timeout(Math.max(1_000, Math.min(timeoutMs, 30_000))),
    });
    jar.store(current, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    return { kind: 'page', url: current, status: response.status, body: await response.text() };
  }
  throw new BridgeError('authorization_failed', `Gatehouse redirected more than ${MAX_REDIRECTS} times.`);
}

/** Long-polls the waiting page's endpoint until Gatehouse says the user has answered (or it is gone). */
async function waitForAnswer(
  url: string,
  fetch: Fetch,
  deadline: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  for (;;) {
    if (now() >= deadline) {
      throw new BridgeError(
        'consent_refused',
        'No answer was given in Gatehouse in time. Restart this server in Claude to ask again.',
      );
    }
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(Math.min(WAIT_REQUEST_TIMEOUT_MS, Math.max(1_000, deadline - now()))),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return;
      }
      if (response.ok) {
        const body = (await response.json()) as { decided?: unknown };
        if (body.decided === true) return;
        continue;
      }
      await response.body?.cancel();
    } catch {
      /* Gatehouse restarting, or our own request timeout: ask again after a pause */
    }
    await sleep(1_000);
  }
}

function waitUrlOf(page: { url: string; body: string }): string {
  // The page names its wait endpoint in its script; by convention it is the page's URL + "/wait".
  const named = /fetch\(("\/consent\/[^"]+\/wait")/.exec(page.body)?.[1];
  const path = named ? (JSON.parse(named) as string) : `${new URL(page.url).pathname}/wait`;
  return new URL(path, page.url).href;
}

function isRedirectUri(candidate: string, redirectUri: string): boolean {
  const url = new URL(candidate);
  const expected = new URL(redirectUri);
  return url.origin === expected.origin && url.pathname === expected.pathname;
}

/**
 * RFC 6749 §4.1.2: the code and RFC 9207's `iss` (checked against the metadata by the token
 * exchange), or the error the authorization server sent back instead.
 */
function codeFrom(url: URL, state: string): AuthorizationResponse {
  const params = url.searchParams;
  if (params.get('state') !== state) {
    throw new BridgeError(
      'authorization_failed',
      'Gatehouse answered an authorization request other than this one (state mismatch).',
    );
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? error;
    if (error === 'access_denied') {
      throw new BridgeError(
        'consent_refused',
        `Gatehouse did not grant access: ${description} Restart this server in Claude to ask again.`,
      );
    }
    throw new BridgeError('authorization_failed', `Gatehouse refused the authorization: ${description}`);
  }
  const code = params.get('code');
  if (!code) throw new BridgeError('authorization_failed', 'Gatehouse redirected back without a code.');
  return { code, iss: params.get('iss') ?? undefined };
}

function pageError(page: { status: number; body: string }): BridgeError {
  const text = textOf(page.body);
  const message = `Gatehouse could not start the authorization (HTTP ${page.status}${text ? `: ${text}` : ''}).`;
  return /\binvalid_client\b/.test(page.body)
    ? new ClientRejectedError(message)
    : new BridgeError('authorization_failed', message);
}

/** The readable text of a small HTML page, for an error message. */
function textOf(html: string): string {
  const main = /<main>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
