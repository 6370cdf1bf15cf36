// `gatehouse tools held`: everything first sight holds — tools, prompts, resources, resource templates
// and a server's instructions — each with its reasons and the offending part marked, as text or JSON,
// so the CLI shows what the Tools page shows.
import type { HeldItemView, ToolView } from '../../core/api/contract.js';
import { visibleText } from '../../core/visible-text.js';
import { FIRST_SIGHT_CHECKING_TEXT, FIRST_SIGHT_RULE_WORDS as RULE_WORDS } from '../../core/text.js';
import type { Command } from '../command-context/command.js';
import { printable } from '../output/table.js';

/** How a held prompt, resource, template or instructions is named on the command line: KIND:NAME. */
const ITEM_WORD = {
  prompt: 'prompt',
  resource: 'resource',
  'resource-template': 'template',
  instructions: 'instructions',
} as const;

/** The command-line name of a held item: `prompt:review`, `template:notes://{id}`, `instructions`. */
export function itemName(item: Pick<HeldItemView, 'kind' | 'key'>): string {
  return item.kind === 'instructions' ? 'instructions' : `${ITEM_WORD[item.kind]}:${item.key}`;
}

/** The rule names of some findings, each once, in the product's words. */
export function ruleWords(findings: ReadonlyArray<{ rule: string }>): string[] {
  return [...new Set(findings.map((finding) => RULE_WORDS[finding.rule] ?? finding.rule))];
}

/**
 * Each finding's reason and its part marked »like this«, every invisible character made visible (a
 * definition held unread, not-judged, has no part to mark).
 */
export function findingLines(findings: HeldItemView['findings']): string[] {
  return findings.flatMap(({ reason, excerpt }) => [
    `  - ${printable(reason)}`,
    ...(excerpt.before || excerpt.match || excerpt.after
      ? [`      ${printable(`${excerpt.before}»${excerpt.match}«${excerpt.after}`)}`]
      : []),
  ]);
}

/**
 * One held prompt, resource, template or instructions: what it is, each reason, and the answers. One
 * still being checked has neither reasons nor answers yet: only what it is, and that clients wait too.
 */
function itemLines(item: HeldItemView): string[] {
  const name = itemName(item);
  if (item.checking)
    return [
      `${item.connector} ${printable(name)}: ${FIRST_SIGHT_CHECKING_TEXT.label.toLowerCase()}`,
      `  ${FIRST_SIGHT_CHECKING_TEXT.detail}`,
    ];
  return [
    `${item.connector} ${printable(name)}: ${item.keptBlocked ? 'kept blocked' : 'held, waiting for your review'}`,
    ...(item.kind === 'instructions'
      ? ['  Clients are not given these instructions.']
      : ['  Clients do not see it; reading or getting it is refused.']),
    ...visibleText(item.description || '(no description)')
      .split(/\r?\n/)
      .map((line) => `  | ${printable(line)}`),
    ...findingLines(item.findings),
    `  If you trust it: gatehouse tools accept ${item.connector} ${printable(name)}`,
    ...(item.keptBlocked
      ? []
      : [`  To keep it blocked: gatehouse tools block ${item.connector} ${printable(name)}`]),
  ];
}

/** `gatehouse tools held [CONNECTOR]`: the tools and the other items held on first sight. */
export const held: Command = {
  words: ['tools', 'held'],
  args: ['[CONNECTOR]'],
  json: true,
  summary: 'Show everything held on first sight (tools, prompts, resources, templates, instructions) and why',
  async run(context) {
    const connector = context.args[0];
    const scope = connector === undefined ? {} : { connector };
    const tools = (await context.engine().call('tools.list', scope)).filter((tool) => tool.firstSight);
    const items = await context.engine().call('tools.heldItems', scope);
    if (context.json) return context.printJson({ tools, items });
    if (tools.length === 0 && items.length === 0) {
      context.print(`Nothing is held on first sight${connector === undefined ? '' : ` for ${connector}`}.`);
      return;
    }
    context.print(
      ...tools.flatMap((tool: ToolView) => [
        `${tool.exposedName}: ${tool.firstSight!.keptBlocked ? 'kept blocked' : 'held, waiting for your review'} (see gatehouse tools show ${tool.exposedName})`,
        ...findingLines(tool.firstSight!.findings),
      ]),
      ...items.flatMap(itemLines),
    );
  },
};
