// One sandboxed server's only way out: a proxy of its own (HTTP and SOCKS5 on one Unix socket on
// Linux, a loopback port on macOS), which its sandbox's network reaches and nothing else does. The
// proxy is the runtime's, with Gatehouse's decision per connection: a host on its list (or any public
// host when it has none), a local service it was granted by host and port, and never Gatehouse's own
// port, this computer, a private network or a cloud metadata address otherwise. Because the socket
// is the connector's, a connection is its connector's without trusting anything the server says.
// Its secret values can be masked here: the server holds a stand-in, and the proxy puts the real
// value back only in requests to its own hosts, over TLS it terminates and re-originates verified.
// Where the machine's proxy settings send a destination through a proxy (a network with no direct
// way out), the gate hands the connection it allowed to a relay of its own that goes through that
// proxy, each connection by its own decision; the name is still judged by what it resolves to here first.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { lookup, type LookupAddress } from 'node:dns';
import type { ProxyRoute } from '../../effects.js';
import type { MitmCA, ParentProxy, Resolve, RuntimeParts } from './sandbox-runtime/runtime-parts.js';

/** A service on this computer or the local network a server may reach: one host and one port. */
export interface LocalService {
  host: string;
  port: number;
}

/** What decides one connector's connections. */
export interface GateRules {
  /** null: any public host; a list: only these (`api.example.com`, `*.example.com`). */
  allowedDomains: string[] | null;
  localServices: LocalService[];
  /** Gatehouse's own port on the loopback, which no server reaches whatever it was granted. */
  gatehousePort: number | null;
}

/** A secret value the server gets as a stand-in. */
export interface MaskedValue {
  name: string;
  value: string;
}

/** A connection the gate refused, and why in words. */
export interface HostRefusal {
  host: string;
  port: number;
  reason: string;
}

/** The verdict on one destination. */
export type HostVerdict = { allowed: true } | { allowed: false; reason: string };

// The private networks an open server is kept from (RFC 1918, carrier-grade NAT, IPv6 unique local);
// loopback, link-local (169.254.169.254 among them), this host's own addresses and the other cloud
// metadata endpoints are refused by the runtime's guard in every case.
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];
const SOCKS_FIRST_BYTES = new Set([0x04, 0x05]);

const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
const isLoopbackName = (host: string) => {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};
const isLoopbackIp = (host: string) => {
  const ip = bare(host);
  return (isIP(ip) === 4 && ip.startsWith('127.')) || ip === '::1';
};
/** An entry of a guard's allow list for a literal address: IPv6 in brackets, with its port. */
const literalEntry = (service: LocalService) =>
  `${isIP(service.host) === 6 ? `[${service.host}]` : service.host}:${service.port}`;

/** The address guards a gate dials through, by what the destination is. */
interface Guards {
  /** A public destination of a server that may reach any host: private networks refused too. */
  open: ReturnType<RuntimeParts['addressGuard']>;
  /** A host on the list, or a granted local service: loopback and metadata still refused. */
  listed: ReturnType<RuntimeParts['addressGuard']>;
}

/** How long a name's answer is kept for the next connection to it. */
const ANSWER_MS = 30_000;
const answers = new Map<
  string,
  { until: number; addresses: LookupAddress[] } | { waiting: Array<Parameters<Resolve>[2]> }
>();

/**
 * dns.lookup, each name's answer kept for 30 s and asked once however many connections wait for it.
 * A package manager opens dozens of connections to its registry at once, and each would otherwise
 * take a turn of the four threads getaddrinfo runs on (10 s a connection under load). The guard judges
 * the kept answer as it judges a fresh one, and the proxy dials the address it judged.
 * @internal Exported for its tests only: each host verdict and the answer cache's timing, checked without a network.
 */
export const cachedLookup: Resolve = (hostname, options, callback) => {
  const key = `${hostname.toLowerCase()}|${String(options.family ?? 0)}|${String(options.hints ?? 0)}`;
  const known = answers.get(key);
  if (known && 'until' in known && known.until > Date.now()) {
    callback(null, known.addresses);
    return;
  }
  if (known && 'waiting' in known) {
    known.waiting.push(callback);
    return;
  }
  const waiting = [callback];
  answers.set(key, { waiting });
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) answers.delete(key);
    else {
      answers.delete(key);
      answers.set(key, { until: Date.now() + ANSWER_MS, addresses });
      // A few hundred names at most: the oldest answers go first.
      for (const oldest of answers.keys()) {
        if (answers.size <= 500) break;
        answers.delete(oldest);
      }
    }
    for (const waiter of waiting) waiter(error, error ? [] : addresses);
  });
};

function guardsFor(parts: RuntimeParts, rules: GateRules, resolve: Resolve = cachedLookup): Guards {
  const allowedDomains = rules.localServices.filter((s) => isIP(s.host) !== 0).map(literalEntry);
  return {
    open: parts.addressGuard({
      deniedResolvedAddresses: PRIVATE_RANGES,
      allowedDomains,
      resolve,
    }),
    listed: parts.addressGuard({ allowedDomains, resolve }),
  };
}

