// `gatehouse tools …`: every tool the connectors offer and the user's say over each — enabled, whether
// a call waits for approval, read or write — and the review of a tool whose definition changed
// upstream, which Gatehouse holds until the user has seen the change and accepts it.
import type { ToolView } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import { UsageError, type Command, type CommandContext, type CommandGroup } from '../command.js';
import { printable, table } from '../output/table.js';
import { shorten } from '../output/words.js';

const list: Command = {
  words: ['tools', 'list'],
  args: ['[CONNECTOR]'],
  json: true,
  summary: "List every connector's tools (or one connector's): class, enabled, approval, held changes",
  async run(context) {
    const connector = context.args[0];
    const tools = await context.engine().call('tools.list', connector === undefined ? {} : { connector });
    if (context.json) return context.printJson(tools);
    if (tools.length === 0) {
      context.print(
        connector === undefined
          ? 'No tools yet: add a connector first (gatehouse connectors add).'
          : `${connector} has listed no tools yet (see gatehouse connectors show ${connector}).`,
      );
      return;
    }
    context.print(
      ...table(
        ['tool', 'class', 'enabled', 'approval', 'status'],
        tools.map((tool) => [
          tool.exposedName,
          classText(tool),
          tool.enabled ? 'yes' : 'no',
          tool.approval,
          statusText(tool),
        ]),
      ),
    );
  },
};

const enable: Command = {
  words: ['tools', 'enable'],
  args: ['CONNECTOR', 'TOOL'],
  json: true,
  summary: 'Show a tool to clients again',
  async run(context) {
    const tool = await setTool(context, { enabled: true });
    if (context.json) return context.printJson(tool);
    context.print(`Enabled ${tool.exposedName}.`);
  },
};

const disable: Command = {
  words: ['tools', 'disable'],
  args: ['CONNECTOR', 'TOOL'],
  json: true,
  summary: 'Hide a tool from every client and refuse calls to it',
  async run(context) {
    const tool = await setTool(context, { enabled: false });
    if (context.json) return context.printJson(tool);
    context.print(`Disabled ${tool.exposedName}; clients no longer see it.`);
  },
};

const approval: Command = {
  words: ['tools', 'approval'],
  args: ['CONNECTOR', 'TOOL', 'ask|never'],
  json: true,
  summary: 'Make every call to a tool wait for your approval (ask), or not (never)',
  async run(context) {
    const choice = context.args[2]!;
    if (choice !== 'ask' && choice !== 'never') {
      throw new UsageError(`The approval is ask or never (got "${choice}").`);
    }
    const tool = await setTool(context, { approval: choice });
    if (context.json) return context.printJson(tool);
    context.print(
      choice === 'ask'
        ? `Calls to ${tool.exposedName} now wait for your approval (gatehouse approvals).`
        : `Calls to ${tool.exposedName} no longer wait for your approval.`,
    );
  },
};

const toolClass: Command = {
  words: ['tools', 'class'],
  args: ['CONNECTOR', 'TOOL', 'read|write|auto'],
  json: true,
  summary: "Say whether a tool reads or writes; auto goes back to the tool's own annotations",
  async run(context) {
    const choice = context.args[2]!;
    if (choice !== 'read' && choice !== 'write' && choice !== 'auto') {
      throw new UsageError(`The class is read, write or auto (got "${choice}").`);
    }
    const tool = await setTool(context, { toolClass: choice === 'auto' ? null : choice });
    if (context.json) return context.printJson(tool);
    context.print(
      choice === 'auto'
        ? `${tool.exposedName} is a ${tool.toolClass} tool again, as its annotations say.`
        : `${tool.exposedName} is now a ${tool.toolClass} tool (set by you).`,
    );
  },
};

const review: Command = {
  words: ['tools', 'review'],
  args: ['CONNECTOR', 'TOOL'],
  json: true,
  summary: 'Show how a held tool changed upstream: its description before and after, and its schema',
  async run(context) {
    const tool = await namedTool(context);
    if (!tool.held) {
      throw new GatehouseError(
        'conflict',
        `${tool.connector}/${tool.name} has no change waiting for review.`,
      );
    }
    if (context.json) return context.printJson(tool.held);
    const { held } = tool;
    const schemaLines = held.summary.split('\n').filter((line) => line !== 'The description changed.');
    context.print(
      `${tool.exposedName} changed upstream; clients cannot call it until you accept the change.`,
      ...(held.changed.includes('description')
        ? [
            'Description before:',
            ...indent(held.before.description ?? '(none)'),
            'Description after:',
            ...indent(held.after.description ?? '(none)'),
          ]
        : []),
      ...(held.changed.includes('inputSchema') ? ['Input schema:', ...schemaLines.flatMap(indent)] : []),
      `Accept it with: gatehouse tools accept ${tool.connector} ${tool.name}`,
    );
  },
};

const accept: Command = {
  words: ['tools', 'accept'],
  args: ['CONNECTOR', 'TOOL'],
  json: true,
  summary: 'Accept the change a held tool made upstream, so clients can call it again',
  async run(context) {
    const named = await namedTool(context);
    const tool = await context
      .engine()
      .call('tools.accept', { connector: named.connector, tool: named.name });
    if (context.json) return context.printJson(tool);
    context.print(`Accepted the change to ${tool.exposedName}; clients can call it again.`);
  },
};

/**
 * The tool the CONNECTOR and TOOL arguments name. TOOL is the upstream's name or the exposed one the
 * list shows (everything__echo); an unknown one gets the engine's own sentence.
 */
async function namedTool(context: CommandContext): Promise<ToolView> {
  const [connector, name] = context.args as [string, string];
  const tools = await context.engine().call('tools.list', { connector });
  const tool =
    tools.find((candidate) => candidate.name === name) ??
    tools.find((candidate) => candidate.exposedName === name);
  if (!tool) {
    throw new GatehouseError(
      'not_found',
      `Connector ${connector} has no tool named ${name} (see gatehouse tools list ${connector}).`,
    );
  }
  return tool;
}

async function setTool(
  context: CommandContext,
  change: { enabled?: boolean; approval?: 'ask' | 'never'; toolClass?: 'read' | 'write' | null },
): Promise<ToolView> {
  const tool = await namedTool(context);
  return context.engine().call('tools.set', { connector: tool.connector, tool: tool.name, ...change });
}

function classText(tool: ToolView): string {
  const words = [tool.toolClass, ...(tool.destructive ? ['destructive'] : [])].join(', ');
  return tool.classSource === 'user' ? `${words} (set by you)` : words;
}

function statusText(tool: ToolView): string {
  if (tool.held) {
    const changes = tool.held.summary.split('\n').map((line) => line.replace(/\.$/, ''));
    return `held: ${shorten(changes.join('; '), 70)}`;
  }
  return tool.available ? 'ok' : 'unavailable';
}

/** Upstream text, indented, each line made printable (it comes from a server, not the user). */
function indent(text: string): string[] {
  return text.split(/\r?\n/).map((line) => `  ${printable(line)}`);
}

export const toolsGroup: CommandGroup = {
  name: 'tools',
  summary: 'the tools connectors offer: enable, approval, class, review held changes',
  commands: [list, enable, disable, approval, toolClass, review, accept],
  defaultCommand: 'list',
};
