// Browser mode: `gatehouse serve` serves the same renderer at /ui/, opened through a one-time link
// (printed at start, or minted by `gatehouse ui`). The link's token is exchanged once for an
// HttpOnly, SameSite=Strict session cookie and a page token handed to the page alone, in the URL's
// fragment (never sent to a server). Browsers send loopback cookies to every port of 127.0.0.1, so the
// cookie may reach another local server; the API wants both, the page token as a header only
// Gatehouse's own page can set (security-model.md "The browser UI").
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Clock, Random } from '../effects.js';
import { sendMessagePage as page } from '../consent/consent-page.js';
import { UI_SESSION_FRAGMENT, UI_SESSION_HEADER } from '../api/ui-session-contract.js';

const UI_COOKIE = 'gatehouse_ui';
const LINK_TTL_MS = 10 * 60_000;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The renderer's own policy (renderer/index.html carries the same one as a meta tag). */
const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Browser mode's door: serves the built renderer at /ui/, mints one-time links, and checks the session
 * cookie they are exchanged for.
 */
export class UiAccess {
  readonly #root: string | null;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #links = new Map<string, number>();
  /** Live sessions: the cookie's digest → the digest of the page token issued with it. */
  readonly #sessions = new Map<string, Buffer>();

  /** `root` is the built renderer (dist/renderer), or null when this build has none. */
  constructor(root: string | null, clock: Clock, random: Random) {
    // Resolved, so a root given with a trailing slash still contains its own files.
    this.#root = root && existsSync(join(root, 'index.html')) ? resolve(root) : null;
    this.#clock = clock;
    this.#random = random;
  }

  /** Whether this build has a built renderer to serve at /ui/ (`ui.link` refuses without one). */
  get available(): boolean {
    return this.#root !== null;
  }

  /** A link that signs one browser in, once, within 10 minutes. */
  mintLink(origin: string): string {
    const token = this.#random.bytes(32).toString('base64url');
    const now = this.#clock.now();
    for (const [known, expires] of this.#links) if (expires <= now) this.#links.delete(known);
    this.#links.set(token, now + LINK_TTL_MS);
    return `${origin}/ui/login?token=${token}`;
  }

  /**
   * Whether the request may use the API: a live session cookie and, in the `x-gatehouse-session`
   * header, the page token issued with that cookie. The cookie alone opens nothing.
   */
  authorized(req: IncomingMessage): boolean {
    const pageToken = this.#session(req);
    const header = req.headers[UI_SESSION_HEADER];
    if (!pageToken || typeof header !== 'string') return false;
    return timingSafeEqual(digest(header), pageToken);
  }

  /** The page token digest of the live session whose cookie the request carries. */
  #session(req: IncomingMessage): Buffer | undefined {
    const presented = cookieValue(req.headers.cookie, UI_COOKIE);
    if (!presented) return undefined;
    // Looked up by its SHA-256 digest: whatever a lookup's timing tells is about the digest, which
    // says nothing of the cookie itself.
    return this.#sessions.get(digest(presented).toString('base64url'));
  }

  /**
   * Answers a request under /ui/: a one-time link exchanged for the session cookie, or a file of the
   * renderer.
   */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      page(res, 405, 'Not allowed', 'Gatehouse pages are only read.');
      return;
    }
    if (!this.#root) {
      page(
        res,
        404,
        'No user interface in this build',
        'Build it with `npm run build` (or use the gatehouse command line).',
      );
      return;
    }
    if (path === '/ui/login') {
      this.#login(req, res);
      return;
    }
    // The renderer's files hold nothing secret: the session cookie is enough to load them.
    if (!this.#session(req)) {
      page(
        res,
        401,
        'Sign in with your link',
        'Open the one-time link that gatehouse serve printed, or run the command gatehouse ui for a new one.',
      );
      return;
    }
    this.#serveFile(
      res,
      path === '/ui' || path === '/ui/' ? 'index.html' : decodeURIComponent(path.slice('/ui/'.length)),
    );
  }

  #login(req: IncomingMessage, res: ServerResponse): void {
    const token = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token') ?? '';
    const expires = this.#links.get(token);
    this.#links.delete(token);
    if (expires === undefined || expires <= this.#clock.now()) {
      page(
        res,
        403,
        'This link cannot be used',
        'Sign-in links work once and for 10 minutes. Run the command gatehouse ui for a new one.',
      );
      return;
    }
    const session = this.#random.bytes(32).toString('base64url');
    const pageToken = this.#random.bytes(32).toString('base64url');
    this.#sessions.set(digest(session).toString('base64url'), digest(pageToken));
    res.writeHead(303, {
      location: `/ui/#${UI_SESSION_FRAGMENT}=${pageToken}`,
      'set-cookie': `${UI_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
      'content-length': '0',
    });
    res.end();
  }

  #serveFile(res: ServerResponse, relative: string): void {
    const root = this.#root!;
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      page(res, 404, 'Not found', 'There is no such page in Gatehouse.');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'content-security-policy': UI_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'private, max-age=3600',
    });
    res.end(body);
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
