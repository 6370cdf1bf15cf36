// The contract between the gateway and one upstream MCP server, whatever carries it (a stdio child
// process, Streamable HTTP, legacy SSE) and whichever era it speaks (2026-07-28 or the 2025 era). The
// gateway sees a connected SDK client, an offering, a status, and events; the upstream keeps itself
// alive (restart with backoff), keeps its offering current and hears about changes in its era.
import type {
  Client,
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/client';

/** Where an upstream's connection stands ('disabled': the user switched the connector off). */
export type ConnectionState = 'starting' | 'connected' | 'error' | 'stopped' | 'disabled';
/** Whether the upstream's credentials work ('action-required': only the user can fix them; 'not-applicable': it has none). */
export type AuthState = 'ready' | 'action-required' | 'not-applicable';

/** An upstream's status line, as the window, tray and CLI show it. */
export interface UpstreamStatus {
  connection: ConnectionState;
  auth: AuthState;
  /** A sentence for the user, or null. Never contains a secret. */
  lastError: string | null;
  /** Restarts after failures since the connector was started. */
  restarts: number;
  /** stdio only. */
  pid: number | null;
  /** stdio only: resident memory of the process tree's root, in bytes, when known. */
  memoryBytes: number | null;
  /** When the live connection opened (Gatehouse's clock), or null. */
  connectedAt: number | null;
  /** Which transport carries an HTTP connector once connected. */
  transport: 'stdio' | 'streamable-http' | 'sse' | null;
  serverInfo: { name: string; version: string } | null;
  /** The protocol revision the connection speaks (e.g. 2026-07-28, 2025-11-25), once connected. */
  protocolVersion: string | null;
}

/** The status of an upstream that has no live connection (yet, or any more). */
export function idleStatus(connection: ConnectionState, auth: AuthState = 'not-applicable'): UpstreamStatus {
  return {
    connection,
    auth,
    lastError: null,
    restarts: 0,
    pid: null,
    memoryBytes: null,
    connectedAt: null,
    transport: null,
    serverInfo: null,
    protocolVersion: null,
  };
}

/** What an upstream offers, as last listed. */
export interface UpstreamOffering {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

/**
 * The lists one listing brought complete (every page, none failed): a list absent was not listed — the
 * server does not offer that kind, or does not implement its list.
 */
export type CompleteLists = Partial<UpstreamOffering>;

/**
 * What an upstream tells its listeners: status, the complete lists of each listing (changed or not),
 * offering changes, other notifications, stderr lines.
 */
export type UpstreamEvent =
  | { type: 'status'; status: UpstreamStatus }
  | { type: 'listed'; lists: CompleteLists }
  | { type: 'offering'; offering: UpstreamOffering; changed: Array<'tools' | 'resources' | 'prompts'> }
  | { type: 'notification'; method: string; params: unknown }
  | { type: 'stderr'; line: string };

/** One upstream MCP server as the gateway uses it, whatever carries it. */
export interface Upstream {
  readonly name: string;
  /** The status line now (a copy). */
  status(): UpstreamStatus;
  /** What the server offers, as last listed (kept while it reconnects). */
  offering(): UpstreamOffering;
  /** The connected SDK client, or undefined while not connected. Requests go through it. */
  client(): Client | undefined;
  /** The capabilities the server declared, also while it reconnects (the last ones seen). */
  capabilities(): ServerCapabilities | undefined;
  /** The era of the connection (or of the last one): null before the first connection. */
  era(): 'legacy' | 'modern' | null;
  /** The server's `instructions` (initialize or server/discover result), while connected. */
  instructions(): string | undefined;
  /**
   * Asks the server for notifications/resources/updated about `uri` (resources/subscribe, or the
   * subscriptions/listen filter), also after every reconnect, until `unsubscribeResource`.
   */
  subscribeResource(uri: string, signal?: AbortSignal): Promise<void>;
  unsubscribeResource(uri: string): Promise<void>;
  /** Last lines the process wrote to stderr (stdio), oldest first. */
  stderrTail(): string[];
  /** Starts (or restarts) the connection; resolves once connected or failed (see status()). */
  start(): Promise<void>;
  /** Stops the connection and, for stdio, the whole process tree. */
  stop(): Promise<void>;
  /** Subscribes to the upstream's events; returns the unsubscribe. */
  on(listener: (event: UpstreamEvent) => void): () => void;
}
