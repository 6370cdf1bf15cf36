// `gatehouse activity`: the audit log (every auth event and tool call, with its decision and reason),
// filtered like the Activity view. The engine answers newest first; the table reads top to bottom
// like a log, newest last. --follow keeps printing new events as the engine appends them; --export
// writes every matching event to a file, paging through the log so nothing is cut off.
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { AuditEventView } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import { CommandFailure, UsageError, type Command, type CommandContext } from '../command-context/command.js';
import type { EngineClient } from '../command-context/engine-client.js';
import { auditCsv, auditJsonLines } from '../../core/audit/audit-export.js';
import { columnWidths, table, tableRow } from '../output/table.js';
import { untilStopped } from '../command-context/stop-signal.js';
import { foldRepeats, type EventRun } from '../../core/audit/repeated-events.js';
import { count, localTime, parseDuration, sandboxMarkText } from '../../core/text.js';

const decisions = ['allow', 'deny', 'info'] as const;
type Decision = (typeof decisions)[number];

/** What audit.list filters on, besides its page: the same filters apply to followed events. */
interface ActivityFilter {
  clientId?: string;
  connector?: string;
  tool?: string;
  type?: string;
  decision?: Decision;
  since?: number;
}

/** audit.list's largest page. */
const PAGE = 10_000;
const header = ['time', 'decision', 'event', 'client', 'tool', 'reason'];
/** Followed rows cannot know the widths of rows yet to come; these keep most of them aligned. */
const followWidths = [19, 8, 22, 16, 20, 0];

/** `gatehouse activity`: the audit log with the Activity view's filters, `--follow` and `--export`. */
export const activityCommand: Command = {
  words: ['activity'],
  json: true,
  options: {
    client: { type: 'string' },
    connector: { type: 'string' },
    tool: { type: 'string' },
    type: { type: 'string' },
    decision: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean' },
    export: { type: 'string' },
  },
  usage:
    '[--client ID] [--connector NAME] [--tool NAME|CONNECTOR__TOOL] [--type T] [--decision allow|deny|info] [--since 1h|ISO-TIME] [--limit N] [--follow | --export FILE]',
  summary: 'Show the audit log: every decision Gatehouse made, and why',
  details: [
    '--follow keeps printing new events until Ctrl+C (with --json, one JSON object a line).',
    '--export FILE writes every matching event, oldest first: JSON Lines for .jsonl or .ndjson, CSV for .csv.',
  ],
  async run(context) {
    const filter = filterOptions(context);
    const limit = limitOption(context.option('limit'));
    const file = context.option('export');
    const follow = context.flag('follow');
    if (file !== undefined && follow) {
      throw new UsageError('Use --export or --follow, not both: an export is written once and ends.');
    }
    if (file !== undefined) return exportActivity(context, filter, limit, file);
    if (follow) return followActivity(context, filter, limit);
    const events = await context.engine().call('audit.list', { ...filter, ...(limit ? { limit } : {}) });
    if (context.json) return context.printJson(events);
    if (events.length === 0) {
      context.print('No activity matches.');
      return;
    }
    // Oldest first; a run of the same refusal (a sign-in's tokenless requests) is one line with a count.
    context.print(...table(header, foldRepeats([...events].reverse()).map(runCells)));
  },
};

/** A run's first event, its reason followed by how often and until when it repeated. */
function runCells(run: EventRun): string[] {
  const row = cells(run.event);
  if (run.events.length === 1) return row;
  const last = localTime(run.events.at(-1)!.at).slice(11);
  return [...row.slice(0, -1), `${row.at(-1)!} (×${run.events.length}, until ${last})`];
}

/** Prints the matching events so far, then each new one as the engine appends it, until stopped. */
async function followActivity(
  context: CommandContext,
  filter: ActivityFilter,
  limit: number | undefined,
): Promise<number> {
  const engine = context.engine();
  const stop = new AbortController();
  void untilStopped(context.io).then(() => stop.abort());
  try {
    // Subscribed before reading the past, so nothing falls between the two; ids drop the overlap.
    const events = await engine.subscribe(stop.signal);
    const past = (await engine.call('audit.list', { ...filter, ...(limit ? { limit } : {}) })).reverse();
    let lastId = Math.max(0, ...past.map((event) => event.id));
    const write = context.json
      ? (event: AuditEventView) => context.io.stdout(`${JSON.stringify(event)}\n`)
      : rowWriter(context, past);
    for (const event of past) write(event);
    context.io.stderr('Following new activity; Ctrl+C to stop.\n');
    for await (const event of events) {
      if (event.type !== 'audit.appended' || event.event.id <= lastId || !matches(event.event, filter))
        continue;
      lastId = event.event.id;
      write(event.event);
    }
    if (stop.signal.aborted) return 0;
  } finally {
    stop.abort();
  }
  throw new GatehouseError('engine_unreachable', 'Gatehouse stopped; there is no more activity to follow.');
}

