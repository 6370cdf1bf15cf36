// `gatehouse import CLIENT`: the MCP servers a client already has, listed (never with their secret
// values) and imported as Gatehouse connectors; with --replace, the client's config then holds the
// one Gatehouse entry in their place (backed up; `gatehouse connect CLIENT --undo` puts them back).
import type { ImportableServerView } from '../../core/api/client-setup-contract.js';
import { UsageError, type Command, type CommandContext } from '../command-context/command.js';
import { table } from '../output/table.js';
import { clientArgument, projectOption, setupCall } from './connect.js';
import { shorten } from '../../core/text.js';
import { proposalText } from '../../core/connectors/sandbox/grant-proposals.js';

function whatText(server: ImportableServerView): string {
  if (server.transport === 'stdio') return shorten([server.command ?? '', ...server.args].join(' '), 60);
  return `${server.url ?? ''}${server.transport === 'sse' ? ' (SSE)' : ''}`;
}

function secretsText(server: ImportableServerView): string {
  const names = [...server.env, ...server.headers, ...(server.bearer ? ['bearer token'] : [])];
  return names.length === 0 ? '-' : names.join(', ');
}

function noteText(server: ImportableServerView): string {
  if (server.gatehouse) return 'Gatehouse itself';
  return server.problem ?? 'ready';
}

function listServers(context: CommandContext, servers: ImportableServerView[], client: string): void {
  if (servers.length === 0) {
    context.print(`No MCP servers are configured in ${client}'s files.`);
    return;
  }
  context.print(
    ...table(
      ['server', 'scope', 'kind', 'command or url', 'secrets', 'connector', 'note'],
      servers.map((server) => [
        server.key,
        server.scope,
        server.transport,
        whatText(server),
        secretsText(server),
        server.gatehouse ? '-' : server.connectorName,
        noteText(server),
      ]),
    ),
    ...grantLines(servers),
    '',
    `Import with \`gatehouse import ${client} NAME…\` or --all; add --replace to leave only Gatehouse in ${client}'s config.`,
  );
}

/** What each server asks its sandbox to grant, given only with --accept-grants. */
function grantLines(servers: ImportableServerView[]): string[] {
  const asking = servers.filter((server) => server.grants.length > 0);
  if (asking.length === 0) return [];
  return [
    '',
    'What they ask their sandbox to grant (given only with --accept-grants; or later, one by one, with `gatehouse connectors edit`):',
    ...asking.flatMap((server) => [
      `  ${server.key}:`,
      ...server.grants.map(
        (grant) => `    ${grant.refused || grant.warning ? '!' : '+'} ${proposalText(grant)}`,
      ),
    ]),
  ];
}

/** `gatehouse import CLIENT`: brings the MCP servers a client has configured into Gatehouse as connectors. */
export const importCommand: Command = {
  words: ['import'],
  args: ['CLIENT', '[NAME…]'],
  json: true,
  options: {
    list: { type: 'boolean' },
    all: { type: 'boolean' },
    replace: { type: 'boolean' },
    project: { type: 'string' },
    'accept-grants': { type: 'boolean' },
  },
  usage: '[--list] [--all] [--replace] [--project DIR] [--accept-grants]',
  summary: 'Import the MCP servers a client already has as Gatehouse connectors (lists them first)',
  details: [
    'CLIENT is one of claude-desktop, claude-code, vscode, cursor; with no NAME and no --all, lists its servers.',
    '--all          import every server that can be imported',
    "--replace      then replace them in the client's config by the one Gatehouse entry (backed up;",
    '               undo with `gatehouse connect CLIENT --undo`)',
    "--project DIR  include that project's config (.mcp.json, .vscode/mcp.json, .cursor/mcp.json)",
    "Env and header values move into Gatehouse's vault, stored encrypted; they are never printed.",
    '--accept-grants gives each server what its command line and environment name (a folder, a file,',
    '               a local service; the list shows them); without it they start sandboxed with none.',
  ],
  async run(context) {
    const [word, ...names] = context.args;
    const client = clientArgument(word!);
    const project = projectOption(context);
    const all = context.flag('all');
    const listing = context.flag('list') || (names.length === 0 && !all);
    if (context.flag('list') && (names.length > 0 || all)) {
      throw new UsageError('--list only lists; leave it out to import.');
    }
    if (all && names.length > 0) throw new UsageError('Name servers or use --all, not both.');
    if (listing && context.flag('replace'))
      throw new UsageError('--replace goes with the servers to import.');
    const call = setupCall(context);
    const where = project === undefined ? {} : { projectDir: project };
    const found = listing || all ? await call('setup.importable', { client, ...where }) : null;
    for (const problem of found?.problems ?? []) context.io.stderr(`gatehouse: ${problem.message}\n`);
    if (found && listing) {
      if (context.json) return context.printJson(found);
      listServers(context, found.servers, client);
      return found.problems.length > 0 && found.servers.length === 0 ? 1 : 0;
    }
    const servers = found
      ? found.servers.filter((server) => !server.gatehouse).map((server) => server.key)
      : names;
    if (servers.length === 0) {
      context.print(`${client} has no MCP servers to import.`);
      return found && found.problems.length > 0 ? 1 : 0;
    }
    const result = await context.progress(
      `Importing ${servers.length === 1 ? servers[0] : `${servers.length} servers`} and starting ${servers.length === 1 ? 'it' : 'each'}`,
      () =>
        call('setup.import', {
          client,
          servers,
          replace: context.flag('replace'),
          acceptGrants: context.flag('accept-grants'),
          ...where,
        }),
    );
    if (context.json) {
      context.printJson(result);
    } else {
      context.print(
        ...result.outcomes.map((outcome) =>
          outcome.outcome === 'imported'
            ? `${outcome.doesNotStart === true ? 'imported, not running' : 'imported'}  ${outcome.server} → connector ${outcome.connector} (${outcome.detail})`
            : `skipped   ${outcome.server}: ${outcome.detail}`,
        ),
        result.message,
      );
    }
    return result.outcomes.some((outcome) => outcome.outcome === 'imported') ? 0 : 1;
  },
};
