// What every upstream does whatever carries it: the status line, the offering (upstream-offering.ts),
// forwarded notifications, and staying alive — an initialize deadline, restart with exponential backoff
// after a failure, a backoff reset after a healthy spell (upstream-liveness.ts). Each connection
// negotiates its era (server/discover, falling back to initialize) and the verdict is remembered
// (upstream-era.ts), so a reconnect costs no probe. The stdio and HTTP upstreams only say how to open
// one connection (`Transporter`, upstream-transporter.ts).
import type { Client, ServerCapabilities } from '@modelcontextprotocol/client';
import type { Clock, Logger } from '../../effects.js';
import { OfferingCache } from './upstream-offering.js';
import { UpstreamChanges } from './upstream-changes.js';
import { failRequestsInFlight, newUpstreamClient } from './upstream-client.js';
import { EraMemory, LEGACY_VERDICT_MAX_AGE_MS } from './upstream-era.js';
import {
  type BackoffPolicy,
  backoffDelay,
  ConnectionMonitors,
  defaultBackoff,
  MEMORY_SAMPLE_MS,
  realTimers,
  type Timers,
} from './upstream-liveness.js';
import {
  type ConnectContext,
  type Connection,
  type Transporter,
  UpstreamFailure,
} from './upstream-transporter.js';
import {
  idleStatus,
  type Upstream,
  type UpstreamOffering,
  type UpstreamEvent,
  type UpstreamStatus,
} from './upstream.js';

/** The effects an upstream runtime uses. */
export interface UpstreamDeps {
  clock: Clock;
  logger: Logger;
  /** Backoff and deadline timers; tests pass a controllable fake. */
  timers?: Timers;
}

/** How an upstream connects and stays connected; every field has a default. */
export interface UpstreamOptions {
  /** How long the server gets to answer `initialize` and list its offering. */
  initializeTimeoutMs?: number;
  /** Per-request timeout for the listing requests Gatehouse makes itself. */
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

/**
 * The shared runtime behind every `Upstream`: one live connection at a time, opened by a
 * `Transporter`, restarted with backoff, its offering and changes kept and published as events.
 */
export class UpstreamRuntime implements Upstream {
  readonly name: string;
  readonly #transporter: Transporter;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #backoff: BackoffPolicy;
  readonly #initializeTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #clientInfo: { name: string; version: string };
  readonly #serverRequests: UpstreamOptions['serverRequests'];
  readonly #probeTimeoutMs: number;

