// `gatehouse activity`: the audit log (every auth event and tool call, with its decision and reason),
// filtered like the Activity view. The engine answers newest first; the table reads top to bottom
// like a log, newest last.
import { UsageError, type Command } from '../command.js';
import { table } from '../output/table.js';
import { localTime, parseDuration } from '../../core/time-text.js';

const decisions = ['allow', 'deny', 'info'] as const;
type Decision = (typeof decisions)[number];

export const activityCommand: Command = {
  words: ['activity'],
  json: true,
  options: {
    client: { type: 'string' },
    type: { type: 'string' },
    decision: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
  },
  usage: '[--client ID] [--type T] [--decision allow|deny|info] [--since 1h|ISO-TIME] [--limit N]',
  summary: 'Show the audit log: every decision Gatehouse made, and why',
  async run(context) {
    const clientId = context.option('client');
    const type = context.option('type');
    const decision = decisionOption(context.option('decision'));
    const since = sinceOption(context.option('since'), context.now);
    const limit = limitOption(context.option('limit'));
    const events = await context.engine().call('audit.list', {
      ...(clientId !== undefined ? { clientId } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(decision !== undefined ? { decision } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (context.json) return context.printJson(events);
    if (events.length === 0) {
      context.print('No activity matches.');
      return;
    }
    context.print(
      ...table(
        ['time', 'decision', 'event', 'client', 'reason'],
        [...events]
          .reverse()
          .map((event) => [
            localTime(event.at),
            event.decision,
            event.type,
            event.clientName ?? event.clientId ?? '-',
            event.reason,
          ]),
      ),
    );
  },
};

function decisionOption(value: string | undefined): Decision | undefined {
  if (value === undefined) return undefined;
  const decision = decisions.find((candidate) => candidate === value);
  if (!decision) throw new UsageError(`--decision is one of ${decisions.join(', ')} (got "${value}").`);
  return decision;
}

/** `--since 2h` means the last two hours; an ISO date or time means from then on. */
function sinceOption(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms !== undefined) return now - ms;
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new UsageError(
      `--since is a duration like 30m, 12h or 7d, or a date like 2025-11-21T09:00 (got "${value}").`,
    );
  }
  return at;
}

function limitOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= 10_000))
    throw new UsageError(`--limit is a whole number from 1 to 10000 (got "${value}").`);
  return limit;
}
