// One tool call waiting for the user: who calls what, with which (redacted) arguments and why it asks,
// the time left before it is denied, and the answers.
import { useEffect, useRef } from 'react';
import type { PendingApprovalView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';
import { timeLeft } from '@core/text.js';
import { ApprovalSecrets } from './approval-secrets.js';

/** The arguments as the user reads them (already redacted by the engine). */
export function prettyArguments(value: unknown): string {
  if (value === undefined) return '(no arguments)';
  return JSON.stringify(value, null, 2);
}

/** The answers to a waiting call, each confirmed by a toast; the card and the dialog share it. */
export function useApprovalAnswer(approval: PendingApprovalView) {
  const { approvals, toasts } = useStores();
  const what = `${approval.clientName}'s call to ${approval.tool}`;
  return useAction(async (choice: 'once' | 'always' | 'connector' | 'deny') => {
    const state = approvals.getState();
    if (choice === 'once') await state.allowOnce(approval.id);
    else if (choice === 'always') await state.allowAlways(approval.id);
    else if (choice === 'connector') await state.allowForConnector(approval.id);
    else await state.deny(approval.id);
    toasts
      .getState()
      .show(
        choice === 'deny'
          ? `Denied ${what}`
          : choice === 'always'
            ? `Allowed ${what}, and from now on for ${approval.clientName}`
            : choice === 'connector'
              ? `Allowed ${what}; ${approval.connector} handles secrets on purpose from now on`
              : `Allowed ${what} once`,
      );
  });
}

/** "Always allow for this connector": offered on a call held for the secret material it carries. */
export const ALLOW_FOR_CONNECTOR = 'Always allow for this connector';

export function ApprovalCard({
  approval,
  now,
  focused = false,
}: {
  approval: PendingApprovalView;
  now: number;
  /** Scrolled to and focused — the card, not a button, so a stray Enter decides nothing. */
  focused?: boolean;
}) {
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focused || !card.current) return;
    card.current.scrollIntoView?.({ block: 'nearest' });
    card.current.focus();
  }, [focused]);
  const [answer, busy] = useApprovalAnswer(approval);
  const headingId = `approval-${approval.id}`;
  const left = timeLeft(approval.expiresAt, now);
  return (
    <article
      ref={card}
      className={focused ? 'card approval focused' : 'card approval'}
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <header className="approval-header">
        <h2 id={headingId}>
          <code>{approval.tool}</code>
        </h2>
        <span className="countdown">
          {left === 'expired'
            ? 'No answer in time: denied'
            : `Denied automatically in ${left} unless you answer`}
        </span>
      </header>
      <dl className="facts">
        <dt>Client</dt>
        <dd>{approval.clientName}</dd>
        <dt>Connector</dt>
        <dd>{approval.connector}</dd>
        <dt>Why it asks</dt>
        <dd>{approval.reason}</dd>
      </dl>
      <ApprovalSecrets approval={approval} />
      <h3 id={`${headingId}-arguments`} className="field-heading">
        Arguments
      </h3>
      <pre className="code-block" aria-labelledby={`${headingId}-arguments`}>
        {prettyArguments(approval.arguments)}
      </pre>
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => void answer('once')} disabled={busy}>
          Allow once
        </button>
        {approval.canAlways ? (
          <button type="button" className="button" onClick={() => void answer('always')} disabled={busy}>
            Always for this client
          </button>
        ) : null}
        {approval.secrets.length > 0 ? (
          <button type="button" className="button" onClick={() => void answer('connector')} disabled={busy}>
            {ALLOW_FOR_CONNECTOR}
          </button>
        ) : null}
        <button type="button" className="button danger" onClick={() => void answer('deny')} disabled={busy}>
          Deny
        </button>
      </div>
    </article>
  );
}
