// What an upstream OAuth connector tells the user when they must act: one sentence per reason (not
// connected, expired, more scope, scope refused, client rejected, server changed), each saying what to
// do and where, and the kind of problem the connector's status shows for it.
import type { AuthProblemKind } from '../../api/auth-problem.js';
import type { AttentionReason, StoredCredentials } from '../../store/oauth-credential-store.js';

/** How each reason to act reads in the connector's status. */
const PROBLEM_OF: Record<AttentionReason, AuthProblemKind> = {
  'not-connected': 'never-connected',
  expired: 'reconnect-needed',
  'more-scope': 'more-access-needed',
  'scope-refused': 'access-refused',
  'client-rejected': 'client-refused',
  'server-changed': 'sign-in-needed',
};

const connectSentence = (connector: string) =>
  `Use Connect in Gatehouse (or \`gatehouse connectors connect ${connector}\`).`;

/** The kind of problem a connector's status shows for a reason to act. */
export function problemOf(reason: AttentionReason): AuthProblemKind {
  return PROBLEM_OF[reason];
}

/** What the sentence for a reason depends on. */
export interface AttentionFacts {
  connector: string;
  /** The scope the server asked for, when it said. */
  scope: string | undefined;
  /** The user entered a client ID in the connector's OAuth settings. */
  clientIdSet: boolean;
  /** Which of Gatehouse's client identities the server rejected. */
  client: NonNullable<StoredCredentials['attention']>['client'] | undefined;
  clientMetadataUrl: string | undefined;
  /** The authorization server the resource now names, when it changed. */
  issuer: string | undefined;
}

/** The sentence the user reads for a reason to act on an OAuth connector. */
export function attentionSentence(reason: AttentionReason, facts: AttentionFacts): string {
  const { connector, scope } = facts;
  switch (reason) {
    case 'not-connected':
      return `${connector} needs you to connect: it requires authorization. ${connectSentence(connector)}`;
    case 'expired':
      return `${connector} needs you to reconnect: its authorization expired or was revoked. ${connectSentence(connector)}`;
    case 'more-scope':
      return `${connector} needs you to reconnect to grant more access${scope ? ` (scope "${scope}")` : ''}. ${connectSentence(connector)}`;
    case 'scope-refused':
      return `${connector} refused a request even with the access you granted${scope ? `: it requires scope "${scope}"` : ''}. Ask its administrator for that permission, then use Connect in Gatehouse (or \`gatehouse connectors connect ${connector}\`).`;
    case 'client-rejected':
      return facts.clientIdSet
        ? `${connector}'s authorization server rejected the client ID and secret in the connector's OAuth settings. Check them, then use Connect in Gatehouse (or \`gatehouse connectors connect ${connector}\`).`
        : facts.client === 'metadata-document'
          ? `${connector}'s authorization server rejected Gatehouse's client metadata document (${facts.clientMetadataUrl ?? ''}). Enter a client ID registered with it in the connector's OAuth settings, then use Connect.`
          : `${connector}'s authorization server rejected Gatehouse's registration twice. Enter a client ID and secret registered with it in the connector's OAuth settings, then use Connect.`;
    case 'server-changed': {
      const now = facts.issuer;
      const where = now ? ` (now ${now})` : '';
      return facts.clientIdSet
        ? `${connector}'s authorization server changed${where}; the client ID in the connector's OAuth settings belongs to the old one. Register Gatehouse with the new server, enter that client ID, then use Connect.`
        : `${connector}'s authorization server changed${where}: Gatehouse dropped what it held for the old one and will register with the new one. Sign in there: ${connectSentence(connector)}`;
    }
  }
}
