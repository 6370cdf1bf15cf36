// `gatehouse connect [CLIENT]`: point Claude Desktop, Claude Code, VS Code or Cursor at Gatehouse by
// writing one entry in its config (backed up, undoable with --undo), or print what to paste; with no
// client, show which clients are installed, configured and connected.
import { resolve } from 'node:path';
import {
  setupClient,
  type ClientSetupInput,
  type ClientSetupOperationName,
  type ClientSetupOutput,
  type SetupClientName,
  type SetupClientView,
} from '../../core/api/client-setup-contract.js';
import { UsageError, type Command, type CommandContext } from '../command-context/command.js';
import { table } from '../output/table.js';
import { CONNECTED_WITHOUT_ENTRY } from '../../core/text.js';

const CLIENTS = setupClient.options;
const aliases: Record<string, SetupClientName> = {
  'claude-desktop': 'claude-desktop',
  'claude-code': 'claude-code',
  vscode: 'vscode',
  'vs-code': 'vscode',
  code: 'vscode',
  cursor: 'cursor',
};

/** Calls one of the engine's client-setup operations, typed by its name. */
export type SetupCall = <N extends ClientSetupOperationName>(
  name: N,
  input: ClientSetupInput<N>,
) => Promise<ClientSetupOutput<N>>;

/**
 * The engine's setup operations. They live in their own contract file; once contract.ts spreads it
 * into `operations`, EngineClient.call knows their names and checks their answers like any other.
 */
export function setupCall(context: CommandContext): SetupCall {
  const engine = context.engine();
  return engine.call.bind(engine) as unknown as SetupCall;
}

/** A client named on the command line, or a usage error listing the ones there are. */
export function clientArgument(word: string): SetupClientName {
  const client = aliases[word.toLowerCase()];
  if (!client) throw new UsageError(`There is no client "${word}"; name one of ${CLIENTS.join(', ')}.`);
  return client;
}

/** --project DIR as an absolute path (relative to where the command runs). */
export function projectOption(context: CommandContext): string | undefined {
  const project = context.option('project');
  if (project === undefined) return undefined;
  if (project.trim() === '') throw new UsageError('--project needs a directory.');
  return resolve(project);
}

function configuredText(view: SetupClientView): string {
  const here = view.locations.filter((location) => location.gatehouse === 'this');
  if (here.length > 0) return `yes (${[...new Set(here.map((location) => location.scope))].join(', ')})`;
  if (view.locations.some((location) => location.gatehouse === 'other')) return 'another Gatehouse';
  if (view.connected)
    return `no: ${(view.entryRemoved ? CONNECTED_WITHOUT_ENTRY.removed : CONNECTED_WITHOUT_ENTRY.notWritten).toLowerCase()}`;
  return 'no';
}

/**
 * Connected now, authorized through the entry but idle, or neither — from the entry's marker, never a
 * name.
 */
function connectedText(view: SetupClientView): string {
  const names = [...new Set(view.registeredClients.map((known) => known.name))].join(', ');
  if (view.connected) return `yes (${names})`;
  return view.registeredClients.length > 0 ? `not now (${names} has access)` : 'no';
}

function statusTable(context: CommandContext, views: SetupClientView[]): void {
  context.print(
    ...table(
      ['client', 'installed', 'configured', 'connected', 'config file'],
      views.map((view) => [
        view.client,
        // Not found where it usually lives, yet set up or connected: it is evidently here.
        view.installed
          ? 'yes'
          : view.connected
            ? 'yes (it connects)'
            : configuredText(view) === 'no'
              ? 'no'
              : 'not found',
        configuredText(view),
        connectedText(view),
        view.locations.find((location) => location.scope === 'user')?.path ?? '-',
      ]),
    ),
  );
  const problems = views.flatMap((view) => view.locations.flatMap((location) => location.problem ?? []));
  for (const problem of problems) context.io.stderr(`gatehouse: ${problem}\n`);
  context.print('', 'Connect one with `gatehouse connect CLIENT` (--print shows what it would write).');
}

/** What `--print` shows: the file and its entry, or the `claude mcp add` command for Claude Code. */
function printInstructions(
  context: CommandContext,
  view: SetupClientView,
  project: string | undefined,
): void {
  const scope = project === undefined ? 'user' : 'project';
  const path = view.locations.find((location) => location.scope === scope)?.path;
  if (context.json) {
    return context.printJson({
      client: view.client,
      scope,
      path: path ?? null,
      snippet: view.snippet,
      command: view.commands?.[scope] ?? null,
    });
  }
  if (view.commands) {
    context.print(
      `Run this${project === undefined ? '' : ` in ${project}`} to add Gatehouse to Claude Code:`,
      '',
      `  ${view.commands[scope]}`,
      '',
      `Or add this to ${path}:`,
    );
  } else {
    context.print(`Add this to ${path}${view.client === 'vscode' ? ' (merge it with what is there)' : ''}:`);
  }
  context.print('', view.snippet);
}

/**
 * `gatehouse connect [CLIENT] [--undo]`: writes (or removes) Gatehouse's entry in a client's configuration.
 */
export const connectCommand: Command = {
  words: ['connect'],
  args: ['[CLIENT]'],
  json: true,
  options: { project: { type: 'string' }, print: { type: 'boolean' }, undo: { type: 'boolean' } },
  usage: '[--project DIR] [--print] [--undo]',
  summary: 'Point an MCP client at Gatehouse, or show which clients are set up',
  details: [
    `CLIENT is one of ${CLIENTS.join(', ')}; without one, lists them.`,
    '--project DIR  write the project config in DIR (.mcp.json, .vscode/mcp.json, .cursor/mcp.json)',
    '--print        show the entry (or the `claude mcp add` command) instead of writing it',
    '--undo         put the config back as it was before Gatehouse changed it',
    'Every write keeps a backup beside the file (<file>.gatehouse-backup-<time>).',
  ],
  async run(context) {
    const project = projectOption(context);
    const word = context.args[0];
    if (word === undefined) {
      if (context.flag('print') || context.flag('undo')) {
        throw new UsageError(
          `Name the client to ${context.flag('undo') ? 'undo' : 'print'} (${CLIENTS.join(', ')}).`,
        );
      }
      const views = await setupCall(context)(
        'setup.clients',
        project === undefined ? {} : { projectDir: project },
      );
      if (context.json) return context.printJson(views);
      return statusTable(context, views);
    }
    const client = clientArgument(word);
    if (context.flag('print') && context.flag('undo'))
      throw new UsageError('Use --print or --undo, not both.');
    if (project !== undefined && client === 'claude-desktop') {
      throw new UsageError('Claude Desktop has no project configuration; leave out --project.');
    }
    const call = setupCall(context);
    const where = {
      client,
      scope: project === undefined ? 'user' : 'project',
      ...(project ? { projectDir: project } : {}),
    } as const;
    if (context.flag('print')) {
      const views = await call('setup.clients', project === undefined ? {} : { projectDir: project });
      return printInstructions(
        context,
        views.find((view) => view.client === client)!,
        project,
      );
    }
    const result = context.flag('undo')
      ? await context.progress(`Undoing ${client}'s Gatehouse entry`, () => call('setup.disconnect', where))
      : await context.progress(`Connecting ${client} to Gatehouse`, () => call('setup.connect', where));
    if (context.json) return context.printJson(result);
    context.print(result.message);
  },
};
