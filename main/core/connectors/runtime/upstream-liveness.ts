// Keeping an upstream alive: restarts after a failure wait 1 s, 2 s, 4 s … up to a minute (reset after
// a healthy spell), and while connected a ping (server/discover for a 2026-07-28 server) notices a
// silent drop and the stdio root's memory is sampled.
import { isMethodNotFound } from './upstream-client.js';
import type { Connection } from './upstream-transporter.js';

/** Backoff and deadline timers; tests pass a controllable fake. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** How restarts after failures are spaced. */
export interface BackoffPolicy {
  /** Delay before the first restart; each further failure doubles it. */
  initialMs: number;
  maxMs: number;
  /** A connection that stayed up this long starts the next backoff from initialMs again. */
  healthyMs: number;
}

/** 1 s doubling to 60 s; a minute connected starts over. */
export const defaultBackoff: BackoffPolicy = { initialMs: 1000, maxMs: 60_000, healthyMs: 60_000 };

/** The delay before restart number `failures` (1-based): 1 s, 2 s, 4 s … capped at 60 s. */
export function backoffDelay(failures: number, policy: BackoffPolicy = defaultBackoff): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
}

/**
 * How often a stdio connector's memory is read while connected: once a minute. Only the connector's
 * details show it, and each read wakes the process (idle CPU); connecting reads it at once.
 */
export const MEMORY_SAMPLE_MS = 60_000;

/** How often the monitors of a connection run. */
export interface MonitorIntervals {
  /** Pings a connected server this often (0: never). */
  pingIntervalMs: number;
  /** Reads the stdio root's memory this often. */
  memorySampleMs: number;
  /** A ping waits at most this long (and never longer than the interval). */
  requestTimeoutMs: number;
}

/** What the monitors of one connection report. */
export interface MonitorReports {
  /** A memory sample of the connection's process tree. */
  memory(bytes: number | null): void;
  /** A ping failed: the connection is gone. */
  failed(error: unknown): void;
}

/** The timers watching the live connection of one upstream. */
export class ConnectionMonitors {
  readonly #intervals: MonitorIntervals;
  #sampleTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;

  constructor(intervals: MonitorIntervals) {
    this.#intervals = intervals;
  }

  /** Starts watching a connection that just opened. */
  start(connection: Connection, reports: MonitorReports): void {
    const { pingIntervalMs, memorySampleMs, requestTimeoutMs } = this.#intervals;
    const sample = connection.memoryBytes;
    if (sample) {
      this.#sampleTimer = setInterval(() => {
        void sample().then((memoryBytes) => reports.memory(memoryBytes));
      }, memorySampleMs).unref();
    }
    if (pingIntervalMs > 0) {
      // The 2026-07-28 revision has no ping; server/discover is its cheapest request.
      const modern = connection.client.getProtocolEra() === 'modern';
      this.#pingTimer = setInterval(() => {
        const options = { timeout: Math.min(pingIntervalMs, requestTimeoutMs) };
        (modern ? connection.client.discover(options) : connection.client.ping(options)).catch(
          (error: unknown) => {
            if (!isMethodNotFound(error)) reports.failed(error);
          },
        );
      }, pingIntervalMs).unref();
    }
  }

  /** Stops watching (the connection ended or is being replaced). */
  stop(): void {
    clearInterval(this.#sampleTimer);
    clearInterval(this.#pingTimer);
    this.#sampleTimer = this.#pingTimer = undefined;
  }
}
