// `gatehouse ui`: a fresh one-time link that signs a browser into the running engine's UI.
import type { Command } from '../command-context/command.js';

/** `gatehouse ui`: a new one-time link that opens the Gatehouse UI in the browser. */
export const uiCommand: Command = {
  words: ['ui'],
  usage: '',
  summary: 'Print a one-time link that opens Gatehouse in your browser',
  async run(context) {
    const { url } = await context.engine().call('ui.link', {});
    context.print(`Open this link in your browser (it works once, within 10 minutes):`, url);
    return 0;
  },
};
