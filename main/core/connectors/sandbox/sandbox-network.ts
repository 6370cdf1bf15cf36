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
import { createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { MitmCA, Resolve, RuntimeParts } from './sandbox-runtime/runtime-parts.js';
import {
  bare,
  cachedLookup,
  grantsService,
  type GateOptions,
  type GateRules,
  type Guards,
  type HostVerdict,
  type LocalService,
} from './sandbox-gate-rules.js';
import { ProxyRelays, type Passage } from './sandbox-relays.js';

// The private networks an open server is kept from (RFC 1918, carrier-grade NAT, IPv6 unique local);
// loopback, link-local (169.254.169.254 among them), this host's own addresses and the other cloud
// metadata endpoints are refused by the runtime's guard in every case.
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];
const SOCKS_FIRST_BYTES = new Set([0x04, 0x05]);

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
