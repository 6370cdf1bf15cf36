// `gatehouse catalog …`: servers from the MCP Registry (or the private one in the registryUrl setting) —
// searched, shown with what each way of adding them needs, and added as a connector. The user's
// flags are matched to the server's inputs and checked here first, so a missing or wrong value is a
// bad command line (exit 2) that names the flag to use; secrets come only from environment variables.
// `add` prints what it will run and asks first (catalog-review.ts); the engine adds exactly that.
import type {
  CatalogAnswers,
  CatalogInputView,
  CatalogOptionView,
  CatalogServerDetail,
  CatalogServerSummary,
} from '../../core/api/catalog-contract.js';
import type { ConnectorView } from '../../core/api/contract.js';
import { checkAnswers, inputLabel } from '../../core/catalog/answer-check.js';
import { chooseOption, findOption } from '../../core/catalog/option-choice.js';
import {
  CommandFailure,
  UsageError,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command-context/command.js';
import { fields, printable, table } from '../output/table.js';
import { confirmAdd, publisherLines, reviewLines } from './catalog-review.js';
import { count, shorten } from '../../core/text.js';
import { visibleValue } from '../../core/visible-text.js';

const KIND_WORDS: Record<CatalogServerSummary['kinds'][number], string> = {
  npm: 'npm',
  pypi: 'PyPI',
  oci: 'Docker',
  remote: 'remote',
  other: 'other',
};

/** A line on stderr saying what is happening, kept off stdout so --json and pipes stay clean. */
function progress(context: CommandContext, text: string): void {
  if (!context.json) context.io.stderr(`${text}\n`);
}

const search: Command = {
  words: ['catalog', 'search'],
  args: ['[WORDS…]'],
  json: true,
  options: { limit: { type: 'string' }, cursor: { type: 'string' } },
  usage: '[--limit N] [--cursor C]',
  summary: 'Search the MCP Registry for servers whose name contains the words (all servers without any)',
  async run(context) {
    const query = context.args.join(' ');
    const cursor = context.option('cursor');
    const limit = limitOption(context);
    progress(
      context,
      query === '' ? 'Listing the MCP Registry…' : `Searching the MCP Registry for "${query}"…`,
    );
    const result = await context.engine().call('catalog.search', {
      query,
      limit,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    if (context.json) return context.printJson(result);
    if (result.servers.length === 0) {
      context.print(
        query === ''
          ? `${result.registryUrl} lists no servers.`
          : `No server in ${result.registryUrl} has "${query}" in its name. Search for a part of it (e.g. one word).`,
      );
      return;
    }
    context.print(
      ...table(
        ['name', 'version', 'status', 'runs as', 'description'],
        result.servers.map((server) => [
          server.name,
          server.version,
          server.addedAs.length > 0
            ? `${server.status}, added as ${server.addedAs.join(', ')}`
            : server.status,
          server.kinds.map((kind) => KIND_WORDS[kind]).join(', ') || '-',
          shorten(server.title ? `${server.title}: ${server.description}` : server.description, 70),
        ]),
      ),
      '',
      `${count(result.servers.length, 'server')} from ${result.registryUrl}${result.skipped > 0 ? ` (${count(result.skipped, 'entry', 'entries')} left out: not valid server.json)` : ''}. Details: gatehouse catalog show NAME`,
      ...(result.nextCursor !== null ? [moreLine(query, result.nextCursor)] : []),
    );
  },
};

const show: Command = {
  words: ['catalog', 'show'],
  args: ['NAME'],
  json: true,
  options: { version: { type: 'string' } },
  usage: '[--version V]',
  summary: 'Show a server: description, status, versions, repository, and what each way of adding it needs',
  async run(context) {
    const name = context.args[0]!;
    progress(context, `Reading ${name} from the MCP Registry…`);
    const detail = await context.engine().call('catalog.show', versioned(context, name));
    if (context.json) return context.printJson(detail);
    context.print(...detailLines(detail));
  },
};

const add: Command = {
  words: ['catalog', 'add'],
  args: ['NAME'],
  json: true,
  options: {
    as: { type: 'string' },
    version: { type: 'string' },
    package: { type: 'string' },
    'env-from': { type: 'string', multiple: true },
    'header-from': { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    'set-from': { type: 'string', multiple: true },
    oauth: { type: 'boolean' },
    disabled: { type: 'boolean' },
    keep: { type: 'boolean' },
    again: { type: 'boolean' },
    yes: { type: 'boolean' },
    'accept-risks': { type: 'boolean' },
    'accept-grants': { type: 'boolean' },
    reviewed: { type: 'string' },
  },
  usage:
    '[--as CONNECTOR] [--again] [--package npm|pypi|oci|remote] [--env-from NAME=ENVVAR…] [--header-from NAME=ENVVAR…] [--set NAME=VALUE…] [--set-from NAME=ENVVAR…] [--version V] [--oauth] [--disabled] [--keep] [--yes] [--accept-risks] [--accept-grants] [--reviewed CODE]',
  summary: 'Add a server from the MCP Registry as a connector, with the values it needs',
  details: [
    '--env-from and --header-from fill the server’s environment variables and headers from this shell’s',
    'environment; --set gives any other value (an argument, a URL variable), --set-from the same from',
    'the environment (the way for secret ones). `gatehouse catalog show NAME` lists what it asks for.',
    '--package picks how to run it when it offers several (default: the first that works here);',
    '--oauth signs in to a remote server with OAuth; --keep keeps the connector even if it fails to start.',
    'It prints what it will run and asks first; --yes adds without asking (--accept-risks too when it',
    'changes how its runtime behaves, --accept-grants when its entry names folders, files or local',
    'services for its sandbox to grant). --reviewed CODE adds only if the registry still serves what',
    '`catalog show` gave that review code for. A server already added as a connector is added again',
    'only with --again (another connector for it, e.g. with other answers).',
  ],
  async run(context) {
    const name = context.args[0]!;
    const engine = context.engine();
    progress(context, `Reading ${name} from the MCP Registry…`);
    const detail = await engine.call('catalog.show', versioned(context, name));
    const about = `${detail.name} ${detail.version}`;
    const wanted = context.option('package');
    if (wanted !== undefined && !findOption(detail.options, wanted)) {
      const offered = detail.options.map((option) => option.id).join(', ') || 'nothing';
      throw new UsageError(`${about} has no ${wanted} option; it offers ${offered}.`);
    }
    const option = chooseOption(about, detail.options, wanted);
    if (context.flag('oauth') && option.kind !== 'remote') {
      throw new UsageError(`--oauth is for remote servers; ${option.label} runs on this machine.`);
    }
    const answers = answersFrom(context, option);
    const checked = checkAnswers(option.inputs, answers);
    if (checked.problems.length > 0) {
      const byId = new Map(option.inputs.map((input) => [input.id, input]));
      throw new UsageError(
        [
          `Cannot add ${about} (${option.label}):`,
          ...checked.problems.map((problem) => {
            const input = byId.get(problem.inputId);
            return `  ${problem.message}${input ? ` — ${flagFor(input)}` : ''}`;
          }),
        ].join('\n'),
      );
    }
    const reviewedCode = context.option('reviewed');
    if (reviewedCode !== undefined && reviewedCode !== option.reviewed) {
      throw new CommandFailure(
        `The registry now serves ${about} (${option.label}) differently from what you reviewed (review code ${reviewedCode}); nothing was added. Look at it again with gatehouse catalog show ${detail.name}.`,
      );
    }
    if (detail.addedAs.length > 0 && !context.flag('again')) {
      const names = detail.addedAs.join(', ');
      throw new UsageError(
        `${detail.name} is already added as ${names}; nothing was added. Use ${names}, or add --again to have another connector for it.`,
      );
    }
    const review = [
      ...publisherLines(detail),
      printable(`It will add ${about} as ${option.label}:`),
      ...reviewLines(option, '  '),
    ];
    if (context.json) for (const line of review) context.io.stderr(`${line}\n`);
    else context.print(...review);
    await confirmAdd(context, option);
    const connector = context.option('as') ?? detail.suggestedConnectorName;
    progress(
      context,
      `Adding ${connector} (${option.label})${context.flag('disabled') ? '' : ' and starting it'}…`,
    );
    const result = await engine
      .call('catalog.add', {
        name: detail.name,
        version: detail.version,
        option: option.id,
        connector,
        answers,
        auth: context.flag('oauth') ? 'oauth' : 'none',
        enabled: !context.flag('disabled'),
        keepIfFailing: context.flag('keep'),
        reviewed: option.reviewed,
        acceptRisks: option.risks.length > 0,
        acceptGrants: option.grants.some((grant) => grant.refused === null),
        again: context.flag('again'),
      })
      .catch((error: unknown) => {
        // Exit 1, the work failed; say how to keep it anyway, as `connectors add` names --force (not for
        // a broken entry: keeping it fixes nothing).
        if ((error as { code?: unknown }).code === 'broken_entry')
          throw new CommandFailure((error as Error).message);
        if ((error as { code?: unknown }).code !== 'does_not_start') throw error;
        throw new CommandFailure(
          `${(error as Error).message.replace(/\.$/, '')}, or keep it anyway with --keep to fix it later.`,
        );
      });
    for (const warning of result.warnings) context.io.stderr(`Note: ${warning}\n`);
    if (context.json) return context.printJson(result);
    const view = result.connector;
    context.print(
      `Added ${view.name} from ${about} (${option.label}): ${statusSentence(view)}`,
      ...nextSteps(view),
    );
  },
};

// ---- Answers from the command line ----------------------------------------------------------------

/** The user's flags as answers by input id; a flag that names nothing the server asks for is refused. */
function answersFrom(context: CommandContext, option: CatalogOptionView): CatalogAnswers {
  const answers: Record<string, string[]> = {};
  const give = (input: CatalogInputView, value: string) => {
    answers[input.id] = [...(answers[input.id] ?? []), value];
  };
  for (const pair of context.options('env-from')) {
    const [name, variable] = splitPair(pair, '--env-from takes NAME=ENVVAR');
    give(
      inputNamed(option, name, '--env-from', ['environment']),
      fromEnvironment(context, '--env-from', variable),
    );
  }
  for (const pair of context.options('header-from')) {
    const [name, variable] = splitPair(pair, '--header-from takes NAME=ENVVAR');
    give(
      inputNamed(option, name, '--header-from', ['header']),
      fromEnvironment(context, '--header-from', variable),
    );
  }
  for (const pair of context.options('set-from')) {
    const [name, variable] = splitPair(pair, '--set-from takes NAME=ENVVAR');
    give(inputNamed(option, name, '--set-from'), fromEnvironment(context, '--set-from', variable));
  }
  for (const pair of context.options('set')) {
    const [name, value] = splitPair(pair, '--set takes NAME=VALUE');
    const input = inputNamed(option, name, '--set');
    if (input.secret) {
      throw new UsageError(
        `${inputLabel(input)} is a secret: ${flagFor(input)} instead, so it stays out of your shell history.`,
      );
    }
    give(input, value);
  }
  return answers;
}

/** The input a flag names: by its name (a header's in any case) or its id (`variable:tenant`). */
function inputNamed(
  option: CatalogOptionView,
  name: string,
  flag: string,
  kinds?: ReadonlyArray<CatalogInputView['kind']>,
): CatalogInputView {
  const candidates = option.inputs.filter((input) => kinds === undefined || kinds.includes(input.kind));
  const matching = candidates.filter(
    (input) =>
      input.id === name ||
      input.name === name ||
      (input.kind === 'argument' && input.name.replace(/^-+/, '') === name.replace(/^-+/, '')) ||
      (input.kind === 'header' && input.name.toLowerCase() === name.toLowerCase()),
  );
  if (matching.length === 1) return matching[0]!;
  if (matching.length > 1) {
    throw new UsageError(
      `${flag} ${name} could mean ${matching.map((input) => input.id).join(' or ')}; name one of these instead.`,
    );
  }
  const what =
    kinds?.[0] === 'environment' ? 'environment variable' : kinds?.[0] === 'header' ? 'header' : 'value';
  const asked = option.inputs.map((input) => `${input.name} (${flagFor(input)})`).join('; ');
  throw new UsageError(
    `${option.label} has no ${what} named ${name}. ${asked ? `It asks for: ${asked}.` : 'It asks for nothing.'}`,
  );
}

/** How to give an input on the command line. */
function flagFor(input: CatalogInputView): string {
  const placeholder =
    input.name
      .replace(/^-+/, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toUpperCase() || 'VALUE';
  if (input.kind === 'environment') {
    return input.secret ? `--env-from ${input.name}=YOUR_VAR` : `--set ${input.name}=VALUE`;
  }
  if (input.kind === 'header') {
    return input.secret ? `--header-from ${input.name}=YOUR_VAR` : `--set ${input.name}=VALUE`;
  }
  const name = input.name.replace(/^-+/, '');
  return input.secret ? `--set-from ${name}=YOUR_VAR` : `--set ${name}=${placeholder}`;
}

function splitPair(text: string, expected: string): [string, string] {
  const at = text.indexOf('=');
  const key = at > 0 ? text.slice(0, at).trim() : '';
  if (key === '') throw new UsageError(`${expected} (got "${text}").`);
  return [key, text.slice(at + 1)];
}

/** A value from this shell's environment; never from the command line itself. */
function fromEnvironment(context: CommandContext, option: string, variable: string): string {
  const value = (context.io.env ?? process.env)[variable];
  if (value === undefined || value === '') {
    throw new UsageError(
      `${option} …=${variable}: the environment variable ${variable} is not set or is empty; set it in this shell first.`,
    );
  }
  return value;
}

function versioned(context: CommandContext, name: string): { name: string; version?: string } {
  const version = context.option('version');
  return version === undefined ? { name } : { name, version };
}

function limitOption(context: CommandContext): number {
  const value = context.option('limit');
  if (value === undefined) return 30;
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) {
    throw new UsageError(`--limit is a whole number from 1 to 100 (got "${value}").`);
  }
  return limit;
}

// ---- Words -----------------------------------------------------------------------------------------

function statusText(server: CatalogServerSummary): string {
  const why = server.statusMessage ? ` — ${server.statusMessage}` : '';
  switch (server.status) {
    case 'active':
      return 'active';
    case 'deprecated':
      return `deprecated${why}`;
    case 'deleted':
      return `deleted from the registry${why}; it cannot be added`;
  }
}

function detailLines(detail: CatalogServerDetail): string[] {
  const versions = detail.versions.map(
    (version) =>
      `${version.version}${version.isLatest ? ' (latest)' : ''}${version.status !== 'active' ? ` ${version.status}` : ''}`,
  );
  const lines = fields([
    ['Server', detail.title ? `${detail.name} — ${detail.title}` : detail.name],
    ['Publisher', detail.publisher],
    ['Description', detail.description],
    ['Version', `${detail.version}${detail.isLatest ? ' (latest)' : ' (not the latest)'}`],
    ['Status', statusText(detail)],
    ...(detail.addedAs.length > 0
      ? ([['Already added', `as ${detail.addedAs.join(', ')} (adding it again needs --again)`]] as const)
      : []),
    ['Repository', detail.repositoryUrl ?? '-'],
    ['Website', detail.websiteUrl ?? '-'],
    ['Published', detail.publishedAt ?? '-'],
    ['Versions', versions.length > 0 ? versions.join(', ') : '-'],
    ['Registry', detail.registryUrl],
  ]);
  lines.push(
    '',
    ...publisherLines(detail),
    '',
    detail.options.length === 0 ? 'It lists no package and no remote server.' : 'Ways to add it:',
  );
  for (const option of detail.options) {
    lines.push('', printable(`  --package ${option.id}: ${option.label}`), ...reviewLines(option));
    if (option.problem !== null) lines.push(printable(`    cannot be added here: ${option.problem}`));
    for (const input of option.inputs) {
      const traits = [input.required ? 'required' : 'optional', ...(input.secret ? ['secret'] : [])];
      const extra = [
        ...(input.default !== null ? [`default ${input.default}`] : []),
        ...(input.choices !== null ? [`one of ${input.choices.join(', ')}`] : []),
      ];
      lines.push(
        printable(
          `    ${input.name} (${traits.join(', ')}${extra.length > 0 ? `; ${extra.join('; ')}` : ''}): ${input.description ?? ''}`.trimEnd(),
        ),
        `      ${flagFor(input)}`,
      );
    }
  }
  const usable = detail.options.find((option) => option.problem === null);
  if (detail.status !== 'deleted' && usable) {
    const required = usable.inputs.filter((input) => input.required && input.default === null);
    lines.push(
      '',
      printable(
        `${detail.addedAs.length > 0 ? 'Add another: ' : 'Add it: '}gatehouse catalog add ${detail.name}${detail.addedAs.length > 0 ? ' --again' : ''}${usable !== detail.options[0] ? ` --package ${usable.id}` : ''}${required.map((input) => ` ${flagFor(input)}`).join('')} --reviewed ${usable.reviewed}`,
      ),
    );
  }
  return lines;
}

function statusSentence(view: ConnectorView): string {
  const { status } = view;
  if (!view.enabled) return 'disabled (start it with `gatehouse connectors enable ' + view.name + '`).';
  if (status.auth === 'action-required') return 'waiting for you to sign in.';
  switch (status.connection) {
    case 'connected':
      return `connected, ${count(view.toolCount, 'tool')}.`;
    case 'error':
      return `not connected: ${status.lastError ?? 'unknown error'}`;
    default:
      return `${status.connection}.`;
  }
}

function nextSteps(view: ConnectorView): string[] {
  if (view.enabled && view.status.auth === 'action-required') {
    return [`Next: gatehouse connectors connect ${view.name} (to sign in)`];
  }
  if (view.status.connection === 'error' && view.settings.kind === 'stdio') {
    return [`What it printed: gatehouse connectors logs ${view.name}`];
  }
  return [];
}

/** A word as a shell would need it typed. */
/**
 * The command for the next page. The cursor is the registry's own text: every character that cannot
 * be seen (an escape that writes the clipboard or clears the screen) is shown ⟦like this⟧, as a
 * description's is, and then the line says the command cannot send it as it was.
 */
function moreLine(query: string, cursor: string): string {
  const shown = visibleValue(cursor);
  const command = `gatehouse catalog search ${query ? `${shellWord(query)} ` : ''}--cursor ${shellWord(shown)}`;
  return shown === cursor
    ? `More: ${command}`
    : `More: ${command} (the registry's cursor holds characters that cannot be seen, shown ⟦like this⟧; typed, it will not be the same cursor)`;
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `gatehouse catalog search / show / add`: servers from the MCP Registry. */
export const catalogGroup: CommandGroup = {
  name: 'catalog',
  summary: 'servers from the MCP Registry: search, show, add as a connector',
  commands: [search, show, add],
  defaultCommand: 'search',
};
