// The consent decision, made only here: who asks (name, how it registered, where it redirects), the
// match code the browser shows, and what to grant — which connectors, read-only (the default) or
// read & write, for how long. Approve / Deny; "Later" leaves the request waiting.
import { useId, useState } from 'react';
import type { PendingConsentView } from '@core/api/contract.js';
import { useConnectors, useConsents, useSettings, useStores } from '../../app/stores-context.js';
import { Modal } from '../../components/modal.js';
import { useNow } from '../../components/use-now.js';
import { ACCESS_LABEL, CEILING_LABEL, clockTime, count, KIND_LABEL, timeLeft } from '@core/text.js';
import { errorMessage } from '../../stores/load-state.js';
import { chosenConnectors, chosenExpiry, GrantChoices, type GrantChoice } from './grant-choices.js';

export function ConsentDialog({ consent, onLater }: { consent: PendingConsentView; onLater: () => void }) {
  const { consents, toasts, settings } = useStores();
  const connectors = useConnectors((state) => state.connectors);
  const ceiling = useSettings((state) => state.status?.accessCeiling ?? state.settings?.accessCeiling);
  const now = useNow(1000);
  const titleId = useId();
  const [choice, setChoice] = useState<GrantChoice>({ scope: 'all', chosen: [], access: 'read', expiry: 0 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { access } = choice;
  const connectorsChosen = chosenConnectors(choice);
  // What the client will really get: the access ceiling caps every grant.
  const capped = ceiling === 'off' || (ceiling === 'read' && access === 'write');
  const [raising, setRaising] = useState(false);
  const raiseCeiling = async () => {
    setRaising(true);
    setError(null);
    try {
      await settings.getState().saveSettings({ accessCeiling: access });
      toasts.getState().show(`Access ceiling raised to ${CEILING_LABEL[access]}`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setRaising(false);
    }
  };
  // Other requests from the same client (a revoked client may ask several times at once).
  const allConsents = useConsents((state) => state.consents);
  const sameClient = allConsents.filter((other) => other.clientId === consent.clientId);
  const denyAll = async () => {
    setBusy(true);
    setError(null);
    try {
      for (const other of sameClient) await consents.getState().deny(other.id);
      toasts.getState().show(`Denied ${count(sameClient.length, 'request')} from ${consent.clientName}`);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  const decide = async (decision: 'approve' | 'deny') => {
    setBusy(true);
    setError(null);
    try {
      if (decision === 'approve') {
        const result = await consents.getState().approve({
          id: consent.id,
          access,
          connectors: connectorsChosen ?? '*',
          expiresInSeconds: chosenExpiry(choice) ?? null,
        });
        const gets = result.effectiveAccess === 'none' ? 'no access' : ACCESS_LABEL[result.effectiveAccess];
        toasts
          .getState()
          .show(
            result.effectiveAccess === access
              ? `Approved ${consent.clientName}: ${gets.toLowerCase()}`
              : `Approved ${consent.clientName}: ${gets.toLowerCase()} for now — the access ceiling caps it`,
          );
      } else {
        await consents.getState().deny(consent.id);
        toasts.getState().show(`Denied ${consent.clientName}`);
      }
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Modal titleId={titleId} onClose={busy ? undefined : onLater} wide>
      <h2 id={titleId}>{consent.clientName} asks for access</h2>
      <dl className="facts">
        <dt>Registered</dt>
        <dd>{KIND_LABEL[consent.kind]}</dd>
        <dt>Redirects to</dt>
        <dd>
          <code>{consent.redirectHost}</code>
        </dd>
        <dt>Asks for</dt>
        <dd>
          {ACCESS_LABEL[consent.requestedAccess]}
          {consent.requestedScopes.length > 0 ? (
            <span className="muted"> ({consent.requestedScopes.join(' ')})</span>
          ) : null}
        </dd>
        <dt>Waits for</dt>
        <dd>{timeLeft(consent.expiresAt, now)}</dd>
      </dl>
      {consent.revokedAt ? (
        <div className="notice notice-warn" role="note">
          <p>
            You revoked {consent.clientName} at {clockTime(consent.revokedAt)}. It asks again; deny it if you
            did not start this yourself.
          </p>
        </div>
      ) : null}
      <div className="match-code-box">
        <p className="match-code" aria-label={`Match code ${consent.matchCode.split('').join(' ')}`}>
          {consent.matchCode}
        </p>
        <p className="match-code-hint">
          {consent.viaBridge
            ? `${consent.clientName} connects through gatehouse bridge, so no browser shows a code: its app's MCP log does (for Claude Desktop: Settings → Developer → Open Logs Folder, mcp-server-gatehouse.log). Approve only if that log shows the same code.`
            : 'Approve only if the browser shows the same code.'}
        </p>
      </div>
      <GrantChoices
        id={titleId}
        clientName={consent.clientName}
        connectors={connectors.map((connector) => connector.name)}
        choice={choice}
        onChange={setChoice}
        accessNote={
          capped && ceiling ? (
            <div className="notice notice-warn" role="note">
              <p>
                {ceiling === 'off'
                  ? 'Access is off for every client: this client gets nothing until you raise the access ceiling.'
                  : 'The access ceiling is Read-only, so this client will only get read-only access.'}
              </p>
              <button
                type="button"
                className="button small"
                onClick={() => void raiseCeiling()}
                disabled={raising || busy}
              >
                Raise the ceiling to {CEILING_LABEL[access]}
              </button>
            </div>
          ) : null
        }
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onLater} disabled={busy}>
          Later
        </button>
        {sameClient.length > 1 ? (
          <button
            type="button"
            className="button danger-outline"
            onClick={() => void denyAll()}
            disabled={busy}
          >
            Deny all {sameClient.length} from this client
          </button>
        ) : null}
        <button type="button" className="button danger" onClick={() => void decide('deny')} disabled={busy}>
          Deny
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => void decide('approve')}
          disabled={busy || connectorsChosen === null}
        >
          Approve
        </button>
      </div>
    </Modal>
  );
}
