// `gatehouse rules …`: the user's ordered rules (first match decides: allow, ask or deny), kept in a
// JSON file the user edits and saves with `rules set`. The engine validates them; its sentences are
// printed as they are, naming each rule and field that is wrong.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GatehouseError } from '../../core/errors.js';
import type { Command, CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';
import { count, shorten } from '../../core/text.js';

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
    );
  },
};

const set: Command = {
  words: ['rules', 'set'],
  args: ['FILE'],
  json: true,
  summary:
    'Replace every rule with those in a JSON file (an array of rules); nothing changes if one is wrong',
  async run(context) {
    const path = resolve(context.args[0]!);
    const rules = readRules(path);
    const saved = await context.engine().call('rules.set', { rules });
    if (context.json) return context.printJson(saved);
    context.print(`Saved ${count(saved.length, 'rule')}; the first that matches a call decides.`);
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
