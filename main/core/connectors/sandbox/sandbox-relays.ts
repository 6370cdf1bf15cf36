// The gate's way through the machine's proxies (sandbox-network.ts opens it with the gate): each
// connection the gate allowed leaves directly or through a relay of the gate's own, by its own decision.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP } from 'node:net';
import { rmSync } from 'node:fs';
import type { ProxyRoute } from '../../effects.js';
import type { ParentProxy, RuntimeParts } from './sandbox-runtime/runtime-parts.js';
import {
  bare,
  cachedLookup,
  grantsService,
  type GateOptions,
  type Guards,
  type HostVerdict,
} from './sandbox-gate-rules.js';

/** A destination as a URL the machine's proxy settings answer for: port 80 is plain HTTP, any other TLS. */
function urlFor(host: string, port: number): URL {
  const name = isIP(bare(host)) === 6 ? `[${bare(host)}]` : host;
  return new URL(`${port === 80 ? 'http' : 'https'}://${name}:${port}/`);
}

/** A proxy's `host:port`, without the credentials its URL may carry. */
function shownProxy(proxy: string): string {
  try {
    return new URL(proxy).host || proxy;
  } catch {
    return proxy;
  }
}

/** A relay through one proxy: the runtime's HTTP proxy, listening on its socket. */
interface Relay {
  server: ReturnType<RuntimeParts['createHttpProxy']>;
  socketPath: string;
}

/** One connection's way out, as its gate decides it. */
export interface Passage {
  /** The gate's relays that decided it. */
  relays: ProxyRelays;
  /** The host it is to, canonical. */
  host: string;
  /** The socket of the relay it goes through, once decided; none: a direct dial. */
  via: string | undefined;
}

/**
 * The passage of the connection in hand, in the async flow the runtime handles that connection in. The
 * runtime asks where an allowed connection goes (`getMitmSocketPath`) with its host alone, after its
 * filter's answer, in the flow that awaited it: a CONNECT and a plain request in their handlers
 * (http-proxy.js), a SOCKS5 connection in the handler its validator's answer starts (socks-proxy.js);
 * pinned by sandbox-runtime-pins.test.ts.
 */
const passages = new AsyncLocalStorage<Passage>();

/**
 * The gate's way through the machine's proxies. For each connection the gate allowed, the route the
 * proxy settings give its destination: directly, or through a relay of the gate's own, the runtime's
 * HTTP proxy with that proxy as its upstream, on a Unix socket in the engine's private temp folder. The
 * runtime's upstream route leaves a name to the proxy to resolve, which would reach a private network by
 * name; so a name is first judged here by what it resolves to, as a direct dial's is. Each connection
 * goes by its own decision, kept in its own flow (`passages`), so connections to one host decided at
 * once (other ports, proxy settings that answer per URL) never take each other's; nothing is kept for
 * one refused, dropped or never routed. A relay takes only what its gate would send through a proxy.
 */
export class ProxyRelays {
  readonly #parts: RuntimeParts;
  readonly #options: GateOptions;
  readonly #guardOf: (host: string, port: number) => Guards['open'];
  readonly #judge: (host: string, port: number) => HostVerdict;
  /** Proxy URL → its relay, opened on first need. */
  readonly #relays = new Map<string, Promise<Relay>>();

  constructor(
    parts: RuntimeParts,
    options: GateOptions,
    guardOf: (host: string, port: number) => Guards['open'],
    judge: (host: string, port: number) => HostVerdict,
  ) {
    this.#parts = parts;
    this.#options = options;
    this.#guardOf = guardOf;
    this.#judge = judge;
  }

  #key(host: string): string {
    return (this.#parts.canonicalHost(host) ?? host).toLowerCase();
  }

