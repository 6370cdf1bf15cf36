// What the gateway keeps per MCP server instance it serves: a 2025-era session (one instance for the
// session's life), or one 2026-07-28 request (an instance per request). Server→client traffic from an
// upstream — log messages, sampling, elicitation, roots — is routed by the calls in flight here.
import {
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
  type ClientCapabilities,
  type LoggingLevel,
  type RequestId,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { TASKS_EXTENSION } from '../connectors/runtime/task-results.js';
import type { McpScope } from '../mcp/session-services.js';

type Era = 'legacy' | 'modern';

/** One served MCP server instance and what the gateway tracks for it. */
export interface LiveSession {
  server: Server;
  scope: McpScope;
  era: Era;
  /**
   * Lowest level of log messages forwarded: logging/setLevel on a 2025-era session; on a 2026-07-28
   * request its `_meta` logLevel, and none when absent (the client did not ask for logs).
   */
  logLevel: LoggingLevel | 'none';
  /** The client's requests in flight to each connector: server→client traffic is routed by them. */
  inFlight: Map<string, RequestId[]>;
  /** 2025-era sessions: the resource subscriptions to release when the session ends. */
  subscriptions: Map<string, () => Promise<void>>;
  /** The log messages forwarded to this instance, sent in order; settles when the last one is out. */
  notified?: Promise<void>;
}

/**
 * Waits until the log messages an upstream sent before its result are on the client's stream: they
 * reach the gateway in order before the result (one connection), but their sending is asynchronous,
 * and a result sent first closes a 2026-07-28 request's stream (or a 2025-era call's POST stream)
 * under them. One turn of the event loop lets a message that arrived with the result be handed on.
 */
export async function logsSent(session: LiveSession): Promise<void> {
  if (session.logLevel === 'none') return;
  await new Promise((resolve) => setImmediate(resolve));
  await session.notified;
}

const LOG_LEVELS: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/** Whether a message at `level` passes the session's filter. */
export function wantsLog(session: LiveSession, level: LoggingLevel): boolean {
  return session.logLevel !== 'none' && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(session.logLevel);
}

/** Marks a request in flight to a connector; returns the function that unmarks it. */
export function trackInFlight(session: LiveSession, connector: string, id: RequestId): () => void {
  session.inFlight.set(connector, [...(session.inFlight.get(connector) ?? []), id]);
  return () => {
    const left = (session.inFlight.get(connector) ?? []).filter((one) => one !== id);
    if (left.length > 0) session.inFlight.set(connector, left);
    else session.inFlight.delete(connector);
  };
}

/** The client's one request in flight to a connector, if there is exactly one. */
export function singleInFlight(session: LiveSession, connector: string): RequestId | undefined {
  const ids = session.inFlight.get(connector);
  return ids?.length === 1 ? ids[0] : undefined;
}

/**
 * A 2026-07-28 request names the logs it wants in its envelope (none when absent); its instance
 * serves that one request, so the session's level becomes the request's. A 2025-era session keeps
 * the level logging/setLevel gave it.
 */
export function takeRequestLogLevel(session: LiveSession, ctx: ServerContext): void {
  if (session.era !== 'modern') return;
  const level = envelopeField(ctx, LOG_LEVEL_META_KEY);
  session.logLevel = typeof level === 'string' ? (level as LoggingLevel) : 'none';
}

/** A key of a 2026-07-28 request's `_meta` envelope (the SDK's type keeps them private). */
export function envelopeField(ctx: ServerContext, key: string): unknown {
  return (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[key];
}

/**
 * The envelope keys a request to a 2026-07-28 upstream carries on behalf of the client: what the
 * client can answer (so the upstream asks only for input the client can give) and the log level it
 * asked for (so the upstream logs only when the client wants logs). A 2025-era upstream gets none.
 */
export function forwardedEnvelope(
  session: LiveSession,
  ctx: ServerContext,
  upstreamEra: 'legacy' | 'modern' | null,
): Record<string, unknown> {
  if (upstreamEra !== 'modern') return {};
  // The tasks extension is the 2026-07-28 client's alone: a 2025-era session could not poll a task.
  const capabilities =
    session.era === 'modern'
      ? envelopeField(ctx, CLIENT_CAPABILITIES_META_KEY)
      : withoutTasks(session.server.getClientCapabilities());
  const level = session.era === 'modern' ? envelopeField(ctx, LOG_LEVEL_META_KEY) : session.logLevel;
  return {
    [CLIENT_CAPABILITIES_META_KEY]: capabilities ?? {},
    ...(typeof level === 'string' && level !== 'none' ? { [LOG_LEVEL_META_KEY]: level } : {}),
  };
}

function withoutTasks(capabilities: ClientCapabilities | undefined): ClientCapabilities | undefined {
  const extensions = capabilities?.extensions as Record<string, unknown> | undefined;
  if (!extensions || !(TASKS_EXTENSION in extensions)) return capabilities;
  const { [TASKS_EXTENSION]: _ignored, ...rest } = extensions;
  return { ...capabilities, extensions: rest } as ClientCapabilities;
}