const sameHost = (a: string, b: string) => bare(a).toLowerCase() === bare(b).toLowerCase();

/** Whether the rules grant `host:port` as a local service. */
const grantsService = (rules: GateRules, host: string, port: number) =>
  rules.localServices.some((service) => sameHost(service.host, host) && service.port === port);

/**
 * Whether the connector may reach `rawHost:port`. Gatehouse's own port is refused whatever was
 * granted; a granted local service is allowed; an address is judged by what it is (this computer, a
 * private network, link-local or cloud metadata are refused) and then by the list; a name by the list.
 * What a name resolves to is judged when it is dialed (`lookupFor` below).
 * @internal Exported for its tests only: each host verdict and the answer cache's timing, checked without a network.
 */
export function hostVerdict(
  parts: RuntimeParts,
  rules: GateRules,
  guards: Guards,
  rawHost: string,
  port: number,
): HostVerdict {
  if (!parts.isValidHost(rawHost)) return { allowed: false, reason: 'it is not a valid host name' };
  const host = parts.canonicalHost(rawHost) ?? rawHost;
  if (port === rules.gatehousePort && (isLoopbackName(host) || isLoopbackIp(host))) {
    return { allowed: false, reason: "it is Gatehouse's own port, which no local server may reach" };
  }
  if (grantsService(rules, host, port)) return { allowed: true };
  const listed = rules.allowedDomains;
  if (isIP(bare(host)) !== 0) {
    const guard = listed === null ? guards.open : guards.listed;
    // A name the guard cannot take for a loopback one, so the address is judged on its own.
    if (!guard.permits('address.invalid', bare(host), port)) {
      return {
        allowed: false,
        reason:
          'it is this computer, a private network or a cloud metadata address (grant a local service by host and port)',
      };
    }
    return listed === null ? { allowed: true } : { allowed: false, reason: 'it is not on its list of hosts' };
  }
  if (isLoopbackName(host)) {
    return { allowed: false, reason: 'it is this computer (grant a local service by host and port)' };
  }
  if (listed === null || listed.some((pattern) => parts.matchesDomain(host, port, pattern))) {
    return { allowed: true };
  }
  return { allowed: false, reason: 'it is not on its list of hosts' };
}

/** What a gate is opened with. */
export interface GateOptions {
  parts: RuntimeParts;
  rules: GateRules;
  /** Linux: the Unix socket to listen on; elsewhere a loopback port is taken. */
  socketPath: string | null;
  /** Secret values to mask; masked only when the rules name the hosts they go to. */
  masked: MaskedValue[];
  /** The engine's TLS-terminating CA, made on first need (only a gate with masked values asks). */
  authority: () => MitmCA;
  onRefused(refusal: HostRefusal): void;
  /**
   * How the machine's proxy settings reach a URL (the engine's outbound routes); without it every
   * destination is dialed directly.
   */
  route?: (url: URL) => Promise<ProxyRoute>;
  /** Where a relay through a proxy listens: a new Unix socket path in a folder no server sees. */
  relaySocketPath?: () => string;
  /** How names are looked up before they are judged (tests answer for names they make up). */
  resolve?: Resolve;
}

/** A connector's proxy, listening; close it when the server is gone. */
export class NetworkGate {
  /** Where the sandbox's relays reach it. */
  readonly socketPath: string | null;
  readonly port: number | null;
  /** The masked variables as the server sees them: name → stand-in. */
  readonly standIns: Record<string, string>;
  /** The trust bundle the server must use when its requests are re-originated (masked values). */
  readonly trustBundle: string | null;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #closeProxies: () => Promise<void>;

