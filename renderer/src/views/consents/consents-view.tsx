// Consent requests: clients waiting in the browser for the user's decision. Each opens the dialog.
import { useEffect } from 'react';
import { useConsents, useSettings, useStores } from '../../app/stores-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { useNow } from '../../components/use-now.js';
import { ACCESS_LABEL, timeLeft } from '@core/text.js';
import { useAction } from '../../components/use-action.js';
import type { PendingConsentView } from '@core/api/contract.js';
import { useConsentDialog } from './consent-dialog-host.js';

/** `param`: a consent to open at once (the desktop app opens #/consents/<id> when one arrives). */
export function ConsentsView({ param }: { param: string | null }) {
  const { consents: store } = useStores();
  const consents = useConsents((state) => state.consents);
  const loadState = useConsents((state) => state.loadState);
  const loadError = useConsents((state) => state.loadError);
  const mcpUrl = useSettings((state) => state.status?.mcpUrl);
  const dialog = useConsentDialog();
  const now = useNow(1000);
  useEffect(() => {
    if (param) dialog.open(param);
  }, [param, dialog]);
  return (
    <div className="page">
      <h1>Consent requests</h1>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {consents.length === 0 ? (
          <EmptyState title="No client is asking for access">
            <p>
              When an AI client connects to {mcpUrl ? <code>{mcpUrl}</code> : 'the MCP URL'} and signs in, its
              browser shows a match code and waits; the request opens here so you can approve or deny it.
            </p>
          </EmptyState>
        ) : (
          <>
            <DenyAllButtons consents={consents} />
            <ul className="request-list">
              {consents.map((consent) => (
                <li key={consent.id} className="card request">
                  <div>
                    <strong>{consent.clientName}</strong>{' '}
                    <span className="muted">via {consent.redirectHost}</span>
                    <div className="muted">
                      Asks for {ACCESS_LABEL[consent.requestedAccess].toLowerCase()} · code{' '}
                      <code>{consent.matchCode}</code> · waits {timeLeft(consent.expiresAt, now)}
                    </div>
                  </div>
                  <button type="button" className="button primary" onClick={() => dialog.open(consent.id)}>
                    Review
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </LoadGate>
    </div>
  );
}

/**
 * Bulk deny, for a flood of requests: every waiting request, or all of one client that has several
 * waiting (so one client's flood goes without touching another client's request).
 */
function DenyAllButtons({ consents }: { consents: PendingConsentView[] }) {
  const { consents: store, toasts } = useStores();
  const [denyAll, busy] = useAction(async (clientId?: string) => {
    const count = consents.filter(
      (consent) => clientId === undefined || consent.clientId === clientId,
    ).length;
    await store.getState().denyAll(clientId);
    const name = consents.find((consent) => consent.clientId === clientId)?.clientName;
    toasts.getState().show(`Denied ${count} request${count === 1 ? '' : 's'}${name ? ` from ${name}` : ''}`);
  });
  if (consents.length < 2) return null;
  const byClient = new Map<string, { name: string; count: number }>();
  for (const consent of consents) {
    const entry = byClient.get(consent.clientId) ?? { name: consent.clientName, count: 0 };
    byClient.set(consent.clientId, { ...entry, count: entry.count + 1 });
  }
  return (
    <div className="button-row">
      <button type="button" className="button" disabled={busy} onClick={() => void denyAll()}>
        Deny all ({consents.length})
      </button>
      {[...byClient]
        .filter(([, { count }]) => count > 1 && count < consents.length)
        .map(([clientId, { name, count }]) => (
          <button
            key={clientId}
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void denyAll(clientId)}
          >
            Deny all {count} from {name}
          </button>
        ))}
    </div>
  );
}
