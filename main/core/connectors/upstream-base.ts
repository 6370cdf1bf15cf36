// What every upstream does whatever carries it: the status line, the catalog (listed after connecting,
// refetched on list_changed), forwarded notifications, and staying alive — an initialize deadline,
// restart with exponential backoff after a failure, a backoff reset after a healthy spell. Each
// connection negotiates its era (server/discover, falling back to initialize) and the verdict is
// remembered, so a reconnect costs no probe. The stdio and HTTP upstreams only say how to open one
// connection (`connect`).
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  type ConnectOptions,
  type PriorDiscovery,
  type ServerCapabilities,
  type Transport,
} from '@modelcontextprotocol/client';
import type { Clock, Logger } from '../effects.js';
import { tapTaskResults } from './task-results.js';
import { UpstreamChanges } from './upstream-changes.js';
import {
  idleStatus,
  type AuthState,
  type Upstream,
  type UpstreamCatalog,
  type UpstreamEvent,
  type UpstreamStatus,
} from './upstream.js';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface UpstreamDeps {
  clock: Clock;
  logger: Logger;
  /** Backoff and deadline timers; tests pass a controllable fake. */
  timers?: Timers;
}

export interface BackoffPolicy {
  /** Delay before the first restart; each further failure doubles it. */
  initialMs: number;
  maxMs: number;
  /** A connection that stayed up this long starts the next backoff from initialMs again. */
  healthyMs: number;
}

const defaultBackoff: BackoffPolicy = { initialMs: 1000, maxMs: 60_000, healthyMs: 60_000 };

/** The delay before restart number `failures` (1-based): 1 s, 2 s, 4 s … capped at 60 s. */
export function backoffDelay(failures: number, policy: BackoffPolicy = defaultBackoff): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
}

export interface UpstreamOptions {
  /** How long the server gets to answer `initialize` and list its catalog. */
  initializeTimeoutMs?: number;
  /** Per-request timeout for the catalog requests Gatehouse makes itself. */
  requestTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Pings a connected server this often to notice a silent drop (0: never). */
  pingIntervalMs?: number;
  /** How often the stdio root's memory is read while connected. */
  memorySampleMs?: number;
  clientInfo?: { name: string; version: string };
  /**
   * How long the server/discover probe may take. On stdio a silent server is a 2025-era one (some
   * never answer an unknown request before initialize); on HTTP silence is an outage.
   */
  probeTimeoutMs?: number;
  /** How long a 2025-era verdict is trusted before the next connection probes again. */
  legacyVerdictMaxAgeMs?: number;
  /**
   * Answers requests the upstream server sends its client (sampling, elicitation, roots). When given,
   * the client declares those capabilities and hands each request here; the gateway routes it to the
   * downstream client whose call caused it.
   */
  serverRequests?: (method: string, params: unknown, signal: AbortSignal) => Promise<unknown>;
}

/** A failed attempt, in words for the user; `retry` false waits for the user (e.g. authorization). */
export class UpstreamFailure extends Error {
  readonly retry: boolean;

