// Operations on connectors: add / edit / enable / disable / test / connect / remove, their status
// and stderr, each audited. Secrets never leave: views carry "[stored]" in their place.
import type { ConnectorView, EngineEvent } from '../api/contract.js';
import type { OperationHandlers, Surface } from './engine-api.js';
import type { HeldItems } from '../gateway/held-items.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { ConnectorOAuth } from '../connectors/oauth/connector-oauth.js';
import type { ConnectorSandbox } from '../connectors/sandbox/connector-sandbox.js';
import { sandboxView } from '../connectors/sandbox/sandbox-view.js';
import { DEFAULT_SANDBOX, sandboxOf, type ConnectorSettings } from '../api/connector-config.js';
import { grantingCommandLine } from '../connectors/sandbox/grant-proposals.js';
import { defaultCommandResolver } from '../connectors/processes/stdio-launch.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { ToolStore } from '../store/tool-store.js';
import type { Clock } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { maskSecrets } from '../store/connector-store.js';
import { doesNotStart, takeBack } from './connector-add.js';
import { waitingItems } from './held-items.js';

/** What a connector's view is made from. */
export interface ConnectorViewContext {
  readonly connectorStore: ConnectorStore;
  readonly toolStore: ToolStore;
  readonly connectors: ConnectorManager;
  readonly heldItems: HeldItems;
  readonly connectorOAuth: ConnectorOAuth;
  readonly issuer: string;
  readonly sandbox: ConnectorSandbox;
}

/** What the connector operations use of the engine. */
export interface ConnectorsContext extends ConnectorViewContext {
  readonly audit: AuditLog;
  readonly clock: Clock;
  emit(event: EngineEvent): void;
  beginConnectorAuthorization(name: string): Promise<{ url: string }>;
}