  /**
   * A new passage for a connection to `host`, entered in the flow the runtime handles it in: called
   * by the filter before it returns, so the flow that awaits the decision carries it.
   */
  enter(host: string): Passage {
    const passage: Passage = { relays: this, host: this.#key(host), via: undefined };
    passages.enterWith(passage);
    return passage;
  }

  /**
   * The relay socket the runtime sends the connection in hand to, by its own decision; none for a
   * direct dial (and for a flow with no decision of this gate's for `host`, which the runtime never asks).
   */
  socketFor(host: string): string | undefined {
    const passage = passages.getStore();
    return passage?.relays === this && passage.host === this.#key(host) ? passage.via : undefined;
  }

  /** How an allowed connection to `host:port` leaves (into its passage), or why it may not after all. */
  async choose(passage: Passage, host: string, port: number): Promise<HostVerdict> {
    const { route, relaySocketPath, rules } = this.#options;
    let answer: ProxyRoute = { direct: true };
    if (route && relaySocketPath && !grantsService(rules, host, port)) {
      try {
        answer = await route(urlFor(host, port));
      } catch (error) {
        return {
          allowed: false,
          reason: `the machine's proxy settings for it could not be read (${(error as Error).message})`,
        };
      }
    }
    if ('direct' in answer) return { allowed: true };
    const parent = this.#parts.parentProxy(answer.proxy);
    if (parent === null) {
      return {
        allowed: false,
        reason: `the machine's proxy for it (${shownProxy(answer.proxy)}) is not an HTTP or HTTPS proxy, the only kinds the sandbox's gate goes through`,
      };
    }
    if (isIP(bare(host)) === 0) {
      const denied = await this.#deniedName(host, port);
      if (denied !== null) return { allowed: false, reason: `it ${denied}` };
    }
    try {
      const relay = await this.#relay(answer.proxy, parent);
      passage.via = relay.socketPath;
      return { allowed: true };
    } catch (error) {
      return {
        allowed: false,
        reason: `the way through the machine's proxy (${shownProxy(answer.proxy)}) could not be opened (${(error as Error).message})`,
      };
    }
  }

  /**
   * Whether a relay takes `host:port`: what its gate would send through a proxy (allowed, not a granted
   * local service, a name that resolves to nothing the guard refuses), judged again, so whatever reaches
   * a relay's socket gets no further than through the gate. What the gate sent passes again: the same
   * rules, and the name's answer kept (`cachedLookup`).
   */
  async #carries(host: string, port: number): Promise<boolean> {
    if (!this.#judge(host, port).allowed || grantsService(this.#options.rules, host, port)) return false;
    return isIP(bare(host)) !== 0 || (await this.#deniedName(host, port)) === null;
  }

  /**
   * Why `host` may not go through a proxy by what it resolves to here: any answer the address guard
   * would not dial (all of them are judged, as the proxy may dial any), or null. A name only the proxy
   * can resolve passes: the proxy decides where it leads.
   */
  #deniedName(host: string, port: number): Promise<string | null> {
    const resolve = this.#options.resolve ?? cachedLookup;
    const guard = this.#guardOf(host, port);
    return new Promise((settle) => {
      resolve(host, { all: true }, (error, addresses) => {
        const refused = error ? [] : addresses.filter(({ address }) => !guard.permits(host, address, port));
        settle(
          refused.length === 0
            ? null
            : 'resolves to this computer, a private network or a cloud metadata address (grant a local service by host and port)',
        );
      });
    });
  }

  #relay(proxy: string, parent: ParentProxy): Promise<Relay> {
    let opened = this.#relays.get(proxy);
    if (opened) return opened;
    const socketPath = this.#options.relaySocketPath!();
    opened = (async () => {
      const server = this.#parts.createHttpProxy({
        filter: (port, host) => this.#carries(host, port),
        parentProxy: parent,
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        rmSync(socketPath, { force: true });
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.unref();
      return { server, socketPath };
    })();
    // A relay that could not open is tried afresh by the next connection.
    opened.catch(() => this.#relays.delete(proxy));
    this.#relays.set(proxy, opened);
    return opened;
  }

  /** Closes every relay and its connections, and removes their sockets. */
  async close(): Promise<void> {
    const relays = await Promise.allSettled(this.#relays.values());
    this.#relays.clear();
    for (const relay of relays) {
      if (relay.status !== 'fulfilled') continue;
      const { server, socketPath } = relay.value;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketPath, { force: true });
    }
  }
}
