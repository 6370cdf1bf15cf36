// A tool call waiting for the user, brought forward over any page: client, connector, tool and
// arguments (and the secret material they carry), the time left, and the answers (Allow once / Always
// for this client / Always allow for this connector / Deny). "Later"
// leaves it waiting on the Approvals page until the engine's timeout denies it.
import { useId } from 'react';
import type { PendingApprovalView } from '@core/api/contract.js';
import { Modal } from '../../components/modal.js';
import { useNow } from '../../components/use-now.js';
import { timeLeft } from '@core/text.js';
import { ALLOW_FOR_CONNECTOR, prettyArguments, useApprovalAnswer } from './approval-card.js';
import { ApprovalSecrets } from './approval-secrets.js';

export function ApprovalDialog({
  approval,
  onLater,
}: {
  approval: PendingApprovalView;
  onLater: () => void;
}) {
  const titleId = useId();
  const now = useNow(1000);
  const [answer, busy] = useApprovalAnswer(approval);
  const left = timeLeft(approval.expiresAt, now);
  return (
    <Modal titleId={titleId} onClose={busy ? undefined : onLater} wide role="alertdialog">
      <h2 id={titleId}>
        {approval.clientName} wants to call <code>{approval.tool}</code>
      </h2>
      <dl className="facts">
        <dt>Client</dt>
        <dd>{approval.clientName}</dd>
        <dt>Connector</dt>
        <dd>{approval.connector}</dd>
        <dt>Tool</dt>
        <dd>
          <code>{approval.tool}</code>
        </dd>
        <dt>Why it asks</dt>
        <dd>{approval.reason}</dd>
        <dt>Waits for</dt>
        <dd>{left === 'expired' ? 'No answer in time: denied' : `${left}, then it is denied`}</dd>
      </dl>
      <ApprovalSecrets approval={approval} />
      <h3 id={`${titleId}-arguments`} className="field-heading">
        Arguments
      </h3>
      <pre className="code-block" tabIndex={0} aria-labelledby={`${titleId}-arguments`}>
        {prettyArguments(approval.arguments)}
      </pre>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onLater} disabled={busy}>
          Later
        </button>
        <button type="button" className="button danger" onClick={() => void answer('deny')} disabled={busy}>
          Deny
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
        <button type="button" className="button primary" onClick={() => void answer('once')} disabled={busy}>
          Allow once
        </button>
      </div>
    </Modal>
  );
}
