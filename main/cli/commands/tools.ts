// `gatehouse tools …`: every tool the connectors offer and the user's say over each — enabled, whether
// a call waits for approval, read or write — and the review of a tool whose definition changed
// upstream, or whose first definition tripped a first-sight rule: Gatehouse holds it until the user has
// seen it and accepts it.
import { wordDiff, wordDiffText } from '../../core/word-diff.js';
import type { ToolView } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import {
  UsageError,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command-context/command.js';
import { printable, table } from '../output/table.js';
import {
  APP_ONLY_TEXT,
  definitionPartText,
  didYouMean,
  FIRST_SIGHT_CHECKING_TEXT,
  shorten,
  TASK_ONLY_TEXT,
  TOOLS_BEING_CHECKED_TEXT,
} from '../../core/text.js';
import { visibleText } from '../../core/visible-text.js';
import { findingLines, held, itemName, ruleWords } from './held-items.js';

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

/**
 * How a tool is named on the command line: CONNECTOR TOOL, as clients see it (CONNECTOR__TOOL), or as
 * the activity log shows it (CONNECTOR/TOOL).
 */
const TOOL_ARGS = ['(CONNECTOR TOOL | CONNECTOR__TOOL | CONNECTOR/TOOL)'] as const;
const toolNaming = [
  'Name the tool as CONNECTOR TOOL, as clients and the Tools page show it (CONNECTOR__TOOL),',
  'or as the activity log shows it (CONNECTOR/TOOL).',
];

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

/** Why a tool was held on first sight, each finding with its part marked »like this«, and what to do. */
function firstSightLines(tool: ToolView, firstSight: NonNullable<ToolView['firstSight']>): string[] {
  return [
    `Held on first sight: clients do not see ${tool.exposedName} and calls to it are refused.`,
    ...findingLines(firstSight.findings),
    ...(firstSight.keptBlocked ? ['You kept it blocked; it stays blocked until you accept it.'] : []),
    'If you trust it:   gatehouse tools accept ' + answering(tool),
    ...(firstSight.keptBlocked ? [] : ['To keep it blocked: gatehouse tools block ' + answering(tool)]),
  ];
}

/** How many of a held definition's hash characters `--read` shows: enough to tell any two apart. */
const READ_CHARS = 12;

/**
 * A held tool as an answer names it: with `--read` and the start of the hash of the definition shown, so
 * that the answer is refused if the server lists another one before it is given.
 */
function answering(tool: ToolView): string {
  return tool.definition
    ? `${tool.exposedName} --read ${tool.definition.slice(0, READ_CHARS)}`
    : tool.exposedName;
}

const review: Command = {
  words: ['tools', 'review'],
  args: TOOL_ARGS,
  details: toolNaming,
  json: true,
  summary: 'Show why a tool is held: what it changed upstream, or what was found in it on first sight',
  async run(context) {
    const tool = await namedTool(context, 'review', 0);
    if (tool.firstSight && !tool.held) {
      if (context.json) return context.printJson(tool.firstSight);
      context.print(
        ...indent(visibleText(tool.description || '(no description)')),
        ...firstSightLines(tool, tool.firstSight),
      );
      return;
    }
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
            ...changedWords(held.before.description ?? '(none)', held.after.description ?? '(none)'),
          ]
        : []),
      ...(held.changed.includes('inputSchema') ? ['Input schema:', ...schemaLines.flatMap(indent)] : []),
      ...held.otherParts.flatMap(({ part, before, after }) => [
        `${printable(part)} before:`,
        ...indent(definitionPartText(before)),
        `${printable(part)} after:`,
        ...indent(definitionPartText(after)),
      ]),
      ...(held.nowReadOnly
        ? ['It now says it only reads (it said it writes): read-only grants would reach it.']
        : []),
      ...(held.findings === null
        ? ['First sight has not read the change yet.']
        : held.findings.length > 0
          ? ['First sight reads in the change what it did not read before:', ...findingLines(held.findings)]
          : ['First sight reads nothing in the change that it did not read before.']),
      ...(held.keptBlocked ? ['You kept it blocked; it stays blocked until you accept the change.'] : []),
      'If you trust the change: gatehouse tools accept ' + answering(tool),
      ...(held.keptBlocked ? [] : ['To keep it blocked:     gatehouse tools block ' + answering(tool)]),
      ...(tool.enabled ? ['To switch it off:       gatehouse tools disable ' + tool.exposedName] : []),
    );
  },
};

/** "Changed words:" and the description with `[-removed-]{+added+}` marks, when it can be compared. */
function changedWords(before: string, after: string): string[] {
  const parts = wordDiff(before, after);
  return parts ? ['Changed words ([-removed-] {+added+}):', ...indent(wordDiffText(parts))] : [];
}

