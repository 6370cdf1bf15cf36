// Pending registrations: with the policy "ask", a new client waits here until allowed or refused.
import type { PendingRegistrationView } from '@core/api/contract.js';
import { routeHref } from '../../app/route.js';
import { useRegistrations, useSettings, useStores } from '../../app/stores-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { useAction } from '../../components/use-action.js';
import { useNow } from '../../components/use-now.js';
import { timeLeft } from '@core/text.js';

/** Allow or refuse a waiting registration, confirmed by a toast; the list and the dialog share it. */
export function useRegistrationAnswer(registration: PendingRegistrationView) {
  const { registrations, toasts } = useStores();
  return useAction(async (allow: boolean) => {
    if (allow) await registrations.getState().allow(registration.id);
    else await registrations.getState().refuse(registration.id);
    toasts
      .getState()
      .show(
        allow
          ? `Allowed ${registration.clientName} to register; it will ask for consent next`
          : `Refused ${registration.clientName}'s registration`,
      );
  });
}

function RegistrationRequest({ registration, now }: { registration: PendingRegistrationView; now: number }) {
  const [answer, busy] = useRegistrationAnswer(registration);
  return (
    <li className="card request">
      <div>
        <strong>{registration.clientName}</strong>
        <div className="muted">
          Redirects to {registration.redirectUris.join(', ')} · waits {timeLeft(registration.expiresAt, now)}
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => void answer(true)} disabled={busy}>
          Allow
        </button>
        <button type="button" className="button danger" onClick={() => void answer(false)} disabled={busy}>
          Refuse
        </button>
      </div>
    </li>
  );
}

export function RegistrationsView() {
  const { registrations: store } = useStores();
  const registrations = useRegistrations((state) => state.registrations);
  const loadState = useRegistrations((state) => state.loadState);
  const loadError = useRegistrations((state) => state.loadError);
  const policy = useSettings((state) => state.settings?.registrationPolicy);
  const now = useNow(1000);
  return (
    <div className="page">
      <h1>Registrations</h1>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {registrations.length === 0 ? (
          <EmptyState title="No client is waiting to register">
            {policy === 'ask' ? (
              <p>
                New clients must be allowed here before they can ask for consent. They wait up to two minutes.
              </p>
            ) : (
              <p>
                New-client registration is <strong>{policy ?? '…'}</strong>
                {policy === 'open'
                  ? ': clients register by themselves and then ask for consent'
                  : ': no new client can register'}
                . Choose <em>ask</em> in <a href={routeHref('settings')}>Settings</a> to review each one here.
              </p>
            )}
          </EmptyState>
        ) : (
          <ul className="request-list">
            {registrations.map((registration) => (
              <RegistrationRequest key={registration.id} registration={registration} now={now} />
            ))}
          </ul>
        )}
      </LoadGate>
    </div>
  );
}