/** A connector as the surfaces show it: settings with secrets masked, status, tools, sign-in state. */
export function viewConnector(context: ConnectorViewContext, name: string): ConnectorView {
  const record = context.connectorStore.require(name);
  const tools = context.toolStore.of(name);
  const listed = new Set(context.connectors.offering(name).tools.map((tool) => tool.name));
  const status = context.connectors.status(record);
  const waiting = [...tools.values()].filter(
    (tool) => tool.held && !tool.heldKept && tool.enabled && listed.has(tool.name),
  );
  return {
    name,
    settings: maskSecrets(record.settings),
    enabled: record.enabled,
    handlesSecrets: record.handlesSecrets,
    status: { ...status, authProblem: context.connectorOAuth.problemOf(name, record.settings, status.auth) },
    toolCount: listed.size,
    // Waiting for review: held, listed, and neither kept blocked nor switched off by the user.
    heldTools: waiting.length,
    heldOnFirstSight: waiting.filter((tool) => tool.firstSight !== null).length,
    heldItems: waitingItems(context, name),
    sandbox: record.settings.kind === 'stdio' ? sandboxView(name, record.settings, context.sandbox) : null,
    mcpUrl: `${context.issuer}/mcp/${name}`,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * A local server's sandbox switched off (the user's explicit choice, with full rights), back on, or
 * its grants changed: each audited on its own, with the surface it was done from, so Activity shows
 * who widened what.
 */
function auditSandbox(
  context: ConnectorsContext,
  name: string,
  before: ConnectorSettings | null,
  after: ConnectorSettings,
  surface: Surface,
): void {
  if (after.kind !== 'stdio') return;
  const now = sandboxOf(after);
  const was = before?.kind === 'stdio' ? sandboxOf(before) : null;
  const record = (type: string, reason: string) =>
    context.audit.record({
      type,
      connector: name,
      decision: 'info',
      reason: `${reason} (from ${surface})`,
      detail: { surface },
    });
  if (!now.enabled && (was === null || was.enabled)) {
    record(
      'connector.unsandboxed',
      `${name} runs without a sandbox, by your choice: it can read, write and reach everything you can`,
    );
  } else if (now.enabled && was !== null && !was.enabled) {
    record('connector.sandboxed', `${name} runs in its sandbox again`);
  }
  const changes = (label: string, nowList: readonly string[], wasList: readonly string[]) => {
    const added = nowList.filter((item) => !wasList.includes(item));
    const removed = wasList.filter((item) => !nowList.includes(item));
    if (added.length === 0 && removed.length === 0) return;
    record(
      'connector.sandbox_changed',
      `${name} ${label}: ${[...added.map((item) => `added ${item}`), ...removed.map((item) => `removed ${item}`)].join(', ')}`,
    );
  };
  const empty = DEFAULT_SANDBOX;
  changes('may write', now.folders, (was ?? empty).folders);
  changes('may read', now.readFolders, (was ?? empty).readFolders);
  changes('may reach on this computer or the network', now.localServices, (was ?? empty).localServices);
  changes('gets these secrets plainly', now.plainSecrets, (was ?? empty).plainSecrets);
  if (was !== null && JSON.stringify(now.allowedDomains) !== JSON.stringify(was.allowedDomains)) {
    context.sandbox.refusals.forget(name, 'host');
    record(
      'connector.sandbox_changed',
      `${name} may reach ${now.allowedDomains === null ? 'any public host' : `only ${now.allowedDomains.join(', ') || 'no host'}`}`,
    );
  } else if (was === null && now.allowedDomains !== null) {
    record(
      'connector.sandbox_changed',
      `${name} may reach only ${now.allowedDomains.join(', ') || 'no host'}`,
    );
  }
  if (was !== null && now.folders.length > was.folders.length) context.sandbox.refusals.forget(name, 'write');
}

/** A stdio connector's settings with what its own command line names granted (the user's words). */
async function grantedFromCommandLine(
  context: ConnectorsContext,
  settings: ConnectorSettings,
): Promise<ConnectorSettings> {
  if (settings.kind !== 'stdio') return settings;
  const { place } = context.sandbox;
  return grantingCommandLine(settings, place, {
    cwd: process.cwd(),
    pathDirs: await defaultCommandResolver().searchDirs(),
  }).settings;
}

/**
 * Marks a connector as handling secrets on purpose, or not — from its settings, or from the answer
 * "Always allow for this connector" to a call held for secret material (`approvalId`) — audited, and
 * told to the surfaces.
 */
export function setHandlesSecrets(
  context: Pick<ConnectorsContext, 'connectorStore' | 'audit' | 'emit'>,
  name: string,
  handlesSecrets: boolean,
  approvalId?: string,
): void {
  const before = context.connectorStore.require(name).handlesSecrets;
  context.connectorStore.setHandlesSecrets(name, handlesSecrets);
  if (before === handlesSecrets) return;
  context.audit.record({
    type: 'connector.secrets',
    connector: name,
    decision: 'info',
    reason: handlesSecrets
      ? `You marked ${name} as handling secrets on purpose${approvalId ? ', answering a call it was asked' : ''}: secret material in its calls and results passes, audited`
      : `${name} no longer handles secrets on purpose: calls carrying secret material wait for you, and its results are masked`,
    detail: approvalId ? { approvalId } : {},
  });
  context.emit({ type: 'connectors.changed', name });
}

/** The handlers of connectors.* (the Connectors page and `gatehouse connectors`). */
export function connectorOperations(
  context: ConnectorsContext,
): Pick<
  OperationHandlers,
  | 'connectors.list'
  | 'connectors.get'
  | 'connectors.add'
  | 'connectors.edit'
  | 'connectors.enable'
  | 'connectors.setHandlesSecrets'
  | 'connectors.disable'
  | 'connectors.remove'
  | 'connectors.test'
  | 'connectors.connect'
  | 'connectors.logs'
> {
  const changed = (name: string, reason: string, type: string) => {
    context.audit.record({ type, connector: name, decision: 'info', reason });
    context.emit({ type: 'connectors.changed', name });
    return viewConnector(context, name);
  };
  return {
    'connectors.list': () =>
      context.connectorStore.list().map((record) => viewConnector(context, record.name)),
    'connectors.get': ({ name }) => viewConnector(context, name),
    'connectors.add': async (
      { name, settings: asked, enabled, onlyIfItStarts, handlesSecrets, grantCommandLine },
      surface,
    ) => {
      const settings = grantCommandLine ? await grantedFromCommandLine(context, asked) : asked;
      await context.connectors.add(name, settings, enabled);
      if (handlesSecrets) context.connectorStore.setHandlesSecrets(name, true);
      const view = onlyIfItStarts ? viewConnector(context, name) : undefined;
      if (view && doesNotStart(view)) {
        const why = await takeBack(
          context,
          view,
          (why) => `Did not add ${settings.kind} connector ${name}: it does not start (${why})`,
        );
        throw new GatehouseError('does_not_start', `${name} was not added: it does not start (${why}).`);
      }
      auditSandbox(context, name, null, settings, surface);
      const marked = handlesSecrets ? ', marked as handling secrets on purpose' : '';
      return changed(name, `Added ${settings.kind} connector ${name}${marked}`, 'connector.added');
    },
    'connectors.edit': async ({ name, settings: asked, grantCommandLine }, surface) => {
      const before = context.connectorStore.require(name).settings;
      const settings = grantCommandLine ? await grantedFromCommandLine(context, asked) : asked;
      await context.connectors.edit(name, settings);
      auditSandbox(context, name, before, settings, surface);
      return changed(name, `Edited connector ${name}`, 'connector.edited');
    },
    'connectors.enable': async ({ name }) => {
      await context.connectors.setEnabled(name, true);
      return changed(name, `Enabled connector ${name}`, 'connector.enabled');
    },
    'connectors.setHandlesSecrets': ({ name, handlesSecrets }) => {
      setHandlesSecrets(context, name, handlesSecrets);
      return viewConnector(context, name);
    },
    'connectors.disable': async ({ name }) => {
      await context.connectors.setEnabled(name, false);
      return changed(name, `Disabled connector ${name}`, 'connector.disabled');
    },
    'connectors.remove': async ({ name }) => {
      // Its secrets, tools, scratch folder, sandbox record and "always allow" answers go with it (the
      // manager's `removed`, on every removal): a later connector of the same name starts with none.
      await context.connectors.remove(name);
      context.audit.record({
        type: 'connector.removed',
        connector: name,
        decision: 'info',
        reason: `Removed connector ${name} with its secrets`,
      });
      context.emit({ type: 'connectors.changed', name });
      return { name };
    },
    'connectors.test': async ({ name }) => {
      const result = await context.connectors.test(name, () => context.clock.now());
      context.audit.record({
        type: 'connector.tested',
        connector: name,
        decision: 'info',
        reason: result.ok
          ? `Test passed in ${result.latencyMs} ms (${result.toolCount} tools)`
          : `Test failed: ${result.error}`,
      });
      return result;
    },
    'connectors.connect': async ({ name }) => {
      const record = context.connectorStore.require(name);
      if (record.settings.kind !== 'http' || record.settings.auth.type !== 'oauth') {
        throw new GatehouseError(
          'bad_request',
          `${name} does not use OAuth, so there is nothing to connect; use Test instead.`,
        );
      }
      const { url } = await context.beginConnectorAuthorization(name);
      context.audit.record({
        type: 'connector.authorization_started',
        connector: name,
        decision: 'info',
        reason: `Opened the authorization page of ${name}`,
      });
      return { authorizationUrl: url };
    },
    'connectors.logs': ({ name }) => {
      // A connector that was not kept because it did not start: what it wrote is still shown.
      const notKept = context.connectors.notKeptStderr(name);
      if (notKept && !context.connectorStore.get(name)) {
        return { lines: notKept };
      }
      context.connectorStore.require(name);
      return { lines: context.connectors.upstream(name)?.stderrTail() ?? [] };
    },
  };
}
