// The engine's effects, taken as parameters so the same core runs in Electron, headless, and tests.
// Nothing in main/core reads the wall clock or randomness, or reaches the network, except through
// these; the few monotonic timers and library-checked clocks left are listed in docs/decisions.md.

/** Milliseconds since the epoch; tests pass a controllable clock. */
export interface Clock {
  now(): number;
}

/** Cryptographically strong randomness. */
export interface Random {
  bytes(length: number): Buffer;
}

/** A version 4 UUID (RFC 9562 §5.4) drawn from `random`: for ids that must be unique and unguessable. */
export function randomUuid(random: Random): string {
  const bytes = Buffer.from(random.bytes(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How many bytes a pooled Random draws at a time. */
const POOL_BYTES = 4_096;

/**
 * A Random that draws from `draw` (a CSPRNG: node:crypto's randomBytes) 4 KiB at a time and hands out
 * fresh copies of consecutive slices, never the same byte twice. Each synchronous draw is a job on the
 * main thread (≈ 50 µs measured per call): ids made per call — a parked call's 12 bytes — then
 * cost one draw per ~340 calls, as Node's own randomUUID pools its entropy. Requests over a quarter of
 * the pool go straight to `draw`.
 */
export function pooledRandom(draw: (length: number) => Buffer): Random {
  let pool: Buffer = Buffer.alloc(0);
  let used = 0;
  return {
    bytes(length) {
      if (length > POOL_BYTES / 4) return draw(length);
      if (used + length > pool.length) {
        pool = draw(POOL_BYTES);
        used = 0;
      }
      const out = Buffer.from(pool.subarray(used, used + length));
      // What was handed out does not stay readable in the pool.
      pool.fill(0, used, used + length);
      used += length;
      return out;
    },
  };
}

/**
 * Protects upstream secrets at rest. The desktop shell backs it with Electron safeStorage (the OS
 * keychain); headless mode uses a key file in the data directory (weaker: see docs/decisions.md).
 */
export interface SecretVault {
  readonly kind: 'os-keychain' | 'key-file' | 'memory';
  encrypt(plaintext: string): Buffer;
  decrypt(ciphertext: Buffer): string;
  /**
   * Only on a vault that still reads a format it wants gone (the desktop's secrets sealed one by one by
   * the first builds): the plaintext of `sealed` when it is in that format, undefined when it is not.
   * Throws a sentence when such a secret cannot be opened. The engine calls it for every stored secret
   * at start and seals what it returns the current way (store/outdated-secrets.ts); asynchronous
   * because the keychain's current API is.
   */
  unsealOutdated?(sealed: Buffer): Promise<string | undefined>;
}

/** Opens a URL for the user (system browser); headless mode prints it instead. */
export interface UrlOpener {
  open(url: string): Promise<void>;
}

/** Tells the user something needs attention (system notification in the desktop app). */
export interface Notifier {
  notify(notice: {
    title: string;
    body: string;
    kind: 'consent' | 'approval' | 'registration' | 'info';
  }): void;
}

/** The network, as `fetch`: upstream connectors, OAuth discovery, the registry; tests intercept it. */
export type Fetch = typeof globalThis.fetch;

/** How a request to one URL leaves the machine: directly, or through the proxy at this URL. */
export type ProxyRoute = { direct: true } | { proxy: string };

/**
 * The machine's proxy settings, asked per URL: the OS's (Electron's `session.resolveProxy`) in the
 * app, HTTP(S)_PROXY and NO_PROXY for `gatehouse serve` (core/http/outbound-proxy.ts).
 */
export type ProxyResolver = (url: URL) => Promise<ProxyRoute>;

/** Diagnostics for the operator (never the audit log, never secrets). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Every effect at once, as a shell (desktop, headless, a test) hands them to the engine. */
export interface Effects {
  clock: Clock;
  random: Random;
  vault: SecretVault;
  openUrl: UrlOpener;
  notifier: Notifier;
  fetch: Fetch;
  /** How outbound requests reach a URL; absent: always directly (tests, and loopback in any case). */
  proxy?: ProxyResolver;
  logger: Logger;
}
