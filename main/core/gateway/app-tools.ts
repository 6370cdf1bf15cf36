// MCP Apps through the gateway: which client behind a request renders apps, the apps each client
// opened, and how an app's own call — made by its server's tool name and relayed unchanged by the
// host — finds its connector on the aggregated /mcp (the extension's words are in mcp-apps.ts).
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { UpstreamOffering } from '../connectors/runtime/upstream.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { McpScope } from '../mcp/session-services.js';
import { appMayCall, isAppOnly, rendersApps } from '../mcp-apps.js';
import type { OfferingView } from './offering-view.js';
import { envelopeField, type LiveSession } from './live-session.js';

/**
 * Whether the client behind a request renders apps: a 2025-era session as it declared on initialize,
 * a 2026-07-28 request as its own `_meta` says.
 */
export function clientRendersApps(session: LiveSession, ctx: ServerContext): boolean {
  return rendersApps(
    session.era === 'modern'
      ? (envelopeField(ctx, CLIENT_CAPABILITIES_META_KEY) as ClientCapabilities | undefined)
      : session.server.getClientCapabilities(),
  );
}

/**
 * The connectors whose app each client has opened (read one of its ui:// resources): an app-only
 * tool is reachable on /mcp only from a client showing that connector's app. Kept in memory; an app
 * rendered again after a restart reads its resource again.
 */
export class OpenedApps {
  readonly #byClient = new Map<string, Set<string>>();

  /** A client read a connector's ui:// resource (its upstream URI). */
  read(clientId: string, connector: string, uri: string): void {
    if (!uri.startsWith('ui://')) return;
    const opened = this.#byClient.get(clientId) ?? new Set<string>();
    opened.add(connector);
    this.#byClient.set(clientId, opened);
  }

  /** Whether this client has opened the connector's app. */
  has(clientId: string, connector: string): boolean {
    return this.#byClient.get(clientId)?.has(connector) === true;
  }
}

/** A tools/call name's route: the tool and the name it has for this client, or a sentence refusing it. */
export type ToolRoute = { connector: string; tool: Tool; exposedName: string } | { refused: string };

/** What routing an app's call reads. */
export interface AppRoutingContext {
  lists: {
    view(): OfferingView;
    offering(connector: string): UpstreamOffering;
    visibleConnectors(caller: Caller, scope: McpScope): string[];
  };
  opened: Pick<OpenedApps, 'has'>;
}

/**
 * Where a tools/call goes, MCP Apps' rules included. On /mcp/<connector> by the upstream's name. On
 * /mcp by the exposed name (the model's name: an app-only tool is refused under it), else — for a
 * client that renders apps — by the upstream's own name, the one an app's HTML uses: to the one
 * connector in reach that has it (narrowed to the apps the client opened when several do), with a
 * sentence naming the candidates when that is still not one. An app-only tool answers only a client
 * that renders apps, and on /mcp only after that client opened its connector's app, so one server's
 * app cannot drive another's app-only tools. Undefined: there is no such tool for this client.
 */
export function routeToolCall(
  context: AppRoutingContext,
  caller: Caller,
  scope: McpScope,
  name: string,
  apps: boolean,
): ToolRoute | undefined {
  const { lists } = context;
  if (scope.connector) {
    const tool = lists.offering(scope.connector).tools.find((t) => t.name === name);
    if (!tool || (isAppOnly(tool) && !apps)) return undefined;
    return { connector: scope.connector, tool, exposedName: tool.name };
  }
  const owner = lists.view().toolNames.byExposed.get(name);
  if (owner) {
    const tool = lists.offering(owner.connector).tools.find((t) => t.name === owner.original);
    if (!tool || (isAppOnly(tool) && !apps)) return undefined;
    if (isAppOnly(tool))
      return {
        refused: `gatehouse: ${name} is for the ${owner.connector} app's own use (MCP Apps visibility "app"), not the model's; its app calls it as ${tool.name}.`,
      };
    return { connector: owner.connector, tool, exposedName: name };
  }
  if (!apps) return undefined;
  const view = lists.view();
  let candidates = lists
    .visibleConnectors(caller, scope)
    .map((connector) => ({ connector, tool: lists.offering(connector).tools.find((t) => t.name === name) }))
    .filter((c): c is { connector: string; tool: Tool } => c.tool !== undefined && appMayCall(c.tool));
  if (candidates.length > 1) {
    const opened = candidates.filter((c) => context.opened.has(caller.clientId, c.connector));
    if (opened.length > 0) candidates = opened;
  }
  const exposed = (c: { connector: string }) =>
    view.toolNames.exposedName(c.connector, name) ?? `${c.connector}__${name}`;
  if (candidates.length > 1)
    return {
      refused: `gatehouse: an app called ${name}, which ${candidates.length} connectors have (${candidates.map(exposed).join(', ')}), so Gatehouse cannot tell whose app it is; open one of these apps at a time, or connect this client to /mcp/<connector> for each.`,
    };
  const [only] = candidates;
  if (!only) return undefined;
  if (isAppOnly(only.tool) && !context.opened.has(caller.clientId, only.connector))
    return {
      refused: `gatehouse: ${name} is the ${only.connector} app's own tool, and this client has not opened that app; an app may call only its own server's app tools.`,
    };
  return { connector: only.connector, tool: only.tool, exposedName: exposed(only) };
}
