// The operations of "Connect a client": detect the MCP clients on this machine, write (and undo) the
// entry that points one at Gatehouse, list and import the servers they already have. Spread into the
// contract's `operations` table; declared apart so the feature stays in one place. Imports nothing
// from Node, so the renderer can use these schemas too.
import { z } from 'zod';
import { grantProposalView } from './connectors-contract.js';

/** The MCP clients "Connect a client" knows how to point at Gatehouse. */
export const setupClient = z.enum(['claude-desktop', 'claude-code', 'vscode', 'cursor'], {
  error: 'the client is one of claude-desktop, claude-code, vscode, cursor',
});
/** One of the apps "Connect a client" can configure (see `setupClient`). */
export type SetupClientName = z.infer<typeof setupClient>;

/**
 * The header every entry Gatehouse writes into a client's config sends with its MCP requests (the
 * bridge sends it for `--client`): which app's entry the request came through. Not a credential —
 * the bearer token is — only how "Connect a client" tells which registered client is which app.
 */
export const SETUP_MARKER_HEADER = 'X-Gatehouse-Client';

const setupScope = z.enum(['user', 'project'], { error: 'the scope is user or project' });

const projectDir = z
  .string()
  .min(1, 'a project directory is required')
  .refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path), 'the project directory must be an absolute path');

const serverScope = z.enum(['user', 'project', 'local']);

const configLocationView = z.object({
  scope: serverScope,
  path: z.string(),
  projectDir: z.string().nullable(),
  exists: z.boolean(),
  gatehouse: z.enum(['none', 'this', 'other']),
  problem: z.string().nullable(),
});

const setupClientView = z.object({
  client: setupClient,
  name: z.string(),
  installed: z.boolean(),
  /** An entry for this Gatehouse is in one of its config files. */
  configured: z.boolean(),
  /**
   * Not configured now, but Gatehouse wrote its entry into one of these files before (taken out by hand
   * or by Undo): a client connected now came through it, until it restarts.
   */
  entryRemoved: z.boolean(),
  /** A client that came through this app's Gatehouse entry holds a grant and is connected now. */
  connected: z.boolean(),
  scopes: z.array(setupScope),
  locations: z.array(configLocationView),
  /** Clients that came through this app's entry (its marker header) and hold a grant. */
  registeredClients: z.array(
    z.object({
      clientId: z.string(),
      name: z.string(),
      lastUsedAt: z.number().nullable(),
      /** Connected now: an open session or listen stream, or a request in the last few minutes. */
      live: z.boolean(),
      /**
       * While live only by a recent request, when that stops counting (the page turns it to "not
       * connected now" then, with no event to say so); null while a session or stream is open.
       */
      liveUntil: z.number().nullable(),
    }),
  ),
  snippet: z.string(),
  commands: z.object({ local: z.string(), user: z.string(), project: z.string() }).nullable(),
});
/**
 * An app as "Connect a client" shows it: installed, configured, connected, where its config lives and the
 * entry to paste.
 */
export type SetupClientView = z.infer<typeof setupClientView>;

/** Whether a client that came through the entry is connected at `now` (see `liveUntil`). */
export function connectedAt(known: SetupClientView['registeredClients'][number], now: number): boolean {
  return known.live && (known.liveUntil === null || now < known.liveUntil);
}

const configWriteView = z.object({
  client: setupClient,
  scope: setupScope,
  path: z.string(),
  changed: z.boolean(),
  backupPath: z.string().nullable(),
  created: z.boolean(),
});

const connectResultView = configWriteView.extend({
  entry: z.record(z.string(), z.unknown()),
  message: z.string(),
});

const disconnectResultView = configWriteView.extend({
  restored: z.array(z.string()),
  removed: z.array(z.string()),
  leftAlone: z.array(z.object({ name: z.string(), reason: z.string() })),
  message: z.string(),
});

