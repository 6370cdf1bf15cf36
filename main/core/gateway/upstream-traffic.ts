// What an upstream says or asks Gatehouse, its client, passed on to the client it concerns: log
// messages and resource updates (notifications), sampling, elicitation and roots (requests). One
// upstream connection serves every client, so the calls in flight (live-session.ts) say whose it is.
import type { LoggingLevel } from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { Upstream } from '../connectors/runtime/upstream.js';
import { logsSent, singleInFlight, wantsLog, type LiveSession } from './live-session.js';
import type { ParkedCall } from './parked-calls.js';
import type { ResourceSubscriptions } from './resource-subscriptions.js';

/**
 * A 2025-era Streamable HTTP upstream sends a log message not tied to a request on its session's GET
 * stream, a second connection, so it may arrive after the result it preceded. For a 2026-07-28 client
 * (whose only stream is its call's) the result waits until that stream has been quiet this long…
 */
const LOG_QUIET_MS = 25;
/** …but never longer than this after the result arrived. */
const LOG_DRAIN_MAX_MS = 250;

/** Where traffic can go besides the live sessions: resource subscribers and parked calls. */
export interface UpstreamTrafficContext {
  subscriptions: Pick<ResourceSubscriptions, 'updated'>;
  /** Calls parked for 2026-07-28 clients, by id (parked-rounds.ts adds and removes them). */
  parked: ReadonlyMap<string, ParkedCall<object>>;
  /** The roots of a connector's connection itself, answered when no client's call is in flight. */
  connectionRoots(connector: string): Array<{ uri: string; name?: string }>;
}

/** The gateway's live sessions, and the routing of upstream traffic to them. */
export class UpstreamTraffic {
  readonly #context: UpstreamTrafficContext;
  readonly #sessions = new Set<LiveSession>();
  /** When each connector's last log message arrived (performance.now()), for the drain above. */
  readonly #lastLog = new Map<string, number>();

  constructor(context: UpstreamTrafficContext) {
    this.#context = context;
  }

  /** Counts a served instance in until the returned function is called (its server closed). */
  add(session: LiveSession): () => void {
    this.#sessions.add(session);
    return () => this.#sessions.delete(session);
  }

  /** A notification from a connector: resource updates to their subscribers, log messages to sessions. */
  notification(connector: string, method: string, params: unknown): void {
    if (method === 'notifications/resources/updated') {
      this.#context.subscriptions.updated(connector, params as Record<string, unknown> & { uri: string });
      return;
    }
    if (method !== 'notifications/message') return;
    this.#lastLog.set(connector, performance.now());
    const message = params as { level?: LoggingLevel; logger?: string };
    const level = message.level ?? 'info';
    const logged = { ...message, logger: message.logger ? `${connector}/${message.logger}` : connector };
    for (const session of this.#sessionsSeeing(connector)) {
      if (!wantsLog(session, level)) continue;
      // On the stream of the call that caused it, when there is exactly one; else the session's own
      // (a 2026-07-28 request has no stream of its own beyond its call's).
      const related = singleInFlight(session, connector);
      if (related === undefined && session.era === 'modern') continue;
      // In order, and awaited before the call's result goes out (live-session.ts, logsSent).
      session.notified = (session.notified ?? Promise.resolve()).then(() =>
        session.server
          .notification(
            { method: 'notifications/message', params: logged } as never,
            related === undefined ? undefined : { relatedRequestId: related },
          )
          .catch(() => undefined),
      );
    }
  }

  /**
   * Resolves when the log messages the upstream sent before its result are on the client's stream, so
   * the result can go out. A 2025-era Streamable HTTP upstream's GET-stream messages are
   * waited for first: until none has arrived for LOG_QUIET_MS, at most LOG_DRAIN_MAX_MS, the call
   * still counting as in flight so that they go on its stream. Only for a 2026-07-28 client that
   * asked for logs: a 2025-era session hears a late one on its own GET stream.
   */
  async logsSent(session: LiveSession, connector: string, upstream: Upstream, since?: number): Promise<void> {
    if (session.logLevel === 'none') return;
    if (
      session.era === 'modern' &&
      upstream.era() === 'legacy' &&
      upstream.status().transport === 'streamable-http'
    ) {
      await this.#quiet(connector);
      return logsSent(session);
    }
    // No log from the connector since the call went upstream: none can be on its way to this session
    // but those already queued (session.notified), so the result need not wait a turn.
    if (since !== undefined && (this.#lastLog.get(connector) ?? -Infinity) < since) {
      if (session.notified) await session.notified;
      return;
    }
    await logsSent(session);
  }

  async #quiet(connector: string): Promise<void> {
    const arrived = performance.now();
    const deadline = arrived + LOG_DRAIN_MAX_MS;
    for (;;) {
      const last = this.#lastLog.get(connector) ?? arrived;
      const wait = Math.min(Math.max(last, arrived) + LOG_QUIET_MS, deadline) - performance.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      // Timers run before the event loop reads its sockets: bytes already there get their turn first.
      await new Promise((resolve) => setImmediate(resolve));
      if ((this.#lastLog.get(connector) ?? arrived) === last || performance.now() >= deadline) return;
    }
  }

  /**
   * An upstream asks its client (Gatehouse) for sampling, elicitation or roots. One upstream
   * connection serves every client, so the request goes to the one client with a call in flight to
   * that connector; with none or several, Gatehouse cannot tell whose it is and refuses. A 2025-era
   * session gets it as a server→client request; a 2026-07-28 client gets it with its call's (or
   * prompt's, or resource read's) InputRequiredResult (the call waits, parked, for the answers).
   */
  async request(connector: string, method: string, params: unknown, signal: AbortSignal): Promise<unknown> {
    const sessions = [...this.#sessionsSeeing(connector)].filter(
      (session) => session.era === 'legacy' && session.inFlight.has(connector),
    );
    const parked = [...this.#context.parked.values()].filter(
      (call) => call.connector === connector && !call.awaitingClient,
    );
    // No client's call is running: nobody to ask. Roots asked then belong to the connection, not to a
    // client (one connection serves every client, so no client's roots may stand for it): the folders
    // the user gave the server (connectors/sandbox/connection-roots.ts). An empty answer is not neutral:
    // server-pdf, asking as it starts, keeps only the folders the answer names.
    if (method === 'roots/list' && sessions.length + parked.length === 0)
      return { roots: this.#context.connectionRoots(connector) };
    if (sessions.length + parked.length !== 1) {
      throw new ProtocolError(
        JsonRpcCode.InvalidRequest,
        sessions.length + parked.length === 0
          ? `gatehouse: ${method} from ${connector} arrived outside any client's tool call, prompt or resource read`
          : `gatehouse: ${method} from ${connector} could belong to several clients' calls; Gatehouse will not guess`,
      );
    }
    const call = parked[0];
    if (call) return call.ask(method, params, signal);
    const session = sessions[0]!;
    const related = singleInFlight(session, connector);
    // Sent on the stream of the call that caused it, so a client with no standalone stream gets it.
    return session.server.request({ method, params } as never, {
      signal,
      ...(related === undefined ? {} : { relatedRequestId: related }),
    });
  }

  *#sessionsSeeing(connector: string): Iterable<LiveSession> {
    for (const session of this.#sessions) {
      if (session.scope.connector === null || session.scope.connector === connector) yield session;
    }
  }
}
