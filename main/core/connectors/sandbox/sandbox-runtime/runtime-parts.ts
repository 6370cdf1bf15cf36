// The seam to @anthropic-ai/sandbox-runtime's internals: every module of its dist/ that Gatehouse
// uses below the package's public entry (the bubblewrap and Seatbelt wraps, its HTTP and SOCKS proxy
// servers, its TLS-terminating CA, its credential sentinels, its resolved-address guard and the
// Linux write observer), loaded here and nowhere else. The runtime is pinned (0.0.83);
// test/core/connectors/sandbox/sandbox-runtime-pins.test.ts holds each part to what Gatehouse relies on, so
// a new version that moves or changes one fails there first (docs/decisions.md, "Every local
// server in a sandbox by grants").
import type { Server } from 'node:http';
import type * as HttpProxyModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/http-proxy.js';
import type * as SocksProxyModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/socks-proxy.js';
import type * as LinuxSandboxModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js';
import type * as MacosSandboxModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/macos-sandbox-utils.js';
import type * as MitmCaModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/mitm-ca.js';
import type * as SentinelsModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/credential-sentinel.js';
import type * as AddressGuardModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/resolved-address-guard.js';
import type * as ViolationMonitorModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/linux-violation-monitor.js';
import type * as ParentProxyModule from '@anthropic-ai/sandbox-runtime/dist/sandbox/parent-proxy.js';

/** The runtime's HTTP proxy options (its `filter`, TLS termination and credential hooks among them). */
type HttpProxyOptions = HttpProxyModule.HttpProxyServerOptions;
/** The runtime's SOCKS5 proxy options. */
type SocksProxyOptions = SocksProxyModule.SocksProxyServerOptions;
/** A SOCKS5 proxy that is handed connections one by one. */
type SocksProxy = SocksProxyModule.SocksProxyWrapper;
/** The runtime's TLS-terminating certificate authority and the trust bundle it writes. */
export type MitmCA = MitmCaModule.MitmCA;
/** A sentinel ↔ real value map whose values go back only to each one's own hosts. */
type SentinelRegistry = SentinelsModule.SentinelRegistry;
/** What the bubblewrap wrap takes. */
type LinuxWrapParams = LinuxSandboxModule.LinuxSandboxParams;
/** What the Seatbelt wrap takes. */
type MacosWrapParams = Parameters<typeof MacosSandboxModule.wrapCommandWithSandboxMacOS>[0];
/** The resolved-address guard: a name's answers are checked before the proxy dials one. */
type AddressGuard = ReturnType<typeof AddressGuardModule.createResolvedAddressGuard>;
/** How an address guard looks names up (dns.lookup's shape). */
export type Resolve = NonNullable<
  NonNullable<Parameters<typeof AddressGuardModule.createResolvedAddressGuard>[0]>['resolve']
>;
/** An upstream proxy the runtime's proxies send what they dial through (CONNECT, or an absolute URI). */
export type ParentProxy = ParentProxyModule.ResolvedParentProxy;
/** The Linux write observer: apply-seccomp reports each write a sandboxed process attempts. */
export type WriteObserver = ViolationMonitorModule.LinuxViolationMonitor;

/** The parts of the sandbox runtime Gatehouse uses. */
export interface RuntimeParts {
  wrapLinux(params: LinuxWrapParams): Promise<string>;
  wrapMacos(params: MacosWrapParams): string;
  /** Releases what a Linux wrap made on the host (mount points of denies that did not exist). */
  releaseLinuxWrap(): void;
  createHttpProxy(options: HttpProxyOptions): Server;
  createSocksProxy(options: SocksProxyOptions): SocksProxy;
  createCA(): MitmCA;
  disposeCA(ca: MitmCA): void;
  newSentinels(): SentinelRegistry;
  addressGuard(options: {
    deniedResolvedAddresses?: string[];
    allowedDomains?: string[];
    /** How names are looked up (dns.lookup's shape, always asked with `all: true`). */
    resolve?: Resolve;
  }): AddressGuard;
  isResolvedAddressDenied(error: unknown): error is Error & { reason: string };
  /** A host against an allow-list entry (`api.example.com`, `*.example.com`, either with `:port`). */
  matchesDomain(host: string, port: number, pattern: string): boolean;
  /** A host against an entry with no port, as the credential sentinels match their hosts. */
  matchesHost(host: string, pattern: string): boolean;
  /** The spelling `net.connect` would dial: `127.1` → `127.0.0.1`, case and a trailing dot folded. */
  canonicalHost(host: string): string | undefined;
  isValidHost(host: string): boolean;
  /** `proxyUrl` (an http:// or https:// proxy) as the upstream of every destination; null for another scheme. */
  parentProxy(proxyUrl: string): ParentProxy | null;
  /** Linux: a socket apply-seccomp reports attempted writes to, each path handed to `onWrite`. */
  observeWrites(onWrite: (path: string) => void): WriteObserver;
}

let loaded: Promise<RuntimeParts> | undefined;

/**
 * The runtime, loaded at the first sandboxed start: some 35 MB of resident memory that an engine with
 * no local server running does not carry (the idle-memory target, docs/benchmarks.md).
 */
export function runtimeParts(): Promise<RuntimeParts> {
  loaded ??= (async () => {
    const [linux, macos, http, socks, ca, sentinels, guard, domains, parent, monitor] = await Promise.all([
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/macos-sandbox-utils.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/http-proxy.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/socks-proxy.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/mitm-ca.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/credential-sentinel.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/resolved-address-guard.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/domain-pattern.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/parent-proxy.js'),
      import('@anthropic-ai/sandbox-runtime/dist/sandbox/linux-violation-monitor.js'),
    ]);
    return {
      wrapLinux: (params) => linux.wrapCommandWithSandboxLinux(params),
      wrapMacos: (params) => macos.wrapCommandWithSandboxMacOS(params),
      releaseLinuxWrap: () => linux.cleanupBwrapMountPoints(),
      createHttpProxy: (options) => http.createHttpProxyServer(options),
      createSocksProxy: (options) => socks.createSocksProxyServer(options),
      createCA: () => ca.createMitmCA({}),
      disposeCA: (authority) => ca.disposeMitmCASync(authority),
      newSentinels: () => new sentinels.SentinelRegistry(),
      addressGuard: (options) => guard.createResolvedAddressGuard(options),
      isResolvedAddressDenied: (error): error is Error & { reason: string } =>
        guard.isResolvedAddressDenied(error),
      matchesDomain: (host, port, pattern) => domains.matchesDomainPatternWithPort(host, port, pattern),
      matchesHost: (host, pattern) => domains.matchesDomainPattern(host, pattern),
      canonicalHost: (host) => parent.canonicalizeHost(host),
      isValidHost: (host) => parent.isValidHost(host),
      // An explicit setting wins over the runtime's own environment's; the exceptions are Gatehouse's to judge.
      parentProxy: (proxyUrl) =>
        parent.resolveParentProxy({ http: proxyUrl, https: proxyUrl, noProxy: '' }) ?? null,
      observeWrites: (onWrite) =>
        // Every attempt is reported (no allow list here): each connector's own grants judge it.
        monitor.startLinuxSandboxViolationMonitor(
          (violation) => {
            const path = /^deny \S+ (\/.*)$/.exec(violation.line)?.[1];
            if (path) onWrite(path);
          },
          { allowWritePaths: [], denyWritePaths: [], resolveCommandText: (key) => key },
        ),
    };
  })();
  return loaded;
}
