// What each caller sees of the aggregate offering: the connectors its grant reaches, the tools that
// pass policy, prompts and resources under the names it is shown; tools/list made once per caller
// and state, since a client lists on every list_changed and that is most of its answer time.
import {
  ProtocolError,
  type Prompt,
  type Resource,
  type ResourceTemplateType,
  type Tool,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { UpstreamOffering } from '../connectors/runtime/upstream.js';
import type { Caller } from '../mcp/bearer-check.js';
import { gatehouseTools } from './gatehouse-tools.js';
import { serializeOnce } from '../mcp/web-exchange.js';
import type { McpScope } from '../mcp/session-services.js';
import { effectiveAccess } from '../policy/effective-access.js';
import type { CompiledRule } from '../policy/rules.js';
import { classifyTool } from '../policy/tool-class.js';
import { decideToolListing, type ToolDecisionInput } from '../policy/tool-decision.js';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';
import type { AlwaysAllowed } from '../store/always-allowed.js';
import type { ToolStore } from '../store/tool-store.js';
import { isAppOnly, withShownResourceUri } from '../mcp-apps.js';
import { buildOfferingView, type OfferingView } from './offering-view.js';
import type { HeldItems } from './held-items.js';

/**
 * A list request's cursor: Gatehouse answers every list in one page and never hands out a cursor, so
 * any cursor is one it does not know (InvalidParams, as the spec's pagination section says), rather than the
 * whole list again.
 */
export function refuseCursor(params: { cursor?: unknown } | undefined): void {
  if (params?.cursor !== undefined)
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      'gatehouse: unknown cursor; Gatehouse answers every list in one page, so list again without one.',
    );
}

/**
 * A 2025-11-25 tool that runs only as a task (`execution.taskSupport: "required"`): Gatehouse does not
 * relay that era's task augmentation, so it lists such a tool nowhere and refuses calls to it.
 */
export function runsOnlyAsTask(tool: Pick<Tool, 'execution'>): boolean {
  return (tool.execution as { taskSupport?: unknown } | undefined)?.taskSupport === 'required';
}

/** Cached tools/list results kept at once (one per caller and scope in use). */
const TOOL_LIST_CACHE = 64;

/** What a cached tools/list result was made from; any difference makes a new one. */
interface ToolListStamp {
  view: OfferingView;
  settings: unknown;
  rules: readonly CompiledRule[];
  tools: number;
  enabled: string;
}

const sameStamp = (a: ToolListStamp, b: ToolListStamp): boolean =>
  a.view === b.view &&
  a.settings === b.settings &&
  a.rules === b.rules &&
  a.tools === b.tools &&
  a.enabled === b.enabled;

/** What is the same for every tool a caller is decided on: looked up once per list. */
type CommonInput = Pick<ToolDecisionInput, 'ceiling' | 'client' | 'rules'>;

/** The stores a caller's lists are decided from. */
export interface OfferingListsContext {
  connectors: Pick<ConnectorManager, 'enabledNames' | 'offering'>;
  tools: Pick<ToolStore, 'get' | 'version'>;
  alwaysAllowed: Pick<AlwaysAllowed, 'has'>;
  settings: Pick<Settings, 'get'>;
  clients: Pick<ClientStore, 'get'>;
  /** Prompts, resources and templates held on first sight. */
  heldItems: HeldItems;
  rules(): readonly CompiledRule[];
}

/**
 * The gateway's view of the offering per caller: the aggregate view (rebuilt after `invalidate`), the
 * connectors a caller reaches, the policy input for one of its tools, and its four lists.
 */
export class OfferingLists {
  readonly #context: OfferingListsContext;
  #view: OfferingView | undefined;
  readonly #toolLists = new Map<string, { stamp: ToolListStamp; result: { tools: Tool[] } }>();

  constructor(context: OfferingListsContext) {
    this.#context = context;
  }

  /** Drops the aggregate view: a connector's offering or status changed. */
  invalidate(): void {
    this.#view = undefined;
  }

  /** The aggregate view of every enabled connector's offering, built on first use. */
  view(): OfferingView {
    if (!this.#view) {
      const offerings = new Map<string, UpstreamOffering>();
      for (const name of this.#context.connectors.enabledNames()) offerings.set(name, this.offering(name));
      this.#view = buildOfferingView(
        offerings,
        gatehouseTools.map((tool) => tool.name),
      );
    }
    return this.#view;
  }

