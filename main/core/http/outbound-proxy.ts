// Outbound HTTP the way the machine's proxy settings say: each request to a remote connector, its
// OAuth server or the MCP Registry asks the shell's proxy resolver how to reach that URL (the OS's
// answer in the app, HTTP(S)_PROXY / NO_PROXY for `gatehouse serve`) and goes directly or through
// that proxy with undici's ProxyAgent. Loopback is always reached directly.
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import type { Fetch, Logger, ProxyResolver, ProxyRoute } from '../effects.js';

/**
 * undici, loaded by the first request that needs a pool of its own (a proxy, or a stream): some 20 MB
 * of resident memory an engine that reaches nothing remote does not carry (the idle-memory target,
 * docs/benchmarks.md).
 */
let undici: Promise<typeof Undici> | undefined;
const loadUndici = () => (undici ??= import('undici'));

/** How long one answer of the resolver is used for an origin (the OS's lookups run one at a time). */
const ROUTE_CACHE_MS = 60_000;

/** A request that went to a proxy and failed there, or a proxy setting Gatehouse cannot use. */
export class OutboundProxyError extends Error {
  /** The proxy as `host:port`, for messages. */
  readonly proxy: string;

  constructor(message: string, proxy: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundProxyError';
    this.proxy = proxy;
  }
}

/**
 * Chromium's answer for a URL (`session.resolveProxy`: `ProxyInfo::ToPacString()`, entries such as
 * `DIRECT`, `PROXY host:port`, `HTTPS host:port`, `SOCKS5 host:port`, separated by `;`) as a route:
 * the first entry Gatehouse can use. An empty answer is a failed lookup, taken as direct.
 */
export function pacRoute(answer: string): ProxyRoute {
  const entries = answer
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return { direct: true };
  for (const entry of entries) {
    const [kind = '', server = ''] = entry.split(/\s+/, 2);
    const scheme = PAC_SCHEMES[kind.toUpperCase()];
    if (kind.toUpperCase() === 'DIRECT') return { direct: true };
    if (scheme && server) return { proxy: `${scheme}://${server}` };
  }
  throw new OutboundProxyError(
    `The system's proxy setting for this address (${entries.join('; ')}) names no proxy Gatehouse can use: it speaks to HTTP, HTTPS and SOCKS5 proxies.`,
    entries[0]!,
  );
}

/** The PAC result kinds Gatehouse sends through (SOCKS, meaning SOCKS4, and QUIC it cannot). */
const PAC_SCHEMES: Record<string, string> = { PROXY: 'http', HTTPS: 'https', SOCKS5: 'socks5' };

/**
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (lower case first) as a resolver, with the meaning
 * Node's own `NODE_USE_ENV_PROXY` and undici's EnvHttpProxyAgent give them: https URLs use
 * HTTPS_PROXY, else HTTP_PROXY; NO_PROXY lists host names (a leading `.` or `*.` ignored, a
 * subdomain matches) with an optional port, or `*` for none at all. A proxy written without a scheme
 * is an http:// one.
 */
