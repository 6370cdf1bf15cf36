// `gatehouse connectors …`: the upstream MCP servers behind Gatehouse — a local command over stdio or
// a server at a URL — added, changed, tested, signed in to and removed. Secrets are read only from
// environment variables, so they never land in shell history; the API hands them back as "[stored]",
// shown here as •••• and sent back unchanged on edit, which keeps the stored value.
import type { ParseArgsOptionsConfig } from 'node:util';
import type { ConnectorView, EngineEvent } from '../../core/api/contract.js';
import type {
  ConnectorSettings,
  HttpAuth,
  HttpSettings,
  StdioSettings,
} from '../../core/connectors/connector-config.js';
import { AUTH_PROBLEM_WORDS } from '../../core/connectors/auth-problem.js';
import { GatehouseError } from '../../core/errors.js';
import {
  CommandFailure,
  UsageError,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command.js';
import type { EngineClient } from '../engine-client.js';
import { fields, table } from '../output/table.js';
import { untilStopped } from '../stop-signal.js';
import { ago, count, MASKED, megabytes, shorten } from '../../core/text.js';

const SIGN_IN_WAIT_MS = 10 * 60_000;
const transports = ['auto', 'streamable-http', 'sse'] as const;

const settingOptions = {
  env: { type: 'string', multiple: true },
  'env-from': { type: 'string', multiple: true },
  cwd: { type: 'string' },
  url: { type: 'string' },
  transport: { type: 'string' },
  timeout: { type: 'string' },
  header: { type: 'string', multiple: true },
  'header-from': { type: 'string', multiple: true },
  'bearer-env': { type: 'string' },
  oauth: { type: 'boolean' },
  'client-id': { type: 'string' },
  'client-secret-env': { type: 'string' },
  'authorize-url': { type: 'string' },
  'token-url': { type: 'string' },
  scope: { type: 'string', multiple: true },
} satisfies ParseArgsOptionsConfig;

const stdioOnly = ['env', 'env-from', 'cwd', 'unset-env'];
const httpOnly = [
  'transport',
  'timeout',
  'header',
  'header-from',
  'unset-header',
  'bearer-env',
  'oauth',
  'no-auth',
  'client-id',
  'client-secret-env',
  'authorize-url',
  'token-url',
  'scope',
];
const oauthOnly = ['client-id', 'client-secret-env', 'authorize-url', 'token-url', 'scope'];

const settingDetails = [
  'stdio:  [--env KEY=VALUE…] [--env-from KEY=ENVVAR…] [--cwd DIR] -- CMD ARGS… (after -- verbatim)',
  "http:   --url URL [--transport auto|streamable-http|sse] [--timeout SECONDS] [--header 'Name: value'…]",
  '        [--header-from Name=ENVVAR…] [--bearer-env ENVVAR | --oauth [--client-id ID]',
  '        [--client-secret-env ENVVAR] [--authorize-url URL] [--token-url URL] [--scope S…]]',
  'Secrets come only from environment variables (--env-from, --header-from, --bearer-env,',
  '--client-secret-env), so they stay out of your shell history; Gatehouse stores them encrypted.',
];

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
    context.print(
      ...table(
        ['name', 'kind', 'connection', 'auth', 'tools', 'restarts', 'process', 'last error'],
        connectors.map((view) => [
          view.name,
          view.settings.kind,
          view.status.connection,
          authWord(view),
          toolsText(view),
          String(view.status.restarts),
          processText(view),
          view.status.lastError === null ? '-' : shorten(view.status.lastError, 60),
        ]),
      ),
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
        ...(settings.kind === 'stdio' ? stdioFields(settings) : httpFields(settings, view)),
        ['Tools', toolsText(view)],
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
  },
  usage: '(--stdio [stdio options] -- CMD ARGS… | --url URL [http options]) [--disabled] [--force]',
  summary: 'Add a connector: a local command over stdio, or an MCP server at a URL',
  details: [
    ...settingDetails,
    'A connector that does not start is not kept (exit 1); --force keeps it anyway, to fix later.',
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
        }),
      )
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'does_not_start') throw error;
        throw new CommandFailure(
          `${(error as Error).message.replace(/\.$/, '')}. Fix the ${settings.kind === 'stdio' ? 'command' : 'URL'} and add it again, or keep it anyway with --force.`,
        );
      });
    noteLiteralSecrets(context);
    if (context.json) return context.printJson(view);
    context.print(`Added ${name} (${view.settings.kind}): ${sentence(statusText(view))}`, ...nextSteps(view));
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
  },
  usage:
    '[-- CMD ARGS… | --url URL] [options as for add] [--unset-env KEY…] [--unset-header NAME…] [--no-auth]',
  summary: 'Change a connector; what you leave out (and every secret you do not replace) stays as it is',
  async run(context) {
    const name = context.args[0]!;
    const engine = context.engine();
    const current = await engine.call('connectors.get', { name });
    const settings = editedSettings(context, current);
    const view = await engine.call('connectors.edit', { name, settings });
    noteLiteralSecrets(context);
    if (context.json) return context.printJson(view);
    context.print(`Saved ${name}: ${sentence(statusText(view))}`, ...nextSteps(view));
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

function newSettings(context: CommandContext): ConnectorSettings {
  const url = context.option('url');
  const stdio = context.flag('stdio');
  if (stdio && url !== undefined) throw new UsageError('Give --stdio or --url, not both.');
  if (!stdio && url === undefined) {
    throw new UsageError(
      'Say how to reach the connector: --stdio -- CMD ARGS… for a local command, or --url URL for a server.',
    );
  }
  if (stdio) {
    refuseOptions(context, httpOnly, 'a --stdio connector');
    const [command, ...args] = context.rest;
    if (command === undefined) {
      throw new UsageError(
        '--stdio needs the command after --, e.g. `gatehouse connectors add files --stdio -- npx -y @modelcontextprotocol/server-filesystem ~/Documents`.',
      );
    }
    return { kind: 'stdio', command, args, env: envValues(context), cwd: context.option('cwd') ?? null };
  }
  refuseOptions(context, stdioOnly, 'a --url connector');
  refuseCommand(context, 'a --url connector');
  return {
    kind: 'http',
    url: url!,
    transport: transportOption(context) ?? 'auto',
    timeoutSeconds: timeoutOption(context) ?? 30,
    headers: headerValues(context, {}),
    auth: authOption(context, undefined) ?? { type: 'none' },
  };
}

function editedSettings(context: CommandContext, current: ConnectorView): ConnectorSettings {
  const { name, settings } = current;
  const changing = Object.keys({ ...settingOptions, 'unset-env': 0, 'unset-header': 0, 'no-auth': 0 }).some(
    (option) => given(context, option),
  );
  if (!changing && context.rest.length === 0) {
    throw new UsageError(
      `Nothing to change: give ${name}'s new settings (see \`gatehouse help connectors\`).`,
    );
  }
  if (settings.kind === 'stdio') {
    if (context.option('url') !== undefined) throw kindCannotChange(name, 'stdio');
    refuseOptions(context, httpOnly, `${name} (a stdio connector)`);
    return editedStdio(context, settings);
  }
  if (context.flag('stdio') || context.rest.length > 0) throw kindCannotChange(name, 'http');
  refuseOptions(context, stdioOnly, `${name} (an http connector)`);
  return editedHttp(context, name, settings);
}

function editedStdio(context: CommandContext, settings: StdioSettings): StdioSettings {
  const env = { ...settings.env };
  for (const key of context.options('unset-env')) {
    if (!(key in env)) throw new UsageError(`There is no environment variable ${key} to unset.`);
    delete env[key];
  }
  Object.assign(env, envValues(context));
  const [command, ...args] = context.rest;
  return {
    ...settings,
    ...(command !== undefined ? { command, args } : {}),
    env,
    cwd: context.option('cwd') ?? settings.cwd,
  };
}

function editedHttp(context: CommandContext, name: string, settings: HttpSettings): HttpSettings {
  const headers = { ...settings.headers };
  for (const header of context.options('unset-header')) {
    const key = headerKey(headers, header);
    if (key === undefined) throw new UsageError(`${name} sends no header ${header} to unset.`);
    delete headers[key];
  }
  return {
    ...settings,
    url: context.option('url') ?? settings.url,
    transport: transportOption(context) ?? settings.transport,
    timeoutSeconds: timeoutOption(context) ?? settings.timeoutSeconds,
    headers: headerValues(context, headers),
    auth: authOption(context, settings.auth) ?? settings.auth,
  };
}

function kindCannotChange(name: string, kind: string): UsageError {
  return new UsageError(
    `${name} is ${kind === 'http' ? 'an' : 'a'} ${kind} connector; its kind cannot change (add a new connector instead).`,
  );
}

function given(context: CommandContext, option: string): boolean {
  return context.flag(option) || context.options(option).length > 0;
}

function refuseOptions(context: CommandContext, options: readonly string[], what: string): void {
  const wrong = options.find((option) => given(context, option));
  if (wrong !== undefined) throw new UsageError(`--${wrong} does not apply to ${what}.`);
}

function refuseCommand(context: CommandContext, what: string): void {
  if (context.rest.length > 0) {
    throw new UsageError(`${what} takes no command after --; that is for --stdio connectors.`);
  }
}

/** `--env KEY=VALUE` and `--env-from KEY=ENVVAR`, later ones winning. */
function envValues(context: CommandContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of context.options('env')) {
    const [key, value] = splitPair(pair, '=', '--env takes KEY=VALUE');
    env[key] = value;
  }
  for (const pair of context.options('env-from')) {
    const [key, variable] = splitPair(pair, '=', '--env-from takes KEY=ENVVAR');
    env[key] = fromEnvironment(context, '--env-from', variable);
  }
  return env;
}