  /** One connector's own offering, under its own names. */
  offering(connector: string): UpstreamOffering {
    return this.#context.connectors.offering(connector);
  }

  /**
   * Refuses a prompts/get or resources/read of an item held on first sight, or of a URI expanded from
   * a held template (`name` is the prompt's or resource's own name at its connector; `shown` is what
   * the client asked for; `scoped`: on /mcp/<connector>, where templates keep their own names).
   */
  refuseHeld(
    connector: string,
    kind: 'prompt' | 'resource',
    name: string,
    shown: string,
    scoped = true,
  ): void {
    const offering = this.offering(connector);
    const held = this.#context.heldItems;
    const item =
      kind === 'prompt'
        ? offering.prompts.find((prompt) => prompt.name === name)
        : offering.resources.find((resource) => resource.uri === name);
    held.refuseIfHeld(connector, kind, item, shown);
    // A URI no listed resource names may be one a held template expands to.
    if (kind !== 'resource' || item) return;
    const template = held.heldTemplateFor(connector, offering.resourceTemplates, name);
    if (!template) return;
    const exposed = scoped
      ? undefined
      : this.view().resourceTemplates.find((entry) => entry.item === template)?.exposed;
    held.refuseTemplate(shown, exposed ?? template.uriTemplate);
  }

  /** Refuses completion/complete about a template held on first sight (`shown`: as the client named it). */
  refuseHeldTemplate(connector: string, uriTemplate: string, shown: string): void {
    const template = this.offering(connector).resourceTemplates.find((t) => t.uriTemplate === uriTemplate);
    if (!template || !this.#context.heldItems.isHeld(connector, 'resource-template', template)) return;
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: resource template ${shown} was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    );
  }

  /** Whether `/mcp/<connector>` exists (enabled connector). */
  hasConnector(name: string): boolean {
    return this.#context.connectors.enabledNames().includes(name);
  }

  /** The name a tool has on /mcp (for the Tools page). */
  exposedToolName(connector: string, tool: string): string {
    return this.view().toolNames.exposedName(connector, tool) ?? `${connector}__${tool}`;
  }

  /** A connector's resource URI as a client of /mcp is shown it. */
  shownUri(connector: string, uri: string): string {
    return this.view().resourceTable.shownUri(connector, uri);
  }

