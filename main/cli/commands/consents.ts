// `gatehouse consents …`: authorization requests waiting for the user's decision. Approving here is
// the same trusted decision as in the Gatehouse window; compare the match code with the browser page.
import type { PendingConsentView } from '../../core/api/contract.js';
import { UsageError, type Command, type CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';
import { accessText, clockTime, connectorsText, span, timeLeft } from '../../core/text.js';
import { accessOption, connectorsOption, expiryOption, GRANT_OPTIONS } from './grant-options.js';

const list: Command = {
  words: ['consents', 'list'],
  json: true,
  summary: 'List consent requests waiting for your decision',
  async run(context) {
    const consents = await context.engine().call('consents.list', {});
    if (context.json) return context.printJson(consents);
    if (consents.length === 0) {
      context.print('No consent requests are waiting.');
      return;
    }
    context.print(
      ...table(
        ['id', 'client', 'redirect host', 'match code', 'requested access', 'expires in'],
        consents.map((consent) => [
          consent.id,
          consent.clientName,
          consent.redirectHost,
          consent.matchCode,
          accessText(consent.requestedAccess),
          timeLeft(consent.expiresAt, context.now),
        ]),
      ),
      ...consentNotes(consents),
    );
    if ((await context.engine().call('connectors.list', {})).length === 0) context.print(NO_CONNECTORS_YET);
  },
};

/** What a client approved before any connector exists gets: nothing yet, and how to change that. */
const NO_CONNECTORS_YET =
  'There are no connectors yet, so an approved client sees no tools until you add one (gatehouse connectors add, or gatehouse catalog add); it then gets each connector you add.';

const approve: Command = {
  words: ['consents', 'approve'],
  args: ['ID'],
  json: true,
  options: GRANT_OPTIONS,
  usage: '[--access read|write] [--connectors a,b] [--expires-in 30m|12h|7d]',
  summary: 'Approve a consent request (read-only to all connectors unless you say otherwise)',
  async run(context) {
    const id = context.args[0]!;
    const access = accessOption(context.option('access')) ?? 'read';
    const connectors = connectorsOption(context.option('connectors')) ?? '*';
    const expiresInSeconds = expiryOption(context.option('expires-in')) ?? null;
    const engine = context.engine();
    // Looked up only to name the client in the confirmation; an unknown id is the engine's to report.
    const request = (await engine.call('consents.list', {})).find((consent) => consent.id === id);
    const result = await engine.call('consents.approve', { id, access, connectors, expiresInSeconds });
    if (context.json) return context.printJson(result);
    const who = request ? `${request.clientName} (match code ${request.matchCode})` : `consent request ${id}`;
    const expiry = expiresInSeconds === null ? 'no expiry' : `expires in ${span(expiresInSeconds * 1000)}`;
    const granted = result.effectiveAccess === 'none' ? 'no access' : accessText(result.effectiveAccess);
    context.print(`Approved ${who}: ${granted} to ${connectorsText(connectors)}, ${expiry}.`);
    // The ceiling caps every grant: say so when it takes away what was chosen, and how to lift it.
    if (result.effectiveAccess !== access) {
      const next = access === 'write' ? 'write' : 'read';
      context.print(
        `The access ceiling is ${result.accessCeiling === 'off' ? 'off' : accessText(result.accessCeiling)}, so it gets ${granted} for now (you chose ${accessText(access)}).`,
        `Raise the ceiling with: gatehouse settings set accessCeiling ${next}`,
      );
    }
    // Nothing to use yet: say so, rather than let the client's empty tool list puzzle the user.
    if ((await engine.call('connectors.list', {})).length === 0) context.print(NO_CONNECTORS_YET);
  },
};

const deny: Command = {
  words: ['consents', 'deny'],
  args: ['[ID]'],
  json: true,
  options: { all: { type: 'boolean' }, client: { type: 'string' } },
  usage: '| --all [--client CLIENT_ID]',
  summary: 'Deny a consent request, or every waiting one (of one client, with --client)',
  async run(context) {
    const id = context.args[0];
    const engine = context.engine();
    if (context.flag('all')) {
      if (id !== undefined) throw new UsageError('Give a consent id or --all, not both.');
      const clientId = context.option('client');
      const result = await engine.call('consents.denyAll', clientId === undefined ? {} : { clientId });
      if (context.json) return context.printJson(result);
      const count = result.denied.length;
      context.print(
        `Denied ${count} consent request${count === 1 ? '' : 's'}${clientId === undefined ? '' : ` from ${clientId}`}.`,
      );
      return;
    }
    if (id === undefined) throw new UsageError('Give the id of the consent request to deny, or --all.');
    if (context.option('client') !== undefined) throw new UsageError('--client goes with --all.');
    const request = (await engine.call('consents.list', {})).find((consent) => consent.id === id);
    const result = await engine.call('consents.deny', { id });
    if (context.json) return context.printJson(result);
    context.print(
      `Denied ${request ? `${request.clientName} (match code ${request.matchCode})` : `consent request ${id}`}.`,
    );
  },
};

/**
 * What the table cannot say: a client revoked lately asks again; a bridge client's code is in its app's
 * log.
 */
function consentNotes(consents: PendingConsentView[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const consent of consents) {
    if (seen.has(consent.clientId)) continue;
    seen.add(consent.clientId);
    if (consent.revokedAt) {
      notes.push(
        `${consent.clientName}: you revoked it at ${clockTime(consent.revokedAt)}. Deny all its requests: gatehouse consents deny --all --client ${consent.clientId}`,
      );
    }
    if (consent.viaBridge) {
      notes.push(
        `${consent.clientName} connects through gatehouse bridge: its match code is in its app's MCP log (Claude Desktop: mcp-server-gatehouse.log), not a browser.`,
      );
    }
  }
  return notes.length > 0 ? ['', ...notes] : [];
}

/** `gatehouse consents list / approve / deny`: authorization requests waiting for the user. */
export const consentsGroup: CommandGroup = {
  name: 'consents',
  summary: 'authorization requests waiting for your decision',
  commands: [list, approve, deny],
  defaultCommand: 'list',
};