/** `--header 'Name: value'` and `--header-from Name=ENVVAR` over `headers`; names match in any case. */
function headerValues(context: CommandContext, headers: Record<string, string>): Record<string, string> {
  const result = { ...headers };
  const set = (name: string, value: string): void => {
    const existing = headerKey(result, name);
    if (existing !== undefined) delete result[existing];
    result[name] = value;
  };
  for (const header of context.options('header')) {
    const [name, value] = splitPair(header, ':', "--header takes 'Name: value'");
    set(name, value);
  }
  for (const pair of context.options('header-from')) {
    const [name, variable] = splitPair(pair, '=', '--header-from takes Name=ENVVAR');
    set(name, fromEnvironment(context, '--header-from', variable));
  }
  return result;
}

function headerKey(headers: Record<string, string>, name: string): string | undefined {
  return Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
}

function splitPair(text: string, separator: string, expected: string): [string, string] {
  const at = text.indexOf(separator);
  const key = at > 0 ? text.slice(0, at).trim() : '';
  if (key === '') throw new UsageError(`${expected} (got "${text}").`);
  const value = text.slice(at + 1);
  return [key, separator === ':' ? value.trim() : value];
}

/** A secret from the environment; never from the command line itself. */
function fromEnvironment(context: CommandContext, option: string, variable: string): string {
  const value = (context.io.env ?? process.env)[variable];
  if (value === undefined || value === '') {
    throw new UsageError(
      `${option} ${variable}: the environment variable ${variable} is not set or is empty; set it in this shell first.`,
    );
  }
  return value;
}

