// How Gatehouse calls a tool on an upstream, in one place: the gateway's pipeline (tool-calls.ts) and
// the conformance harness that holds Gatehouse's upstream client to the suite's client scenarios.
import type { CallToolResult, Client, InputRequiredResult, Tool } from '@modelcontextprotocol/client';

/**
 * One tools/call to an upstream, as Gatehouse makes it: the upstream's own tool definition (for the
 * SEP-2243 `Mcp-Param-*` headers), an InputRequiredResult handed back rather than answered here, the
 * round's answers and the upstream's own state when this continues a round, and the timeout reset by
 * progress. The conformance harness calls upstreams through this too.
 */
export function callUpstreamTool(
  client: Client,
  tool: Tool,
  args: Record<string, unknown>,
  extras: { meta?: Record<string, unknown>; inputResponses?: Record<string, unknown>; requestState?: string },
  options: { signal?: AbortSignal; timeout?: number; onprogress?: (update: Record<string, unknown>) => void },
): Promise<CallToolResult | InputRequiredResult> {
  const { meta, ...retry } = extras;
  return client.callTool(
    {
      name: tool.name,
      arguments: args,
      ...(meta && Object.keys(meta).length > 0 ? { _meta: meta } : {}),
      ...retry,
    },
    {
      // Gatehouse forwards what the upstream answers; the client checks it against the output schema
      // it was given. The definition also spares the SDK a cache lookup per call.
      toolDefinition: withoutOutputSchema(tool),
      allowInputRequired: true,
      resetTimeoutOnProgress: true,
      ...options,
    },
  ) as Promise<CallToolResult | InputRequiredResult>;
}

const forwardDefinitions = new WeakMap<Tool, Tool>();

/** The tool as Gatehouse calls it upstream: its input schema (for SEP-2243 headers), no output check. */
function withoutOutputSchema(tool: Tool): Tool {
  let definition = forwardDefinitions.get(tool);
  if (!definition) {
    const { outputSchema: _ignored, ...rest } = tool;
    definition = rest;
    forwardDefinitions.set(tool, definition);
  }
  return definition;
}
