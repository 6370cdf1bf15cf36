// A tool's read/write class and its default approval. The class decides who may see a tool at all (a
// read-only grant never sees or calls a write tool), so it starts from the upstream's own annotations
// and the user can override it on the Tools page.
import type { Tool } from '@modelcontextprotocol/client';
import { isAppOnly } from '../mcp-apps.js';

/** Whether a tool only reads or may change something: a read-only grant never sees a write tool. */
export type ToolClass = 'read' | 'write';
/** The user's override on the Tools page; null follows the upstream's annotations. */
export type ToolClassOverride = ToolClass | null;
/** Whether a call to the tool runs at once or waits for the user's approval. */
export type ApprovalSetting = 'never' | 'ask';

/** A tool's class, whether it may destroy data, its starting approval, and where the class came from. */
export interface ToolClassification {
  class: ToolClass;
  /** May destroy or overwrite data (MCP `destructiveHint`, which defaults to true for write tools). */
  destructive: boolean;
  /** The approval toggle a newly seen tool starts with; the user may change it. */
  defaultApproval: ApprovalSetting;
  /** Where the class came from, for the Tools page ("from annotations", "set by you", "no annotations"). */
  source: 'annotations' | 'override' | 'unannotated';
}

/**
 * Classifies a tool. Annotations are hints from an untrusted server (MCP 2025-11-25, "Tool
 * annotations"), so only an explicit `readOnlyHint: true` makes a tool read; anything else is write.
 * Following the spec's defaults, a write tool is destructive unless it says `destructiveHint: false`,
 * so an unannotated tool is a destructive write tool and starts with approval set to ask — unless
 * only its app may call it (mcp-apps.ts), which starts with approval set to never.
 */
export function classifyTool(
  tool: Pick<Tool, 'annotations' | '_meta'>,
  override: ToolClassOverride = null,
): ToolClassification {
  const annotations = tool.annotations;
  const annotatedRead = annotations?.readOnlyHint === true;
  const toolClass: ToolClass = override ?? (annotatedRead ? 'read' : 'write');
  // destructiveHint is only meaningful for write tools (spec: "If readOnlyHint is false").
  const destructive = toolClass === 'write' && annotations?.destructiveHint !== false;
  const hinted = annotations?.readOnlyHint !== undefined || annotations?.destructiveHint !== undefined;
  const source = override !== null ? 'override' : hinted ? 'annotations' : 'unannotated';
  // An app-only tool (MCP Apps) is called by the app the user is looking at, never by a model: asking
  // on each of its calls would ask every few seconds for a polling app, about what the user just did.
  const defaultApproval = destructive && !isAppOnly(tool) ? 'ask' : 'never';
  return { class: toolClass, destructive, defaultApproval, source };
}
