// `gatehouse pause` and `gatehouse resume`: the switch that refuses every client at once, and turns
// their granted access back on, without touching any grant.
import type { Command } from '../command-context/command.js';

/** `gatehouse pause`: pauses all access (every MCP request refused until resumed). */
export const pauseCommand: Command = {
  words: ['pause'],
  json: true,
  summary: 'Refuse every client until you resume (grants are kept)',
  async run(context) {
    const result = await context.engine().call('access.pause', {});
    if (context.json) return context.printJson(result);
    context.print('Paused: every client is refused until you run `gatehouse resume`.');
  },
};

/** `gatehouse resume`: lets clients in again after a pause. */
export const resumeCommand: Command = {
  words: ['resume'],
  json: true,
  summary: 'Give clients their granted access again',
  async run(context) {
    const result = await context.engine().call('access.resume', {});
    if (context.json) return context.printJson(result);
    context.print('Resumed: clients have their granted access again.');
  },
};
