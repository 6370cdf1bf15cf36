// The one API contract between Gatehouse's engine and its trusted surfaces (CLI, desktop window,
// browser UI). Declared once here as zod schemas; the HTTP API, the IPC bridge and every client
// derive their types and validation from this table.
import { z } from 'zod';
import { authProblems } from '../connectors/auth-problem.js';
import { connectorName, connectorSettings } from '../connectors/connector-config.js';
import {
  catalogAnswers,
  catalogOptionView,
  catalogServerDetail,
  catalogServerName,
  catalogServerSummary,
  catalogVersion,
  registryUrl,
} from './catalog-contract.js';
import { clientSetupContract, setupClient } from './client-setup-contract.js';

const accessLevel = z.enum(['read', 'write']);
export type AccessLevel = z.infer<typeof accessLevel>;

const accessCeiling = z.enum(['off', 'read', 'write']);
export type AccessCeiling = z.infer<typeof accessCeiling>;

const registrationPolicy = z.enum(['open', 'ask', 'closed']);
export type RegistrationPolicy = z.infer<typeof registrationPolicy>;

/** `'*'` means every connector, including ones added later. */
const connectorSelection = z.union([
  z.literal('*'),
  z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'connector names are lowercase letters, digits, - and _'),
    )
    .min(1),
]);
export type ConnectorSelection = z.infer<typeof connectorSelection>;

const registrationKind = z.enum(['dcr', 'metadata-document', 'manual']);
export type RegistrationKind = z.infer<typeof registrationKind>;

const grantView = z.object({
  grantId: z.string(),
  connectors: connectorSelection,
  access: accessLevel,
  scopes: z.array(z.string()),
  resource: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
});
export type GrantView = z.infer<typeof grantView>;

const clientView = z.object({
  clientId: z.string(),
  name: z.string(),
  kind: registrationKind,
  redirectHosts: z.array(z.string()),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  activeTokens: z.number(),
  openSessions: z.number(),
  /** 2026-07-28 clients have no sessions: their open listen streams and requests in flight. */
  openConnections: z.number().optional(),
  /** The app whose Gatehouse-written config entry its requests came through, or null (unknown). */
  setupClient: setupClient.nullable(),
  grants: z.array(grantView),
  /** What the client can do right now: ceiling ∩ its grants. */
  effectiveAccess: z.enum(['none', 'read', 'write']),
});
export type ClientView = z.infer<typeof clientView>;

const pendingConsentView = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  kind: registrationKind,
  redirectHost: z.string(),
  matchCode: z.string(),
  requestedScopes: z.array(z.string()),
  requestedAccess: accessLevel,
  resource: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type PendingConsentView = z.infer<typeof pendingConsentView>;