/** A command that answers a held change (accept it, or keep the tool blocked) and says what it did. */
function heldAnswer(
  word: 'accept' | 'block',
  operation: 'tools.accept' | 'tools.keepBlocked',
  summary: string,
  done: (exposedName: string, firstSight: boolean) => string,
): Command {
  return {
    words: ['tools', word],
    args: TOOL_ARGS,
    options: { read: { type: 'string' } },
    details: [
      ...toolNaming,
      'With --read and what gatehouse tools review printed after it, the answer is for the definition you',
      'read: if the server has listed another one since, nothing is answered and it says so.',
    ],
    json: true,
    summary,
    async run(context) {
      const item =
        context.args[1] === 'instructions'
          ? (['instructions', 'instructions', 'instructions'] as const)
          : /^(prompt|resource|template):(.+)$/.exec(context.args[1] ?? '');
      if (item && context.args[0]) {
        const kind: 'prompt' | 'resource' | 'resource-template' | 'instructions' =
          item[1] === 'template' ? 'resource-template' : (item[1] as 'prompt' | 'resource' | 'instructions');
        const named = { connector: context.args[0], kind, key: item[2]! };
        const answered = await context
          .engine()
          .call(word === 'accept' ? 'tools.acceptItem' : 'tools.blockItem', named);
        if (context.json) return context.printJson(answered);
        const what = kind === 'instructions' ? 'instructions' : `${item[1]} ${named.key}`;
        context.print(
          word === 'accept'
            ? `Accepted ${named.connector}'s ${what}; clients ${kind === 'instructions' ? 'are given them' : 'see it'} now.`
            : `Kept ${named.connector}'s ${what} blocked: clients do not see ${kind === 'instructions' ? 'them' : 'it'} until you accept ${kind === 'instructions' ? 'them' : 'it'}.`,
        );
        return;
      }
      const named = await namedTool(context, word, 0);
      const read = context.option('read');
      if (read !== undefined && !(named.definition ?? '').startsWith(read.toLowerCase()))
        throw new GatehouseError(
          'conflict',
          named.definition
            ? `${named.exposedName} changed after you read it, so nothing was ${word === 'accept' ? 'accepted' : 'kept blocked'}: read what it says now (gatehouse tools review ${named.exposedName}), then answer again.`
            : `${named.connector}/${named.name} has no change waiting for review.`,
        );
      // Answered for the definition just read (and read by the user, with --read): not for a later one.
      const tool = await context.engine().call(operation, {
        connector: named.connector,
        tool: named.name,
        ...(named.definition ? { definition: named.definition } : {}),
      });
      if (context.json) return context.printJson(tool);
      context.print(done(tool.exposedName, named.firstSight !== null));
    },
  };
}

const accept = heldAnswer(
  'accept',
  'tools.accept',
  'Accept the change a held tool made upstream (or a tool held on first sight), so clients can call it',
  (name, firstSight) =>
    firstSight
      ? `Accepted ${name}, held on first sight; clients can call it now.`
      : `Accepted the change to ${name}; clients can call it again.`,
);

const block = heldAnswer(
  'block',
  'tools.keepBlocked',
  'Refuse the change a held tool made upstream: it stays blocked and stops waiting for review',
  (name, firstSight) =>
    `Kept ${name} blocked: clients cannot call it until you accept ${firstSight ? 'it' : 'the change'} (gatehouse tools accept ${name}).`,
);

/**
 * The tool the arguments name — CONNECTOR TOOL, or one word: CONNECTOR__TOOL as clients and the window
 * show it, or CONNECTOR/TOOL as the activity log does — with `trailing` words after it (ask|never,
 * read|write|auto). TOOL is the upstream's name or the exposed one; an unknown one gets a sentence
 * saying where to look. `verb` is the command's own word, for the example a sentence gives.
 */
async function namedTool(context: CommandContext, verb: string, trailing: number): Promise<ToolView> {
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

/** Upstream text, indented, each line made printable (it comes from a server, not the user). */
function indent(text: string): string[] {
  return text.split(/\r?\n/).map((line) => `  ${printable(line)}`);
}

/** `gatehouse tools …`: the connectors' tools (enable, approval, class) and held items to review. */
export const toolsGroup: CommandGroup = {
  name: 'tools',
  summary: 'the tools connectors offer: enable, approval, class, review held changes (accept or block)',
  commands: [list, show, held, enable, disable, approval, toolClass, review, accept, block],
  defaultCommand: 'list',
};
