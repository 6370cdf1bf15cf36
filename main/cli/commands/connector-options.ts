// The command line's side of a connector's settings for `connectors add` and `connectors edit`: the
// options each kind takes, and the settings they make — secrets only ever from environment
// variables, values checked in words before anything reaches the engine.
import path from 'node:path';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { ConnectorView } from '../../core/api/contract.js';
import type {
  ConnectorSettings,
  HttpAuth,
  HttpSettings,
  SandboxSettings,
  StdioSettings,
} from '../../core/api/connector-config.js';
import { DEFAULT_SANDBOX, sandboxOf } from '../../core/api/connector-config.js';
import { UsageError, type CommandContext } from '../command-context/command.js';

const transports = ['auto', 'streamable-http', 'sse'] as const;

/** The options `connectors add` and `edit` take for a connector's settings, for both transports. */
export const settingOptions = {
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
  'no-sandbox': { type: 'boolean' },
  sandbox: { type: 'boolean' },
  'add-folder': { type: 'string', multiple: true },
  'read-only': { type: 'boolean' },
  'remove-folder': { type: 'string', multiple: true },
  'allow-domain': { type: 'string', multiple: true },
  'remove-domain': { type: 'string', multiple: true },
  'any-domain': { type: 'boolean' },
  'allow-local': { type: 'string', multiple: true },
  'remove-local': { type: 'string', multiple: true },
  'plain-secret': { type: 'string', multiple: true },
  'mask-secret': { type: 'string', multiple: true },
} satisfies ParseArgsOptionsConfig;

const sandboxOptions = [
  'no-sandbox',
  'sandbox',
  'add-folder',
  'read-only',
  'remove-folder',
  'allow-domain',
  'remove-domain',
  'any-domain',
  'allow-local',
  'remove-local',
  'plain-secret',
  'mask-secret',
];
const stdioOnly = ['env', 'env-from', 'cwd', 'unset-env', ...sandboxOptions];
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

/** The settings options per kind, as the usage text of `connectors add` and `edit` lists them. */
export const settingDetails = [
  'stdio:  [--env KEY=VALUE…] [--env-from KEY=ENVVAR…] [--cwd DIR] -- CMD ARGS… (after -- verbatim)',
  '        sandbox (on by default): [--add-folder PATH… [--read-only]] [--remove-folder PATH…]',
  '        (what it may write, or with --read-only read; folders and files its command names are added)',
  '        [--allow-domain HOST…] [--remove-domain HOST…] [--any-domain] (what public hosts it may reach)',
  '        [--allow-local HOST:PORT…] [--remove-local HOST:PORT…] (a service on this computer or your network)',
  '        [--plain-secret VAR…] [--mask-secret VAR…] (a secret it gets plainly, or as a stand-in again)',
  '        [--no-sandbox] (runs with your full rights: only for a server you trust) [--sandbox]',
  "http:   --url URL [--transport auto|streamable-http|sse] [--timeout SECONDS] [--header 'Name: value'…]",
  '        [--header-from Name=ENVVAR…] [--bearer-env ENVVAR | --oauth [--client-id ID]',
  '        [--client-secret-env ENVVAR] [--authorize-url URL] [--token-url URL] [--scope S…]]',
  'Secrets come only from environment variables (--env-from, --header-from, --bearer-env,',
  '--client-secret-env), so they stay out of your shell history; Gatehouse stores them encrypted.',
];