  #current: UpstreamStatus;
  readonly #offering: OfferingCache;
  readonly #era: EraMemory;
  readonly #monitors: ConnectionMonitors;
  readonly #listeners = new Set<(event: UpstreamEvent) => void>();
  #active: Connection | null = null;
  #generation = 0;
  #failures = 0;
  #stopped = true;
  #pending: Promise<void> | undefined;
  #attemptAbort: AbortController | undefined;
  #restartTimer: unknown;
  /** A warning from this attempt (e.g. garbage on stdout) that stays visible once connected. */
  #warning: string | null = null;
  /** Why the last list_changed refresh failed, until a listing succeeds; shown before the warning. */
  #refreshProblem: string | null = null;
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
    this.#clientInfo = options.clientInfo ?? { name: 'gatehouse', version: '0.1.0' };
    this.#serverRequests = options.serverRequests;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? this.#requestTimeoutMs;
    this.#era = new EraMemory(this.#clock, options.legacyVerdictMaxAgeMs ?? LEGACY_VERDICT_MAX_AGE_MS);
    this.#monitors = new ConnectionMonitors({
      pingIntervalMs: options.pingIntervalMs ?? 0,
      memorySampleMs: options.memorySampleMs ?? MEMORY_SAMPLE_MS,
      requestTimeoutMs: this.#requestTimeoutMs,
    });
    this.#offering = new OfferingCache({
      connector: name,
      logger: this.#logger,
      requestTimeoutMs: this.#requestTimeoutMs,
      // A list gets as long as the first listing does with initialize, on a list_changed too.
      listingTimeoutMs: this.#initializeTimeoutMs,
      isCurrent: (client) => this.#active?.client === client,
      changed: (offering, changed) => this.#emit({ type: 'offering', offering, changed }),
      listed: (lists) => this.#emit({ type: 'listed', lists }),
      describe: (error) => this.#failure(error),
      refreshProblem: (problem) => this.#showRefreshProblem(problem),
    });
    this.#current = idleStatus('stopped', transporter.auth());
  }

  status(): UpstreamStatus {
    return { ...this.#current, serverInfo: this.#current.serverInfo && { ...this.#current.serverInfo } };
  }

  offering(): UpstreamOffering {
    return this.#offering.value();
  }

  client(): Client | undefined {
    return this.#current.connection === 'connected' ? this.#active?.client : undefined;
  }

  capabilities(): ServerCapabilities | undefined {
    return this.client()?.getServerCapabilities() ?? this.#era.lastCapabilities();
  }

  instructions(): string | undefined {
    return this.client()?.getInstructions() || undefined;
  }

  era(): 'legacy' | 'modern' | null {
    return this.client()?.getProtocolEra() ?? this.#era.kind() ?? null;
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
    this.#monitors.stop();
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
    this.#monitors.stop();
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

  /** An error as the user reads it: an UpstreamFailure already says it; anything else, in the transport's words. */
  #failure(error: unknown): UpstreamFailure {
    return error instanceof UpstreamFailure ? error : this.#transporter.describe(error);
  }

  /** A failed refresh is the status's last error while connected; a listing since clears it. */
  #showRefreshProblem(problem: string | null): void {
    if (problem === this.#refreshProblem) return;
    this.#refreshProblem = problem;
    if (this.#current.connection === 'connected') this.#update({ lastError: problem ?? this.#warning });
  }

  #cancelRestart(): void {
    if (this.#restartTimer !== undefined) this.#timers.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
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
    return newUpstreamClient({
      clientInfo: this.#clientInfo,
      probeTimeoutMs: this.#probeTimeoutMs,
      serverRequests: this.#serverRequests,
      listChanged: (client, kind) => this.#offering.refresh(client, kind),
      notification: async (client, notification) => {
        if (this.#active?.client !== client) return;
        this.#emit({ type: 'notification', method: notification.method, params: notification.params });
      },
    });
  }

  async #attempt(): Promise<void> {
    const generation = ++this.#generation;
    const prior = this.#era.fresh();
    const abort = new AbortController();
    this.#attemptAbort = abort;
    let connection: Connection | null = null;
    let lostEarly: string | null = null;
    let timedOut = false;
    this.#warning = null;
    this.#refreshProblem = null;
    this.#offering.reset();
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
      lost: (reason, final = false) => {
        if (connection && this.#active === connection && this.#current.connection === 'connected') {
          this.#onLost(connection, reason, final);
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
      this.#era.remember(connection.client, prior);
      const client = connection.client;
      const changes = new UpstreamChanges({
        client,
        connector: this.name,
        logger: this.#logger,
        resources: this.#resources,
        onResumed: () => this.#offering.refreshAll(client),
      });
      this.#changes = changes;
      // Listening starts before the first listing: a change meanwhile is listed again after it.
      await changes.start();
      await this.#offering.loadFirst(connection.client);
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
      this.#era.distrust(prior);
      if (generation !== this.#generation) return;
      const failure = timedOut
        ? new UpstreamFailure(
            `The server did not finish starting (MCP initialize and listing its tools) within ${Math.round(this.#initializeTimeoutMs / 1000)} s, so Gatehouse stopped it.`,
            { retry: true },
          )
        : lostEarly
          ? new UpstreamFailure(lostEarly, { retry: true })
          : this.#failure(error);
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
    this.#monitors.start(connection, {
      memory: (memoryBytes) => {
        if (this.#active === connection && memoryBytes !== this.#current.memoryBytes)
          this.#update({ memoryBytes });
      },
      failed: (error) => this.#onLost(connection, this.#failure(error).message, false),
    });
    this.#offering.replay(connection.client);
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
    this.#era.remember(connection.client, undefined);
    if (JSON.stringify(connection.client.getServerCapabilities()) === before) return;
    this.#offering.refreshAll(connection.client);
  }

  #onLost(connection: Connection, reason: string, final: boolean): void {
    if (this.#active !== connection) return;
    this.#active = null;
    this.#changes?.close();
    this.#changes = undefined;
    this.#monitors.stop();
    const connectedAt = this.#current.connectedAt;
    if (connectedAt !== null && this.#clock.now() - connectedAt >= this.#backoff.healthyMs)
      this.#failures = 0;
    this.#logger.warn('connector lost its connection', { connector: this.name, reason });
    // The calls in flight fail with why, as the status says it, before the close fails them with the
    // SDK's bare "Connection closed".
    failRequestsInFlight(connection.client, new UpstreamFailure(reason, { retry: !final }));
    void connection.close();
    this.#update({ connection: 'error', lastError: reason, pid: null, memoryBytes: null, connectedAt: null });
    if (!final) this.#scheduleRestart();
  }
}
