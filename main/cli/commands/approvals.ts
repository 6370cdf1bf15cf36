// `gatehouse approvals …`: tool calls waiting for the user's yes or no (a tool set to ask, a rule that
// asks, or arguments that carry secret material). The client's call waits meanwhile; arguments are
// shown as the engine redacted them, and the secret material by kind and field path, never its value.
import type { PendingApprovalView } from '../../core/api/contract.js';
import type { Command, CommandContext, CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';
import { secretFindingsText, shorten, timeLeft } from '../../core/text.js';

const list: Command = {
  words: ['approvals', 'list'],
  json: true,
  summary: 'List tool calls waiting for your approval',
  async run(context) {
    const approvals = await context.engine().call('approvals.list', {});
    if (context.json) return context.printJson(approvals);
    if (approvals.length === 0) {
      context.print('No tool calls are waiting for your approval.');
      return;
    }
    context.print(
      ...table(
        ['id', 'client', 'tool', 'arguments', 'secret material', 'expires in'],
        approvals.map((approval) => [
          approval.id,
          approval.clientName,
          approval.tool,
          shorten(JSON.stringify(approval.arguments) ?? '{}', 80),
          approval.secrets.length > 0 ? shorten(secretFindingsText(approval.secrets), 80) : '-',
          timeLeft(approval.expiresAt, context.now),
        ]),
      ),
      ...(approvals.some((approval) => approval.secrets.length > 0)
        ? [
            'A call that carries secret material can also be allowed with --connector: its connector then handles secrets on purpose.',
          ]
        : []),
    );
  },
};

const allow: Command = {
  words: ['approvals', 'allow'],
  args: ['ID'],
  json: true,
  options: { always: { type: 'boolean' }, connector: { type: 'boolean' } },
  usage: '[--always | --connector]',
  summary: 'Let a waiting call run; --always also lets this client call the tool without asking again',
  details: [
    '--connector (a call held for the secret material its arguments carry): its connector handles secrets on purpose from now on.',
  ],
  async run(context) {
    const id = context.args[0]!;
    const always = context.flag('always');
    const connector = context.flag('connector');
    const engine = context.engine();
    const approval = await waiting(context, id);
    const result = await engine.call('approvals.allow', { id, always, connector });
    if (context.json) return context.printJson(result);
    context.print(
      approval === undefined
        ? `Allowed ${id}.`
        : connector
          ? `Allowed ${approval.clientName}'s call to ${approval.tool}; ${approval.connector} handles secrets on purpose from now on.`
          : always
            ? `Allowed ${approval.clientName} to call ${approval.tool}, now and from now on without asking.`
            : `Allowed ${approval.clientName}'s call to ${approval.tool}, this once.`,
    );
  },
};

const deny: Command = {
  words: ['approvals', 'deny'],
  args: ['ID'],
  json: true,
  summary: 'Refuse a waiting call; the client is told you said no',
  async run(context) {
    const id = context.args[0]!;
    const approval = await waiting(context, id);
    const result = await context.engine().call('approvals.deny', { id });
    if (context.json) return context.printJson(result);
    context.print(
      approval === undefined ? `Denied ${id}.` : `Denied ${approval.clientName}'s call to ${approval.tool}.`,
    );
  },
};

/**
 * Looked up only to name the client and tool in the confirmation; an unknown id is the engine's to
 * report.
 */
async function waiting(context: CommandContext, id: string): Promise<PendingApprovalView | undefined> {
  return (await context.engine().call('approvals.list', {})).find((approval) => approval.id === id);
}

/** `gatehouse approvals list / allow / deny`: tool calls waiting for the user's approval. */
export const approvalsGroup: CommandGroup = {
  name: 'approvals',
  summary: 'tool calls waiting for your approval',
  commands: [list, allow, deny],
  defaultCommand: 'list',
};
