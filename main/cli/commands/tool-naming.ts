// How `gatehouse tools …` commands name a tool — CONNECTOR TOOL, as clients see it (CONNECTOR__TOOL),
// or as the activity log shows it (CONNECTOR/TOOL) — and find it in the engine's lists, with a
// sentence saying where to look when there is none.
import type { ToolView } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import { UsageError, type CommandContext } from '../command-context/command.js';
import { didYouMean } from '../../core/text.js';

/**
 * How a tool is named on the command line: CONNECTOR TOOL, as clients see it (CONNECTOR__TOOL), or as
 * the activity log shows it (CONNECTOR/TOOL).
 */
export const TOOL_ARGS = ['(CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL)'] as const;
/** What every command that names a tool says about naming it, in its help. */
export const toolNaming = [
  'Name the tool as CONNECTOR TOOL, as clients and the Tools page show it (CONNECTOR__TOOL),',
  'or as the activity log shows it (CONNECTOR/TOOL).',
];

/**
 * The tool the arguments name — CONNECTOR TOOL, or one word: CONNECTOR__TOOL as clients and the window
 * show it, or CONNECTOR/TOOL as the activity log does — with `trailing` words after it (ask|never,
 * read|write|auto). TOOL is the upstream's name or the exposed one; an unknown one gets a sentence
 * saying where to look. `verb` is the command's own word, for the example a sentence gives.
 */
export async function namedTool(context: CommandContext, verb: string, trailing: number): Promise<ToolView> {
  const words = context.args.slice(0, context.args.length - trailing);
  if (words.length === 1) {
    const slash = words[0]!.indexOf('/');
    if (slash <= 0) return exposedTool(context, verb, words[0]!);
    return toolOf(context, words[0]!.slice(0, slash), words[0]!.slice(slash + 1));
  }
  const [connector, name] = words as [string, string];
  return toolOf(context, connector, name);
}

/** Connector `connector`'s tool `name` (its own name or as clients see it), or why there is none. */
async function toolOf(context: CommandContext, connector: string, name: string): Promise<ToolView> {
  const tools = await context.engine().call('tools.list', { connector });
  const tool =
    tools.find((candidate) => candidate.name === name) ??
    tools.find((candidate) => candidate.exposedName === name);
  if (!tool) {
    throw new GatehouseError(
      'not_found',
      `Connector ${connector} has no tool named ${name} (see gatehouse tools list ${connector}).${didYouMean(
        name,
        tools.map((candidate) => candidate.name),
      )}`,
    );
  }
  return tool;
}

/** A tool named as clients see it (everything__echo), looked up in every connector's list. */
async function exposedTool(context: CommandContext, verb: string, exposed: string): Promise<ToolView> {
  if (!exposed.includes('__')) {
    throw new UsageError(
      `Name the tool too: CONNECTOR TOOL, CONNECTOR__TOOL or CONNECTOR/TOOL (e.g. gatehouse tools ${verb} ${exposed} TOOL).`,
    );
  }
  const tools = await context.engine().call('tools.list', {});
  const tool = tools.find((candidate) => candidate.exposedName === exposed);
  if (!tool) {
    throw new GatehouseError(
      'not_found',
      `No connector offers a tool named ${exposed} (see gatehouse tools list).${didYouMean(
        exposed,
        tools.map((candidate) => candidate.exposedName),
      )}`,
    );
  }
  return tool;
}