/** The new sign-in settings, or undefined when the command line says nothing about them. */
function authOption(context: CommandContext, current: HttpAuth | undefined): HttpAuth | undefined {
  const bearer = context.option('bearer-env');
  const oauth = context.flag('oauth');
  const none = context.flag('no-auth');
  if ([bearer !== undefined, oauth, none].filter(Boolean).length > 1) {
    throw new UsageError('Choose one way to sign in: --bearer-env, --oauth or --no-auth.');
  }
  const oauthOption = oauthOnly.find((option) => given(context, option));
  if (oauthOption !== undefined && !oauth && current?.type !== 'oauth') {
    throw new UsageError(`--${oauthOption} is for OAuth connectors; add --oauth.`);
  }
  if (bearer !== undefined)
    return { type: 'bearer', token: fromEnvironment(context, '--bearer-env', bearer) };
  if (none) return { type: 'none' };
  if (!oauth && oauthOption === undefined) return undefined;
  const base = current?.type === 'oauth' ? current : undefined;
  const secretVariable = context.option('client-secret-env');
  const scopes = context.options('scope').flatMap((scope) => scope.split(/\s+/).filter(Boolean));
  return {
    type: 'oauth',
    clientId: context.option('client-id') ?? base?.clientId ?? null,
    clientSecret:
      secretVariable !== undefined
        ? fromEnvironment(context, '--client-secret-env', secretVariable)
        : (base?.clientSecret ?? null),
    authorizeUrl: context.option('authorize-url') ?? base?.authorizeUrl ?? null,
    tokenUrl: context.option('token-url') ?? base?.tokenUrl ?? null,
    scopes: scopes.length > 0 ? scopes : (base?.scopes ?? null),
  };
}

function transportOption(context: CommandContext): HttpSettings['transport'] | undefined {
  const value = context.option('transport');
  if (value === undefined) return undefined;
  const transport = transports.find((candidate) => candidate === value);
  if (!transport) throw new UsageError(`--transport is one of ${transports.join(', ')} (got "${value}").`);
  return transport;
}

function timeoutOption(context: CommandContext): number | undefined {
  const value = context.option('timeout');
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= 3600)) {
    throw new UsageError(`--timeout is a whole number of seconds from 1 to 3600 (got "${value}").`);
  }
  return seconds;
}

