// Gatehouse's own tools, served to every authorized client: who am I to Gatehouse, and what may I
// do. They only describe the caller's own access, so they stay available under any ceiling.
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import type { ClientStore } from '../store/client-store.js';
import type { Settings } from '../store/settings-store.js';
import { describeAccess, effectiveAccess } from '../policy/effective-access.js';
import type { Caller } from '../mcp/bearer-check.js';

const WHOAMI_TOOL = 'gatehouse__whoami';
const PERMISSIONS_TOOL = 'gatehouse__list_my_permissions';
const PERMISSION_ERRORS_TOOL = 'gatehouse__list_permission_errors';
const OWN_TOOL_NAMES = new Set([WHOAMI_TOOL, PERMISSIONS_TOOL, PERMISSION_ERRORS_TOOL]);

const readOnlyAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** Gatehouse's own tools, listed on /mcp beside the connectors' tools. */
export const gatehouseTools: Tool[] = [
  {
    name: WHOAMI_TOOL,
    title: 'Who am I to Gatehouse',
    description:
      'Shows which client Gatehouse sees you as, the grant the user gave you, and your effective access right now.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: readOnlyAnnotations,
  },
  {
    name: PERMISSIONS_TOOL,
    title: 'List my permissions',
    description: 'Lists the connectors and access level this client may use through Gatehouse, and why.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: readOnlyAnnotations,
  },
  {
    name: PERMISSION_ERRORS_TOOL,
    title: 'List my permission errors',
    description:
      "Lists this client's recent refusals by Gatehouse (newest first) with the reason for each, to explain why a tool was denied.",
    inputSchema: {
      type: 'object',
      properties: {
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'How many refusals to return (default 20).',
        },
      },
      additionalProperties: false,
    },
    annotations: readOnlyAnnotations,
  },
];

/** What Gatehouse's own tools read to describe the caller's access. */
export interface GatehouseToolContext {
  clients: ClientStore;
  settings: Settings;
  /** This client's recent denials, newest first. */
  recentDenials(
    clientId: string,
    limit: number,
  ): Array<{ at: number; type: string; connector: string | null; tool: string | null; reason: string }>;
  /** Names of the connectors that exist (empty until connectors are configured). */
  connectorNames(): string[];
}

/**
 * Answers a call to one of Gatehouse's own tools for `caller`, or undefined when `name` is not one of
 * them.
 */
export function callGatehouseTool(
  name: string,
  caller: Caller,
  context: GatehouseToolContext,
  args: Record<string, unknown> = {},
): CallToolResult | undefined {
  // Nearly every call is to a connector's tool: it pays for nothing below.
  if (!OWN_TOOL_NAMES.has(name)) return undefined;
  const settings = context.settings.get();
  const client = context.clients.get(caller.clientId);
  const access = effectiveAccess(settings.accessCeiling, caller.grant.access, caller.scopes);
  const grantedConnectors = caller.grant.connectors;
  const visibleConnectors = context
    .connectorNames()
    .filter((c) => grantedConnectors === '*' || grantedConnectors.includes(c));
  if (name === WHOAMI_TOOL) {
    const report = {
      client: {
        id: caller.clientId,
        name: client?.name ?? caller.clientId,
        registration: client?.kind ?? 'unknown',
      },
      grant: {
        id: caller.grant.grantId,
        access: caller.grant.access,
        connectors: grantedConnectors,
        grantedAt: new Date(caller.grant.createdAt).toISOString(),
        expiresAt: caller.grant.expiresAt === null ? null : new Date(caller.grant.expiresAt).toISOString(),
      },
      token: { scopes: [...caller.scopes], expiresAt: new Date(caller.expiresAt * 1000).toISOString() },
      accessCeiling: settings.accessCeiling,
      effectiveAccess: access,
    };
    const sentence = `You are ${report.client.name} (${caller.clientId}); your effective access is ${describeAccess(access)}.`;
    return {
      content: [{ type: 'text', text: `${sentence}\n${JSON.stringify(report, null, 2)}` }],
      structuredContent: report,
    };
  }
  if (name === PERMISSIONS_TOOL) {
    const reasons: string[] = [];
    if (settings.accessCeiling === 'off')
      reasons.push('the Gatehouse user has turned all connector access off (access ceiling: Off)');
    else if (settings.accessCeiling === 'read' && caller.grant.access === 'write')
      reasons.push('the access ceiling caps every client at read-only');
    if (caller.grant.access === 'write' && !caller.scopes.has('mcp:write'))
      reasons.push('this token was issued without the mcp:write scope');
    if (visibleConnectors.length === 0)
      reasons.push(
        context.connectorNames().length === 0
          ? 'no connectors are configured in Gatehouse yet'
          : 'none of the configured connectors is in this grant',
      );
    const report = {
      effectiveAccess: access,
      connectors: visibleConnectors,
      grantedConnectors,
      limits: reasons,
    };
    const lines = [
      `Effective access: ${describeAccess(access)}.`,
      `Connectors: ${visibleConnectors.length ? visibleConnectors.join(', ') : 'none'}.`,
      ...reasons.map((reason) => `Limited because ${reason}.`),
    ];
    return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: report };
  }
  if (name === PERMISSION_ERRORS_TOOL) {
    const limit =
      typeof args.limit === 'number' && Number.isInteger(args.limit)
        ? Math.min(100, Math.max(1, args.limit))
        : 20;
    const denials = context.recentDenials(caller.clientId, limit).map((denial) => ({
      at: new Date(denial.at).toISOString(),
      kind: denial.type,
      connector: denial.connector,
      tool: denial.tool,
      reason: denial.reason,
    }));
    const text = denials.length
      ? denials
          .map((d) => `${d.at} ${d.connector && d.tool ? `${d.connector}/${d.tool}` : d.kind}: ${d.reason}`)
          .join('\n')
      : 'Gatehouse has refused nothing from this client recently.';
    return { content: [{ type: 'text', text }], structuredContent: { denials } };
  }
  return undefined;
}
