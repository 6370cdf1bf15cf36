// What a shell (the desktop app, `gatehouse serve`, a test) hands the engine: its data directory,
// effects and preferences, and the bounds and hooks tests shorten or fake.
import type { HostLookup } from '../auth/metadata-document-guard.js';
import type { UpstreamFactory } from '../connectors/runtime/connector-manager.js';
import type { ResolveCommand } from '../connectors/processes/stdio-launch.js';
import type { SandboxCheck } from '../connectors/sandbox/sandbox-check.js';
import type { SandboxPlace } from '../connectors/sandbox/sandbox-profile.js';
import type { BoundsTiming, SandboxBounds } from '../connectors/sandbox/sandbox-bounds.js';
import type { Effects, Fetch } from '../effects.js';
import type { HttpTimeouts } from '../http/loopback-server.js';
import type { FirstSightScanner } from '../policy/first-sight-loader.js';
import type { ClientSetupOptions } from '../operations/client-setup.js';
import type { KeyValueStore } from '../store/settings-store.js';

/** What a shell hands the engine: where its data lives, its effects, and test hooks. */
export interface EngineOptions {
  dataDir: string;
  effects: Effects;
  preferences: KeyValueStore;
  version: string;
  /** Overrides the port setting for this run (`--port`); 0 picks a free port (tests only). */
  port?: number;
  /** Test hook for oidc-provider's client-metadata-document fetch. */
  metadataDocumentFetch?: Fetch;
  /** Test hook for resolving metadata-document hosts in the SSRF check. */
  hostLookup?: HostLookup;
  /** Close MCP sessions idle this long (default 30 minutes). */
  sessionIdleMs?: number;
  /** 2025-era MCP sessions per client before the least recently used idle one is closed (default 32). */
  maxSessionsPerClient?: number;
  /** Open 2026-07-28 subscriptions/listen streams per client (default 8). */
  maxListenStreamsPerClient?: number;
  /**
   * How long the MCP endpoint holds a call's answer to send it as one JSON body before it opens the
   * SSE stream (sdk/response-writer.ts, mcp/web-exchange.ts); 0 streams every answer. Default STREAM_AFTER_MS.
   */
  mcpStreamAfterMs?: number;
  /** How long a rotated refresh token presented again gets the same answer (default 5 s). */
  refreshReuseGraceMs?: number;
  /** How long a consent waits for the user before it is denied (default 10 minutes). */
  consentTimeoutMs?: number;
  /**
   * Client registrations allowed per window: per callback (name and exact redirect URIs; default 10
   * per 10 minutes), per name (default 50) and from all sources (default 300) (auth/registration-gate.ts).
   */
  registrationLimit?: { count: number; windowMs: number; perName?: number; total?: number };
  /** Self-registered clients kept while unused (default 200): past it the oldest unused is forgotten. */
  maxUnusedRegistrations?: number;
  /**
   * The https URL where Gatehouse's client ID metadata document (served at
   * /connectors/oauth/client-metadata.json) is published: upstream authorization servers that
   * support metadata documents get it as client id instead of a registration.
   */
  upstreamClientMetadataUrl?: string;
  /** Consent requests waiting at once, per client and in all (tests make the queue small). */
  consentQueue?: { total: number; perClient: number };
  /** How long a tool call waits for the user's approval before it is denied (default 2 minutes). */
  approvalTimeoutMs?: number;
  /**
   * How long a 2026-07-28 client's call to a 2025-era upstream waits, parked, for the retry that
   * answers its upstream's question (default 10 minutes; tests make it short).
   */
  parkTimeoutMs?: number;
  /** The built renderer (dist/renderer) to serve at /ui/ in browser mode; none when absent. */
  uiRoot?: string;
  /** Where "Connect a client" finds client configs, and how Claude Desktop starts the bridge. */
  clientSetup?: ClientSetupOptions;
  /** Makes the live connection of a connector; the default runs stdio and HTTP upstreams for real. */
  createUpstream?: UpstreamFactory;
  /** Loads first sight's scanner on its first need (tests hand a slow or a failing load). */
  loadFirstSight?: () => Promise<FirstSightScanner>;
  /** The catalog's runtime lookup (tests fake a machine without npx) and registry deadline. */
  catalog?: { resolveCommand?: ResolveCommand; timeoutMs?: number };
  /**
   * The local servers' sandbox: a test home (fake secrets) and scratch roots, a faked machine check,
   * and lower bounds looked at more often (to reach them in a test).
   */
  sandbox?: {
    place?: Partial<Omit<SandboxPlace, 'dataDir'>>;
    check?: () => SandboxCheck;
    bounds?: Partial<SandboxBounds>;
    boundsTiming?: BoundsTiming;
  };
  /** Shorter HTTP timeouts for slow clients (tests); DEFAULT_HTTP_TIMEOUTS otherwise. */
  httpTimeouts?: Partial<HttpTimeouts>;
}
