// The `gatehouse` command line: finds the command the words name, parses its options strictly (an
// unknown flag is an error, never ignored), runs it, and turns every failure into one sentence on
// stderr and an exit code — 0 done, 1 failed, 2 bad command line or a value Gatehouse refused. No
// stack traces reach the user.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { isGatehouseError } from '../core/errors.js';
import { defaultDataDir } from '../core/engine/headless.js';
import {
  CommandFailure,
  UsageError,
  type CliIo,
  type Command,
  type CommandContext,
  type CommandGroup,
  type OptionValue,
} from './command-context/command.js';
import { EngineApiError, EngineClient } from './command-context/engine-client.js';
import { withProgress } from './output/progress.js';
import { closestWord } from '../core/closest-word.js';
import { forCommandLine } from './cli-wording.js';

export type { CliIo } from './command-context/command.js';

/**
 * Every command by the word that names it, in the order the usage lists them. A command's module is
 * loaded when that command runs, not with the CLI: `gatehouse serve` stays resident for days and keeps
 * none of the other commands' code (docs/decisions.md, "An idle engine loads little and wakes rarely").
 */
const commandModules: ReadonlyArray<{ name: string; load(): Promise<Command | CommandGroup> }> = [
  { name: 'serve', load: async () => (await import('./commands/serve.js')).serveCommand },
  { name: 'status', load: async () => (await import('./commands/status.js')).statusCommand },
  { name: 'ui', load: async () => (await import('./commands/ui.js')).uiCommand },
  { name: 'clients', load: async () => (await import('./commands/clients.js')).clientsGroup },
  { name: 'consents', load: async () => (await import('./commands/consents.js')).consentsGroup },
  {
    name: 'registrations',
    load: async () => (await import('./commands/registrations.js')).registrationsGroup,
  },
  { name: 'connectors', load: async () => (await import('./commands/connectors.js')).connectorsGroup },
  { name: 'catalog', load: async () => (await import('./commands/catalog.js')).catalogGroup },
  { name: 'tools', load: async () => (await import('./commands/tools.js')).toolsGroup },
  { name: 'approvals', load: async () => (await import('./commands/approvals.js')).approvalsGroup },
  { name: 'rules', load: async () => (await import('./commands/rules.js')).rulesGroup },
  { name: 'settings', load: async () => (await import('./commands/settings.js')).settingsGroup },
  { name: 'pause', load: async () => (await import('./commands/access.js')).pauseCommand },
  { name: 'resume', load: async () => (await import('./commands/access.js')).resumeCommand },
  { name: 'activity', load: async () => (await import('./commands/activity.js')).activityCommand },
  { name: 'connect', load: async () => (await import('./commands/connect.js')).connectCommand },
  { name: 'import', load: async () => (await import('./commands/import.js')).importCommand },
  { name: 'bridge', load: async () => (await import('./commands/bridge.js')).bridgeCommand },
  { name: 'logs', load: async () => (await import('./commands/logs.js')).logsCommand },
];

/**
 * What `gatehouse`, `gatehouse help` and `--help` print: every command in a line or two, by what the
 * user wants to do, in at most 20 lines; `gatehouse help COMMAND` explains one, `help all` all of them.
 * (A test holds it to naming every command in the table above.)
 */
const OVERVIEW: readonly string[] = [
  'gatehouse: your gate between AI clients and MCP connectors',
  'Start:',
  '  serve              run Gatehouse here without the desktop app (prints the MCP URL)',
  '  status, ui         is it running, where, what waits for you; open its window in a browser',
  '  connect [CLIENT]   point Claude Desktop, Claude Code, VS Code or Cursor at Gatehouse',
  '  import CLIENT      bring the MCP servers a client already has into Gatehouse',
  'Connectors and tools:',
  '  connectors         the MCP servers behind Gatehouse: add, edit, test, sign in, logs',
  '  catalog            find a server in the MCP Registry and add it',
  '  tools              each tool: on or off, ask first, read or write; review the held ones',
  'Clients and what they may do:',
  '  clients            AI clients: change a grant, revoke, forget, register one by hand',
  '  consents           clients asking for access: approve or deny (and registrations, in "ask" mode)',
  '  approvals          tool calls waiting for your OK',
  '  rules              allow / ask / deny rules on tool calls, first match decides',
  '  pause, resume      refuse every client for now; let them back',
  'Also: activity (the audit log), settings, logs, bridge (for Claude Desktop).',
  'One command: gatehouse help COMMAND (e.g. gatehouse help connectors); all: gatehouse help all.',
];

