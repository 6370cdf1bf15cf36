// The parts one engine is made of: what its contract handlers, its status and its lifecycle read,
// and what white-box tests look inside. composeEngine makes them (compose-engine.ts); the Engine keeps
// them private and registers them here. Lint lets nothing in main/ but the Engine and its composition
// import this module, so the shells only ever hold the small Engine.
import type {
  EngineEvent,
  OperationInput,
  OperationName,
  OperationOutput,
  StatusView,
} from '../api/contract.js';
import type { UiAccess } from './ui-access.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import type { TokenIndex } from '../auth/token-index.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { ConnectorOAuth } from '../connectors/oauth/connector-oauth.js';
import type { ConnectorSandbox } from '../connectors/sandbox/connector-sandbox.js';
import type { Clock, Logger, Notifier } from '../effects.js';
import type { Gateway } from '../gateway/gateway.js';
import type { OutboundRoutes } from '../http/outbound-proxy.js';
import type { FirstSightLoader } from '../policy/first-sight-loader.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import type { Database } from '../store/database.js';
import type { Surface } from '../operations/engine-api.js';
import type { HttpApi } from './http-api.js';
import type { HeldItems } from '../gateway/held-items.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import type { ClientStore } from '../store/client-store.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { GrantRecord, GrantStore } from '../store/grant-store.js';
import type { RevokedClients } from '../store/revoked-clients.js';
import type { OidcStore } from '../store/oidc-store.js';
import type { RuleStore } from '../store/rule-store.js';
import type { Settings } from '../store/settings-store.js';
import type { ToolStore } from '../store/tool-store.js';
import type { AlwaysAllowed } from '../store/always-allowed.js';
import type { Revoked } from './client-revocation.js';

/** One running engine's parts, and the engine-wide acts its handlers call. */
export interface EngineParts {
  readonly dataDir: string;
  readonly issuer: string;
  readonly mcpUrl: string;
  readonly port: number;
  /** This run's version, and when it started (the engine record, the status). */
  readonly version: string;
  readonly startedAt: number;
  readonly clock: Clock;
  /** The shell's logger, behind the redaction of every stored connector secret. */
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** The database, and its second connection that the activity log writes through. */
  readonly database: Database;
  readonly auditDatabase: Database;
  /** Outbound HTTP the way the machine's proxy settings say (remote connectors, their OAuth, the registry). */
  readonly outbound: OutboundRoutes;
  readonly settings: Settings;
  readonly clients: ClientStore;
  readonly grants: GrantStore;
  /** The clients the user revoked, while the revoke counts (and the refusals chosen with it). */
  readonly revokedClients: RevokedClients;
  readonly audit: AuditLog;
  /** The live tokens by digest, for the MCP bearer check (no database read per request). */
  readonly tokens: TokenIndex;
  /** oidc-provider's storage (grants, tokens, codes, sessions) in the database. */
  readonly oidcStore: OidcStore;
  readonly authorization: AuthorizationServer;
  readonly mcp: McpEndpoint;
  readonly connectorStore: ConnectorStore;
  readonly toolStore: ToolStore;
  readonly alwaysAllowed: AlwaysAllowed;
  /** Prompts, resources and templates held on first sight, with the user's answers. */
  readonly heldItems: HeldItems;
  /** First sight's scanner, loaded on its first need (never by an idle engine). */
  readonly firstSight: FirstSightLoader;
  readonly rules: RuleStore;
  /** Each client's calls per minute and day, as the settings limit them. */
  readonly rateLimiter: RateLimiter;
  readonly connectors: ConnectorManager;
  /** The OS sandbox local servers run in (connectors/sandbox/connector-sandbox.ts). */
  readonly sandbox: ConnectorSandbox;
  /** Gatehouse as an OAuth client of its connectors' upstream authorization servers. */
  readonly connectorOAuth: ConnectorOAuth;
  readonly gateway: Gateway;
  /** The browser UI's one-time links and sessions (served at /ui/ when built). */
  readonly ui: UiAccess;
  /** The trusted local API under /api/ (operations by POST, events by SSE). */
  readonly api: HttpApi;
  /**
   * A contract operation, its input validated: the one door of every surface (the Engine's `call`),
   * the app's window unless `surface` names another.
   */
  call<N extends OperationName>(
    name: N,
    input?: OperationInput<N>,
    surface?: Surface,
  ): Promise<OperationOutput<N>>;
  /** Hears every engine event; returns the function that stops listening. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Revokes every grant and token of a client and closes its MCP sessions, before returning. */
  revokeClient(
    clientId: string,
    reason: string,
    /** What later refusals of its tokens say ("revoked by you at 14:05"). */
    cause?: string,
    /** Also refuse its new authorization requests for this long, without asking. */
    refuseForMs?: number | null,
  ): Promise<Revoked>;
  /** Changes one of a client's grants as the user chose it, effective on its next call. */
  changeGrant(clientName: string, edit: OperationInput<'clients.grant'>): GrantRecord;
  /** Sends an event to every trusted surface (SSE, IPC, the tray). */
  emit(event: EngineEvent): void;
  /** The engine at a glance (status.get). */
  status(): StatusView;
  /** Opens (or prints) the upstream authorization page of an OAuth connector. */
  beginConnectorAuthorization(name: string): Promise<{ url: string }>;
  /** Asks Gatehouse's own RFC 7662 endpoint about a token, as its internal introspection client. */
  introspect(token: string): Promise<OperationOutput<'tokens.introspect'>>;
}

const registered = new WeakMap<object, EngineParts>();

/** Called once by each engine as it is made (engine.ts); a second registration is a bug. */
export function registerEngineParts(engine: object, parts: EngineParts): void {
  if (registered.has(engine)) throw new Error('this engine has registered its parts already');
  registered.set(engine, parts);
}

/** The parts of an engine made by `Engine.start` (tests); throws for anything else. */
export function engineParts(engine: object): EngineParts {
  const parts = registered.get(engine);
  if (!parts) throw new Error('not an engine made by Engine.start');
  return parts;
}