function rowWriter(
  context: CommandContext,
  past: readonly AuditEventView[],
): (event: AuditEventView) => void {
  const widths = columnWidths([followWidths.map((width) => ' '.repeat(width)), header, ...past.map(cells)]);
  context.print(
    tableRow(
      header.map((title) => title.toUpperCase()),
      widths,
    ),
  );
  return (event) => context.print(tableRow(cells(event), widths));
}

async function exportActivity(
  context: CommandContext,
  filter: ActivityFilter,
  limit: number | undefined,
  file: string,
): Promise<void> {
  const format = exportFormat(file);
  const events = await everyEvent(context.engine(), filter, limit);
  const body = format === 'csv' ? auditCsv(events) : auditJsonLines(events);
  const path = resolve(file);
  try {
    // The log names clients and tools and carries (redacted) arguments: for the user's eyes only.
    writeFileSync(path, body, { mode: 0o600 });
  } catch (error) {
    throw new CommandFailure(`Cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (context.json) return context.printJson({ file: path, events: events.length });
  context.print(`Wrote ${count(events.length, 'event')} to ${path}.`);
}

/**
 * Every matching event (the newest `limit` if given), oldest first. audit.list answers at most
 * 10,000 at a time, newest first by id; each next page asks for ids below the smallest seen, so
 * paging is exact whatever the clock did.
 */
async function everyEvent(
  engine: EngineClient,
  filter: ActivityFilter,
  limit: number | undefined,
): Promise<AuditEventView[]> {
  const events: AuditEventView[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await engine.call('audit.list', {
      ...filter,
      ...(beforeId !== undefined ? { beforeId } : {}),
      limit: PAGE,
    });
    events.push(...page);
    if (page.length < PAGE || (limit !== undefined && events.length >= limit)) break;
    beforeId = Math.min(...page.map((event) => event.id));
  }
  return (limit === undefined ? events : events.slice(0, limit)).reverse();
}

function exportFormat(file: string): 'jsonl' | 'csv' {
  switch (extname(file).toLowerCase()) {
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.csv':
      return 'csv';
    default:
      throw new UsageError(
        `--export writes JSON Lines (.jsonl, .ndjson) or CSV (.csv); name the file with one of those endings (got "${file}").`,
      );
  }
}

function cells(event: AuditEventView): string[] {
  return [
    localTime(event.at),
    event.decision,
    event.type,
    event.clientName ?? event.clientId ?? '-',
    event.connector === null
      ? '-'
      : event.tool === null
        ? event.connector
        : `${event.connector}/${event.tool}`,
    // A call during which the sandbox refused its server something says so after its reason.
    sandboxMarkText(event.detail)
      ? `${event.reason} [sandbox ${sandboxMarkText(event.detail)}]`
      : event.reason,
  ];
}

function matches(event: AuditEventView, filter: ActivityFilter): boolean {
  return (
    (filter.clientId === undefined || event.clientId === filter.clientId) &&
    (filter.connector === undefined || event.connector === filter.connector) &&
    (filter.tool === undefined || event.tool === filter.tool) &&
    (filter.type === undefined || event.type === filter.type) &&
    (filter.decision === undefined || event.decision === filter.decision) &&
    (filter.since === undefined || event.at >= filter.since)
  );
}

function filterOptions(context: CommandContext): ActivityFilter {
  const filter: ActivityFilter = {};
  const clientId = context.option('client');
  const connector = context.option('connector');
  const tool = context.option('tool');
  const type = context.option('type');
  const decision = decisionOption(context.option('decision'));
  const since = sinceOption(context.option('since'), context.now);
  if (clientId !== undefined) filter.clientId = clientId;
  if (connector !== undefined) filter.connector = connector;
  if (tool !== undefined) Object.assign(filter, toolFilter(tool, connector));
  if (type !== undefined) filter.type = type;
  if (decision !== undefined) filter.decision = decision;
  if (since !== undefined) filter.since = since;
  return filter;
}

/**
 * `--tool echo`, or the name clients see, `--tool everything__echo` (connector names never contain
 * `__`, so the first one splits it).
 */
function toolFilter(tool: string, connector: string | undefined): { connector?: string; tool: string } {
  const split = tool.indexOf('__');
  if (split <= 0) return { tool };
  const [named, upstream] = [tool.slice(0, split), tool.slice(split + 2)];
  if (connector !== undefined && connector !== named) {
    throw new UsageError(`--tool ${tool} belongs to connector ${named}, not ${connector}.`);
  }
  return { connector: named, tool: upstream };
}

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
