// `gatehouse logs [--lines N] [--follow]`: the log file of the Gatehouse that uses this data directory
// (the desktop app or `gatehouse serve`). It is read from the file itself, not through the engine, so
// it works while Gatehouse is stopped or after it crashed — when a log is most wanted. Lines come out
// printable: they can hold text from clients and upstream servers.
import { existsSync } from 'node:fs';
import { followLog, logFilePath, readLastLines } from '../../core/log/log-file.js';
import { CommandFailure, UsageError, type Command } from '../command-context/command.js';
import { printable } from '../output/table.js';
import { untilStopped } from '../command-context/stop-signal.js';

const DEFAULT_LINES = 50;

/**
 * `gatehouse logs [--lines N] [--follow]`: the log file, read directly (works while Gatehouse is stopped).
 */
export const logsCommand: Command = {
  words: ['logs'],
  options: { lines: { type: 'string' }, follow: { type: 'boolean' } },
  usage: '[--lines N] [--follow]',
  summary: "Show Gatehouse's log (the app's or gatehouse serve's), newest last",
  details: [
    `--lines N   how many of the last lines to show (default ${DEFAULT_LINES}; 0 shows none, for --follow)`,
    '--follow    keep printing lines as Gatehouse writes them, until Ctrl+C',
    'The log is <data dir>/logs/gatehouse.log; older parts are gatehouse.log.1 to .3. Secrets are never written to it.',
  ],
  async run(context) {
    const count = linesOption(context.option('lines'));
    const path = logFilePath(context.dataDir);
    const follow = context.flag('follow');
    if (!existsSync(path) && !follow) {
      throw new CommandFailure(
        `There is no log yet: ${path} does not exist. Gatehouse writes it once the app or \`gatehouse serve\` has started with this data directory.`,
      );
    }
    for (const line of readLastLines(path, count)) context.print(printable(line));
    if (!follow) return;
    const stop = new AbortController();
    void untilStopped(context.io).then(() => stop.abort());
    context.io.stderr(`Following ${path}; Ctrl+C to stop.\n`);
    for await (const line of followLog(path, stop.signal)) context.print(printable(line));
  },
};

function linesOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LINES;
  if (!/^\d+$/.test(value) || Number(value) > 100_000) {
    throw new UsageError(`--lines is a whole number from 0 to 100000 (got "${value}").`);
  }
  return Number(value);
}
