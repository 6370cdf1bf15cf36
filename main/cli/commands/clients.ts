// `gatehouse clients …`: the AI clients that registered with Gatehouse, what each may do, and the
// one-step way to take that back (revoke) or remove the client altogether (forget).
import type { ClientView } from '../../core/api/contract.js';
import {
  UsageError,
  type Command,
  type CommandContext,
  type CommandGroup,
} from '../command-context/command.js';
import { fields, table } from '../output/table.js';
import {
  accessText,
  ago,
  connectorsText,
  count,
  grantAccessText,
  grantChangeText,
  KIND_SHORT,
  parseDuration,
  periodText,
  revokeMarkText,
  sentenceTime,
  timeLeft,
} from '../../core/text.js';
import { accessOption, connectorsOption, expiryOption, GRANT_OPTIONS } from './grant-options.js';

const list: Command = {
  words: ['clients', 'list'],
  json: true,
  summary: 'List registered clients, their access and when each was last used',
  async run(context) {
    const clients = await context.engine().call('clients.list', {});
    if (context.json) return context.printJson(clients);
    if (clients.length === 0) {
      context.print(
        'No clients are registered yet. A client registers when you add the MCP URL to it (gatehouse status shows it).',
      );
      return;
    }
    context.print(
      ...table(
        ['id', 'name', 'kind', 'redirect host', 'access', 'last used', 'tokens', 'sessions'],
        clients.map((client) => [
          client.clientId,
          client.name,
          KIND_SHORT[client.kind],
          client.redirectHosts.join(', '),
          client.revoked?.refusedUntil
            ? `none, refused until ${sentenceTime(client.revoked.refusedUntil, context.now)}`
            : accessText(client.effectiveAccess),
          ago(client.lastUsedAt, context.now),
          String(client.activeTokens),
          client.openConnections
            ? `${client.openSessions} + ${client.openConnections} live`
            : String(client.openSessions),
        ]),
      ),
    );
  },
};

const show: Command = {
  words: ['clients', 'show'],
  args: ['ID'],
  json: true,
  summary: "Show one client's registration, grants and activity",
  async run(context) {
    const client = await context.engine().call('clients.get', { clientId: context.args[0]! });
    if (context.json) return context.printJson(client);
    context.print(
      ...fields([
        ['Client', `${client.name} (${client.clientId})`],
        ['Registered', `${KIND_SHORT[client.kind]}, ${ago(client.createdAt, context.now)}`],
        ['Redirect hosts', client.redirectHosts.join(', ')],
        ['Access now', accessText(client.effectiveAccess)],
        ['Last used', ago(client.lastUsedAt, context.now)],
        ['Active tokens', String(client.activeTokens)],
        ['Open sessions', String(client.openSessions)],
        ['Live connections', String(client.openConnections ?? 0)],
        ['Grants', client.grants.length === 0 ? 'none' : String(client.grants.length)],
      ]),
      ...client.grants.map((grant) => `  ${grantText(client, grant, context.now)}`),
      ...(client.revoked
        ? [
            revokeMarkText(client.revoked, context.now),
            ...(client.revoked.refusedUntil === null
              ? []
              : [`To let it ask again now: gatehouse clients stop-refusing ${client.clientId}`]),
          ]
        : []),
      ...(client.grants.length > 0
        ? [`Change a grant: gatehouse clients grant ${client.clientId} --connectors a,b --access read`]
        : []),
    );
  },
};

/** One grant in a line: its level now, its connectors, when it was given, its expiry and id. */
function grantText(client: ClientView, grant: ClientView['grants'][number], now: number): string {
  return (
    `${grantAccessText(grant.access, client.effectiveAccess, 'sentence')} to ${connectorsText(grant.connectors)}, granted ${ago(grant.createdAt, now)}, ` +
    `${grant.expiresAt === null ? 'no expiry' : `expires in ${timeLeft(grant.expiresAt, now)}`} (${grant.grantId})`
  );
}

const grant: Command = {
  words: ['clients', 'grant'],
  args: ['ID'],
  json: true,
  options: { ...GRANT_OPTIONS, grant: { type: 'string' } },
  usage: '[--connectors a,b|*] [--access read|write] [--expires-in 30m|12h|7d|never] [--grant GRANT_ID]',
  summary: "Change what a client's grant gives: its connectors, read-only or read & write, its expiry",
  details: [
    'Takes effect on its next call; its open sessions lose the tools of a connector it loses at once.',
    'Read & write comes back only to a grant you approved read & write. --grant names the grant when it has several.',
  ],
  async run(context) {
    const connectors = connectorsOption(context.option('connectors'));
    const access = accessOption(context.option('access'));
    const expiresInSeconds = expiryOption(context.option('expires-in'));
    if (connectors === undefined && access === undefined && expiresInSeconds === undefined)
      throw new UsageError('Say what to change: --connectors, --access or --expires-in (or several).');
    const client = await named(context);
    const grantId = context.option('grant');
    const before = client.grants.find((one) => one.grantId === grantId) ?? client.grants[0];
    const changed = await context.engine().call('clients.grant', {
      clientId: client.clientId,
      ...(grantId !== undefined ? { grantId } : {}),
      ...(connectors !== undefined ? { connectors } : {}),
      ...(access !== undefined ? { access } : {}),
      ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
    });
    if (context.json) return context.printJson(changed);
    const after = changed.grants.find((one) => one.grantId === (grantId ?? before?.grantId));
    context.print(
      `Changed ${client.name}'s grant: ${before && after ? grantChangeText(before, after, context.now) : 'done'}.`,
      ...(after ? [`Now: ${grantText(changed, after, context.now)}; from its next call.`] : []),
    );
  },
};

