// What each MCP server instance of the gateway (gateway.ts) announces: its capabilities (the widest
// for a 2025-era session, what its grant shows a 2026-07-28 caller), a tools/call instance's, its
// instructions, and its server options (the request-state check, the lists' cache hints).
import type { ServerCapabilities, ServerOptions } from '@modelcontextprotocol/server';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import { TASKS_EXTENSION } from '../connectors/runtime/task-results.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { McpScope } from '../mcp/session-services.js';
import type { CallStateCodec } from './call-state.js';
import type { HeldItems } from './held-items.js';
import type { OfferingLists } from './offering-lists.js';

/**
 * How long a 2026-07-28 client may keep a list or the discover result (SEP-2549). Every one depends
 * on the caller's grant, hence private; changes reach open subscriptions/listen streams at once, and
 * a client without one sees them within this.
 */
const LIST_TTL_MS = 5_000;

/** What the gateway's server instances announce, from its connectors, its lists, held items and call-state codec. */
export class ServerAnnouncements {
  readonly #connectors: ConnectorManager;
  readonly #heldItems: HeldItems;
  readonly #lists: OfferingLists;
  readonly #codec: CallStateCodec;

  constructor(parts: {
    connectors: ConnectorManager;
    heldItems: HeldItems;
    lists: OfferingLists;
    codec: CallStateCodec;
  }) {
    this.#connectors = parts.connectors;
    this.#heldItems = parts.heldItems;
    this.#lists = parts.lists;
    this.#codec = parts.codec;
  }

  capabilities(scope: McpScope, caller?: Caller): ServerCapabilities {
    // A 2025-era session keeps the capabilities it was opened with, so they are the widest: what it
    // may not use is refused per request. A 2026-07-28 caller is told what its grant shows it now.
    if (!caller) {
      const base: ServerCapabilities = {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
      };
      const inScope = scope.connector ? [scope.connector] : this.#connectors.enabledNames();
      if (inScope.some((name) => this.#upstreamCapabilities(name).completions)) base.completions = {};
      return base;
    }
    const visible = this.#lists
      .visibleConnectors(caller, scope)
      .map((name) => this.#upstreamCapabilities(name));
    const capabilities: ServerCapabilities = { logging: {} };
    if (scope.connector === null || visible.some((c) => c.tools)) capabilities.tools = { listChanged: true };
    if (visible.some((c) => c.prompts)) capabilities.prompts = { listChanged: true };
    if (visible.some((c) => c.resources)) {
      capabilities.resources = {
        listChanged: true,
        ...(visible.some((c) => c.resources?.subscribe) ? { subscribe: true } : {}),
      };
    }
    if (visible.some((c) => c.completions)) capabilities.completions = {};
    // The tasks extension, relayed to the connectors that offer it (relayed-tasks.ts).
    if (visible.some((c) => c.extensions?.[TASKS_EXTENSION] !== undefined))
      capabilities.extensions = { [TASKS_EXTENSION]: {} };
    return capabilities;
  }

  toolCallCapabilities(scope: McpScope, caller: Caller): ServerCapabilities {
    // As `capabilities` decides tools for a caller, without the rest of the walk.
    const tools =
      scope.connector === null ||
      this.#lists.visibleConnectors(caller, scope).some((name) => this.#upstreamCapabilities(name).tools);
    return tools ? TOOL_CALL_CAPABILITIES : LOGGING_ONLY;
  }

  /**
   * On /mcp/<connector>, Gatehouse's sentence and then the connector's own instructions when first
   * sight found nothing in them (or the user accepted them) and `caller` sees at least one of the
   * connector's tools, prompts, resources or templates: they describe that offering, and a caller that
   * can use none of it (ceiling off, another connector's grant, every tool disabled or out of its
   * access) is not told about it. Held ones are never relayed; on /mcp no connector's instructions are
   * (docs/decisions.md, "Instructions: only on `/mcp/<connector>`, only to a caller who can use something").
   */
  instructions(scope: McpScope, caller?: Caller): string {
    if (scope.connector) {
      const own =
        caller && this.#seesAny(caller, scope)
          ? this.#heldItems.relayedInstructions(
              scope.connector,
              this.#connectors.upstream(scope.connector)?.instructions(),
            )
          : undefined;
      const ours = `Gatehouse serves the ${scope.connector} connector here, under the user's policy.`;
      return own ? `${ours}\n\n${own}` : ours;
    }
    return "Gatehouse is the user's gate to their MCP connectors: tools are named <connector>__<tool>. Call gatehouse__list_my_permissions to see what this client may use.";
  }

  /** Whether `caller` sees anything in `scope`: a tool its model is offered, a prompt, a resource, a template. */
  #seesAny(caller: Caller, scope: McpScope): boolean {
    const lists = this.#lists;
    if (lists.visibleConnectors(caller, scope).length === 0) return false;
    return (
      lists.toolsListResult(caller, scope).tools.length > 0 ||
      lists.listPrompts(caller, scope).length > 0 ||
      lists.listResources(caller, scope).length > 0 ||
      lists.listResourceTemplates(caller, scope).length > 0
    );
  }

  serverOptions(era: 'legacy' | 'modern'): Pick<ServerOptions, 'requestState' | 'cacheHints'> {
    const requestState = { verify: this.#codec.verify };
    if (era === 'legacy') return { requestState };
    const hint = { ttlMs: LIST_TTL_MS, cacheScope: 'private' as const };
    return {
      requestState,
      cacheHints: {
        'server/discover': hint,
        'tools/list': hint,
        'prompts/list': hint,
        'resources/list': hint,
        'resources/templates/list': hint,
      },
    };
  }

  /**
   * What an enabled connector offers: its live (or last) capabilities; while it has never connected
   * in this engine's life (starting, or failing to), what a 2025-era session is told — tools,
   * prompts and resources — since a 2026-07-28 client keeps its server/discover answer for the
   * connection's life and would otherwise never list the tools the connector brings once up.
   */
  #upstreamCapabilities(connector: string): ServerCapabilities {
    return this.#connectors.upstream(connector)?.capabilities() ?? NOT_YET_KNOWN;
  }
}

/** A tools/call instance's capabilities (toolCallCapabilities): shared by every one, so frozen. */
const TOOL_CALL_CAPABILITIES: ServerCapabilities = Object.freeze({
  logging: Object.freeze({}),
  tools: Object.freeze({ listChanged: true }),
});
const LOGGING_ONLY: ServerCapabilities = Object.freeze({ logging: Object.freeze({}) });
/** A connector's capabilities before it first connects: the widest, as a 2025-era session's are. */
const NOT_YET_KNOWN: ServerCapabilities = Object.freeze({
  tools: Object.freeze({ listChanged: true }),
  prompts: Object.freeze({ listChanged: true }),
  resources: Object.freeze({ subscribe: true, listChanged: true }),
});
