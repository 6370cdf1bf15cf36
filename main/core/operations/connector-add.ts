// The one rule for "a connector that does not start is not kept", shared by `connectors.add`
// (onlyIfItStarts: the window and the CLI) and `catalog.add`: what counts as not starting, and taking
// it back out with its secrets, audited, so nothing is left half-saved.
import type { ConnectorView, EngineEvent } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';

/** What taking a connector back uses of the engine. */
export interface TakeBackContext {
  connectors: Pick<ConnectorManager, 'removeNotKept'>;
  audit: Pick<AuditLog, 'record'>;
  emit(event: EngineEvent): void;
}

/**
 * Whether a connector just added failed to start: enabled and in error. One that waits for the user
 * to sign in (a new OAuth connector) has not failed — it is kept, and asks for Connect; one whose
 * bearer token the server refused has (no sign-in will fix the token the user just gave).
 */
export function doesNotStart(view: ConnectorView): boolean {
  if (!view.enabled || view.status.connection !== 'error') return false;
  return view.status.auth !== 'action-required' || view.status.authProblem === 'token-refused';
}

/**
 * Takes a connector that did not start back out, with its secrets (its stderr stays readable through
 * `connectors.logs` until the name is added again), and audits it as
 * `connector.add_failed` with the reason `describe` makes of why. Resolves to why, as one clause.
 */
export async function takeBack(
  context: TakeBackContext,
  view: ConnectorView,
  describe: (why: string) => string,
): Promise<string> {
  const why = (view.status.lastError ?? 'unknown error').replace(/\.$/, '');
  await context.connectors.removeNotKept(view.name);
  context.audit.record({
    type: 'connector.add_failed',
    connector: view.name,
    decision: 'info',
    reason: describe(why),
  });
  context.emit({ type: 'connectors.changed', name: view.name });
  return why;
}
