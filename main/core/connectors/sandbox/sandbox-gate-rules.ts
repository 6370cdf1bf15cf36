// What decides a connector's connections, shared by its gate (sandbox-network.ts) and the gate's
// relays through the machine's proxies (sandbox-relays.ts): what a gate is opened with, its verdict on
// a destination, a granted local service by host and port, and the names' answers kept 30 s.
import { lookup, type LookupAddress } from 'node:dns';
import type { ProxyRoute } from '../../effects.js';
import type { MitmCA, Resolve, RuntimeParts } from './sandbox-runtime/runtime-parts.js';

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

/** A host without the brackets of an IPv6 literal. */
export const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** The address guards a gate dials through, by what the destination is. */
export interface Guards {
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

const sameHost = (a: string, b: string) => bare(a).toLowerCase() === bare(b).toLowerCase();

/** Whether the rules grant `host:port` as a local service. */
export const grantsService = (rules: GateRules, host: string, port: number) =>
  rules.localServices.some((service) => sameHost(service.host, host) && service.port === port);

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
