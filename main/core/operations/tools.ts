// Operations on upstream tools: the Tools page (class, toggles, held changes) and approvals.
import type { EngineEvent, ToolView } from '../api/contract.js';
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ToolState, ToolStore } from '../store/tool-store.js';
import { GatehouseError } from '../errors.js';
import { classifyTool } from '../policy/tool-class.js';
import { isAppOnly } from '../mcp-apps.js';
import { runsOnlyAsTask } from '../gateway/offering-lists.js';
import {
  compareToolDefinitions,
  definitionHash,
  pinnedDefinition,
  unpinnedChanges,
} from '../policy/tool-fingerprint.js';

/** What a tool's view is made from. */
interface ToolViewContext {
  readonly connectors: ConnectorManager;
  readonly gateway: Pick<Gateway, 'approvals' | 'exposedToolName'>;
}

/** What the tool and approval operations use of the engine. */
export interface ToolsContext extends ToolViewContext {
  readonly toolStore: ToolStore;
  readonly connectorStore: ConnectorStore;
  readonly audit: AuditLog;
  emit(event: EngineEvent): void;
}

function toolView(context: ToolViewContext, state: ToolState): ToolView {
  const current = context.connectors.offering(state.connector).tools.find((tool) => tool.name === state.name);
  const shown = state.held ?? current ?? state.pinned;
  const classification = classifyTool(shown, state.classOverride);
  // A held definition is either held on first sight (firstSight) or a change for the user to review.
  const reviewed = state.held && !state.firstSight ? state.held : null;
  const change = reviewed ? compareToolDefinitions(pinnedDefinition(state.pinned), reviewed) : null;
  return {
    connector: state.connector,
    name: state.name,
    exposedName: context.gateway.exposedToolName(state.connector, state.name),
    title: shown.title ?? shown.annotations?.title ?? null,
    description: shown.description ?? '',
    toolClass: classification.class,
    classSource: state.classOverride ? 'user' : 'annotations',
    destructive: classification.destructive,
    enabled: state.enabled,
    approval: state.approval,
    available: current !== undefined,
    appOnly: isAppOnly(shown),
    taskOnly: runsOnlyAsTask(shown),
    held: reviewed
      ? {
          changed: change?.changed ?? [],
          before: {
            description: change?.description?.before ?? state.pinned.description ?? null,
            inputSchema: state.pinned.inputSchema,
          },
          after: {
            description: change?.description?.after ?? reviewed.description ?? null,
            inputSchema: reviewed.inputSchema,
          },
          summary: [
            change?.description ? 'The description changed.' : '',
            ...(change?.inputSchema?.lines ?? []),
          ]
            .filter(Boolean)
            .join('\n'),
          otherParts: unpinnedChanges(state.pinned, reviewed),
          nowReadOnly:
            classifyTool(state.pinned).class === 'write' && classifyTool(reviewed).class === 'read',
          findings: state.changeFindings,
          keptBlocked: state.heldKept,
        }
      : null,
    firstSight: state.firstSight ? { findings: state.firstSight, keptBlocked: state.heldKept } : null,
    definition: state.held ? definitionHash(state.held) : null,
  };
}

/**
 * Refuses an answer that names a definition (the one the user read, as `definitionHash` gives it) other
 * than the one held now: the server changed it meanwhile, and the answer would stand for text nobody read.
 */
export function refuseUnread(
  what: string,
  answer: 'accepted' | 'kept blocked',
  read: string | undefined,
  held: object | null | undefined,
): void {
  if (read === undefined || !held || read === definitionHash(held)) return;
  throw new GatehouseError(
    'conflict',
    `${what} changed after you read it, so nothing was ${answer}: read what it says now, then answer again.`,
  );
}

/** The handlers of tools.* and approvals.*. */
export function toolOperations(
  context: ToolsContext,
): Pick<
  OperationHandlers,
  | 'tools.list'
  | 'tools.set'
  | 'tools.setWriteApproval'
  | 'tools.accept'
  | 'tools.keepBlocked'
  | 'approvals.list'
  | 'approvals.allow'
  | 'approvals.deny'
