// `gatehouse tools review | accept | block`: why a tool is held — what it changed upstream (every part,
// and what first sight reads in the change) or what first sight found in it — and the answers, each
// naming the definition the user read so that one the server changed since answers nothing.
import { wordDiff, wordDiffText } from '../../core/word-diff.js';
import type { ToolView } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import type { Command } from '../command-context/command.js';
import { printable } from '../output/table.js';
import { definitionPartText } from '../../core/text.js';
import { visibleText } from '../../core/visible-text.js';
import { findingLines } from './held-items.js';
import { namedTool, TOOL_ARGS, toolNaming } from './tool-naming.js';

/** Why a tool was held on first sight, each finding with its part marked »like this«, and what to do. */
export function firstSightLines(tool: ToolView, firstSight: NonNullable<ToolView['firstSight']>): string[] {
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

/** `tools review`: why a tool is held, and the answers that name what was shown. */
export const review: Command = {
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
            ...indent(visibleText(held.before.description ?? '(none)')),
            'Description after:',
            ...indent(visibleText(held.after.description ?? '(none)')),
            ...changedWords(
              visibleText(held.before.description ?? '(none)'),
              visibleText(held.after.description ?? '(none)'),
            ),
          ]
        : []),
      ...(held.changed.includes('inputSchema')
        ? ['Input schema:', ...schemaLines.map(visibleText).flatMap(indent)]
        : []),
      ...held.otherParts.flatMap(({ part, before, after }) => [
        `${printable(part)} before:`,
        ...indent(visibleText(definitionPartText(before))),
        `${printable(part)} after:`,
        ...indent(visibleText(definitionPartText(after))),
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

/** `tools accept`: the held change (or the tool held on first sight) becomes what clients get. */
export const accept = heldAnswer(
  'accept',
  'tools.accept',
  'Accept the change a held tool made upstream (or a tool held on first sight), so clients can call it',
  (name, firstSight) =>
    firstSight
      ? `Accepted ${name}, held on first sight; clients can call it now.`
      : `Accepted the change to ${name}; clients can call it again.`,
);

/** `tools block`: the tool stays held and stops waiting for review. */
export const block = heldAnswer(
  'block',
  'tools.keepBlocked',
  'Refuse the change a held tool made upstream: it stays blocked and stops waiting for review',
  (name, firstSight) =>
    `Kept ${name} blocked: clients cannot call it until you accept ${firstSight ? 'it' : 'the change'} (gatehouse tools accept ${name}).`,
);

/** Upstream text, indented, each line made printable (it comes from a server, not the user). */
export function indent(text: string): string[] {
  return text.split(/\r?\n/).map((line) => `  ${printable(line)}`);
}
