// Operations of "Connect a client": detection, connect / disconnect (undo) and import of the MCP
// servers a client already has. Imported servers become connectors through `connectors.add`, the
// same path as the Connectors page, so they are validated, sealed and audited the same way.
import { homedir } from 'node:os';
import path from 'node:path';
import { sandboxOf, type ConnectorSettings } from '../api/connector-config.js';
import { proposedGrants, withGrants } from '../connectors/sandbox/grant-proposals.js';
import type { ClientSetupHandlers } from '../api/client-setup-contract.js';
import type { OperationInput, OperationName, OperationOutput } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { Clock } from '../effects.js';
import { defaultBridgeCommand } from '../client-setup/bridge-command.js';
import { setupRecipe, type BridgeCommand, type GatehouseTarget } from '../client-setup/client-formats.js';
import { clientNames, setupClients, type HostLayout } from '../client-setup/client-locations.js';
import type { ConnectorAdder } from '../client-setup/client-import.js';
import { ClientSetup } from '../client-setup/client-setup.js';
import { ConfigWriter, nodeConfigFs, type ConfigFs } from '../client-setup/config-writer.js';
import { fileJournal } from '../client-setup/setup-journal.js';
import { isGatehouseError } from '../errors.js';
import { defaultCommandResolver } from '../connectors/processes/stdio-launch.js';

/** Where "Connect a client" looks and writes: the host layout and file system (tests pass fakes). */
export interface ClientSetupOptions {
  /** The machine the clients are on; this process's when absent (tests fake other OS layouts). */
  platform?: NodeJS.Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  fs?: ConfigFs;
  /** How Claude Desktop starts `gatehouse bridge` for this install; the desktop app passes its own. */
  bridgeCommand?: () => BridgeCommand;
  /** How long an import waits for each new connector to start before reporting it as starting. */
  importStartWaitMs?: number;
}

/** What the client-setup operations use of the engine. */
export interface ClientSetupContext {
  readonly dataDir: string;
  readonly mcpUrl: string;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly connectorStore: ConnectorStore;
  /** Other operations (clients.list, connectors.add, connectors.list), through the same door as every surface. */
  call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>>;
}

/**
 * A client with no open session or stream still counts as connected this long after its last request
 * (a 2026-07-28 client without a listen stream is connected only while it talks).
 */
const LIVE_WINDOW_MS = 5 * 60_000;