const importableServerView = z.object({
  name: z.string(),
  key: z.string(),
  scope: serverScope,
  path: z.string(),
  transport: z.enum(['stdio', 'http', 'sse']),
  command: z.string().nullable(),
  args: z.array(z.string()),
  /** Variable names only; values are secrets. */
  env: z.array(z.string()),
  cwd: z.string().nullable(),
  url: z.string().nullable(),
  /** Header names only (an Authorization bearer header shows as `bearer`). */
  headers: z.array(z.string()),
  bearer: z.boolean(),
  gatehouse: z.boolean(),
  problem: z.string().nullable(),
  connectorName: z.string(),
  /** What its command line and environment ask its sandbox to grant; given only with `acceptGrants`. */
  grants: z.array(grantProposalView),
});
/** One server configured in an app's own config, as offered for import into Gatehouse. */
export type ImportableServerView = z.infer<typeof importableServerView>;

const importResultView = z.object({
  client: setupClient,
  outcomes: z.array(
    z.object({
      server: z.string(),
      connector: z.string().nullable(),
      outcome: z.enum(['imported', 'skipped']),
      detail: z.string(),
      /** Imported, but its first start failed. */
      doesNotStart: z.boolean().optional(),
    }),
  ),
  secretsMoved: z.number().int(),
  replaced: z.array(configWriteView),
  message: z.string(),
});
/**
 * What an import did: each server imported or skipped and why, secrets moved into the vault, config
 * entries replaced.
 */
export type ImportResultView = z.infer<typeof importResultView>;

const clientScopeInput = z
  .object({ client: setupClient, scope: setupScope.default('user'), projectDir: projectDir.optional() })
  .strict()
  .refine((input) => input.scope !== 'project' || input.projectDir !== undefined, {
    message: 'a project configuration needs projectDir',
    path: ['projectDir'],
  });

const setupRecipeView = z.object({
  client: setupClient,
  /** The entry to paste, as the client's file holds it (Claude Desktop: this install's bridge command). */
  snippet: z.string(),
  /** `claude mcp add` per scope (Claude Code only). */
  commands: z.object({ local: z.string(), user: z.string(), project: z.string() }).nullable(),
});
/** How to point one app at Gatehouse by hand: the same entry "Connect a client" writes. */
export type SetupRecipeView = z.infer<typeof setupRecipeView>;

/** Spread into `operations` in contract.ts. */
export const clientSetupContract = {
  'setup.clients': {
    input: z.object({ projectDir: projectDir.optional() }).strict(),
    output: z.array(setupClientView),
  },
  /** Each app's entry to paste by hand, without looking at its files (the Overview's recipes). */
  'setup.recipes': { input: z.object({}).strict(), output: z.array(setupRecipeView) },
  'setup.connect': { input: clientScopeInput, output: connectResultView },
  'setup.disconnect': { input: clientScopeInput, output: disconnectResultView },
  'setup.importable': {
    input: z.object({ client: setupClient, projectDir: projectDir.optional() }).strict(),
    output: z.object({
      client: setupClient,
      servers: z.array(importableServerView),
      problems: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  },
  'setup.import': {
    /** Waits for the servers it starts to start (a package runner's first start installs it). */
    startsServers: true,
    input: z
      .object({
        client: setupClient,
        servers: z.array(z.string().min(1)).min(1, 'name at least one server to import'),
        replace: z.boolean().default(false),
        projectDir: projectDir.optional(),
        /**
         * The user agrees to the grants the chosen servers ask for (their `grants`); without it they
         * are imported sandboxed with none, and the connector lists what it then refuses.
         */
        acceptGrants: z.boolean().default(false),
      })
      .strict(),
    output: importResultView,
  },
} as const;

/** The name of a "Connect a client" operation. */
export type ClientSetupOperationName = keyof typeof clientSetupContract;
/** What a caller may send a "Connect a client" operation. */
export type ClientSetupInput<N extends ClientSetupOperationName> = z.input<
  (typeof clientSetupContract)[N]['input']
>;
type ClientSetupParsedInput<N extends ClientSetupOperationName> = z.output<
  (typeof clientSetupContract)[N]['input']
>;
/** What a "Connect a client" operation answers. */
export type ClientSetupOutput<N extends ClientSetupOperationName> = z.output<
  (typeof clientSetupContract)[N]['output']
>;
/** The handlers of the "Connect a client" operations (operations/client-setup.ts). */
export type ClientSetupHandlers = {
  [N in ClientSetupOperationName]: (input: ClientSetupParsedInput<N>) => Promise<ClientSetupOutput<N>>;
};