/** A new connector's settings from `connectors add`'s options (secrets only from environment variables). */
export function newSettings(context: CommandContext): ConnectorSettings {
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
    const sandbox = sandboxOptionsOf(context, DEFAULT_SANDBOX);
    return {
      kind: 'stdio',
      command,
      args,
      env: envValues(context),
      cwd: context.option('cwd') ?? null,
      ...(sandbox ? { sandbox } : {}),
    };
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

/** A connector's settings after `connectors edit`: its current ones with the options given applied. */
export function editedSettings(context: CommandContext, current: ConnectorView): ConnectorSettings {
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
  const sandbox = sandboxOptionsOf(context, sandboxOf(settings));
  return {
    ...settings,
    ...(command !== undefined ? { command, args } : {}),
    env,
    cwd: context.option('cwd') ?? settings.cwd,
    ...(sandbox ? { sandbox } : {}),
  };
}

/** The sandbox as the options change it, or undefined when they say nothing about it. */
function sandboxOptionsOf(context: CommandContext, current: SandboxSettings): SandboxSettings | undefined {
  if (!sandboxOptions.some((option) => given(context, option))) return undefined;
  if (context.flag('no-sandbox') && context.flag('sandbox')) {
    throw new UsageError('Give --sandbox or --no-sandbox, not both.');
  }
  if (context.flag('any-domain') && context.options('allow-domain').length > 0) {
    throw new UsageError('Give --any-domain or --allow-domain, not both.');
  }
  if (context.flag('read-only') && context.options('add-folder').length === 0) {
    throw new UsageError(
      '--read-only says how --add-folder grants a folder; give --add-folder PATH with it.',
    );
  }
  const readOnly = context.flag('read-only');
  const folders = [...current.folders];
  const readFolders = [...current.readFolders];
  for (const folder of context.options('add-folder')) {
    const absolute = absoluteFolder(context, folder);
    const list = readOnly ? readFolders : folders;
    if (!list.includes(absolute)) list.push(absolute);
  }
  for (const folder of context.options('remove-folder')) {
    const absolute = absoluteFolder(context, folder);
    const list = folders.includes(absolute) ? folders : readFolders.includes(absolute) ? readFolders : null;
    if (list === null) {
      throw new UsageError(
        `${absolute} is not one of its granted folders (may write: ${folders.join(', ') || 'none'}; may read: ${readFolders.join(', ') || 'none'}).`,
      );
    }
    list.splice(list.indexOf(absolute), 1);
  }
  let domains = context.flag('any-domain') ? null : current.allowedDomains;
  const allow = context.options('allow-domain').map((host) => host.trim().toLowerCase());
  if (allow.length > 0) domains = [...new Set([...(domains ?? []), ...allow])];
  for (const host of context.options('remove-domain').map((h) => h.trim().toLowerCase())) {
    if (domains === null || !domains.includes(host)) {
      throw new UsageError(
        `${host} is not on the list of hosts (${domains?.join(', ') || 'any public host may be reached'}).`,
      );
    }
    domains = domains.filter((domain) => domain !== host);
  }
  let services = [
    ...new Set([
      ...current.localServices,
      ...context.options('allow-local').map((s) => s.trim().toLowerCase()),
    ]),
  ];
  for (const service of context.options('remove-local').map((s) => s.trim().toLowerCase())) {
    if (!services.includes(service)) {
      throw new UsageError(`${service} is not one of its local services (${services.join(', ') || 'none'}).`);
    }
    services = services.filter((granted) => granted !== service);
  }
  const plain = new Set([...current.plainSecrets, ...context.options('plain-secret')]);
  for (const name of context.options('mask-secret')) plain.delete(name);
  const enabled = context.flag('no-sandbox') ? false : context.flag('sandbox') ? true : current.enabled;
  return {
    ...current,
    enabled,
    folders,
    readFolders,
    allowedDomains: domains,
    localServices: services,
    plainSecrets: [...plain],
  };
}

/** A folder typed on the command line, made absolute against the current folder (~/ kept as typed). */
function absoluteFolder(context: CommandContext, folder: string): string {
  if (folder.startsWith('~/') || folder.startsWith('/')) return folder.replace(/\/+$/, '') || '/';
  return path.resolve(process.cwd(), folder);
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
export function noteLiteralSecrets(context: CommandContext): void {
  const literal = ['env', 'header'].filter((option) => context.options(option).length > 0);
  if (literal.length === 0) return;
  const options = literal.map((option) => `--${option}`).join(' and ');
  const safer = literal.map((option) => `--${option}-from`).join(' and ');
  context.io.stderr(
    `Note: ${options} values are stored encrypted all the same; for secrets use ${safer}, which keep them out of your shell history.\n`,
  );
}

// ---- Words -----------------------------------------------------------------------------------------

/** --no-sandbox is the user's explicit choice: said back plainly, once. */
export function noteNoSandbox(context: CommandContext): void {
  if (!context.flag('no-sandbox')) return;
  context.io.stderr(
    'Warning: this connector runs without a sandbox. It can read your secrets (~/.ssh, cloud credentials, browser profiles), write anywhere you can and reach any host. Turn the sandbox back on with --sandbox.\n',
  );
}
