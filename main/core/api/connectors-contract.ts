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

/**
 * A grant a server's own command line or environment asks for (connectors/sandbox/grant-proposals.ts): a
 * folder or file to write or read, a service on this computer or the network. A catalog entry's and
 * an imported config's are shown and granted only when the user agrees.
 */
export const grantProposalView = z.object({
  kind: z.enum(['write', 'read', 'local']),
  /** The path (`~/.config/autostart`) or `host:port`. */
  target: z.string(),
  /** Where it is asked for: `argument 3`, `environment MEMORY_FILE_PATH`. */
  from: z.string(),
  /** What to know before agreeing (it runs code at login, it is on your PATH), or null. */
  warning: z.string().nullable(),
  /** Why it cannot be granted at all (a secret, the home folder, a system folder), or null. */
  refused: z.string().nullable(),
});
/** A grant a server's settings ask for (see `grantProposalView`). */
export type GrantProposalView = z.infer<typeof grantProposalView>;

/** One thing the sandbox refused a server, from the sandbox's own record. */
const sandboxRefusalView = z.object({
  kind: z.enum(['write', 'host', 'bound']),
  /** The path, `host:port`, or the bound. */
  target: z.string(),
  reason: z.string(),
  /** The command that grants it, or null where nothing may. */
  grant: z.string().nullable(),
  /** The same grant as a setting, for a one-click allow: a folder to write, a host, a local service. */
  allow: z.object({ kind: z.enum(['folder', 'domain', 'local']), value: z.string() }).nullable(),
  count: z.number(),
});

/** What a local server's sandbox lets it do, as connectors/sandbox/sandbox-view.ts describes it. */
const connectorSandboxView = z.object({
  /** on: confined; off: the user's explicit choice, full rights; unavailable: cannot run here, so not started. */
  state: z.enum(['on', 'off', 'unavailable']),
  /** Folders and files it may write (its workspace), as absolute paths. */
  workspace: z.array(z.string()),
  /** The workspace as the user granted it (the entries that can be removed). */
  addedFolders: z.array(z.string()),
  /** Folders and files it may read besides its workspace, as the user granted them. */
  readFolders: z.array(z.string()),
  /** What it reads to run, from its last start: its runtime's installation and its package. */
  runtime: z.array(z.string()),
  /** Its own folders: scratch (with its package caches) and temp. */
  ownFolders: z.array(z.string()),
  /** null: any public host; else only these. */
  allowedDomains: z.array(z.string()).nullable(),
  /** Services on this computer or the local network it may reach, each by host and port. */
  localServices: z.array(z.string()),
  /** Its secret values: the ones it holds only as stand-ins, and the ones it gets plainly, and why. */
  secrets: z.object({
    masked: z.array(z.string()),
    plain: z.array(z.object({ name: z.string(), why: z.string() })),
  }),
  /** What the sandbox refused it since Gatehouse started, most tried first, with counts. */
  refusals: z.array(sandboxRefusalView),
  /** Refused targets past the ones kept, counted. */
  refusedOthers: z.number(),
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
  /**
   * Prompts, resources, templates and instructions held on first sight, waiting for review (not those
   * first sight is still checking: they wait for it, not for the user).
   */
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
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
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
        /**
         * A local server's command line is the user's own words (typed in the window or the CLI):
         * the folders, files and local services it names are granted to its sandbox, each audited.
         * Catalog entries and imports never set this; their grants wait for the user's yes.
         */
        grantCommandLine: z.boolean().default(false),
      })
      .strict(),
    output: connectorView,
  },
  'connectors.edit': {
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
    input: z
      .object({
        name: z.string(),
        settings: connectorSettings,
        /** As for connectors.add: what the edited command line names is granted too. */
        grantCommandLine: z.boolean().default(false),
      })
      .strict(),
    output: connectorView,
  },
  'connectors.enable': {
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
    input: z.object({ name: z.string() }).strict(),
    output: connectorView,
  },
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
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
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