const stopRefusing: Command = {
  words: ['clients', 'stop-refusing'],
  args: ['ID'],
  json: true,
  summary: "Stop refusing a revoked client's requests: its next request asks for your consent",
  async run(context) {
    const client = await named(context);
    const result = await context.engine().call('clients.stopRefusing', { clientId: client.clientId });
    if (context.json) return context.printJson(result);
    context.print(
      `Gatehouse no longer refuses ${client.name}'s requests; its next request asks for your consent.`,
    );
  },
};

const register: Command = {
  words: ['clients', 'register'],
  json: true,
  options: {
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    public: { type: 'boolean' },
  },
  usage: '--name NAME --redirect-uri URI [--redirect-uri URI…] [--public]',
  summary: 'Register a client by hand (confidential unless --public); its secret is shown once',
  async run(context) {
    const name = context.option('name');
    const redirectUris = context.options('redirect-uri');
    if (!name) throw new UsageError('--name NAME is required: the name you will recognise the client by.');
    if (redirectUris.length === 0) {
      throw new UsageError(
        '--redirect-uri URI is required (repeat it for each redirect URI the client uses).',
      );
    }
    const confidential = !context.flag('public');
    const result = await context.engine().call('clients.register', { name, redirectUris, confidential });
    if (context.json) return context.printJson(result);
    if (result.clientSecret === null) {
      context.print(`Registered ${name} as public client ${result.clientId} (no secret; it must use PKCE).`);
      return;
    }
    context.print(
      `Registered ${name} as confidential client ${result.clientId} (${result.tokenEndpointAuthMethod}).`,
      `Client secret: ${result.clientSecret}`,
      'This secret is shown only once: copy it into the client now. Gatehouse will not show it again.',
    );
  },
};

const revoke: Command = {
  words: ['clients', 'revoke'],
  args: ['ID'],
  json: true,
  options: { 'refuse-for': { type: 'string' } },
  usage: '[--refuse-for 1h]',
  summary: "Revoke a client's grants and tokens and close its sessions at once",
  details: [
    "--refuse-for 30m|1h|1d also refuses the client's new requests for that long (at most 7d), without asking you.",
  ],
  async run(context) {
    const refuseFor = context.option('refuse-for');
    const refuseMs = refuseFor === undefined ? undefined : parseDuration(refuseFor);
    if (refuseFor !== undefined && (refuseMs === undefined || refuseMs < 1000 || refuseMs > 7 * 86_400_000)) {
      throw new UsageError(
        `--refuse-for takes a time from 1s to 7d, like 30m, 1h or 1d (got "${refuseFor}").`,
      );
    }
    const client = await named(context);
    const result = await context.engine().call('clients.revoke', {
      clientId: client.clientId,
      ...(refuseMs ? { refuseForSeconds: Math.round(refuseMs / 1000) } : {}),
    });
    if (context.json) return context.printJson(result);
    const until = refuseMs ? sentenceTime(context.now + refuseMs, context.now) : '';
    context.print(
      `Revoked ${client.name} (${client.clientId}): ${revokedText(result)}.`,
      refuseMs
        ? `Its requests are refused for ${periodText(refuseMs)}, until ${until}, without asking you; after that it must ask for your consent again (gatehouse clients stop-refusing ${client.clientId} ends it sooner).`
        : 'Its next request is refused; it must ask for your consent again.',
    );
  },
};

const forget: Command = {
  words: ['clients', 'forget'],
  args: ['ID'],
  json: true,
  summary: 'Revoke a client and delete its registration',
  async run(context) {
    const client = await named(context);
    const result = await context.engine().call('clients.forget', { clientId: client.clientId });
    if (context.json) return context.printJson(result);
    context.print(
      `Forgot ${client.name} (${client.clientId}): ${revokedText(result)}, registration deleted.`,
    );
  },
};

/** The client named by the ID argument; looked up first so the confirmation can say its name. */
async function named(context: CommandContext): Promise<ClientView> {
  return context.engine().call('clients.get', { clientId: context.args[0]! });
}

function revokedText(result: {
  grantsRevoked: number;
  tokensRevoked: number;
  sessionsClosed: number;
}): string {
  return `${count(result.grantsRevoked, 'grant')} and ${count(result.tokensRevoked, 'token')} revoked, ${count(result.sessionsClosed, 'session')} closed`;
}

/** `gatehouse clients list / show / grant / register / revoke / stop-refusing / forget`. */
export const clientsGroup: CommandGroup = {
  name: 'clients',
  summary: 'AI clients registered with Gatehouse',
  commands: [list, show, grant, register, revoke, stopRefusing, forget],
  defaultCommand: 'list',
};
