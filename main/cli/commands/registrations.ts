// `gatehouse registrations …`: client registrations held for approval when the registration policy
// is "ask" (Settings → New clients).
import type { Command, CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';
import { redirectHost, timeLeft } from '../../core/text.js';

const list: Command = {
  words: ['registrations', 'list'],
  json: true,
  summary: 'List client registrations waiting for approval',
  async run(context) {
    const registrations = await context.engine().call('registrations.list', {});
    if (context.json) return context.printJson(registrations);
    if (registrations.length === 0) {
      context.print('No registrations are waiting.');
      return;
    }
    context.print(
      ...table(
        ['id', 'client', 'redirect hosts', 'expires in'],
        registrations.map((registration) => [
          registration.id,
          registration.clientName,
          [...new Set(registration.redirectUris.map(redirectHost))].join(', '),
          timeLeft(registration.expiresAt, context.now),
        ]),
      ),
    );
  },
};

const approve: Command = {
  words: ['registrations', 'approve'],
  args: ['ID'],
  json: true,
  summary: 'Let a waiting client register',
  async run(context) {
    const result = await context.engine().call('registrations.approve', { id: context.args[0]! });
    if (context.json) return context.printJson(result);
    context.print(`Approved registration ${result.id}; the client can now ask for your consent.`);
  },
};

const deny: Command = {
  words: ['registrations', 'deny'],
  args: ['ID'],
  json: true,
  summary: 'Refuse a waiting registration',
  async run(context) {
    const result = await context.engine().call('registrations.deny', { id: context.args[0]! });
    if (context.json) return context.printJson(result);
    context.print(`Denied registration ${result.id}.`);
  },
};

/** `gatehouse registrations list / approve / deny`: client registrations waiting for the user. */
export const registrationsGroup: CommandGroup = {
  name: 'registrations',
  summary: 'client registrations waiting for approval',
  commands: [list, approve, deny],
  defaultCommand: 'list',
};