const pendingRegistrationView = z.object({
  id: z.string(),
  clientName: z.string(),
  redirectUris: z.array(z.string()),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type PendingRegistrationView = z.infer<typeof pendingRegistrationView>;

const settingsView = z.object({
  port: z.number().int(),
  accessCeiling: accessCeiling,
  registrationPolicy: registrationPolicy,
  paused: z.boolean(),
  accessTokenTtlSeconds: z.number().int(),
  refreshTokenTtlDays: z.number().int(),
  auditRetentionDays: z.number().int(),
  startAtLogin: z.boolean(),
  rateLimitPerMinute: z.number().int(),
  rateLimitPerDay: z.number().int(),
  /** The MCP Registry the catalog searches. */
  registryUrl: z.string(),
});
export type SettingsView = z.infer<typeof settingsView>;

/** Settings a trusted surface may change; each bound is a promise (docs/security-model.md, "Settings"). */
export const settingsPatch = z
  .object({
    port: z.number().int().min(1024, 'port must be 1024–65535').max(65535, 'port must be 1024–65535'),
    accessCeiling: accessCeiling,
    registrationPolicy: registrationPolicy,
    accessTokenTtlSeconds: z
      .number()
      .int()
      .min(60, 'access tokens live at least 60 seconds')
      .max(3600, 'access tokens live at most 1 hour'),
    refreshTokenTtlDays: z
      .number()
      .int()
      .min(1, 'at least 1 day')
      .max(30, 'refresh tokens live at most 30 days'),
    auditRetentionDays: z.number().int().min(1, 'at least 1 day').max(3650, 'at most 10 years'),
    startAtLogin: z.boolean(),
    rateLimitPerMinute: z
      .number()
      .int()
      .min(1, 'at least 1 call per minute')
      .max(100_000, 'at most 100,000 calls per minute'),
    rateLimitPerDay: z
      .number()
      .int()
      .min(1, 'at least 1 call per day')
      .max(10_000_000, 'at most 10,000,000 calls per day'),
    registryUrl: registryUrl,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatch>;

const auditEventView = z.object({
  id: z.number(),
  at: z.number(),
  type: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  connector: z.string().nullable(),
  tool: z.string().nullable(),
  decision: z.enum(['allow', 'deny', 'info']),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof auditEventView>;

const statusView = z.object({
  version: z.string(),
  pid: z.number(),
  mcpUrl: z.string(),
  issuer: z.string(),
  uiUrl: z.string().nullable(),
  dataDir: z.string(),
  paused: z.boolean(),
  accessCeiling: accessCeiling,
  registrationPolicy: registrationPolicy,
  clients: z.number(),
  connectedClients: z.number(),
  openSessions: z.number(),
  /** Open 2026-07-28 subscriptions/listen streams. */
  openConnections: z.number().optional(),
  pendingConsents: z.number(),
  pendingRegistrations: z.number(),
  pendingApprovals: z.number(),
  connectors: z.number(),
  connectorsNeedingAction: z.number(),
  startedAt: z.number(),
});
export type StatusView = z.infer<typeof statusView>;

const connectorStatusView = z.object({
  connection: z.enum(['starting', 'connected', 'error', 'stopped', 'disabled']),
  auth: z.enum(['ready', 'action-required', 'not-applicable']),
  /** While auth is 'action-required': what is wrong (token refused, never connected, reconnect…). */
  authProblem: z.enum(authProblems).nullable().optional(),
  lastError: z.string().nullable(),
  restarts: z.number(),
  pid: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  connectedAt: z.number().nullable(),
  transport: z.enum(['stdio', 'streamable-http', 'sse']).nullable(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).nullable(),
  /** The MCP revision the connection speaks (2026-07-28, or a 2025-era one), once connected. */
  protocolVersion: z.string().nullable().optional(),
});

const connectorView = z.object({
  name: z.string(),
  /** Settings with every secret shown as "[stored]". */
  settings: connectorSettings,
  enabled: z.boolean(),
  status: connectorStatusView,
  toolCount: z.number(),
  heldTools: z.number(),
  mcpUrl: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConnectorView = z.infer<typeof connectorView>;

const toolView = z.object({
  connector: z.string(),
  name: z.string(),
  /** The name clients see on /mcp (<connector>__<tool>, sanitised). */
  exposedName: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  toolClass: z.enum(['read', 'write']),
  classSource: z.enum(['annotations', 'user']),
  destructive: z.boolean(),
  enabled: z.boolean(),
  approval: z.enum(['never', 'ask']),
  /** Listed by the upstream right now. */
  available: z.boolean(),
  held: z
    .object({
      changed: z.array(z.enum(['description', 'inputSchema'])),
      before: z.object({ description: z.string().nullable(), inputSchema: z.unknown() }),
      after: z.object({ description: z.string().nullable(), inputSchema: z.unknown() }),
      summary: z.string(),
      /** The user answered "Keep blocked": it stays held without waiting for review. */
      keptBlocked: z.boolean(),
    })
    .nullable(),
});
export type ToolView = z.infer<typeof toolView>;

const pendingApprovalView = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  connector: z.string(),
  tool: z.string(),
  /** Redacted for display. */
  arguments: z.unknown(),
  reason: z.string(),
  /** Whether "Always for this client" may answer it (not when a rule asks). */
  canAlways: z.boolean(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type PendingApprovalView = z.infer<typeof pendingApprovalView>;

const clientIdInput = z.object({ clientId: z.string().min(1, 'a client id is required') }).strict();
const idInput = z.object({ id: z.string().min(1, 'an id is required') }).strict();
const empty = z.object({}).strict();

const redirectUri = z
  .string()
  .refine((value) => URL.canParse(value), 'each redirect URI must be an absolute URL');

/** Every operation a trusted surface can perform: name → input and output schemas. */
export const operations = {
  'status.get': { input: empty, output: statusView },
  'clients.list': { input: empty, output: z.array(clientView) },
  'clients.get': { input: clientIdInput, output: clientView },
  'clients.revoke': {
    input: clientIdInput,
    output: z.object({
      clientId: z.string(),
      grantsRevoked: z.number(),
      tokensRevoked: z.number(),
      sessionsClosed: z.number(),
    }),
  },
  'clients.forget': {
    input: clientIdInput,
    output: z.object({
      clientId: z.string(),
      grantsRevoked: z.number(),
      tokensRevoked: z.number(),
      sessionsClosed: z.number(),
    }),
  },
  'clients.register': {
    input: z
      .object({
        name: z
          .string()
          .trim()
          .min(1, 'a client name is required')
          .max(100, 'client names are at most 100 characters'),
        redirectUris: z.array(redirectUri).min(1, 'at least one redirect URI is required'),
        confidential: z.boolean().default(true),
      })
      .strict(),
    output: z.object({
      clientId: z.string(),
      clientSecret: z.string().nullable(),
      tokenEndpointAuthMethod: z.string(),
    }),
  },
  'consents.list': { input: empty, output: z.array(pendingConsentView) },
  'consents.approve': {
    input: z
      .object({
        id: z.string().min(1, 'a consent id is required'),
        access: accessLevel.default('read'),
        connectors: connectorSelection.default('*'),
        expiresInSeconds: z
          .number()
          .int()
          .min(60, 'a grant lasts at least 60 seconds')
          .nullable()
          .default(null),
      })
      .strict(),
    output: z.object({
      id: z.string(),
      grantId: z.string(),
      /** What the client can do now: the access ceiling ∩ the access granted. */
      effectiveAccess: z.enum(['none', 'read', 'write']),
      accessCeiling: accessCeiling,
    }),
  },
  'consents.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'consents.denyAll': {
    input: z.object({ clientId: z.string().min(1, 'a client id is required').optional() }).strict(),
    output: z.object({ denied: z.array(z.string()) }),
  },
  'registrations.list': { input: empty, output: z.array(pendingRegistrationView) },
  'registrations.approve': { input: idInput, output: z.object({ id: z.string() }) },
  'registrations.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'settings.get': { input: empty, output: settingsView },
  'settings.set': { input: settingsPatch, output: settingsView },
  'access.pause': { input: empty, output: z.object({ paused: z.boolean() }) },
  'access.resume': { input: empty, output: z.object({ paused: z.boolean() }) },
  'connectors.list': { input: empty, output: z.array(connectorView) },
  'connectors.get': { input: z.object({ name: z.string() }).strict(), output: connectorView },
  'connectors.add': {
    input: z
      .object({
        name: connectorName,
        settings: connectorSettings,
        enabled: z.boolean().default(true),
        /**
         * Keep it only if it starts: an enabled connector whose first start fails (not one waiting
         * for a sign-in) is taken back out and the answer is a `does_not_start` error — nothing is
         * half-saved. The window and the CLI ask for this unless the user chose "save anyway".
         */
        onlyIfItStarts: z.boolean().default(false),
      })
      .strict(),
    output: connectorView,
  },
  'connectors.edit': {
    input: z.object({ name: z.string(), settings: connectorSettings }).strict(),
    output: connectorView,
  },
  'connectors.enable': { input: z.object({ name: z.string() }).strict(), output: connectorView },
  'connectors.disable': { input: z.object({ name: z.string() }).strict(), output: connectorView },
  'connectors.remove': {
    input: z.object({ name: z.string() }).strict(),
    output: z.object({ name: z.string() }),
  },
  'connectors.test': {
    input: z.object({ name: z.string() }).strict(),
    output: z.object({
      ok: z.boolean(),
      latencyMs: z.number(),
      toolCount: z.number(),
      error: z.string().nullable(),
    }),
  },
  'connectors.connect': {
    input: z.object({ name: z.string() }).strict(),
    output: z.object({ authorizationUrl: z.string() }),
  },
  'connectors.logs': {
    input: z.object({ name: z.string() }).strict(),
    output: z.object({ lines: z.array(z.string()) }),
  },
  'tools.list': { input: z.object({ connector: z.string().optional() }).strict(), output: z.array(toolView) },
  'tools.set': {
    input: z
      .object({
        connector: z.string(),
        tool: z.string(),
        enabled: z.boolean().optional(),
        approval: z.enum(['never', 'ask']).optional(),
        toolClass: z.enum(['read', 'write']).nullable().optional(),
      })
      .strict(),
    output: toolView,
  },
  'tools.accept': { input: z.object({ connector: z.string(), tool: z.string() }).strict(), output: toolView },
  /** "Keep blocked": the held change stays refused, and stops waiting for review. */
  'tools.keepBlocked': {
    input: z.object({ connector: z.string(), tool: z.string() }).strict(),
    output: toolView,
  },
  'approvals.list': { input: empty, output: z.array(pendingApprovalView) },
  'approvals.allow': {
    input: z
      .object({ id: z.string().min(1, 'an approval id is required'), always: z.boolean().default(false) })
      .strict(),
    output: z.object({ id: z.string() }),
  },
  'approvals.deny': { input: idInput, output: z.object({ id: z.string() }) },
  'rules.list': { input: empty, output: z.array(z.record(z.string(), z.unknown())) },
  'rules.set': {
    input: z.object({ rules: z.array(z.unknown()) }).strict(),
    output: z.array(z.record(z.string(), z.unknown())),
  },
  'ui.link': {
    input: empty,
    output: z.object({ url: z.string() }),
  },
  'tokens.introspect': {
    input: z.object({ token: z.string().min(1, 'a token is required') }).strict(),
    output: z.object({
      active: z.boolean(),
      clientId: z.string().nullable(),
      scope: z.string().nullable(),
      audience: z.string().nullable(),
      tokenType: z.string().nullable(),
      expiresAt: z.number().nullable(),
    }),
  },
  'audit.list': {
    input: z
      .object({
        clientId: z.string().optional(),
        connector: z.string().optional(),
        tool: z.string().optional(),
        type: z.string().optional(),
        decision: z.enum(['allow', 'deny', 'info']).optional(),
        since: z.number().optional(),
        until: z.number().optional(),
        /** Page backwards exactly: only events with a smaller id (newer ones come first). */
        beforeId: z.number().int().optional(),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
    output: z.array(auditEventView),
  },
  ...clientSetupContract,
  // ---- The catalog: servers from the MCP Registry (operations/catalog.ts) ----
  'catalog.search': {
    input: z
      .object({
        /** Words in the server's name; empty lists every server. */
        query: z.string().trim().max(200, 'a search is at most 200 characters').default(''),
        /** The registry's `nextCursor` from the previous page. */
        cursor: z.string().min(1).max(2_000).optional(),
        limit: z.number().int().min(1).max(100).default(30),
      })
      .strict(),
    output: z.object({
      registryUrl: z.string(),
      servers: z.array(catalogServerSummary),
      nextCursor: z.string().nullable(),
      /** Entries on this page the registry sent that were not valid server.json documents. */
      skipped: z.number().int(),
    }),
  },
  'catalog.show': {
    input: z.object({ name: catalogServerName, version: catalogVersion.optional() }).strict(),
    output: catalogServerDetail,
  },
  'catalog.add': {
    input: z
      .object({
        name: catalogServerName,
        /** The latest version when absent. */
        version: catalogVersion.optional(),
        /** An option id from catalog.show (`npm`, `remote-2`) or a kind; the first that works when absent. */
        option: z.string().min(1).max(64).optional(),
        /** The connector's name; one made from the server's name when absent. */
        connector: connectorName.optional(),
        answers: catalogAnswers.default({}),
        /** For a remote server: sign in with OAuth (the server.json cannot say whether it needs to). */
        auth: z.enum(['none', 'oauth']).default('none'),
        enabled: z.boolean().default(true),
        /** Keep the connector even when it fails to start (by default it is taken out again). */
        keepIfFailing: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      connector: connectorView,
      server: catalogServerSummary,
      option: catalogOptionView,
      /** What the user should know: a deprecated server, a version that is not the latest. */
      warnings: z.array(z.string()),
    }),
  },
} as const;

export type OperationName = keyof typeof operations;
export type OperationInput<N extends OperationName> = z.input<(typeof operations)[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<(typeof operations)[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<(typeof operations)[N]['output']>;

/** Events pushed from the engine to trusted surfaces (SSE over HTTP, IPC in the desktop app). */
export type EngineEvent =
  | { type: 'clients.changed' }
  | { type: 'client.used'; clientId: string; at: number }
  | { type: 'sessions.changed' }
  | { type: 'connectors.changed'; name: string }
  | { type: 'tools.changed'; connector: string }
  | { type: 'approvals.changed' }
  | { type: 'consents.changed' }
  | { type: 'registrations.changed' }
  | { type: 'settings.changed' }
  | { type: 'audit.appended'; event: AuditEventView };

/** Errors a trusted surface sees: a stable code and a sentence for the user. */
export interface ApiErrorBody {
  code: string;
  message: string;
}