> {
  return {
    'tools.list': ({ connector }) => {
      const names = connector
        ? [context.connectorStore.require(connector).name]
        : context.connectorStore.list().map((record) => record.name);
      return names.flatMap((name) =>
        [...context.toolStore.of(name).values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((state) => toolView(context, state)),
      );
    },
    'tools.set': ({ connector, tool, enabled, approval, toolClass }) => {
      context.connectorStore.require(connector);
      const state = context.toolStore.update(connector, tool, {
        ...(enabled !== undefined ? { enabled } : {}),
        ...(approval !== undefined ? { approval } : {}),
        ...(toolClass !== undefined ? { classOverride: toolClass } : {}),
      });
      const what = [
        enabled !== undefined ? (enabled ? 'enabled' : 'disabled') : '',
        approval ? `approval ${approval}` : '',
        toolClass !== undefined ? `class ${toolClass ?? 'from annotations'}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      context.audit.record({
        type: 'tool.changed',
        connector,
        tool,
        decision: 'info',
        reason: `The user set ${connector}/${tool}: ${what || 'no change'}`,
      });
      context.emit({ type: 'tools.changed', connector });
      return toolView(context, state);
    },
    'tools.setWriteApproval': ({ connector, approval }) => {
      context.connectorStore.require(connector);
      const writes = [...context.toolStore.of(connector).values()]
        .filter((state) => toolView(context, state).toolClass === 'write')
        .sort((a, b) => a.name.localeCompare(b.name));
      const changed = writes.filter((state) => state.approval !== approval);
      const views = changed.map((state) =>
        toolView(context, context.toolStore.update(connector, state.name, { approval })),
      );
      context.audit.record({
        type: 'tool.changed',
        connector,
        decision: 'info',
        reason: `The user set approval ${approval} for every write tool of ${connector}: ${
          views.length === 0 ? 'no change' : views.map((view) => view.name).join(', ')
        }`,
      });
      if (views.length > 0) context.emit({ type: 'tools.changed', connector });
      return views;
    },
    'tools.accept': ({ connector, tool, definition }) => {
      const before = context.toolStore.get(connector, tool);
      const firstSight = before?.firstSight;
      refuseUnread(`${connector}/${tool}`, 'accepted', definition, before?.held);
      const state = context.toolStore.accept(connector, tool);
      context.audit.record({
        type: 'tool.change_accepted',
        connector,
        tool,
        decision: 'info',
        reason: firstSight
          ? `The user reviewed ${connector}/${tool}, held on first sight, and accepted it`
          : `The user reviewed and accepted the upstream change to ${connector}/${tool}`,
      });
      context.emit({ type: 'tools.changed', connector });
      return toolView(context, state);
    },
    'tools.keepBlocked': ({ connector, tool, definition }) => {
      context.connectorStore.require(connector);
      const held = context.toolStore.get(connector, tool)?.held;
      refuseUnread(`${connector}/${tool}`, 'kept blocked', definition, held);
      const state = context.toolStore.keepBlocked(connector, tool);
      context.audit.record({
        type: 'tool.change_refused',
        connector,
        tool,
        decision: 'info',
        reason: state.firstSight
          ? `The user reviewed ${connector}/${tool}, held on first sight, and kept it blocked`
          : `The user reviewed the upstream change to ${connector}/${tool} and kept the tool blocked`,
      });
      context.emit({ type: 'tools.changed', connector });
      return toolView(context, state);
    },
    'approvals.list': () =>
      context.gateway.approvals.pending().map(({ id, item, createdAt, expiresAt }) => ({
        id,
        clientId: item.clientId,
        clientName: item.clientName,
        connector: item.connector,
        tool: item.exposedName,
        arguments: item.arguments,
        reason: item.reason,
        canAlways: item.canAlways,
        secrets: item.secrets,
        createdAt,
        expiresAt,
      })),
    'approvals.allow': ({ id, always, connector }) => {
      const pending = context.gateway.approvals.get(id);
      if (always && connector) {
        throw new GatehouseError(
          'bad_request',
          'Choose one answer: always for this client, or always for this connector — not both.',
        );
      }
      if (always && pending && !pending.item.canAlways) {
        throw new GatehouseError(
          'bad_request',
          pending.item.secretsOnly
            ? `This call to ${pending.item.exposedName} waits for its secret material, not for the tool: allow it once, or always for the ${pending.item.connector} connector.`
            : `A rule asks before each call to ${pending.item.exposedName}, so it can only be allowed once; change the rule to allow it always.`,
        );
      }
      if (connector && pending && pending.item.secrets.length === 0) {
        throw new GatehouseError(
          'bad_request',
          `This call to ${pending.item.exposedName} carries no secret material, so "always for this connector" does not answer it; allow it once or always for this client.`,
        );
      }
      context.gateway.approvals.decide(id, connector ? 'connector' : always ? 'always' : 'once');
      return { id };
    },
    'approvals.deny': ({ id }) => {
      context.gateway.approvals.decide(id, 'deny');
      return { id };
    },
  };
}