/** Literal values typed on the command line are still kept encrypted, but the shell remembers them. */
function noteLiteralSecrets(context: CommandContext): void {
  const literal = ['env', 'header'].filter((option) => context.options(option).length > 0);
  if (literal.length === 0) return;
  const options = literal.map((option) => `--${option}`).join(' and ');
  const safer = literal.map((option) => `--${option}-from`).join(' and ');
  context.io.stderr(
    `Note: ${options} values are stored encrypted all the same; for secrets use ${safer}, which keep them out of your shell history.\n`,
  );
}

// ---- Words -----------------------------------------------------------------------------------------

function statusText(view: ConnectorView): string {
  const { status } = view;
  if (!view.enabled) return 'disabled';
  if (status.auth === 'action-required') {
    if (status.authProblem === 'token-refused') return "token refused: check the connector's bearer token";
    if (status.authProblem === 'reconnect-needed') return 'waiting for you to reconnect';
    return 'waiting for you to sign in';
  }
  switch (status.connection) {
    case 'connected':
      return `connected, ${toolsText(view, 'tool')}`;
    case 'error':
      return `not connected: ${status.lastError ?? 'unknown error'}`;
    default:
      return status.connection;
  }
}

/** "12", "12 (1 held)"; with a unit, "12 tools (1 held for review)". */
function toolsText(view: ConnectorView, unit?: string): string {
  const tools = unit === undefined ? String(view.toolCount) : count(view.toolCount, unit);
  if (view.heldTools === 0) return tools;
  return `${tools} (${view.heldTools} held${unit === undefined ? '' : ' for review'})`;
}

function authWord(view: ConnectorView): string {
  switch (view.status.auth) {
    case 'ready':
      return 'ready';
    case 'action-required':
      return view.status.authProblem
        ? AUTH_PROBLEM_WORDS[view.status.authProblem].toLowerCase()
        : 'sign-in needed';
    case 'not-applicable':
      return '-';
  }
}

function processText(view: ConnectorView): string {
  const { pid, memoryBytes } = view.status;
  if (pid === null) return '-';
  return memoryBytes === null ? `pid ${pid}` : `pid ${pid}, ${megabytes(memoryBytes)}`;
}

function nextSteps(view: ConnectorView): string[] {
  const { settings, status } = view;
  if (!view.enabled) return [`Start it with: gatehouse connectors enable ${view.name}`];
  if (settings.kind === 'http' && settings.auth.type === 'oauth' && status.auth !== 'ready') {
    return [`Next: gatehouse connectors connect ${view.name} (to sign in)`];
  }
  if (status.connection === 'error' && settings.kind === 'stdio') {
    return [`What it printed: gatehouse connectors logs ${view.name}`];
  }
  return [];
}

function stdioFields(settings: StdioSettings): Array<[string, string]> {
  const env = Object.keys(settings.env).sort();
  return [
    ['Command', [settings.command, ...settings.args].map(shellWord).join(' ')],
    ['Working dir', settings.cwd ?? "Gatehouse's own"],
    ['Environment', env.length === 0 ? 'none' : env.map((key) => `${key}=${MASKED}`).join(', ')],
  ];
}

function httpFields(settings: HttpSettings, view: ConnectorView): Array<[string, string]> {
  const headers = Object.keys(settings.headers).sort();
  return [
    ['URL', settings.url],
    ['Transport', settings.transport],
    ['Timeout', `${settings.timeoutSeconds} s`],
    ['Headers', headers.length === 0 ? 'none' : headers.map((name) => `${name}: ${MASKED}`).join(', ')],
    ['Sign-in', authText(settings.auth, view)],
  ];
}

function authText(auth: HttpAuth, view: ConnectorView): string {
  switch (auth.type) {
    case 'none':
      return 'none';
    case 'bearer':
      return `bearer token ${MASKED}`;
    case 'oauth': {
      const parts = [
        auth.clientId === null ? 'client registered by Gatehouse' : `client ${auth.clientId}`,
        ...(auth.clientSecret !== null ? [`client secret ${MASKED}`] : []),
        ...(auth.scopes !== null ? [`scopes ${auth.scopes.join(' ')}`] : []),
      ];
      const state =
        view.status.auth === 'ready'
          ? 'signed in'
          : `not signed in (gatehouse connectors connect ${view.name})`;
      return `OAuth, ${parts.join(', ')}; ${state}`;
    }
  }
}

/** A word as a shell would need it typed. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Ends a clause with a full stop unless it already ends with one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export const connectorsGroup: CommandGroup = {
  name: 'connectors',
  summary: 'the MCP servers behind Gatehouse: add, change, test, sign in, remove',
  commands: [list, show, add, edit, enable, disable, test, connect, logs, remove],
  defaultCommand: 'list',
};
