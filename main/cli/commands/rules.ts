// `gatehouse rules …`: the user's ordered rules (first match decides: allow, ask or deny), kept in a
// JSON file the user edits and saves with `rules set`. The engine validates them; its sentences are
// printed as they are, naming each rule and field that is wrong.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GatehouseError } from '../../core/errors.js';
import type { Command, CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';
import type { RuleProblemView } from '../../core/api/contract.js';
import { count, RULE_MATCHES_NOTHING, shorten } from '../../core/text.js';

const list: Command = {
  words: ['rules', 'list'],
  json: true,
  summary: 'List your rules in the order they apply (the first that matches a call decides)',
  async run(context) {
    const rules = await context.engine().call('rules.list', {});
    if (context.json) return context.printJson(rules);
    if (rules.length === 0) {
      context.print(
        'No rules: tool calls follow each tool’s own settings. Save some with `gatehouse rules set FILE`.',
      );
      return;
    }
    const problems = await context.engine().call('rules.problems', {});
    context.print(
      ...table(
        ['id', 'effect', 'client', 'connector', 'tool', 'when', 'description'],
        rules.map((rule) => [
          text(rule.id),
          text(rule.effect),
          text(rule.client, '*'),
          text(rule.connector, '*'),
          text(rule.tool, '*'),
          shorten(whenText(rule), 60),
          shorten(text(rule.description, ''), 60),
        ]),
      ),
      ...problemLines(problems),
    );
  },
};

/** The rules that can never match, one line each, after a blank line; nothing when there are none. */
function problemLines(problems: RuleProblemView[]): string[] {
  if (problems.length === 0) return [];
  return [
    '',
    `${RULE_MATCHES_NOTHING} (saved, but no call can meet ${problems.length === 1 ? 'it' : 'them'}; fix or remove ${problems.length === 1 ? 'it' : 'them'}):`,
    ...problems.map((problem) => `  ${problem.id}: ${problem.problem}`),
  ];
}

/**
 * The file's format, as `rules set --help` gives it: the fields in the order `rules list` shows them
 * (its WHEN column is `conditions`, then `unless …`), and an example to start from.
 */
const RULES_FORMAT = [
  'FILE holds a JSON array of rules, checked in order: the first that matches a call decides.',
  '`gatehouse rules list --json` prints the saved rules in this format. Each rule has:',
  '  id           a name: letters, digits, _ . - (made up from the rest when left out)',
  '  effect       allow, ask (wait for your approval) or deny',
  "  client       the client's name, * and ? as wildcards (left out: any client)",
  "  connector    the connector's name, or a glob such as gh-* (left out: any connector)",
  "  tool         the server's own tool name, not as clients see it: write_file, not files__write_file;",
  '               a glob such as read_* (left out: any tool)',
  '  conditions   on the call\'s arguments, all must hold: {"path": "$.path", "op": "prefix", "value": "~/x/"};',
  '               op is equals, prefix, not-prefix or regex; rules list shows them under WHEN',
  '  unless       conditions that, when they all hold, exempt the call (WHEN shows "unless …")',
  '  description  a note for you',
  'A rule whose connector or tool fits no name Gatehouse knows is saved anyway, marked "Matches nothing".',
  'Example: every call to the filesystem connector outside ~/projects is refused:',
  '  [{"id": "files-in-projects", "effect": "deny", "connector": "filesystem",',
  '    "unless": [{"path": "$.path", "op": "prefix", "value": "~/projects/"}]}]',
];

const set: Command = {
  words: ['rules', 'set'],
  args: ['FILE'],
  json: true,
  summary:
    'Replace every rule with those in a JSON file (an array of rules); nothing changes if one is wrong',
  details: RULES_FORMAT,
  async run(context) {
    const path = resolve(context.args[0]!);
    const rules = readRules(path);
    const saved = await context.engine().call('rules.set', { rules });
    if (context.json) return context.printJson(saved);
    const named = saved.filter((rule, index) => (rules[index] as { id?: unknown } | null)?.id === undefined);
    context.print(
      `Saved ${count(saved.length, 'rule')}; the first that matches a call decides.`,
      ...(named.length > 0
        ? [
            `Made up an id for ${named.length === 1 ? 'the rule' : 'each rule'} without one: ${named.map((rule) => text(rule.id)).join(', ')}.`,
          ]
        : []),
      ...problemLines(await context.engine().call('rules.problems', {})),
    );
  },
};

const clear: Command = {
  words: ['rules', 'clear'],
  json: true,
  summary: 'Remove every rule',
  async run(context) {
    const saved = await context.engine().call('rules.set', { rules: [] });
    if (context.json) return context.printJson(saved);
    context.print('Removed every rule; tool calls follow each tool’s own settings.');
  },
};

function readRules(path: string): unknown[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'you may not read it' : code;
    throw new GatehouseError('bad_request', `Cannot read the rules file ${path} (${reason}).`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new GatehouseError(
      'bad_request',
      `The rules file ${path} is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new GatehouseError(
      'bad_request',
      `The rules file ${path} must hold a JSON array of rules, like the output of \`gatehouse rules list --json\`.`,
    );
  }
  return parsed;
}

/** A rule's conditions in one line: `$.path prefix "~/x"`, then `unless …`. */
function whenText(rule: Record<string, unknown>): string {
  const describe = (conditions: unknown): string[] =>
    Array.isArray(conditions)
      ? conditions.map((condition: Record<string, unknown>) =>
          [text(condition.path), text(condition.op), JSON.stringify(condition.value)].join(' '),
        )
      : [];
  const when = describe(rule.conditions);
  const unless = describe(rule.unless);
  const parts = [when.join(' and '), unless.length > 0 ? `unless ${unless.join(' and ')}` : '']
    .filter(Boolean)
    .join(', ');
  return parts || 'always';
}

function text(value: unknown, fallback = '-'): string {
  return typeof value === 'string' ? value : fallback;
}

/** `gatehouse rules list / set / clear`: the user's rules for tool calls. */
export const rulesGroup: CommandGroup = {
  name: 'rules',
  summary: 'your rules for tool calls: allow, ask or deny, first match decides',
  commands: [list, set, clear],
  defaultCommand: 'list',
};
