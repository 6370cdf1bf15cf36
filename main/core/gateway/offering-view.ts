// The aggregate offering clients see on /mcp: every enabled connector's tools, prompts and resources
// under exposed names (tool-names.ts, resource-uris.ts), rebuilt only when a connector's offering changes — listing is
// on every client's hot path, renaming is not.
import type {
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/server';
import { buildNameTable, type NameTable } from '../policy/tool-names.js';
import { buildResourceTable, type ResourceTable } from '../policy/resource-uris.js';
import type { UpstreamOffering } from '../connectors/runtime/upstream.js';
import { toolUiResourceUris } from '../mcp-apps.js';

interface OfferingEntry<T> {
  connector: string;
  exposed: string;
  item: T;
}

/**
 * The aggregate offering of every enabled connector, each item under the name (or URI) a client of
 * /mcp is shown, with the tables that route those names back (policy/tool-names.ts,
 * policy/resource-uris.ts).
 */
export interface OfferingView {
  tools: Array<OfferingEntry<Tool>>;
  prompts: Array<OfferingEntry<Prompt>>;
  resources: Array<OfferingEntry<Resource>>;
  resourceTemplates: Array<OfferingEntry<ResourceTemplate>>;
  toolNames: NameTable;
  promptNames: NameTable;
  resourceTable: ResourceTable;
}

/** Builds the view from each connector's offering; `reservedToolNames` are Gatehouse's own tools. */
export function buildOfferingView(
  offerings: ReadonlyMap<string, UpstreamOffering>,
  reservedToolNames: Iterable<string>,
): OfferingView {
  const toolItems: Array<{ connector: string; name: string }> = [];
  const promptItems: Array<{ connector: string; name: string }> = [];
  const resourceItems: Array<{ connector: string; uri: string }> = [];
  const templateItems: Array<{ connector: string; uriTemplate: string }> = [];
  const uiItems: Array<{ connector: string; uri: string }> = [];
  const toolByOwner = new Map<string, Tool>();
  const promptByOwner = new Map<string, Prompt>();
  const resourceByOwner = new Map<string, Resource>();
  const templateByIndex: ResourceTemplate[] = [];
  for (const [connector, offering] of offerings) {
    for (const tool of offering.tools) {
      toolItems.push({ connector, name: tool.name });
      toolByOwner.set(ownerKey(connector, tool.name), tool);
      for (const uri of toolUiResourceUris(tool)) uiItems.push({ connector, uri });
    }
    for (const prompt of offering.prompts) {
      promptItems.push({ connector, name: prompt.name });
      promptByOwner.set(ownerKey(connector, prompt.name), prompt);
    }
    for (const resource of offering.resources) {
      resourceItems.push({ connector, uri: resource.uri });
      resourceByOwner.set(ownerKey(connector, resource.uri), resource);
    }
    for (const template of offering.resourceTemplates) {
      templateItems.push({ connector, uriTemplate: template.uriTemplate });
      templateByIndex.push(template);
    }
  }
  const toolNames = buildNameTable(toolItems, { reserved: reservedToolNames });
  const promptNames = buildNameTable(promptItems);
  // A UI resource its server leaves out of resources/list is routed by the tool that names it.
  const resourceTable = buildResourceTable(resourceItems, templateItems, offerings.keys(), uiItems);
  return {
    tools: toolNames.entries.map((entry) => ({
      connector: entry.connector,
      exposed: entry.exposed,
      item: toolByOwner.get(ownerKey(entry.connector, entry.original))!,
    })),
    prompts: promptNames.entries.map((entry) => ({
      connector: entry.connector,
      exposed: entry.exposed,
      item: promptByOwner.get(ownerKey(entry.connector, entry.original))!,
    })),
    resources: resourceTable.entries.map((entry) => ({
      connector: entry.connector,
      exposed: entry.exposed,
      item: resourceByOwner.get(ownerKey(entry.connector, entry.original))!,
    })),
    // Same order as templateItems: the table keeps it.
    resourceTemplates: resourceTable.templates.map((entry, i) => ({
      connector: entry.connector,
      exposed: entry.exposed,
      item: templateByIndex[i]!,
    })),
    toolNames,
    promptNames,
    resourceTable,
  };
}

const ownerKey = (connector: string, name: string): string => `${connector}\u0000${name}`;
