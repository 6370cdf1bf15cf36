// What an MCP server instance serves, kept apart from the transports: the endpoint checks callers and
// makes the instances (one per 2025-era session, one per 2026-07-28 request); the services (the
// gateway) decide capabilities and install the request handlers. A scope is either the aggregate
// endpoint (/mcp) or one connector (/mcp/<connector>).
import type { AuthInfo, ServerCapabilities, ServerOptions, Tool } from '@modelcontextprotocol/server';
import type { Caller } from './bearer-check.js';
import type { RelayServer } from './relay-server.js';

/** Which MCP endpoint a request addressed: the aggregate /mcp or one connector. */
export interface McpScope {
  /** null for the aggregate endpoint /mcp. */
  connector: string | null;
}

/** The lists an MCP server announces changes of. */
export type ListKind = 'tools' | 'resources' | 'prompts';

/**
 * What installing request handlers on an instance may know: its scope, its era, and how to find the
 * caller of a request.
 */
export interface SessionContext {
  scope: McpScope;
  /** legacy: a 2025-era session's instance; modern: one 2026-07-28 request's. */
  era: 'legacy' | 'modern';
  /** The caller of the request being handled (each request carries its own token). */
  callerOf(authInfo: AuthInfo | undefined): Caller | undefined;
  /**
   * An instance made for one clear-cut 2026-07-28 tools/call (clear-cut-call.ts): only that
   * handler is installed, since the instance will dispatch nothing else.
   */
  only?: 'tools/call';
}

/**
 * What every MCP server instance serves: its capabilities, instructions and request handlers (the gateway
 * implements it).
 */
export interface SessionServices {
  /**
   * What an instance declares. Without a caller, a 2025-era session's (kept for its whole life);
   * with one, what that caller's grant shows it now (a 2026-07-28 request's server/discover).
   */
  capabilities(scope: McpScope, caller?: Caller): ServerCapabilities;
  /**
   * What an instance for one 2026-07-28 tools/call of `caller` declares: of `capabilities`, only
   * what serving a tools/call reads — tools (without it the SDK refuses the handler, and the call is
   * -32601 as on a full instance) and logging (the log messages relayed on the call's stream).
   */
  toolCallCapabilities(scope: McpScope, caller: Caller): ServerCapabilities;
  /**
   * The instructions an instance gives. Without a caller, what anyone may read (the instance's
   * default); `install` makes each initialize or server/discover answer carry its caller's.
   */
  instructions(scope: McpScope, caller?: Caller): string;
  /**
   * Options an instance of this era takes: the multi-round-trip state check, and for 2026-07-28 the
   * lists' cache hints (2025-era lists carry none, and the SDK copies every hinted result, which
   * would defeat serializeOnce's cached JSON for a session's tools/list).
   */
  serverOptions(era: 'legacy' | 'modern'): Pick<ServerOptions, 'requestState' | 'cacheHints'>;
  /** Installs the request handlers on a new instance. */
  install(server: RelayServer, context: SessionContext): void;
  /** Whether `/mcp/<connector>` exists (enabled connector). */
  hasConnector(name: string): boolean;
  /** The input schema of the tool `name` is for this caller in `scope` (undefined: none it can see). */
  toolInputSchema(scope: McpScope, caller: Caller, name: string): Tool['inputSchema'] | undefined;
  /**
   * Lists that changed for a connector (null: for every connector, e.g. the access ceiling moved);
   * the endpoint tells every session and listen stream that can see it.
   */
  onListChanged(listener: (connector: string | null, lists: ListKind[]) => void): () => void;
  /**
   * Resource updates for a subscriptions/listen stream: `onUpdate` hears each of `uris` the caller
   * can reach, by the URI the client gave. Resolves to the function that releases them.
   */
  watchResources(
    scope: McpScope,
    caller: Caller,
    uris: readonly string[],
    onUpdate: (uri: string) => void,
  ): Promise<() => Promise<void>>;
}

/** The caller the bearer check attached to a request's auth info, if any. */
export function callerOf(authInfo: AuthInfo | undefined): Caller | undefined {
  return authInfo?.extra?.caller as Caller | undefined;
}