/**
 * The commands a command line needs loaded: only the one its first word names when it starts with
 * that word (the usual `gatehouse connectors add …`), else all of them — help lists them all, and an
 * option before the command word may be any command's (`--port 4000 serve`).
 */
async function commandsFor(argv: readonly string[]): Promise<ReadonlyArray<Command | CommandGroup>> {
  const named = commandModules.find((module) => module.name === argv[0]);
  const loaded = named ? [named] : commandModules;
  const entries = await Promise.all(loaded.map((module) => module.load()));
  for (const [i, entry] of entries.entries()) {
    // The table's word and the command's own must agree, or a command would answer to a name it lacks.
    if (entryName(entry) !== loaded[i]!.name)
      throw new Error(`command table: ${loaded[i]!.name} loads ${entryName(entry)}`);
  }
  return entries;
}

const commonOptions: ParseArgsOptionsConfig = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
const jsonOption: ParseArgsOptionsConfig = { json: { type: 'boolean' } };

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/**
 * Engine answers that mean a value on the command line was wrong — malformed, naming nothing that
 * exists, or a new name already taken — exit 2 like a bad option: the user fixes the command line.
 * Everything else is a failure of the work (exit 1): a request already answered, an engine already
 * running, a connector that does not start, a server that cannot be reached (its name not found).
 */
const REFUSED_VALUE: ReadonlySet<string> = new Set(['bad_request', 'not_found', 'name_taken']);

/** An unknown option that looks like a slip for one of the command's own: no `--` hint then. */
class MistypedOption extends UsageError {}