/** The handlers of setup.* (detect clients, connect, disconnect, import their servers). */
export function clientSetupOperations(
  context: ClientSetupContext,
  options: ClientSetupOptions = {},
): ClientSetupHandlers {
  const layout: HostLayout = {
    platform: options.platform ?? process.platform,
    home: options.home ?? homedir(),
    env: options.env ?? process.env,
  };
  const writer = new ConfigWriter(options.fs ?? nodeConfigFs, () => context.clock.now());
  const setup = new ClientSetup({ layout, writer, journal: fileJournal(context.dataDir, writer) });
  const bridge = options.bridgeCommand ?? (() => defaultBridgeCommand(context.dataDir));
  const target = (): GatehouseTarget => ({
    mcpUrl: context.mcpUrl,
    dataDir: context.dataDir,
    bridge: bridge(),
  });
  const waitMs = options.importStartWaitMs ?? 8_000;

  const audit = (type: string, reason: string, detail: Record<string, unknown>) =>
    context.audit.record({ type, decision: 'info', reason, detail });

  /** The connectors there are, to recognise a server imported before (its command or URL). */
  const existingConnectors = () =>
    context.connectorStore.list().map((record) => ({ name: record.name, settings: record.settings }));

  /**
   * What an imported server's command line and environment ask its sandbox to grant: shown before the
   * import, given only when the user agrees (an import is another app's words, not the user's).
   */
  const grantPlace = { home: layout.home, dataDir: context.dataDir };
  // The folders on PATH: the environment's, and those Gatehouse finds commands in (the login shell's PATH,
  // which a desktop app's own environment lacks).
  const grantProposer = async () => {
    const context = {
      cwd: process.cwd(),
      pathDirs: [
        ...(layout.env.PATH ?? '').split(path.delimiter).filter(Boolean),
        ...(await defaultCommandResolver().searchDirs()),
      ],
    };
    return (settings: ConnectorSettings) =>
      settings.kind === 'stdio' ? proposedGrants(settings, grantPlace, context) : [];
  };

  /**
   * Adds a connector (with what it asks for granted when the user agreed); a slow upstream is reported
   * as starting rather than holding up the import.
   */
  const adder =
    (acceptGrants: boolean): ConnectorAdder =>
    async (name, asked) => {
      const settings =
        acceptGrants && asked.kind === 'stdio'
          ? { ...asked, sandbox: withGrants(sandboxOf(asked), (await grantProposer())(asked)) }
          : asked;
      const adding = context.call('connectors.add', { name, settings, enabled: true });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), waitMs);
        timer.unref();
      });
      try {
        const view = await Promise.race([adding, late]);
        if (view === 'late') {
          adding.catch(() => undefined);
          return { detail: 'added; still starting', doesNotStart: false };
        }
        const { connection, lastError } = view.status;
        if (connection === 'connected')
          return { detail: `added; connected with ${view.toolCount} tools`, doesNotStart: false };
        if (connection === 'error')
          return {
            detail: `added, but it does not start yet: ${lastError ?? 'unknown error'}`,
            doesNotStart: true,
          };
        return { detail: `added; ${connection}`, doesNotStart: false };
      } catch (error) {
        // Added, but its first start failed: it is a connector now all the same.
        if (context.connectorStore.get(name)) {
          return {
            detail: `added, but it does not start yet: ${isGatehouseError(error) ? error.message : String(error)}`,
            doesNotStart: true,
          };
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    };

  return {
    'setup.recipes': async () => {
      const current = target();
      return setupClients.map((client) => ({ client, ...setupRecipe(client, current) }));
    },
    'setup.clients': async ({ projectDir }) => {
      const now = context.clock.now();
      const registered = (await context.call('clients.list')).map((view) => {
        const open = view.openSessions + (view.openConnections ?? 0) > 0;
        const recentUntil = view.lastUsedAt === null ? null : view.lastUsedAt + LIVE_WINDOW_MS;
        const recent = recentUntil !== null && now < recentUntil;
        return {
          clientId: view.clientId,
          name: view.name,
          lastUsedAt: view.lastUsedAt,
          setupClient: view.setupClient,
          granted: view.grants.length > 0,
          live: open || recent,
          liveUntil: !open && recent ? recentUntil : null,
        };
      });
      const current = target();
      return Promise.all(setupClients.map((client) => setup.detect(client, current, registered, projectDir)));
    },
    'setup.connect': async ({ client, scope, projectDir }) => {
      const result = await setup.connect(client, scope, target(), projectDir);
      if (result.changed) {
        audit('setup.connected', `Connected ${clientNames[client]} (${scope}) to Gatehouse`, {
          client,
          scope,
          path: result.path,
          backupPath: result.backupPath,
        });
      }
      return result;
    },
    'setup.disconnect': async ({ client, scope, projectDir }) => {
      const result = await setup.disconnect(client, scope, target(), projectDir);
      if (result.changed) {
        audit('setup.disconnected', `Undid Gatehouse's entry for ${clientNames[client]} (${scope})`, {
          client,
          scope,
          path: result.path,
          backupPath: result.backupPath,
          restored: result.restored,
          removed: result.removed,
        });
      }
      return result;
    },
    'setup.importable': async ({ client, projectDir }) =>
      setup.importable(client, target(), projectDir, existingConnectors(), await grantProposer()),
    'setup.import': async ({ client, servers, replace, projectDir, acceptGrants }) => {
      const takenNames = (await context.call('connectors.list')).map((view) => view.name);
      const result = await setup.import(client, target(), servers, {
        replace,
        takenNames,
        add: adder(acceptGrants),
        existing: existingConnectors(),
        ...(projectDir !== undefined ? { projectDir } : {}),
      });
      audit('setup.imported', result.message, {
        client,
        imported: result.outcomes.filter((outcome) => outcome.outcome === 'imported').map((o) => o.connector),
        skipped: result.outcomes.filter((outcome) => outcome.outcome === 'skipped').map((o) => o.server),
      });
      return result;
    },
  };
}
