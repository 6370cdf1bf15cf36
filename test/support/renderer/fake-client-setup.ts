// "Connect a client" for the fake engine: Connect and Undo change the user file's entry as detection
// would then see it, a project's file is written from scratch, and imports become connectors. Each
// write reports a backup, as the engine's atomic writer makes one.
import type {
  ImportableServerView,
  ImportResultView,
  SetupClientName,
} from '@core/api/client-setup-contract.js';
import { gatehouseEntry, setupRecipe } from '@core/client-setup/client-formats.js';
import { setupClient as setupClientName } from '@core/api/client-setup-contract.js';
import type { ConnectorSettings } from '@core/api/connector-config.js';
import { GatehouseError } from '@core/errors.js';
import { saveConnector } from './fake-connectors.js';
import type { FakeOperations } from './fake-state.js';
import { makeConnector, SETUP_TARGET, USER_FILES } from './fake-views.js';

const BACKUP_STAMP = '.gatehouse-backup-2026-01-15T12-00-00-000Z';

/** Where each client keeps a project's servers, as the engine's client-locations.ts has it. */
const PROJECT_FILES: Partial<Record<SetupClientName, string>> = {
  'claude-code': '.mcp.json',
  vscode: '.vscode/mcp.json',
  cursor: '.cursor/mcp.json',
};

/** The connector settings an importable server becomes (env and header values stay secret). */
function importedSettings(server: ImportableServerView): ConnectorSettings {
  const stored = (names: string[]) => Object.fromEntries(names.map((name) => [name, '[stored]']));
  if (server.transport === 'stdio') {
    return {
      kind: 'stdio',
      command: server.command ?? '',
      args: server.args,
      env: stored(server.env),
      cwd: server.cwd,
    };
  }
  return {
    kind: 'http',
    url: server.url ?? '',
    transport: server.transport === 'sse' ? 'sse' : 'auto',
    timeoutSeconds: 30,
    headers: stored(server.headers),
    auth: server.bearer ? { type: 'bearer', token: '[stored]' } : { type: 'none' },
  };
}

/** setup.*. */
export const setupOperations: FakeOperations = (s, emit) => {
  const setupClient = (name: SetupClientName) => {
    const found = s.setupClients.find((candidate) => candidate.client === name);
    if (!found) throw new GatehouseError('not_found', `The fake has no setup client ${name}.`);
    return found;
  };
  /** Marks the client's user file as holding (or not) the Gatehouse entry, as detection would. */
  const setUserEntry = (name: SetupClientName, gatehouse: 'this' | 'none') => {
    s.setupClients = s.setupClients.map((view) => {
      if (view.client !== name) return view;
      const locations = view.locations.map((location) =>
        location.scope === 'user' ? { ...location, exists: true, gatehouse } : location,
      );
      return { ...view, locations, configured: locations.some((one) => one.gatehouse === 'this') };
    });
  };
  const fileFor = (name: SetupClientName, scope: 'user' | 'project', projectDir?: string) => {
    const view = setupClient(name);
    if (scope === 'project') {
      const file = PROJECT_FILES[name];
      if (!file) {
        throw new GatehouseError(
          'bad_request',
          `${view.name} has no per-project configuration; connect it for your user instead.`,
        );
      }
      return { path: `${projectDir}/${file}`, exists: false, gatehouse: 'none' as const };
    }
    const user = view.locations.find((location) => location.scope === 'user');
    if (user?.problem) throw new GatehouseError('conflict', user.problem);
    return {
      path: user?.path ?? USER_FILES[name],
      exists: user?.exists ?? false,
      gatehouse: user?.gatehouse ?? 'none',
    };
  };
  const listing = (name: SetupClientName) => s.importable[name] ?? { servers: [], problems: [] };

  return {
    'setup.clients': () => s.setupClients,
    'setup.recipes': () =>
      setupClientName.options.map((client) => ({ client, ...setupRecipe(client, SETUP_TARGET) })),
    'setup.connect': ({ client: name, scope, projectDir }) => {
      const file = fileFor(name, scope, projectDir);
      const changed = file.gatehouse !== 'this';
      const backupPath = changed && file.exists ? `${file.path}${BACKUP_STAMP}` : null;
      if (scope === 'user') setUserEntry(name, 'this');
      const clientName = setupClient(name).name;
      return {
        client: name,
        scope,
        path: file.path,
        changed,
        backupPath,
        created: changed && !file.exists,
        entry: gatehouseEntry(name, SETUP_TARGET),
        message: changed
          ? `Connected ${clientName} to Gatehouse: wrote the "gatehouse" entry in ${file.path}${backupPath ? ` (the previous file is in ${backupPath})` : ''}.`
          : `${clientName} is already connected to this Gatehouse (${file.path}); nothing changed.`,
      };
    },
    'setup.disconnect': ({ client: name, scope, projectDir }) => {
      const file = fileFor(name, scope, projectDir);
      const changed = scope === 'project' || file.gatehouse === 'this';
      // As the engine: an Undo that takes out everything Gatehouse wrote keeps no backup.
      const backupPath = null;
      if (scope === 'user') setUserEntry(name, 'none');
      const clientName = setupClient(name).name;
      return {
        client: name,
        scope,
        path: file.path,
        changed,
        backupPath,
        created: false,
        restored: [],
        removed: changed ? ['gatehouse'] : [],
        leftAlone: [],
        message: changed
          ? `Undid Gatehouse's changes for ${clientName} in ${file.path}: removed gatehouse (no backup needed: the file is back as it was before Gatehouse changed it).`
          : `Nothing of Gatehouse's to undo for ${clientName} in ${file.path}.`,
      };
    },
    'setup.importable': ({ client: name }) => ({ client: name, ...listing(name) }),
    'setup.import': ({ client: name, servers: wanted, replace }): ImportResultView => {
      const clientName = setupClient(name).name;
      let secretsMoved = 0;
      const imported: ImportableServerView[] = [];
      const outcomes = [...new Set(wanted)].map((key) => {
        const skipped = (detail: string) => ({
          server: key,
          connector: null,
          outcome: 'skipped' as const,
          detail,
        });
        const server = listing(name).servers.find((candidate) => candidate.key === key);
        if (!server) return skipped(`${clientName} has no server named ${key}`);
        if (server.gatehouse) return skipped('this is the entry for Gatehouse itself');
        if (server.problem) return skipped(server.problem);
        if (s.connectors.some((one) => one.name === server.connectorName)) {
          return skipped(`A connector named ${server.connectorName} already exists.`);
        }
        const settings = importedSettings(server);
        saveConnector(s, emit, makeConnector({ name: server.connectorName, settings, toolCount: 3 }));
        imported.push(server);
        secretsMoved += server.env.length + server.headers.length + (server.bearer ? 1 : 0);
        const detail = 'added; connected with 3 tools';
        return { server: key, connector: server.connectorName, outcome: 'imported' as const, detail };
      });
      const files = [...new Set(imported.map((server) => server.path))];
      const replaced = replace
        ? files.map((path) => {
            const backupPath = `${path}${BACKUP_STAMP}`;
            return { client: name, scope: 'user' as const, path, changed: true, backupPath, created: false };
          })
        : [];
      if (replaced.length > 0) setUserEntry(name, 'this');
      const skippedCount = outcomes.length - imported.length;
      return {
        client: name,
        outcomes,
        secretsMoved,
        replaced,
        message: `Imported ${imported.length} from ${clientName}${skippedCount ? `, skipped ${skippedCount}` : ''}.`,
      };
    },
  };
};
