// `gatehouse status`: is the engine running, where, and does anything wait for the user.
import type { Command } from '../command-context/command.js';
import type { StatusView } from '../../core/api/contract.js';
import { fields } from '../output/table.js';
import { accessText, ago, count, SECRET_PROTECTION_TEXT } from '../../core/text.js';

/** `gatehouse status`: whether Gatehouse runs, where, and what waits for the user. */
export const statusCommand: Command = {
  words: ['status'],
  json: true,
  summary: 'Show whether Gatehouse runs, its MCP URL, and what waits for you',
  async run(context) {
    const status = await context.engine().call('status.get', {});
    if (context.json) return context.printJson(status);
    const waiting =
      status.pendingConsents +
      status.pendingRegistrations +
      status.pendingApprovals +
      status.heldForReview +
      status.connectorsNeedingAction;
    context.print(
      `Gatehouse ${status.version} is running (pid ${status.pid}, started ${ago(status.startedAt, context.now)}).`,
      ...fields([
        ['MCP endpoint', status.mcpUrl],
        ['Authorization server', status.issuer],
        ...(status.uiUrl ? ([['Window', status.uiUrl]] as const) : []),
        ['Data', status.dataDir],
        [
          'Access',
          status.paused
            ? 'PAUSED: every client is refused (gatehouse resume)'
            : `${accessText(status.accessCeiling)} at most (the access ceiling)`,
        ],
        ['New clients', registrationText(status.registrationPolicy)],
        [
          'Clients',
          `${status.clients} registered, ${status.connectedClients} connected, ${count(status.openSessions, 'open session')}${status.openConnections ? `, ${count(status.openConnections, 'listen stream')}` : ''}`,
        ],
        ['Connectors', String(status.connectors)],
        ['Secrets', SECRET_PROTECTION_TEXT[status.secretProtection]],

        ...(status.sandbox ? ([['Sandbox', sandboxText(status.sandbox)]] as const) : []),
        [
          'Waiting for you',
          waiting === 0
            ? 'nothing'
            : [
                status.pendingConsents
                  ? `${count(status.pendingConsents, 'consent request')} (gatehouse consents)`
                  : '',
                status.pendingRegistrations
                  ? `${count(status.pendingRegistrations, 'registration')} (gatehouse registrations)`
                  : '',
                status.pendingApprovals
                  ? `${count(status.pendingApprovals, 'tool call')} to approve (gatehouse approvals)`
                  : '',
                status.heldForReview
                  ? `${count(status.heldForReview, 'tool or item', 'tools or items')} held for review (gatehouse tools held)`
                  : '',
                status.connectorsNeedingAction
                  ? `${count(status.connectorsNeedingAction, 'connector')} to fix or sign in to (gatehouse connectors)`
                  : '',
              ]
                .filter(Boolean)
                .join(', '),
        ],
      ]),
    );
  },
};

/** Whether local servers run sandboxed here, what to fix, and the ones the user runs without. */
function sandboxText(sandbox: NonNullable<StatusView['sandbox']>): string {
  const state = sandbox.works
    ? `local servers run in ${sandbox.mechanism}${sandbox.problem ? `; ${sandbox.problem} ${sandbox.fix ?? ''}` : ''}`
    : `NOT WORKING: ${sandbox.problem} ${sandbox.fix ?? ''} Sandboxed local servers do not start until it is fixed.`;
  const off =
    sandbox.unsandboxed.length > 0
      ? `; without a sandbox, by your choice: ${sandbox.unsandboxed.join(', ')}`
      : '';
  return `${state.trim()}${off}`;
}

function registrationText(policy: 'open' | 'ask' | 'closed'): string {
  switch (policy) {
    case 'open':
      return 'may register on their own';
    case 'ask':
      return 'register only after you approve';
    case 'closed':
      return 'may not register';
  }
}
