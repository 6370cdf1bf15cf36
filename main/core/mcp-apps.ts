// The MCP Apps extension (io.modelcontextprotocol/ui) in the words every part of Gatehouse shares:
// what a client declares to render apps, who may call a tool (`_meta.ui.visibility`), and a tool's UI
// resource. Spec: ext-apps specification/draft/apps.mdx, "Resource Discovery" and "Client<>Server
// Capability Negotiation".
import type { ClientCapabilities, Tool } from '@modelcontextprotocol/server';

/** The extension's identifier, the key clients and servers declare it under. */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';
/** The one content type of an app's HTML (the extension's MVP). */
const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** What Gatehouse declares to upstreams: it serves apps to every client in front that renders them. */
export const UI_EXTENSION_SETTINGS = { mimeTypes: [APP_MIME_TYPE] };

/** Whether a client declared it renders MCP Apps (the extension with the HTML content type). */
export function rendersApps(capabilities: ClientCapabilities | undefined): boolean {
  const extensions = capabilities?.extensions as Record<string, unknown> | undefined;
  const ui = extensions?.[UI_EXTENSION] as { mimeTypes?: unknown } | undefined;
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(APP_MIME_TYPE);
}

/** Who may call a tool: the model, its server's app, or both (the default when unsaid). */
function visibility(tool: Pick<Tool, '_meta'>): readonly string[] {
  const ui = (tool._meta as { ui?: { visibility?: unknown } } | undefined)?.ui;
  return Array.isArray(ui?.visibility) ? (ui.visibility as string[]) : ['model', 'app'];
}

/** A tool only its server's app may call (`visibility` without "model"): never offered to a model. */
export function isAppOnly(tool: Pick<Tool, '_meta'>): boolean {
  return !visibility(tool).includes('model');
}

/** Whether an app may call the tool (`visibility` with "app", or unsaid). */
export function appMayCall(tool: Pick<Tool, '_meta'>): boolean {
  return visibility(tool).includes('app');
}

/** The UI resources a tool names (`_meta.ui.resourceUri`, and the deprecated flat `_meta["ui/resourceUri"]`). */
export function toolUiResourceUris(tool: Pick<Tool, '_meta'>): string[] {
  const meta = tool._meta as Record<string, unknown> | undefined;
  const nested = (meta?.ui as { resourceUri?: unknown } | undefined)?.resourceUri;
  const flat = meta?.['ui/resourceUri'];
  return [...new Set([nested, flat].filter((uri): uri is string => typeof uri === 'string'))];
}

/**
 * The tool with its UI resource named as the client sees it (`_meta.ui.resourceUri`, and the
 * deprecated flat `_meta["ui/resourceUri"]`): on /mcp two connectors' same ui:// URI are renamed
 * (still ui://, policy/resource-uris.ts), and the tool must name the resource its client can read. The same object when nothing changes.
 */
export function withShownResourceUri(tool: Tool, shown: (uri: string) => string): Tool {
  const meta = tool._meta as Record<string, unknown> | undefined;
  if (!meta) return tool;
  const ui = meta.ui as Record<string, unknown> | undefined;
  const nested = typeof ui?.resourceUri === 'string' ? ui.resourceUri : undefined;
  const flat = typeof meta['ui/resourceUri'] === 'string' ? meta['ui/resourceUri'] : undefined;
  const nestedShown = nested === undefined ? undefined : shown(nested);
  const flatShown = flat === undefined ? undefined : shown(flat);
  if (nestedShown === nested && flatShown === flat) return tool;
  return {
    ...tool,
    _meta: {
      ...meta,
      ...(nestedShown !== undefined ? { ui: { ...ui, resourceUri: nestedShown } } : {}),
      ...(flatShown !== undefined ? { 'ui/resourceUri': flatShown } : {}),
    },
  };
}