export function environmentProxy(env: NodeJS.ProcessEnv): ProxyResolver {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || '';
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || httpProxy;
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').trim();
  const exceptions = noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      return {
        host: (withPort ? withPort[1]! : entry).replace(/^\*?\./, '').toLowerCase(),
        port: withPort ? Number(withPort[2]) : 0,
      };
    });
  return async (url) => {
    const proxy = url.protocol === 'https:' ? httpsProxy : url.protocol === 'http:' ? httpProxy : '';
    if (!proxy || noProxy === '*') return { direct: true };
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const excepted = exceptions.some(
      (entry) =>
        (entry.port === 0 || entry.port === port) && (host === entry.host || host.endsWith(`.${entry.host}`)),
    );
    if (excepted) return { direct: true };
    return { proxy: /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}` };
  };
}

/** Loopback hosts: Gatehouse's own port and local test servers are never sent to a proxy. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/** The proxy's `host:port` without credentials, as messages name it. */
function proxyName(proxy: string): string {
  try {
    const url = new URL(proxy);
    return url.host || proxy;
  } catch {
    return proxy;
  }
}

/** What a request may say about its own pool: `streams` for bodies that stay open for hours (SSE). */
export interface RouteOptions {
  /** No body timeout: Node's 300 s one would end an idle SSE stream and keep undici's timer ticking. */
  streams?: boolean;
}

/**
 * The engine's outbound routes: resolves each request's URL (cached per origin for a minute), keeps
 * one dispatcher per proxy and pool kind, and closes them when the engine stops.
 */
export class OutboundRoutes {
  readonly #resolve: ProxyResolver | undefined;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #routes = new Map<string, { at: number; route: Promise<ProxyRoute> }>();
  readonly #dispatchers = new Map<string, Dispatcher>();
  readonly #announced = new Set<string>();

  constructor(options: { resolve?: ProxyResolver | undefined; logger: Logger; now?: () => number }) {
    this.#resolve = options.resolve;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /**
   * `base` with each request sent the way its URL's route says. A request that names its own
   * `dispatcher` (oidc-provider's address-checked one for client metadata documents) keeps it.
   */
  fetch(base: Fetch, options: RouteOptions = {}): Fetch {
    return async (input, init = {}) => {
      if ((init as { dispatcher?: unknown }).dispatcher !== undefined) return base(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      const route = await this.route(url);
      const dispatcher = await this.#dispatcher(route, options);
      // Node's fetch takes undici's dispatcher; its RequestInit type (undici-types) does not name it.
      const request: RequestInit = dispatcher ? { ...init, ...({ dispatcher } as object) } : init;
      if ('direct' in route) return base(input, request);
      try {
        return await base(input, request);
      } catch (error) {
        if (init.signal?.aborted || (error as Error)?.name === 'AbortError') throw error;
        throw proxyFailure(error, route.proxy, url);
      }
    };
  }

  /** How a request to `url` leaves: directly (loopback, no resolver, the resolver says so) or through a proxy. */
  async route(url: URL): Promise<ProxyRoute> {
    if (!this.#resolve || isLoopback(url)) return { direct: true };
    const now = this.#now();
    const cached = this.#routes.get(url.origin);
    if (cached && now - cached.at < ROUTE_CACHE_MS) return cached.route;
    const route = this.#resolve(url).then(
      (found) => {
        if ('proxy' in found) {
          const name = proxyName(found.proxy);
          if (!this.#announced.has(name))
            this.#logger.info('outbound requests go through a proxy', { to: url.origin, proxy: name });
          this.#announced.add(name);
        }
        return found;
      },
      (error: unknown) => {
        this.#routes.delete(url.origin);
        throw error;
      },
    );
    this.#routes.set(url.origin, { at: now, route });
    return route;
  }

  /** Closes every pool it opened (the engine's stop). */
  async close(): Promise<void> {
    const open = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    this.#routes.clear();
    await Promise.allSettled(open.map((dispatcher) => dispatcher.close()));
  }

  async #dispatcher(route: ProxyRoute, options: RouteOptions): Promise<Dispatcher | undefined> {
    const streams = options.streams === true;
    // Direct requests without streams keep Node's own global pool, as before any proxy support.
    if ('direct' in route && !streams) return undefined;
    const key = `${'proxy' in route ? route.proxy : 'direct'} ${streams ? 'streams' : 'requests'}`;
    let dispatcher = this.#dispatchers.get(key);
    if (!dispatcher) {
      const { Agent, Client, Pool, ProxyAgent } = await loadUndici();
      // Another request may have made it while the module loaded.
      dispatcher = this.#dispatchers.get(key);
      if (dispatcher) return dispatcher;
      const timeouts = streams ? { bodyTimeout: 0 } : {};
      dispatcher =
        'proxy' in route
          ? new ProxyAgent({
              uri: route.proxy,
              // Plain http:// requests are forwarded as absolute-form requests (RFC 9112 §3.2.2),
              // as browsers and curl send them; https:// ones go through a CONNECT tunnel (RFC 9110 §9.3.6).
              proxyTunnel: false,
              ...timeouts,
              // The pools ProxyAgent makes, its plain-http forwarding pool included, take the timeouts too.
              factory: (origin: string | URL, opts: object) => {
                const settings = { ...opts, ...timeouts };
                return (opts as { connections?: number }).connections === 1
                  ? new Client(origin, settings)
                  : new Pool(origin, settings);
              },
            })
          : new Agent(timeouts);
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }
}

/** What went wrong at the proxy, as one sentence naming it. */
function proxyFailure(error: unknown, proxy: string, url: URL): unknown {
  const name = proxyName(proxy);
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const text = chain.map((e) => (e instanceof Error ? e.message : String(e))).join(' ');
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c) => typeof c === 'string');
  const status = /Proxy response \((\d{3})\)/.exec(text)?.[1] ?? (/\(407\)/.test(text) ? '407' : undefined);
  const reason =
    status === '407'
      ? `it asks for a sign-in (HTTP 407), which Gatehouse cannot answer; ask for an exception for ${url.host}, or with \`gatehouse serve\` give the proxy as http://user:password@host:port in HTTPS_PROXY`
      : status
        ? `it refused to connect to ${url.host} (HTTP ${status})`
        : code === 'ECONNREFUSED'
          ? 'nothing answers at that address'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'its name could not be looked up'
            : undefined;
  if (!reason) return error;
  return new OutboundProxyError(`Cannot reach ${url.origin} through the proxy ${name}: ${reason}.`, name, {
    cause: error,
  });
}