/** Runs one command line (without `node gatehouse`) and resolves to its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runCommandLine(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`gatehouse: ${error.message}\nRun \`gatehouse help\` for usage.\n`);
      return EXIT_USAGE;
    }
    if (isGatehouseError(error) || error instanceof EngineApiError) {
      io.stderr(`gatehouse: ${forCommandLine(error.message)}\n`);
      return REFUSED_VALUE.has(error.code) ? EXIT_USAGE : EXIT_FAILED;
    }
    if (error instanceof CommandFailure) {
      io.stderr(`gatehouse: ${error.message}\n`);
      return EXIT_FAILED;
    }
    // A bug or an unforeseen system error: still one line, but say it is unexpected.
    io.stderr(`gatehouse: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

async function runCommandLine(argv: readonly string[], io: CliIo): Promise<number> {
  const dashes = argv.indexOf('--');
  const entries = await commandsFor(dashes < 0 ? argv : argv.slice(0, dashes));
  const words = leadingWords(dashes < 0 ? argv : argv.slice(0, dashes), entries);
  const [first, second] = words;
  if (first === undefined || first === 'help') {
    if (first === undefined && argv.length > 0 && !argv.some((arg) => arg === '--help' || arg === '-h')) {
      // Only options and no command, e.g. `gatehouse --json`.
      throw new UsageError('Which command? Name one, e.g. `gatehouse status`.');
    }
    if (second === undefined) {
      io.stdout(`${OVERVIEW.join('\n')}\n`);
      return EXIT_OK;
    }
    if (second === 'all' && words[2] === undefined) {
      io.stdout(usage(entries, undefined, io.env));
      return EXIT_OK;
    }
    const topic = findEntry(entries, second);
    if (!topic) throw new UsageError(`There is no command "${second}" to explain.${didYouMean(second)}`);
    // `gatehouse help connectors add` explains that one command, as `connectors add --help` does.
    const one = topic && isGroup(topic) && words[2] !== undefined ? named(topic, words[2]) : undefined;
    io.stdout(usage(entries, one ?? topic, io.env));
    return EXIT_OK;
  }
  const entry = findEntry(entries, first);
  if (!entry) throw new UsageError(`There is no command "${first}".${didYouMean(first)}`);
  const command = isGroup(entry) ? subcommand(entry, second) : entry;
  // A passthrough command keeps what follows `--` for itself; elsewhere `--` just ends the options.
  const split = command.passthrough === true && dashes >= 0;
  const forgotDashes = command.passthrough === true && dashes < 0;
  const { values, positionals } = withDashesHint(forgotDashes, () =>
    parseStrictly(split ? argv.slice(0, dashes) : argv, command),
  );
  if (values.help === true) {
    // `connectors add --help` is about adding; `connectors --help` (or an implied default) the group.
    const explicit = isGroup(entry) && second === command.words[1];
    io.stdout(usage(entries, explicit ? command : entry, io.env));
    return EXIT_OK;
  }
  // The words that named the command are positionals too; the group's default may have been implied.
  const args = positionals.slice(positionals[1] === command.words[1] && isGroup(entry) ? 2 : 1);
  withDashesHint(forgotDashes, () => checkArity(command, args));
  const context = commandContext(io, values, args, split ? argv.slice(dashes + 1) : []);
  const code = await command.run(context);
  return typeof code === 'number' ? code : EXIT_OK;
}

/**
 * A connector's command typed without `--` in front (`connectors add files --stdio npx -y pkg`) reads
 * as Gatehouse's own options and arguments; say what would have worked.
 */
function withDashesHint<T>(forgotDashes: boolean, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!forgotDashes || !(error instanceof UsageError) || error instanceof MistypedOption) throw error;
    throw new UsageError(
      `${error.message} If that belongs to the connector's command, put -- before the command: everything after -- is passed to it unchanged (e.g. \`gatehouse connectors add files --stdio -- npx -y @modelcontextprotocol/server-filesystem ~/Documents\`).`,
    );
  }
}

function isGroup(entry: Command | CommandGroup): entry is CommandGroup {
  return 'commands' in entry;
}

function entryName(entry: Command | CommandGroup): string {
  return isGroup(entry) ? entry.name : entry.words[0]!;
}

function findEntry(
  entries: ReadonlyArray<Command | CommandGroup>,
  word: string,
): Command | CommandGroup | undefined {
  return entries.find((entry) => entryName(entry) === word);
}

/** " Did you mean `gatehouse status`?" for a slip of a command's name, else nothing. */
function didYouMean(word: string): string {
  const close = closestWord(
    word,
    commandModules.map((module) => module.name),
  );
  return close === undefined ? '' : ` Did you mean \`gatehouse ${close}\`?`;
}

function named(group: CommandGroup, word: string): Command | undefined {
  return group.commands.find((candidate) => candidate.words[1] === word);
}

function subcommand(group: CommandGroup, word: string | undefined): Command {
  const chosen = word ?? group.defaultCommand;
  const exact = chosen === undefined ? undefined : named(group, chosen);
  // `gatehouse tools everything` is `tools list everything`: a word that names no command is the
  // default command's optional argument, when it takes one.
  const fallback = group.commands.find((candidate) => candidate.words[1] === group.defaultCommand);
  const command =
    exact ?? (word !== undefined && fallback?.args?.[0]?.startsWith('[') === true ? fallback : undefined);
  if (!command) {
    const words = group.commands.map((candidate) => candidate.words[1]!);
    const close = word === undefined ? undefined : closestWord(word, words);
    const hint = close === undefined ? '' : ` Did you mean \`gatehouse ${group.name} ${close}\`?`;
    throw new UsageError(
      word === undefined
        ? `The ${group.name} command needs one of: ${words.join(', ')}.`
        : `There is no command "${group.name} ${word}"; ${group.name} commands are ${words.join(', ')}.${hint}`,
    );
  }
  return command;
}

