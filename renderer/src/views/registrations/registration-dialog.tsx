// A new client waiting to register (registration policy "ask"), brought forward over any page: its
// name and where it redirects, the time left, Allow / Refuse. "Later" leaves it on Registrations.
import { useId } from 'react';
import type { PendingRegistrationView } from '@core/api/contract.js';
import { Modal } from '../../components/modal.js';
import { useNow } from '../../components/use-now.js';
import { timeLeft } from '@core/text.js';
import { useRegistrationAnswer } from './registrations-view.js';

export function RegistrationDialog({
  registration,
  onLater,
}: {
  registration: PendingRegistrationView;
  onLater: () => void;
}) {
  const titleId = useId();
  const now = useNow(1000);
  const [answer, busy] = useRegistrationAnswer(registration);
  return (
    <Modal titleId={titleId} onClose={busy ? undefined : onLater} role="alertdialog">
      <h2 id={titleId}>{registration.clientName} wants to register</h2>
      <p>
        New clients must be allowed before they can ask for access. Allowing it only lets it ask: you still
        choose what it gets when it asks for consent.
      </p>
      <dl className="facts">
        <dt>Redirects to</dt>
        <dd>
          {registration.redirectUris.map((uri) => (
            <code key={uri}>{uri} </code>
          ))}
        </dd>
        <dt>Waits for</dt>
        <dd>{timeLeft(registration.expiresAt, now)}</dd>
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onLater} disabled={busy}>
          Later
        </button>
        <button type="button" className="button danger" onClick={() => void answer(false)} disabled={busy}>
          Refuse
        </button>
        <button type="button" className="button primary" onClick={() => void answer(true)} disabled={busy}>
          Allow
        </button>
      </div>
    </Modal>
  );
}
