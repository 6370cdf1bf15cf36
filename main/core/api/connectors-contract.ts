// The contract's connector operations: the upstream MCP servers Gatehouse connects to, how each is
// doing, and adding, editing, testing and signing one in. Imports nothing from Node, so the
// renderer uses these schemas too.
import { z } from 'zod';
import { authProblems } from './auth-problem.js';
import { connectorName, connectorSettings } from './connector-config.js';
import { empty } from './operation-inputs.js';

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

/** What a local server's sandbox lets it do, as connectors/sandbox-view.ts describes it. */
const connectorSandboxView = z.object({
  /** on: confined; off: the user's explicit choice, full rights; unavailable: cannot run here, so not started. */
  state: z.enum(['on', 'off', 'unavailable']),
  /** Folders it may write to: its workspace (command-line folders and added ones), then its own. */
  workspace: z.array(z.string()),
  /** The folders the user added (the ones that can be removed). */
  addedFolders: z.array(z.string()),
  /** Its own folders and the package caches it may write to as well. */
  ownFolders: z.array(z.string()),
  /** null: any host; else only these. */
  allowedDomains: z.array(z.string()).nullable(),
  /** Hosts the sandbox refused it since Gatehouse started, with how many tries. */
  blockedHosts: z.array(z.object({ host: z.string(), port: z.number(), count: z.number() })),
  /** Where it cannot run: why, and what to do. */
  problem: z.string().nullable(),
});
/** A local server's sandbox as the surfaces show it. */
export type ConnectorSandboxView = z.infer<typeof connectorSandboxView>;

/** A connector as a trusted surface sees it (secrets masked); the catalog's `catalog.add` answers one too. */
export const connectorView = z.object({
  name: z.string(),
  /** Settings with every secret shown as "[stored]". */
  settings: connectorSettings,
  enabled: z.boolean(),
  /**
   * The user marked it as handling secrets on purpose (a password manager, a secrets vault): its calls
   * are not held for the secret material their arguments carry, nor its results masked; both audited.
   */
  handlesSecrets: z.boolean(),
  status: connectorStatusView,
  toolCount: z.number(),
  heldTools: z.number(),
  /** Of heldTools, those held on first sight (the rest changed upstream after the user saw them). */
  heldOnFirstSight: z.number().default(0),
  /** Prompts, resources, templates and instructions held on first sight, waiting for review. */
  heldItems: z.number().default(0),
  /** Stdio connectors only: what its sandbox lets it read, write and reach. */
  sandbox: connectorSandboxView.nullable().optional(),
  mcpUrl: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
/** A connector with its masked settings, live status and tool counts (see `connectorView`). */
export type ConnectorView = z.infer<typeof connectorView>;

/** Spread into `operations` in contract.ts: list, add, edit, enable, test and sign in connectors. */
export const connectorsContract = {
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
        /** It handles secrets on purpose from the start (see `handlesSecrets`). */
        handlesSecrets: z.boolean().default(false),
      })
      .strict(),
    output: connectorView,
  },
  'connectors.edit': {
    input: z.object({ name: z.string(), settings: connectorSettings }).strict(),
    output: connectorView,
  },
  'connectors.enable': { input: z.object({ name: z.string() }).strict(), output: connectorView },
  /** Mark a connector as handling secrets on purpose, or not (see `handlesSecrets`). */
  'connectors.setHandlesSecrets': {
    input: z.object({ name: z.string(), handlesSecrets: z.boolean() }).strict(),
    output: connectorView,
  },
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
} as const;
