// `gatehouse connectors …`: the upstream MCP servers behind Gatehouse — a local command over stdio or
// a server at a URL — added, changed, tested, signed in to and removed. Secrets are read only from
// environment variables, so they never land in shell history; the API hands them back as "[stored]",
// shown here as •••• and sent back unchanged on edit, which keeps the stored value.
import type { EngineEvent } from '../../core/api/contract.js';
import { GatehouseError } from '../../core/errors.js';
import {
  CommandFailure,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command-context/command.js';
import type { EngineClient } from '../command-context/engine-client.js';
import { fields, printable, table } from '../output/table.js';
import { untilStopped } from '../command-context/stop-signal.js';
import { ago, count } from '../../core/text.js';
import {
  editedSettings,
  newSettings,
  noteLiteralSecrets,
  noteNoSandbox,
  settingDetails,
  settingOptions,
} from './connector-options.js';
import {
  authWord,
  grantLines,
  httpFields,
  kindText,
  nextSteps,
  sandboxFields,
  processText,
  sentence,
  statusText,
  stdioFields,
  toolsText,
} from './connector-text.js';
const SIGN_IN_WAIT_MS = 10 * 60_000;

const HANDLES_SECRETS_DETAIL =
  '--handles-secrets: it handles secrets on purpose (a password manager, a secrets vault): calls whose arguments carry secret material reach it without asking, and its results are not masked; both audited.';

/** --handles-secrets or --no-handles-secrets, or neither (undefined); both is a mistake. */
function handlesSecretsChoice(context: CommandContext): boolean | undefined {
  const on = context.flag('handles-secrets');
  const off = context.flag('no-handles-secrets');
  if (on && off) throw new CommandFailure('Give --handles-secrets or --no-handles-secrets, not both.');
  return on ? true : off ? false : undefined;
}

/** Whether the command line changes any setting (anything but the handles-secrets flags). */
function settingsGiven(context: CommandContext, options: Record<string, { type: string }>): boolean {
  if (context.rest.length > 0) return true;
  return Object.entries(options).some(([name, option]) => {
    if (name === 'handles-secrets' || name === 'no-handles-secrets') return false;
    return option.type === 'boolean' ? context.flag(name) : context.options(name).length > 0;
  });
}

const list: Command = {
  words: ['connectors', 'list'],
  json: true,
  summary: 'List connectors with their connection, sign-in, tools and process',
  async run(context) {
    const connectors = await context.engine().call('connectors.list', {});
    if (context.json) return context.printJson(connectors);
    if (connectors.length === 0) {
      context.print(
        'No connectors yet. Add one with `gatehouse connectors add NAME --stdio -- CMD ARGS…` or `gatehouse connectors add NAME --url URL`.',
      );
      return;
    }
    const rows = table(
      ['name', 'kind', 'connection', 'auth', 'tools', 'restarts', 'process'],
      connectors.map((view) => [
        view.name,
        kindText(view),
        view.status.connection,
        authWord(view),
        toolsText(view),
        String(view.status.restarts),
        processText(view),
      ]),
    );
    // A connector's last error is a whole sentence (what the server did, the bound, what to do): it
    // follows its row, indented, uncut.
    context.print(
      rows[0]!,
      ...connectors.flatMap((view, i) => [
        rows[i + 1]!,
        ...(view.status.lastError === null ? [] : [`  last error: ${printable(view.status.lastError)}`]),
      ]),
    );
  },
};

const show: Command = {
  words: ['connectors', 'show'],
  args: ['NAME'],
  json: true,
  summary: "Show one connector's settings (secrets masked), status and MCP URL",
  async run(context) {
    const view = await context.engine().call('connectors.get', { name: context.args[0]! });
    if (context.json) return context.printJson(view);
    const { settings, status } = view;
    context.print(
      ...fields([
        ['Connector', `${view.name} (${settings.kind})`],
        ['Enabled', view.enabled ? 'yes' : 'no'],
        ['Status', statusText(view)],
        ...(settings.kind === 'stdio'
          ? [...stdioFields(settings), ...sandboxFields(view)]
          : httpFields(settings, view)),
        ['Tools', toolsText(view)],
        [
          'Secrets',
          view.handlesSecrets
            ? 'handled on purpose: calls and results carrying secrets pass (audited)'
            : 'a call carrying secrets waits for you; results are masked',
        ],
        ['Server', status.serverInfo ? `${status.serverInfo.name} ${status.serverInfo.version}` : '-'],
        ['Connected', status.connectedAt === null ? '-' : ago(status.connectedAt, context.now)],
        ['Restarts', String(status.restarts)],
        ...(status.pid !== null ? ([['Process', processText(view)]] as const) : []),
        ['Last error', status.lastError ?? 'none'],
        ['MCP URL', view.mcpUrl],
      ]),
      ...(settings.kind === 'stdio' ? [`Its recent stderr: gatehouse connectors logs ${view.name}`] : []),
    );
  },
};

const add: Command = {
  words: ['connectors', 'add'],
  args: ['NAME'],
  json: true,
  passthrough: true,
  options: {
    ...settingOptions,
    stdio: { type: 'boolean' },
    disabled: { type: 'boolean' },
    force: { type: 'boolean' },
    'handles-secrets': { type: 'boolean' },
  },
  usage:
    '(--stdio [stdio options] -- CMD ARGS… | --url URL [http options]) [--disabled] [--force] [--handles-secrets]',
  summary: 'Add a connector: a local command over stdio, or an MCP server at a URL',
  details: [
    ...settingDetails,
    'A connector that does not start is not kept (exit 1); --force keeps it anyway, to fix later.',
    HANDLES_SECRETS_DETAIL,
  ],
  async run(context) {
    const name = context.args[0]!;
    const settings = newSettings(context);
    const engine = context.engine();
    const view = await context
      .progress(`Adding ${name} and starting it`, () =>
        engine.call('connectors.add', {
          name,
          settings,
          enabled: !context.flag('disabled'),
          // Nothing half-saved: one that cannot start is not kept, unless asked to keep it.
          onlyIfItStarts: !context.flag('force'),
          handlesSecrets: context.flag('handles-secrets'),
          // The command is the user's own: what it names is granted, and said below.
          grantCommandLine: settings.kind === 'stdio',
        }),
      )
      .catch(async (error: unknown) => {
        if ((error as { code?: unknown }).code !== 'does_not_start') throw error;
        // The message names the line that explains; all it printed is one command away.
        const printed =
          settings.kind === 'stdio' &&
          (await engine.call('connectors.logs', { name }).catch(() => ({ lines: [] }))).lines.length > 0;
        throw new CommandFailure(
          `${(error as Error).message.replace(/\.$/, '')}. Fix the ${settings.kind === 'stdio' ? 'command' : 'URL'} and add it again, or keep it anyway with --force.` +
            (printed ? `\nWhat it printed: gatehouse connectors logs ${name}` : ''),
        );
      });
    noteLiteralSecrets(context);
    noteNoSandbox(context);
    if (context.json) return context.printJson(view);
    context.print(
      `Added ${name} (${view.settings.kind}): ${sentence(statusText(view))}`,
      ...grantLines(view),
      ...nextSteps(view),
    );
  },
};

const edit: Command = {
  words: ['connectors', 'edit'],
  args: ['NAME'],
  json: true,
  passthrough: true,
  options: {
    ...settingOptions,
    stdio: { type: 'boolean' },
    'unset-env': { type: 'string', multiple: true },
    'unset-header': { type: 'string', multiple: true },
    'no-auth': { type: 'boolean' },
    'handles-secrets': { type: 'boolean' },
    'no-handles-secrets': { type: 'boolean' },
  },
  usage:
    '[-- CMD ARGS… | --url URL] [options as for add] [--unset-env KEY…] [--unset-header NAME…] [--no-auth] [--[no-]handles-secrets]',
  summary: 'Change a connector; what you leave out (and every secret you do not replace) stays as it is',
  details: [
    HANDLES_SECRETS_DETAIL,
    '--no-handles-secrets: calls carrying secrets wait for you again. Either alone changes only that: the connector is not restarted.',
  ],
  async run(context) {
    const name = context.args[0]!;
    const engine = context.engine();
    const handles = handlesSecretsChoice(context);
    let view = await engine.call('connectors.get', { name });
    const changesSettings = settingsGiven(context, edit.options ?? {});
    if (changesSettings || handles === undefined) {
      const settings = editedSettings(context, view);
      // A new command line is the user's own words: what it names is granted too.
      view = await engine.call('connectors.edit', {
        name,
        settings,
        grantCommandLine: settings.kind === 'stdio' && context.rest.length > 0,
      });
    }
    if (handles !== undefined)
      view = await engine.call('connectors.setHandlesSecrets', { name, handlesSecrets: handles });
    noteLiteralSecrets(context);
    noteNoSandbox(context);
    if (context.json) return context.printJson(view);
    context.print(
      changesSettings || handles === undefined
        ? `Saved ${name}: ${sentence(statusText(view))}`
        : handles
          ? `${name} handles secrets on purpose: calls and results carrying secrets pass, and Activity records each.`
          : `${name}: a call carrying secrets waits for you again, and its results are masked.`,
      ...(changesSettings || handles === undefined ? [...grantLines(view), ...nextSteps(view)] : []),
    );
  },
};

const enable: Command = {
  words: ['connectors', 'enable'],
  args: ['NAME'],
  json: true,
  summary: 'Start a connector and show its tools to clients again',
  async run(context) {
    const view = await context.engine().call('connectors.enable', { name: context.args[0]! });
    if (context.json) return context.printJson(view);
    context.print(`Enabled ${view.name}: ${sentence(statusText(view))}`, ...nextSteps(view));
  },
};

const disable: Command = {
  words: ['connectors', 'disable'],
  args: ['NAME'],
  json: true,
  summary: 'Stop a connector and hide its tools from every client (settings are kept)',
  async run(context) {
    const view = await context.engine().call('connectors.disable', { name: context.args[0]! });
    if (context.json) return context.printJson(view);
    context.print(`Disabled ${view.name}; clients no longer see its tools.`);
  },
};

const remove: Command = {
  words: ['connectors', 'remove'],
  args: ['NAME'],
  json: true,
  summary: 'Remove a connector with its stored secrets and tool settings',
  async run(context) {
    const result = await context.engine().call('connectors.remove', { name: context.args[0]! });
    if (context.json) return context.printJson(result);
    context.print(`Removed ${result.name} and its stored secrets.`);
  },
};

const test: Command = {
  words: ['connectors', 'test'],
  args: ['NAME'],
  json: true,
  summary: 'Connect afresh with the stored settings and list the tools (exit 1 when it fails)',
  async run(context) {
    const name = context.args[0]!;
    const result = await context.progress(`Testing ${name}`, () =>
      context.engine().call('connectors.test', { name }),
    );
    if (context.json) {
      context.printJson(result);
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      throw new CommandFailure(
        `${name} failed its test after ${result.latencyMs} ms: ${result.error ?? 'unknown error'}`,
      );
    }
    context.print(
      `${name} works: connected in ${result.latencyMs} ms and listed ${count(result.toolCount, 'tool')}.`,
    );
    return 0;
  },
};

const connect: Command = {
  words: ['connectors', 'connect'],
  args: ['NAME'],
  json: true,
  options: { 'no-wait': { type: 'boolean' } },
  usage: '[--no-wait]',
  summary: 'Sign in to an OAuth connector: shows the authorization page, then waits until you finish',
  details: ['With --no-wait or --json it only prints the page’s URL.'],
  async run(context) {
    const name = context.args[0]!;
    const engine = context.engine();
    const wait = !context.flag('no-wait') && !context.json;
    const stop = new AbortController();
    try {
      // Subscribed before the sign-in starts, so even an instant sign-in is seen.
      const events = wait ? await engine.subscribe(stop.signal) : undefined;
      const { authorizationUrl } = await engine.call('connectors.connect', { name });
      if (context.json) return context.printJson({ authorizationUrl });
      context.print(
        `Sign in to ${name} on this page (the Gatehouse app opens it in your browser; with \`gatehouse serve\`, open it yourself):`,
        `  ${authorizationUrl}`,
      );
      if (!events) return;
      context.print('Waiting for you to finish signing in (up to 10 minutes; Ctrl+C stops waiting)…');
      return await waitForSignIn(context, engine, events, name, stop);
    } finally {
      stop.abort();
    }
  },
};

const logs: Command = {
  words: ['connectors', 'logs'],
  args: ['NAME'],
  json: true,
  summary: 'Print the last lines a stdio connector wrote to stderr',
  async run(context) {
    const name = context.args[0]!;
    const engine = context.engine();
    const result = await engine.call('connectors.logs', { name });
    if (context.json) return context.printJson(result);
    if (result.lines.length > 0) return context.print(...result.lines);
    const view = await engine.call('connectors.get', { name });
    context.print(
      view.settings.kind === 'stdio'
        ? `${name} has written nothing to stderr since it started.`
        : `${name} is an http connector; only stdio connectors have stderr to show.`,
    );
  },
};

/** Follows the engine's events until the connector is signed in and connected, or time runs out. */
async function waitForSignIn(
  context: CommandContext,
  engine: EngineClient,
  events: AsyncIterable<EngineEvent>,
  name: string,
  stop: AbortController,
): Promise<number> {
  const timer = setTimeout(() => stop.abort('timeout'), SIGN_IN_WAIT_MS);
  void untilStopped(context.io).then(() => stop.abort('stopped'));
  try {
    for await (const event of events) {
      if (event.type !== 'connectors.changed' || event.name !== name) continue;
      const view = await engine.call('connectors.get', { name });
      if (view.status.auth !== 'ready' || view.status.connection === 'starting') continue;
      if (view.status.connection === 'connected') {
        context.print(`Signed in: ${name} is ${sentence(statusText(view))}`);
        return 0;
      }
      throw new CommandFailure(
        `Signed in, but ${name} is not connected: ${view.status.lastError ?? view.status.connection}`,
      );
    }
  } finally {
    clearTimeout(timer);
  }
  switch (stop.signal.reason) {
    case 'timeout':
      throw new CommandFailure(
        `${name} is still not signed in after 10 minutes; run \`gatehouse connectors connect ${name}\` to start again.`,
      );
    case 'stopped':
      throw new CommandFailure(
        `Stopped waiting; if you finish signing in, ${name} connects by itself (see gatehouse connectors show ${name}).`,
      );
    default:
      throw new GatehouseError('engine_unreachable', `Gatehouse stopped before ${name} was signed in.`);
  }
}

// ---- Settings from the command line ---------------------------------------------------------------

/** `gatehouse connectors …`: add, change, test, sign in to and remove the MCP servers behind Gatehouse. */
export const connectorsGroup: CommandGroup = {
  name: 'connectors',
  summary: 'the MCP servers behind Gatehouse: add, change, test, sign in, remove',
  commands: [list, show, add, edit, enable, disable, test, connect, logs, remove],
  defaultCommand: 'list',
};