/**
 * The first positionals, found before we know the command: every option that takes a value anywhere
 * is declared as such, so `--data-dir X status` does not mistake X for the command.
 */
function leadingWords(argv: readonly string[], entries: ReadonlyArray<Command | CommandGroup>): string[] {
  const valueOptions: ParseArgsOptionsConfig = { 'data-dir': { type: 'string' } };
  for (const entry of entries) {
    for (const command of isGroup(entry) ? entry.commands : [entry]) {
      for (const [name, option] of Object.entries(command.options ?? {})) {
        if (option.type === 'string') valueOptions[name] = { type: 'string' };
      }
    }
  }
  const { positionals } = parseArgs({
    args: [...argv],
    options: valueOptions,
    strict: false,
    allowPositionals: true,
  });
  return positionals;
}

/** A negative number: a value (`settings set rateLimitPerMinute -5`), never an option; none is a digit. */
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

function parseStrictly(
  argv: readonly string[],
  command: Command,
): { values: Record<string, OptionValue>; positionals: string[] } {
  const options = { ...commonOptions, ...(command.json ? jsonOption : {}), ...command.options };
  // parseArgs reads "-5" as the short options -5; stood in for while parsing, it is a value again after.
  const negatives: string[] = [];
  const args = argv.map((arg) => (NEGATIVE_NUMBER.test(arg) ? `\u0000${negatives.push(arg) - 1}` : arg));
  const restore = (value: string): string =>
    value.startsWith('\u0000') ? (negatives[Number(value.slice(1))] ?? value) : value;
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (negatives.length === 0) return parsed;
    const values: Record<string, OptionValue> = {};
    for (const [name, value] of Object.entries(parsed.values))
      values[name] =
        typeof value === 'string'
          ? restore(value)
          : Array.isArray(value)
            ? value.map((item) => (typeof item === 'string' ? restore(item) : item))
            : value;
    return { values, positionals: parsed.positionals.map(restore) };
  } catch (error) {
    const message = describeParseError(error, commandName(command));
    const suggestion = optionSuggestion(error, Object.keys(command.options ?? {}));
    if (suggestion) throw new MistypedOption(`${message} ${suggestion}`);
    throw new UsageError(message);
  }
}

/**
 * For an unknown option close to one of the command's own (`--bearer` for `--bearer-env`), what was
 * probably meant; an option that reads a secret from the environment says why it takes a name.
 */
function optionSuggestion(error: unknown, names: readonly string[]): string | undefined {
  if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const typed = /'--([^' =]+)/.exec(error instanceof Error ? error.message : '')?.[1];
  const close = typed === undefined ? undefined : closestWord(typed, names);
  if (close === undefined) return undefined;
  if (!/-(env|from)$/.test(close)) return `Did you mean --${close}?`;
  return `Did you mean --${close}? It takes the name of an environment variable that holds the secret, never the secret itself, so the secret stays out of your shell history (e.g. \`export MY_TOKEN=…\`, then \`--${close} ${close.endsWith('-from') ? 'NAME=MY_TOKEN' : 'MY_TOKEN'}\`).`;
}