  constructor(message: string, options: { retry: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'UpstreamFailure';
    this.retry = options.retry;
  }
}

/** One open connection, made by a transport's `connect`. */
export interface Connection {
  client: Client;
  transport: 'stdio' | 'streamable-http' | 'sse';
  pid: number | null;
  memoryBytes?(): Promise<number | null>;
  /** Ends the connection and, for stdio, the whole process tree. Safe to call twice. */
  close(): Promise<void>;
}

export interface ConnectContext {
  /** A fresh SDK client with the catalog and notification handlers installed. */
  newClient(): Client;
  /** Aborted at the initialize deadline or by stop(): close whatever was opened. */
  signal: AbortSignal;
  /** The connection is gone (process exited, stream ended for good); `reason` is for the user. */
  lost(reason: string): void;
  /** Something the user should know that does not end the connection (e.g. garbage on stdout). */
  warn(message: string): void;
  /** A line the server wrote to stderr, published as a 'stderr' event. */
  stderrLine(line: string): void;
  /** Pass to `client.connect` so the SDK's own request timeout is not shorter than the deadline. */
  initializeTimeoutMs: number;
  /** Pass to `client.connect`: the era this server spoke last time, so no probe is needed. */
  prior: PriorDiscovery | undefined;
}

export interface Transporter {
  connect(context: ConnectContext): Promise<Connection>;
  /** A user sentence for an error that escaped `connect` (not an UpstreamFailure). */
  describe(error: unknown): UpstreamFailure;
  auth(): AuthState;
  stderrTail(): string[];
}

type CatalogKind = 'tools' | 'resources' | 'prompts';

const emptyCatalog = (): UpstreamCatalog => ({
  tools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
});

const MAX_PAGES = 1000;

async function paginate<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
) {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    // A server that hands back a cursor it already gave would loop forever.
    if (!cursor || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

/** A 2025-era verdict is probed again after a day: a server that upgraded would never say so. */
const LEGACY_VERDICT_MAX_AGE_MS = 24 * 60 * 60_000;

const isMethodNotFound = (error: unknown) =>
  error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound;

export class UpstreamRuntime implements Upstream {
  readonly name: string;
  readonly #transporter: Transporter;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #backoff: BackoffPolicy;
  readonly #initializeTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #pingIntervalMs: number;
  readonly #memorySampleMs: number;
  readonly #clientInfo: { name: string; version: string };
  readonly #serverRequests: UpstreamOptions['serverRequests'];
  readonly #probeTimeoutMs: number;
  readonly #legacyVerdictMaxAgeMs: number;

  #current: UpstreamStatus;
  #catalogValue = emptyCatalog();
  readonly #listeners = new Set<(event: UpstreamEvent) => void>();
  #active: Connection | null = null;
  #generation = 0;
  #failures = 0;
  #stopped = true;
  #pending: Promise<void> | undefined;
  #attemptAbort: AbortController | undefined;
  #restartTimer: unknown;
  #sampleTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  readonly #refreshing = new Map<CatalogKind, Promise<void>>();
  readonly #stale = new Set<CatalogKind>();
  /** The client whose first catalog is being listed; list_changed meanwhile is replayed after. */
  #loading: Client | undefined;
  /** A warning from this attempt (e.g. garbage on stdout) that stays visible once connected. */
  #warning: string | null = null;
  /** The era the server spoke on its last connection, and when that was learned. */
  #verdict: { prior: PriorDiscovery; at: number } | undefined;
  #lastCapabilities: ServerCapabilities | undefined;
  /** Resources Gatehouse's clients watch on this server (kept across reconnects). */
  readonly #resources = new Set<string>();
  #changes: UpstreamChanges | undefined;

  constructor(name: string, transporter: Transporter, deps: UpstreamDeps, options: UpstreamOptions = {}) {
    this.name = name;
    this.#transporter = transporter;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#timers = deps.timers ?? realTimers;
    this.#backoff = { ...defaultBackoff, ...options.backoff };
    this.#initializeTimeoutMs = options.initializeTimeoutMs ?? 30_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? this.#initializeTimeoutMs;
    this.#pingIntervalMs = options.pingIntervalMs ?? 0;
    this.#memorySampleMs = options.memorySampleMs ?? 10_000;
    this.#clientInfo = options.clientInfo ?? { name: 'gatehouse', version: '0.1.0' };
    this.#serverRequests = options.serverRequests;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? this.#requestTimeoutMs;
    this.#legacyVerdictMaxAgeMs = options.legacyVerdictMaxAgeMs ?? LEGACY_VERDICT_MAX_AGE_MS;
    this.#current = idleStatus('stopped', transporter.auth());
  }

  status(): UpstreamStatus {
    return { ...this.#current, serverInfo: this.#current.serverInfo && { ...this.#current.serverInfo } };
  }

  catalog(): UpstreamCatalog {
    return this.#catalogValue;
  }

  client(): Client | undefined {
    return this.#current.connection === 'connected' ? this.#active?.client : undefined;
  }

  capabilities(): ServerCapabilities | undefined {
    return this.client()?.getServerCapabilities() ?? this.#lastCapabilities;
  }

  era(): 'legacy' | 'modern' | null {
    return this.client()?.getProtocolEra() ?? this.#verdict?.prior.kind ?? null;
  }

  async subscribeResource(uri: string, signal?: AbortSignal): Promise<void> {
    if (this.#resources.has(uri)) return;
    this.#resources.add(uri);
    try {
      await this.#changes?.subscribe(uri, signal);
    } catch (error) {
      this.#resources.delete(uri);
      throw error;
    }
  }

  async unsubscribeResource(uri: string): Promise<void> {
    if (!this.#resources.delete(uri)) return;
    await this.#changes?.unsubscribe(uri);
  }

  stderrTail(): string[] {
    return this.#transporter.stderrTail();
  }

  on(listener: (event: UpstreamEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts, or (when already running) restarts; joins an attempt that is already under way. */
  start(): Promise<void> {
    this.#stopped = false;
    this.#failures = 0;
    this.#cancelRestart();
    if (this.#pending) return this.#pending;
    const previous = this.#active;
    this.#active = null;
    this.#stopMonitors();
    this.#pending = (async () => {
      await previous?.close();
      if (!this.#stopped) await this.#attempt();
    })().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#generation++;
    this.#cancelRestart();
    this.#stopMonitors();
    this.#attemptAbort?.abort();
    this.#changes?.close();
    this.#changes = undefined;
    const connection = this.#active;
    this.#active = null;
    await Promise.all([connection?.close(), this.#pending?.catch(() => undefined)]);
    this.#update({
      connection: 'stopped',
      lastError: null,
      pid: null,
      memoryBytes: null,
      connectedAt: null,
      transport: null,
    });
  }

  /** The authorizer changed state: show it, and reconnect when the user has just authorized. */
  authChanged(): void {
    const auth = this.#transporter.auth();
    if (auth === this.#current.auth) return;
    const waitingForUser = this.#current.auth === 'action-required' && this.#current.connection === 'error';
    this.#update({ auth });
    if (auth === 'ready' && waitingForUser && !this.#stopped) void this.start();
  }

  #emit(event: UpstreamEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('an upstream event listener threw', {
          connector: this.name,
          error: String(error),
        });
      }
    }
  }

  #update(patch: Partial<UpstreamStatus>): void {
    this.#current = { ...this.#current, auth: this.#transporter.auth(), ...patch };
    this.#emit({ type: 'status', status: this.status() });
  }

  #cancelRestart(): void {
    if (this.#restartTimer !== undefined) this.#timers.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }

  #stopMonitors(): void {
    clearInterval(this.#sampleTimer);
    clearInterval(this.#pingTimer);
    this.#sampleTimer = this.#pingTimer = undefined;
  }

  #scheduleRestart(): void {
    if (this.#stopped) return;
    this.#failures++;
    const delay = backoffDelay(this.#failures, this.#backoff);
    this.#logger.info('connector will restart', {
      connector: this.name,
      inMs: delay,
      failures: this.#failures,
    });
    this.#restartTimer = this.#timers.setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopped || this.#pending) return;
      this.#current = { ...this.#current, restarts: this.#current.restarts + 1 };
      this.#pending = this.#attempt().finally(() => (this.#pending = undefined));
    }, delay);
  }

  #newClient(): Client {
    const forward = this.#serverRequests;
    const client = new UpstreamClient(this.#clientInfo, {
      capabilities: forward
        ? { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: false } }
        : {},
      versionNegotiation: { mode: 'auto', probe: { timeoutMs: this.#probeTimeoutMs } },
      // A 2026-07-28 server's InputRequiredResult goes to the client whose call it answers
      // (gateway/tool-calls.ts): never answered here on anyone's behalf.
      inputRequired: { autoFulfill: false },
    });
    if (forward) {
      const pass =
        (method: string) => async (request: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) =>
          (await forward(method, request.params, ctx.mcpReq.signal)) as never;
      client.setRequestHandler('sampling/createMessage', pass('sampling/createMessage'));
      client.setRequestHandler('elicitation/create', pass('elicitation/create'));
      client.setRequestHandler('roots/list', pass('roots/list'));
    }
    const refresh = (kind: CatalogKind) => () => this.#refresh(client, kind);
    client.setNotificationHandler('notifications/tools/list_changed', refresh('tools'));
    client.setNotificationHandler('notifications/resources/list_changed', refresh('resources'));
    client.setNotificationHandler('notifications/prompts/list_changed', refresh('prompts'));
    client.fallbackNotificationHandler = async (notification) => {
      if (this.#active?.client !== client) return;
      this.#emit({ type: 'notification', method: notification.method, params: notification.params });
    };
    return client;
  }

  /** The remembered era, unless it is a 2025-era verdict old enough to probe again. */
  #freshVerdict(): PriorDiscovery | undefined {
    if (!this.#verdict) return undefined;
    if (
      this.#verdict.prior.kind === 'legacy' &&
      this.#clock.now() - this.#verdict.at > this.#legacyVerdictMaxAgeMs
    )
      return undefined;
    return this.#verdict.prior;
  }

  async #attempt(): Promise<void> {
    const generation = ++this.#generation;
    const prior = this.#freshVerdict();
    const abort = new AbortController();
    this.#attemptAbort = abort;
    let connection: Connection | null = null;
    let lostEarly: string | null = null;
    let timedOut = false;
    this.#warning = null;
    this.#stale.clear();
    this.#update({
      connection: 'starting',
      pid: null,
      memoryBytes: null,
      connectedAt: null,
      transport: null,
    });
    const deadline = this.#timers.setTimeout(() => {
      timedOut = true;
      abort.abort(new Error('initialize deadline'));
      void connection?.close();
    }, this.#initializeTimeoutMs);
    const context: ConnectContext = {
      newClient: () => this.#newClient(),
      signal: abort.signal,
      lost: (reason) => {
        if (connection && this.#active === connection && this.#current.connection === 'connected') {
          this.#onLost(connection, reason);
        } else {
          lostEarly ??= reason;
        }
      },
      initializeTimeoutMs: this.#initializeTimeoutMs,
      prior,
      stderrLine: (line) => this.#emit({ type: 'stderr', line }),
      warn: (message) => {
        if (generation !== this.#generation) return;
        this.#warning = message;
        this.#update({ lastError: message });
      },
    };
    try {
      connection = await this.#transporter.connect(context);
      if (generation !== this.#generation || abort.signal.aborted)
        throw abort.signal.reason ?? new Error('stale');
      this.#active = connection;
      this.#update({ pid: connection.pid });
      if (lostEarly) throw new UpstreamFailure(lostEarly, { retry: true });
      this.#remember(connection.client, prior);
      const client = connection.client;
      const changes = new UpstreamChanges({
        client,
        connector: this.name,
        logger: this.#logger,
        resources: this.#resources,
        onResumed: () => {
          for (const kind of ['tools', 'resources', 'prompts'] as const) void this.#refresh(client, kind);
        },
      });
      this.#changes = changes;
      // Listening starts before the first listing: a change meanwhile is listed again after it.
      await changes.start();
      this.#loading = connection.client;
      await this.#loadCatalog(connection.client, ['tools', 'resources', 'prompts']).finally(
        () => (this.#loading = undefined),
      );
      if (lostEarly) throw new UpstreamFailure(lostEarly, { retry: true });
      if (generation !== this.#generation || abort.signal.aborted)
        throw abort.signal.reason ?? new Error('stale');
    } catch (error) {
      this.#timers.clearTimeout(deadline);
      this.#changes?.close();
      this.#changes = undefined;
      if (connection) {
        if (this.#active === connection) this.#active = null;
        await connection.close();
      }
      // A remembered era that did not connect is not trusted again: the next attempt probes.
      if (prior && this.#verdict?.prior === prior) this.#verdict = undefined;
      if (generation !== this.#generation) return;
      const failure = timedOut
        ? new UpstreamFailure(
            `The server did not finish starting (MCP initialize and listing its tools) within ${Math.round(this.#initializeTimeoutMs / 1000)} s, so Gatehouse stopped it.`,
            { retry: true },
          )
        : lostEarly
          ? new UpstreamFailure(lostEarly, { retry: true })
          : error instanceof UpstreamFailure
            ? error
            : this.#transporter.describe(error);
      this.#logger.warn('connector failed to start', { connector: this.name, reason: failure.message });
      this.#update({ connection: 'error', lastError: failure.message, pid: null, memoryBytes: null });
      if (failure.retry) this.#scheduleRestart();
      return;
    }
    this.#timers.clearTimeout(deadline);
    const serverInfo = connection.client.getServerVersion();
    this.#update({
      connection: 'connected',
      lastError: this.#warning,
      connectedAt: this.#clock.now(),
      transport: connection.transport,
      serverInfo: serverInfo ? { name: serverInfo.name, version: serverInfo.version } : null,
      protocolVersion: connection.client.getNegotiatedProtocolVersion() ?? null,
      memoryBytes: (await connection.memoryBytes?.()) ?? null,
    });
    this.#logger.info('connector connected', {
      connector: this.name,
      transport: connection.transport,
      protocolVersion: connection.client.getNegotiatedProtocolVersion(),
    });
    this.#startMonitors(connection);
    for (const kind of [...this.#stale]) void this.#refresh(connection.client, kind);
    if (prior?.kind === 'modern') void this.#rediscover(connection);
  }

  /**
   * Connected from a remembered discover result, without a round trip: ask again in the background,
   * and list everything again if what the server offers changed since.
   */
  async #rediscover(connection: Connection): Promise<void> {
    const before = JSON.stringify(connection.client.getServerCapabilities());
    try {
      await connection.client.discover({ timeout: this.#requestTimeoutMs });
    } catch {
      return; // A failing server shows itself through the monitors and the next call.
    }
    if (this.#active !== connection) return;
    this.#remember(connection.client, undefined);
    if (JSON.stringify(connection.client.getServerCapabilities()) === before) return;
    for (const kind of ['tools', 'resources', 'prompts'] as const)
      void this.#refresh(connection.client, kind);
  }

  /** Keeps the connection's era (with its discover result) for the next connection. */
  #remember(client: Client, prior: PriorDiscovery | undefined): void {
    this.#lastCapabilities = client.getServerCapabilities();
    if (prior?.kind === 'legacy' && client.getProtocolEra() === 'legacy') return; // Keeps its age.
    const discover = client.getDiscoverResult();
    this.#verdict = {
      prior: discover ? { kind: 'modern', discover } : { kind: 'legacy' },
      at: this.#clock.now(),
    };
  }

  #onLost(connection: Connection, reason: string): void {
    if (this.#active !== connection) return;
    this.#active = null;
    this.#changes?.close();
    this.#changes = undefined;
    this.#stopMonitors();
    const connectedAt = this.#current.connectedAt;
    if (connectedAt !== null && this.#clock.now() - connectedAt >= this.#backoff.healthyMs)
      this.#failures = 0;
    this.#logger.warn('connector lost its connection', { connector: this.name, reason });
    void connection.close();
    this.#update({ connection: 'error', lastError: reason, pid: null, memoryBytes: null, connectedAt: null });
    this.#scheduleRestart();
  }

  #startMonitors(connection: Connection): void {
    const sample = connection.memoryBytes;
    if (sample) {
      this.#sampleTimer = setInterval(() => {
        void sample().then((memoryBytes) => {
          if (this.#active === connection && memoryBytes !== this.#current.memoryBytes)
            this.#update({ memoryBytes });
        });
      }, this.#memorySampleMs).unref();
    }
    if (this.#pingIntervalMs > 0) {
      // The 2026-07-28 revision has no ping; server/discover is its cheapest request.
      const modern = connection.client.getProtocolEra() === 'modern';
      this.#pingTimer = setInterval(() => {
        const options = { timeout: Math.min(this.#pingIntervalMs, this.#requestTimeoutMs) };
        (modern ? connection.client.discover(options) : connection.client.ping(options)).catch(
          (error: unknown) => {
            if (!isMethodNotFound(error)) this.#onLost(connection, this.#transporter.describe(error).message);
          },
        );
      }, this.#pingIntervalMs).unref();
    }
  }

  async #fetchKind(client: Client, kind: CatalogKind): Promise<Partial<UpstreamCatalog>> {
    const capabilities = client.getServerCapabilities() ?? {};
    const options = { timeout: this.#requestTimeoutMs };
    const listed = async <T>(what: string, list: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await list();
      } catch (error) {
        // Declared but not implemented (common for resource templates): an empty list, not a failure.
        if (!isMethodNotFound(error)) throw error;
        this.#logger.warn('connector declares a capability it does not implement', {
          connector: this.name,
          what,
        });
        return [];
      }
    };
    switch (kind) {
      case 'tools':
        return {
          tools: capabilities.tools
            ? await listed('tools/list', () =>
                paginate(async (cursor) => {
                  const page = await client.listTools({ cursor }, options);
                  return { items: page.tools, nextCursor: page.nextCursor };
                }),
              )
            : [],
        };
      case 'resources':
        if (!capabilities.resources) return { resources: [], resourceTemplates: [] };
        return {
          resources: await listed('resources/list', () =>
            paginate(async (cursor) => {
              const page = await client.listResources({ cursor }, options);
              return { items: page.resources, nextCursor: page.nextCursor };
            }),
          ),
          resourceTemplates: await listed('resources/templates/list', () =>
            paginate(async (cursor) => {
              const page = await client.listResourceTemplates({ cursor }, options);
              return { items: page.resourceTemplates, nextCursor: page.nextCursor };
            }),
          ),
        };
      case 'prompts':
        return {
          prompts: capabilities.prompts
            ? await listed('prompts/list', () =>
                paginate(async (cursor) => {
                  const page = await client.listPrompts({ cursor }, options);
                  return { items: page.prompts, nextCursor: page.nextCursor };
                }),
              )
            : [],
        };
    }
  }

  /** Lists the given kinds and publishes what actually changed. */
  async #loadCatalog(client: Client, kinds: CatalogKind[]): Promise<void> {
    const parts = await Promise.all(kinds.map((kind) => this.#fetchKind(client, kind)));
    if (this.#active?.client !== client) return;
    const next: UpstreamCatalog = Object.assign({ ...this.#catalogValue }, ...parts);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed = kinds.filter((kind) =>
      kind === 'resources'
        ? !same(next.resources, this.#catalogValue.resources) ||
          !same(next.resourceTemplates, this.#catalogValue.resourceTemplates)
        : !same(next[kind], this.#catalogValue[kind]),
    );
    this.#catalogValue = next;
    if (changed.length > 0) this.#emit({ type: 'catalog', catalog: next, changed });
  }

  /** A list_changed notification: refetch that kind, one fetch at a time, again if it changed meanwhile. */
  async #refresh(client: Client, kind: CatalogKind): Promise<void> {
    if (this.#active?.client !== client) return;
    if (this.#refreshing.has(kind) || this.#loading === client) {
      this.#stale.add(kind);
      return;
    }
    const run = (async () => {
      do {
        this.#stale.delete(kind);
        try {
          await this.#loadCatalog(client, [kind]);
        } catch (error) {
          this.#logger.warn('connector catalog refresh failed', {
            connector: this.name,
            kind,
            reason: this.#transporter.describe(error).message,
          });
        }
      } while (this.#stale.has(kind) && this.#active?.client === client);
    })();
    this.#refreshing.set(kind, run);
    await run.finally(() => this.#refreshing.delete(kind));
  }
}

/** The SDK client, seeing an upstream's CreateTaskResults (task-results.ts). */
class UpstreamClient extends Client {
  override connect(transport: Transport, options?: ConnectOptions): Promise<void> {
    return super.connect(tapTaskResults(transport), options);
  }
}
