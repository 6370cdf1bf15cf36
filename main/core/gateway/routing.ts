// Which connector, and which of its own names, a client's prompt or resource name goes to: on /mcp
// the exposed name (offering-view.ts), on /mcp/<connector> the upstream's own (tools, with MCP Apps'
// rules, route in app-tools.ts). A connector the caller cannot reach routes nowhere, so its names
// are not even confirmed.
import { ProtocolError } from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { McpScope } from '../mcp/session-services.js';
import type { OfferingLists } from './offering-lists.js';

/** What routing reads: the aggregate view, a connector's own offering, the connectors a caller reaches. */
export type RoutingContext = Pick<OfferingLists, 'view' | 'offering' | 'visibleConnectors'>;

/** The connector and upstream name of a prompt this caller may get; InvalidParams for any other. */
export function routePrompt(
  lists: RoutingContext,
  caller: Caller,
  scope: McpScope,
  name: string,
): { connector: string; original: string } {
  const route = scope.connector
    ? { connector: scope.connector, original: name }
    : lists.view().promptNames.byExposed.get(name);
  if (!route || !lists.visibleConnectors(caller, scope).includes(route.connector)) {
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: there is no prompt named ${name} for this client.`,
    );
  }
  return route;
}

/**
 * The connector and upstream URI of a resource this caller may read; InvalidParams for any other, and for a
 * URI two connectors could serve (the client picks one with gatehouse://<connector>/<uri>).
 */
export function routeResource(
  lists: RoutingContext,
  caller: Caller,
  scope: McpScope,
  uri: string,
): { connector: string; uri: string } {
  const route = scope.connector
    ? ({ kind: 'routed', connector: scope.connector, uri } as const)
    : lists.view().resourceTable.resolve(uri);
  if (route.kind === 'ambiguous') {
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: ${uri} could belong to ${route.connectors.join(' or ')}; use gatehouse://<connector>/<uri> to choose.`,
    );
  }
  if (route.kind !== 'routed' || !lists.visibleConnectors(caller, scope).includes(route.connector)) {
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: no connector available to this client serves ${uri}.`,
    );
  }
  return { connector: route.connector, uri: route.uri };
}