/** node:util's parse errors, reworded for a user who has never heard of parseArgs. */
function describeParseError(error: unknown, name: string): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `The ${name} command has no option ${option}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('argument missing') || message.includes('ambiguous')
        ? `${option} needs a value.`
        : `${option} takes no value.`;
    default:
      return `The ${name} command cannot use these options: ${message}`;
  }
}

function checkArity(command: Command, args: readonly string[]): void {
  const declared = command.args ?? [];
  const required = declared.filter((arg) => !arg.startsWith('['));
  const name = commandName(command);
  if (args.length < required.length) {
    const missing = required.slice(args.length).join(' ');
    throw new UsageError(`The ${name} command needs ${missing} (usage: gatehouse ${usageLine(command)}).`);
  }
  // A last argument written `[NAME…]` takes any number of words; `(A B | A__B)` one or two.
  const variadic = declared.at(-1)?.endsWith('…]') === true;
  const most = declared.reduce((sum, arg) => sum + mostWords(arg), 0);
  if (!variadic && args.length > most) {
    throw new UsageError(
      `The ${name} command does not take "${args[most]}" (usage: gatehouse ${usageLine(command)}).`,
    );
  }
}

/** How many words an argument may take: `(CONNECTOR TOOL | CONNECTOR__TOOL)` up to two, others one. */
function mostWords(arg: string): number {
  if (!arg.startsWith('(')) return 1;
  return Math.max(
    ...arg
      .slice(1, -1)
      .split(' | ')
      .map((choice) => choice.split(' ').length),
  );
}

function commandContext(
  io: CliIo,
  values: Record<string, OptionValue>,
  args: readonly string[],
  rest: readonly string[],
): CommandContext {
  const dataDirOption = values['data-dir'];
  const dataDir = resolve(
    typeof dataDirOption === 'string' ? dataDirOption : defaultDataDir(io.env ?? process.env),
  );
  let client: EngineClient | undefined;
  return {
    io,
    dataDir,
    json: values.json === true,
    args,
    rest,
    now: io.now?.() ?? Date.now(),
    engine: () => (client ??= EngineClient.connect(dataDir)),
    option: (name) => {
      const value = values[name];
      return typeof value === 'string' ? value : undefined;
    },
    options: (name) => {
      const value = values[name];
      if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
      return typeof value === 'string' ? [value] : [];
    },
    flag: (name) => values[name] === true,
    print: (...lines) => {
      io.stdout(`${lines.join('\n')}\n`);
    },
    printJson: (value) => {
      io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    },
    progress: (label, work) => withProgress(io.stderrIsTerminal === true, io.stderr, label, work),
  };
}

function commandName(command: Command): string {
  return command.words.join(' ');
}

function usageLine(command: Command): string {
  return [...command.words, ...(command.args ?? []), command.usage ?? '', command.json ? '[--json]' : '']
    .filter(Boolean)
    .join(' ');
}

/** The full usage, or one command group's. */
function usage(
  entries: ReadonlyArray<Command | CommandGroup>,
  entry?: Command | CommandGroup,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const commands = entry
    ? isGroup(entry)
      ? entry.commands
      : [entry]
    : entries.flatMap((item) => (isGroup(item) ? item.commands : [item]));
  const lines = commands.map(
    (command) => [`gatehouse ${usageLine(command)}`, command.summary, command.details ?? []] as const,
  );
  const intro = entry
    ? `gatehouse ${isGroup(entry) ? `${entry.name}: ${entry.summary}` : entry.words.join(' ')}`
    : 'gatehouse: your gate between AI clients and MCP connectors';
  return [
    intro,
    '',
    'Usage:',
    ...lines.flatMap(([line, summary, details]) => [
      `  ${line}`,
      `      ${summary}`,
      ...details.map((detail) => `        ${detail}`),
    ]),
    '',
    'Every command takes:',
    `  --data-dir DIR  Gatehouse's data directory (default: ${env.GATEHOUSE_DATA_DIR ? '$GATEHOUSE_DATA_DIR' : defaultDataDir(env)})`,
    '  -h, --help      this help',
    '  --              ends the options: what follows is taken as written; put it before an id',
    '                  that starts with - (e.g. `approve -- -C_Fy…`)',
    '',
    'Exit codes: 0 done; 1 the work failed (Gatehouse not running, a test or sign-in that failed,',
    'a connector that does not start, a server that cannot be reached); 2 a bad command line or a value',
    'Gatehouse refused (an unknown name or id, a name already taken, a malformed value).',
    '',
  ].join('\n');
}