  private constructor(
    server: Server,
    where: { socketPath: string | null; port: number | null },
    masking: { standIns: Record<string, string>; trustBundle: string | null },
    closeProxies: () => Promise<void>,
  ) {
    this.#server = server;
    this.socketPath = where.socketPath;
    this.port = where.port;
    this.standIns = masking.standIns;
    this.trustBundle = masking.trustBundle;
    this.#closeProxies = closeProxies;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Opens the connector's proxy. */
  static async open(options: GateOptions): Promise<NetworkGate> {
    const { parts, rules } = options;
    const guards = guardsFor(parts, rules, options.resolve);
    const refuse = (host: string, port: number, reason: string) =>
      options.onRefused({ host: parts.canonicalHost(host) ?? host, port, reason });
    // What a name resolves to: a granted local service may be on this computer or the local network,
    // a listed host on the local network, anything else only on the public internet.
    const guardOf = (hostname: string, port: number) => {
      return grantsService(rules, hostname, port) || rules.allowedDomains !== null
        ? guards.listed
        : guards.open;
    };
    const judge = (host: string, port: number) => hostVerdict(parts, rules, guards, host, port);
    const relays = new ProxyRelays(parts, options, guardOf, judge);
    const decide = async (
      passage: Passage,
      port: number,
      host: string,
      explain?: (reason: string) => void,
    ): Promise<boolean> => {
      const verdict = judge(host, port);
      const routed = verdict.allowed ? await relays.choose(passage, host, port) : verdict;
      if (routed.allowed) return true;
      refuse(host, port, routed.reason);
      explain?.(routed.reason);
      return false;
    };
    // Not async: the connection's passage is entered before the runtime awaits the decision, so the
    // runtime's next steps for this connection, `getMitmSocketPath` among them, run with it.
    const admit = (port: number, host: string, explain?: (reason: string) => void) =>
      decide(relays.enter(host), port, host, explain);
    const lookupFor = (port: number) => {
      return ((hostname: string, lookupOptions: object, callback: (...args: unknown[]) => void) => {
        guardOf(hostname, port).lookupFor(port)(
          hostname,
          lookupOptions as never,
          ((error: unknown, ...rest: unknown[]) => {
            if (parts.isResolvedAddressDenied(error)) refuse(hostname, port, `it ${error.reason}`);
            callback(error, ...rest);
          }) as never,
        );
      }) as never;
    };
    const masking = maskingFor(options);
    const http = parts.createHttpProxy({
      filter: (port, host, _socket, _command, explain) => admit(port, host, explain),
      getMitmSocketPath: (host) => relays.socketFor(host),
      lookupFor,
      ...(masking.terminate
        ? {
            mitmCA: masking.terminate.authority,
            shouldTerminateTLS: (hostname: string) => masking.terminate!.hosts(hostname),
            mutateHeaders: masking.terminate.mutateHeaders,
            getBodySubstitutions: masking.terminate.bodySubstitutions,
          }
        : {}),
    });
    const socks = parts.createSocksProxy({
      filter: (port, host) => admit(port, host),
      getMitmSocketPath: (host) => relays.socketFor(host),
      lookupFor,
    });
    const server = createServer((client) => {
      client.on('error', () => client.destroy());
      client.once('readable', () => {
        const first = client.read(1) as Buffer | null;
        if (!first || first.length === 0) {
          client.destroy();
          return;
        }
        client.unshift(first);
        if (SOCKS_FIRST_BYTES.has(first[0]!)) socks.handleConnection(client);
        else http.emit('connection', client);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = () => {
        server.off('error', reject);
        resolve();
      };
      if (options.socketPath !== null) {
        rmSync(options.socketPath, { force: true });
        server.listen(options.socketPath, listening);
      } else server.listen(0, '127.0.0.1', listening);
    });
    server.unref();
    const port = options.socketPath === null ? (server.address() as AddressInfo).port : null;
    return new NetworkGate(
      server,
      { socketPath: options.socketPath, port },
      { standIns: masking.standIns, trustBundle: masking.terminate?.authority.trustBundlePath ?? null },
      async () => {
        await socks.close();
        http.close();
        http.closeAllConnections?.();
        await relays.close();
      },
    );
  }

  /** Stops the proxy and ends its connections; removes its socket. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await this.#closeProxies();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    if (this.socketPath !== null) rmSync(this.socketPath, { force: true });
  }
}

/** How a gate masks values: stand-ins, and the TLS termination that fills them in for its own hosts. */
function maskingFor(options: GateOptions): {
  standIns: Record<string, string>;
  terminate: {
    authority: MitmCA;
    hosts(hostname: string): boolean;
    mutateHeaders(headers: Record<string, string | string[] | undefined>, destHost: string): void;
    bodySubstitutions(
      destHost: string,
    ): ReturnType<ReturnType<RuntimeParts['newSentinels']>['sentinelsForHost']>;
  } | null;
} {
  const { parts, rules } = options;
  // Its own hosts: the listed ones and the granted local services. With no list there are none to
  // tell apart, so nothing is masked (connector-sandbox.ts delivers such values plainly, marked).
  if (options.masked.length === 0 || rules.allowedDomains === null) return { standIns: {}, terminate: null };
  const hosts = [
    ...rules.allowedDomains.map((pattern) => pattern.replace(/:\d+$/, '')),
    ...rules.localServices.map((service) => bare(service.host)),
  ];
  const registry = parts.newSentinels();
  const standIns: Record<string, string> = {};
  for (const { name, value } of options.masked) standIns[name] = registry.register(name, value, hosts);
  const matches = (host: string, pattern: string) => parts.matchesHost(host, pattern);
  return {
    standIns,
    terminate: {
      authority: options.authority(),
      hosts: (hostname) => hosts.some((pattern) => matches(hostname, pattern)),
      mutateHeaders: (headers, destHost) => registry.substituteInHeaders(headers, destHost, matches),
      bodySubstitutions: (destHost) => registry.sentinelsForHost(destHost, matches),
    },
  };
}

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
interface Passage {
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
class ProxyRelays {
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