  /** Connectors in scope that this caller may use at all (grant, enabled, ceiling not off). */
  visibleConnectors(caller: Caller, scope: McpScope): string[] {
    if (
      effectiveAccess(this.#context.settings.get().accessCeiling, caller.grant.access, caller.scopes) ===
      'none'
    )
      return [];
    const grant = caller.grant.connectors;
    const enabled = this.#context.connectors.enabledNames();
    return enabled.filter(
      (name) =>
        (scope.connector === null || scope.connector === name) && (grant === '*' || grant.includes(name)),
    );
  }

  /**
   * The tools/list result for a caller, made once per caller and state of everything it depends on
   * (offering, tool settings, rules, settings, enabled connectors, the caller's grant and scopes) and
   * reused until one of them changes; its JSON is made once too (serializeOnce). A client lists on
   * every tools/list_changed, so with 5,000 tools this is most of their answer time.
   */
  toolsListResult(caller: Caller, scope: McpScope, apps = false): { tools: Tool[] } {
    const context = this.#context;
    const { grant } = caller;
    const key = [
      scope.connector ?? '',
      apps ? 'apps' : '',
      caller.clientId,
      context.clients.get(caller.clientId)?.name ?? '',
      grant.grantId,
      grant.access,
      grant.connectors === '*' ? '*' : grant.connectors.join(','),
      [...caller.scopes].join(' '),
    ].join('\u0000');
    const stamp: ToolListStamp = {
      view: this.view(),
      settings: context.settings.get(),
      rules: context.rules(),
      tools: context.tools.version,
      enabled: context.connectors.enabledNames().join(','),
    };
    const cached = this.#toolLists.get(key);
    if (cached && sameStamp(cached.stamp, stamp)) return cached.result;
    const result = serializeOnce({ tools: this.listTools(caller, scope, apps) });
    if (this.#toolLists.size >= TOOL_LIST_CACHE) this.#toolLists.clear();
    this.#toolLists.set(key, { stamp, result });
    return result;
  }

  /**
   * The tools a caller sees in a scope, after every policy check. App-only tools (MCP Apps) only for
   * a client that renders apps (`apps`), whose host keeps them from its model; on /mcp a tool's UI
   * resource is named as that client is shown the resource (app-tools.ts).
   */
  listTools(caller: Caller, scope: McpScope, apps = false): Tool[] {
    const view = this.view();
    const visible: Tool[] = scope.connector === null ? [...gatehouseTools] : [];
    const allowed = new Set(this.visibleConnectors(caller, scope));
    // What is the same for every tool of this list is looked up once (5,000 tools in one list).
    const common = this.#commonInput(caller);
    for (const entry of view.tools) {
      if (!allowed.has(entry.connector) || (!apps && isAppOnly(entry.item)) || runsOnlyAsTask(entry.item))
        continue;
      const exposed = scope.connector ? entry.item.name : entry.exposed;
      const input = this.decisionInput(caller, entry.connector, entry.item, exposed, common, true);
      if (!input || !decideToolListing(input).visible) continue;
      visible.push(
        scope.connector
          ? entry.item
          : withShownResourceUri({ ...entry.item, name: entry.exposed }, (uri) =>
              view.resourceTable.shownUri(entry.connector, uri),
            ),
      );
    }
    return visible;
  }

  /** The prompts a caller sees in a scope (on /mcp under their exposed names); none held on first sight. */
  listPrompts(caller: Caller, scope: McpScope): Prompt[] {
    const allowed = new Set(this.visibleConnectors(caller, scope));
    const held = this.#context.heldItems;
    return held
      .together(() =>
        this.view().prompts.filter(
          (entry) => allowed.has(entry.connector) && !held.isHeld(entry.connector, 'prompt', entry.item),
        ),
      )
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, name: entry.exposed }));
  }

  /** The resources a caller sees in a scope (on /mcp under their shown URIs); none held on first sight. */
  listResources(caller: Caller, scope: McpScope): Resource[] {
    const allowed = new Set(this.visibleConnectors(caller, scope));
    const held = this.#context.heldItems;
    return held
      .together(() =>
        this.view().resources.filter(
          (entry) => allowed.has(entry.connector) && !held.isHeld(entry.connector, 'resource', entry.item),
        ),
      )
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, uri: entry.exposed }));
  }

  /** The resource templates a caller sees in a scope (on /mcp as shown); none held on first sight. */
  listResourceTemplates(caller: Caller, scope: McpScope): ResourceTemplateType[] {
    const allowed = new Set(this.visibleConnectors(caller, scope));
    const held = this.#context.heldItems;
    return held
      .together(() =>
        this.view().resourceTemplates.filter(
          (entry) =>
            allowed.has(entry.connector) && !held.isHeld(entry.connector, 'resource-template', entry.item),
        ),
      )
      .map((entry) => (scope.connector ? entry.item : { ...entry.item, uriTemplate: entry.exposed }));
  }

  /**
   * What policy decides one tool for a caller on (policy/tool-decision.ts); undefined for a tool the
   * tool store does not know. A list passes `common` and `connectorEnabled`, the same for every tool.
   */
  decisionInput(
    caller: Caller,
    connector: string,
    tool: Tool,
    exposedName: string,
    common: CommonInput = this.#commonInput(caller),
    connectorEnabled: boolean = this.hasConnector(connector),
  ): ToolDecisionInput | undefined {
    const state = this.#context.tools.get(connector, tool.name);
    if (!state) return undefined;
    return {
      ...common,
      connector: { name: connector, enabled: connectorEnabled },
      tool: {
        name: tool.name,
        exposedName,
        class: classifyTool(state.held ?? tool, state.classOverride).class,
        enabled: state.enabled,
        held: state.held !== null,
        heldOnFirstSight: state.firstSight !== null,
        heldKept: state.heldKept,
        approval: state.approval,
        alwaysAllowedForClient: this.#context.alwaysAllowed.has(caller.clientId, connector, tool.name),
        appOnly: isAppOnly(tool),
      },
    };
  }

  #commonInput(caller: Caller): CommonInput {
    const context = this.#context;
    return {
      ceiling: context.settings.get().accessCeiling,
      client: {
        id: caller.clientId,
        name: context.clients.get(caller.clientId)?.name ?? caller.clientId,
        access: caller.grant.access,
        connectors: caller.grant.connectors,
        tokenScopes: caller.scopes,
      },
      rules: context.rules(),
    };
  }
}
