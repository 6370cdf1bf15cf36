// The contract's settings and status operations: what Gatehouse is doing now, the preferences a
// trusted surface may read and change (with their bounds), pausing all access, and the browser UI's
// one-time link. Imports nothing from Node, so the renderer uses these schemas too.
import { z } from 'zod';
import { registryUrl } from './catalog-contract.js';
import { empty } from './operation-inputs.js';

/** The most any client may do, whatever its grants say: nothing, read-only, or read & write. */
export const accessCeiling = z.enum(['off', 'read', 'write']);
/** The access ceiling's value (see `accessCeiling`). */
export type AccessCeiling = z.infer<typeof accessCeiling>;

const registrationPolicy = z.enum(['open', 'ask', 'closed']);
/** Whether a new client may register itself (RFC 7591): always, after the user says so, or never. */
export type RegistrationPolicy = z.infer<typeof registrationPolicy>;

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
/** Every setting as a trusted surface sees it, pause state included. */
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
/** A change to some settings, as `settings.set` takes it (every field optional). */
export type SettingsPatch = z.infer<typeof settingsPatch>;

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
  /** This run listens on a port given on the command line (`--port`), not on the port setting. */
  portFromCommandLine: z.boolean().optional(),
  pendingConsents: z.number(),
  pendingRegistrations: z.number(),
  pendingApprovals: z.number(),
  /**
   * Tools, prompts, resources, templates and instructions held for review (first sight or a change
   * upstream); never one first sight is still checking.
   */
  heldForReview: z.number().default(0),
  connectors: z.number(),
  connectorsNeedingAction: z.number(),
  startedAt: z.number(),
  /**
   * What seals stored secrets: a key in the OS keychain, or a key file in the data folder (no
   * keychain: `gatehouse serve`, or the app where none answers); 'memory' only in tests.
   */
  secretProtection: z.enum(['os-keychain', 'key-file', 'memory']),

  /** Whether local servers can be sandboxed here, and the ones the user runs without a sandbox. */
  sandbox: z
    .object({
      works: z.boolean(),
      mechanism: z.string().nullable(),
      hostLists: z.boolean(),
      problem: z.string().nullable(),
      fix: z.string().nullable(),
      unsandboxed: z.array(z.string()),
    })
    .optional(),
});
/** The running engine at a glance: where it listens, its counts, and what waits for the user. */
export type StatusView = z.infer<typeof statusView>;

/** Spread into `operations` in contract.ts: status, settings, pause and the browser UI's link. */
export const settingsContract = {
  'status.get': { input: empty, output: statusView },
  'settings.get': { input: empty, output: settingsView },
  'settings.set': { input: settingsPatch, output: settingsView },
  'access.pause': { input: empty, output: z.object({ paused: z.boolean() }) },
  'access.resume': { input: empty, output: z.object({ paused: z.boolean() }) },
  'ui.link': {
    input: empty,
    output: z.object({ url: z.string() }),
  },
} as const;
