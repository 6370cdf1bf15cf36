// Connectors and their tools for the fake engine: every change replaces the view and announces
// connectors.changed or tools.changed, as the engine does. Nothing is started: Test and Connect answer
// as a healthy connector would.
import type { ConnectorView, EngineEvent, ToolView } from '@core/api/contract.js';
import { GatehouseError } from '@core/errors.js';
import type { FakeOperations, FakeState } from './fake-state.js';
import { makeConnector } from './fake-views.js';

/** Adds a connector, or replaces the one of that name, and announces it. */
export function saveConnector(s: FakeState, emit: (event: EngineEvent) => void, view: ConnectorView) {
  s.connectors = [...s.connectors.filter((other) => other.name !== view.name), view];
  emit({ type: 'connectors.changed', name: view.name });
  return view;
}

/** connectors.* and tools.*. */
export const connectorOperations: FakeOperations = (s, emit) => {
  const connector = (name: string) => {
    const found = s.connectors.find((candidate) => candidate.name === name);
    if (!found) throw new GatehouseError('not_found', `There is no connector named ${name}.`);
    return found;
  };
  const tool = (connectorName: string, name: string) => {
    const found = s.tools.find(
      (candidate) => candidate.connector === connectorName && candidate.name === name,
    );
    if (!found) throw new GatehouseError('not_found', `There is no tool ${connectorName}/${name}.`);
    return found;
  };
  const save = (view: ConnectorView) => saveConnector(s, emit, view);
  const saveTool = (view: ToolView) => {
    s.tools = s.tools.map((other) =>
      other.connector === view.connector && other.name === view.name ? view : other,
    );
    emit({ type: 'tools.changed', connector: view.connector });
    return view;
  };
  return {
    'connectors.list': () => s.connectors,
    'connectors.get': ({ name }) => connector(name),
    'connectors.add': ({ name, settings, enabled }) => {
      if (s.connectors.some((one) => one.name === name)) {
        throw new GatehouseError('name_taken', `A connector named ${name} already exists.`);
      }
      return save(makeConnector({ name, settings, enabled, toolCount: 0 }));
    },
    'connectors.edit': ({ name, settings }) => save({ ...connector(name), settings }),
    'connectors.enable': ({ name }) => save({ ...connector(name), enabled: true }),
    'connectors.disable': ({ name }) => save({ ...connector(name), enabled: false }),
    'connectors.setHandlesSecrets': ({ name, handlesSecrets }) =>
      save({ ...connector(name), handlesSecrets }),
    'connectors.remove': ({ name }) => {
      connector(name);
      s.connectors = s.connectors.filter((one) => one.name !== name);
      emit({ type: 'connectors.changed', name });
      return { name };
    },
    'connectors.test': ({ name }) => ({
      ok: true,
      latencyMs: 42,
      toolCount: connector(name).toolCount,
      error: null,
    }),
    'connectors.connect': ({ name }) => {
      connector(name);
      return { authorizationUrl: `https://auth.example.com/authorize?client_id=gatehouse&state=${name}` };
    },
    'connectors.logs': ({ name }) => ({ lines: s.logs[name] ?? [] }),
    'tools.list': ({ connector: name }) => s.tools.filter((one) => !name || one.connector === name),
    'tools.heldItems': ({ connector: name }) => s.heldItems.filter((one) => !name || one.connector === name),
    'tools.set': ({ connector: connectorName, tool: name, enabled, approval, toolClass }) =>
      saveTool({
        ...tool(connectorName, name),
        ...(enabled !== undefined ? { enabled } : {}),
        ...(approval !== undefined ? { approval } : {}),
        ...(toolClass !== undefined
          ? { toolClass: toolClass ?? 'read', classSource: toolClass ? 'user' : 'annotations' }
          : {}),
      }),
    'tools.setWriteApproval': ({ connector: connectorName, approval }) => {
      connector(connectorName);
      return s.tools
        .filter(
          (one) => one.connector === connectorName && one.toolClass === 'write' && one.approval !== approval,
        )
        .map((one) => saveTool({ ...one, approval }));
    },
    'tools.accept': ({ connector: connectorName, tool: name, definition }) => {
      readNow(`${connectorName}/${name}`, definition, tool(connectorName, name).definition);
      return saveTool({ ...tool(connectorName, name), held: null, firstSight: null, definition: null });
    },
    'tools.keepBlocked': ({ connector: connectorName, tool: name, definition }) => {
      const found = tool(connectorName, name);
      readNow(`${connectorName}/${name}`, definition, found.definition);
      return saveTool({
        ...found,
        held: found.held ? { ...found.held, keptBlocked: true } : null,
        firstSight: found.firstSight ? { ...found.firstSight, keptBlocked: true } : null,
      });
    },
    'tools.acceptItem': ({ connector: name, kind, key, definition }) => {
      const found = s.heldItems.find((one) => one.connector === name && one.kind === kind && one.key === key);
      readNow(`${name}'s ${kind} ${key}`, definition, found?.definition ?? null);
      s.heldItems = s.heldItems.filter(
        (one) => !(one.connector === name && one.kind === kind && one.key === key),
      );
      return { connector: name, key };
    },
    'tools.blockItem': ({ connector: name, kind, key, definition }) => {
      const found = s.heldItems.find(
        (one) => one.connector === name && one.kind === kind && one.key === key,
      )!;
      readNow(`${name}'s ${kind} ${key}`, definition, found.definition);
      found.keptBlocked = true;
      return found;
    },
  };
};

/** As the engine: an answer naming a definition other than the one held now is refused (it changed). */
function readNow(what: string, read: string | undefined, held: string | null): void {
  if (read !== undefined && held !== null && read !== held)
    throw new GatehouseError('conflict', `${what} changed after you read it, so nothing was answered.`);
}
