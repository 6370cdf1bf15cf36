// `gatehouse tools …`: every tool the connectors offer and the user's say over each — enabled, whether
// a call waits for approval, read or write. The review of a held tool and its answers are in
// tool-review.ts, how a tool is named in tool-naming.ts.
import type { ToolView } from '../../core/api/contract.js';
import {
  UsageError,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command-context/command.js';
import { printable, table } from '../output/table.js';
import {
  APP_ONLY_TEXT,
  FIRST_SIGHT_CHECKING_TEXT,
  shorten,
  TASK_ONLY_TEXT,
  TOOLS_BEING_CHECKED_TEXT,
} from '../../core/text.js';
import { visibleText } from '../../core/visible-text.js';
import { held, itemName, ruleWords } from './held-items.js';
import { accept, block, firstSightLines, indent, review } from './tool-review.js';
import { namedTool, TOOL_ARGS, toolNaming } from './tool-naming.js';

const list: Command = {
  words: ['tools', 'list'],
  args: ['[CONNECTOR]'],
  json: true,
  summary: "List every connector's tools (or one connector's): class, enabled, approval, held changes",
  async run(context) {
    const connector = context.args[0];
    const tools = await context.engine().call('tools.list', connector === undefined ? {} : { connector });
    const items = await context
      .engine()
      .call('tools.heldItems', connector === undefined ? {} : { connector });
    // An item first sight is still checking is not held (yet): it has its own lines, after the held.
    const heldItems = items.filter((item) => !item.checking);
    const checking = items.filter((item) => item.checking);
    if (context.json) return context.printJson(tools);
    context.print(
      // No tools is said in words, never as a bare header: while first sight checks what was listed,
      // new tools wait out of the list, so it must not say that none was listed; held items follow.
      ...(tools.length > 0
        ? table(
            ['tool', 'class', 'enabled', 'approval', 'status'],
            tools.map((tool) => [
              tool.exposedName,
              classText(tool),
              tool.enabled ? 'yes' : 'no',
              tool.approval,
              statusText(tool),
            ]),
          )
        : checking.length > 0
          ? [`No tools yet: ${TOOLS_BEING_CHECKED_TEXT}`]
          : connector !== undefined
            ? [`${connector} has listed no tools yet (see gatehouse connectors show ${connector}).`]
            : heldItems.length > 0
              ? ['No connector has listed tools yet (see gatehouse connectors).']
              : ['No tools yet: add a connector first (gatehouse connectors add).']),
      // The window gives this sentence as the mark's tooltip; here it follows the table once.
      ...(tools.some((tool) => tool.appOnly) ? ['', `${APP_ONLY_TEXT.label}: ${APP_ONLY_TEXT.detail}`] : []),
      ...(tools.some((tool) => tool.taskOnly)
        ? ['', `${TASK_ONLY_TEXT.label}: ${TASK_ONLY_TEXT.detail}`]
        : []),
      ...(heldItems.length === 0
        ? []
        : [
            '',
            'Held on first sight (clients do not see them; gatehouse tools held shows why; gatehouse tools accept|block CONNECTOR KIND:NAME):',
            ...heldItems.map(
              (item) =>
                `  ${item.connector} ${printable(itemName(item))}  ${item.keptBlocked ? 'blocked' : 'held'}: ${shorten(ruleWords(item.findings).join(', '), 60)}`,
            ),
          ]),
      ...(checking.length === 0
        ? []
        : [
            '',
            ...checking.map(
              (item) =>
                `${item.connector} ${printable(itemName(item))}: ${FIRST_SIGHT_CHECKING_TEXT.label.toLowerCase()} (gatehouse tools held)`,
            ),
          ]),
    );
  },
};

const enable: Command = {
  words: ['tools', 'enable'],
  args: TOOL_ARGS,
  details: toolNaming,
  json: true,
  summary: 'Show a tool to clients again',
  async run(context) {
    const tool = await setTool(context, 'enable', { enabled: true });
    if (context.json) return context.printJson(tool);
    context.print(`Enabled ${tool.exposedName}.`);
  },
};

const disable: Command = {
  words: ['tools', 'disable'],
  args: TOOL_ARGS,
  details: toolNaming,
  json: true,
  summary: 'Hide a tool from every client and refuse calls to it',
  async run(context) {
    const tool = await setTool(context, 'disable', { enabled: false });
    if (context.json) return context.printJson(tool);
    context.print(`Disabled ${tool.exposedName}; clients no longer see it.`);
  },
};

const approval: Command = {
  words: ['tools', 'approval'],
  args: [...TOOL_ARGS, 'ask|never'],
  options: { 'all-write': { type: 'boolean' } },
  usage: '(or CONNECTOR --all-write ask|never)',
  details: [
    ...toolNaming,
    'With --all-write and a connector alone, it sets every tool of that connector that writes (class',
    'write, from its annotations or as you set it) at once; tools it adds later keep their own setting.',
  ],
  json: true,
  summary: 'Make every call to a tool wait for your approval (ask), or not (never)',
  async run(context) {
    const choice = context.args.at(-1)!;
    if (choice !== 'ask' && choice !== 'never') {
      throw new UsageError(`The approval is ask or never (got "${choice}").`);
    }
    if (context.flag('all-write')) return allWrites(context, choice);
    const tool = await setTool(context, 'approval', { approval: choice });
    if (context.json) return context.printJson(tool);
    context.print(
      choice === 'ask'
        ? `Calls to ${tool.exposedName} now wait for your approval (gatehouse approvals).`
        : `Calls to ${tool.exposedName} no longer wait for your approval.`,
    );
  },
};

/** `tools approval CONNECTOR --all-write ask|never`: every write tool of one connector at once. */
async function allWrites(context: CommandContext, choice: 'ask' | 'never'): Promise<void> {
  const words = context.args.slice(0, -1);
  if (words.length !== 1 || words[0]!.includes('__')) {
    throw new UsageError(
      `--all-write takes a connector alone: gatehouse tools approval CONNECTOR --all-write ${choice}.`,
    );
  }
  const connector = words[0]!;
  const changed = await context.engine().call('tools.setWriteApproval', { connector, approval: choice });
  if (context.json) return context.printJson(changed);
  const writes = (await context.engine().call('tools.list', { connector })).filter(
    (tool) => tool.toolClass === 'write',
  );
  if (writes.length === 0) {
    context.print(`${connector} has no write tools; nothing changed.`);
    return;
  }
  const already = writes.length - changed.length;
  context.print(
    `Calls to ${writes.length === 1 ? 'the 1 write tool' : `all ${writes.length} write tools`} of ${connector} ${choice === 'ask' ? 'now wait for your approval (gatehouse approvals)' : 'no longer wait for your approval'}` +
      `${changed.length > 0 ? `: changed ${changed.map((tool) => tool.exposedName).join(', ')}` : ''}${already > 0 ? ` (${already} already ${already === 1 ? 'was' : 'were'})` : ''}.`,
  );
}

const toolClass: Command = {
  words: ['tools', 'class'],
  args: [...TOOL_ARGS, 'read|write|auto'],
  details: toolNaming,
  json: true,
  summary: "Say whether a tool reads or writes; auto goes back to the tool's own annotations",
  async run(context) {
    const choice = context.args.at(-1)!;
    if (choice !== 'read' && choice !== 'write' && choice !== 'auto') {
      throw new UsageError(`The class is read, write or auto (got "${choice}").`);
    }
    const tool = await setTool(context, 'class', { toolClass: choice === 'auto' ? null : choice });
    if (context.json) return context.printJson(tool);
    context.print(
      choice === 'auto'
        ? `${tool.exposedName} is a ${tool.toolClass} tool again, as its annotations say.`
        : `${tool.exposedName} is now a ${tool.toolClass} tool (set by you).`,
    );
  },
};

const show: Command = {
  words: ['tools', 'show'],
  args: TOOL_ARGS,
  details: toolNaming,
  json: true,
  summary: 'Show one tool: its description, settings, and why it is held (first sight or a change)',
  async run(context) {
    const tool = await namedTool(context, 'show', 0);
    if (context.json) return context.printJson(tool);
    context.print(
      `${tool.exposedName}${tool.title ? ` — ${printable(tool.title)}` : ''}`,
      `  class:    ${classText(tool)}`,
      `  enabled:  ${tool.enabled ? 'yes' : 'no'}`,
      `  approval: ${tool.approval}`,
      `  status:   ${statusText(tool)}`,
      ...(tool.appOnly ? [`  ${APP_ONLY_TEXT.detail}`] : []),
      ...(tool.taskOnly ? [`  ${TASK_ONLY_TEXT.detail}`] : []),
      'Description:',
      ...indent(visibleText(tool.description || '(none)')),
      ...(tool.firstSight ? firstSightLines(tool, tool.firstSight) : []),
      ...(tool.held ? [`Changed upstream: see gatehouse tools review ${tool.exposedName}`] : []),
    );
  },
};

async function setTool(
  context: CommandContext,
  verb: string,
  change: { enabled?: boolean; approval?: 'ask' | 'never'; toolClass?: 'read' | 'write' | null },
): Promise<ToolView> {
  const tool = await namedTool(
    context,
    verb,
    change.approval !== undefined || change.toolClass !== undefined ? 1 : 0,
  );
  return context.engine().call('tools.set', { connector: tool.connector, tool: tool.name, ...change });
}

function classText(tool: ToolView): string {
  const words = [tool.toolClass, ...(tool.destructive ? ['destructive'] : [])].join(', ');
  return tool.classSource === 'user' ? `${words} (set by you)` : words;
}

function statusText(tool: ToolView): string {
  const state = stateText(tool);
  // The Tools page's mark for an MCP Apps tool that only its server's app calls, in its words.
  return tool.appOnly ? `${state} · ${APP_ONLY_TEXT.label}` : state;
}

/** Held, unavailable, not offered (task-only) or ok. */
function stateText(tool: ToolView): string {
  if (tool.firstSight) {
    const rules = ruleWords(tool.firstSight.findings);
    return `${tool.firstSight.keptBlocked ? 'blocked' : 'held'} on first sight: ${shorten(rules.join(', '), 60)}`;
  }
  if (tool.held) {
    const changes = [
      ...tool.held.summary
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/\.$/, '')),
      ...tool.held.otherParts.map(({ part }) => `${printable(part)} changed`),
      ...(tool.held.nowReadOnly ? ['now says it only reads'] : []),
    ];
    return `held: ${shorten(changes.join('; '), 70)}`;
  }
  if (!tool.available) return 'unavailable';
  return tool.taskOnly ? TASK_ONLY_TEXT.label.toLowerCase() : 'ok';
}

/** `gatehouse tools …`: the connectors' tools (enable, approval, class) and held items to review. */
export const toolsGroup: CommandGroup = {
  name: 'tools',
  summary: 'the tools connectors offer: enable, approval, class, review held changes (accept or block)',
  commands: [list, show, held, enable, disable, approval, toolClass, review, accept, block],
  defaultCommand: 'list',
};
