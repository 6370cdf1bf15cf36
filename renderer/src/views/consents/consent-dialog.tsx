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
import { RadioOption } from '../../components/radio-option.js';

const EXPIRY_CHOICES = [
  { label: 'Never', seconds: null },
  { label: '1 hour', seconds: 3_600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
] as const;

export function ConsentDialog({ consent, onLater }: { consent: PendingConsentView; onLater: () => void }) {
  const { consents, toasts, settings } = useStores();
  const connectors = useConnectors((state) => state.connectors);
  const ceiling = useSettings((state) => state.status?.accessCeiling ?? state.settings?.accessCeiling);
  const now = useNow(1000);
  const titleId = useId();
  const [scope, setScope] = useState<'all' | 'chosen'>('all');
  const [chosen, setChosen] = useState<string[]>([]);
  const [access, setAccess] = useState<'read' | 'write'>('read');
  const [expiry, setExpiry] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const noneChosen = scope === 'chosen' && chosen.length === 0;
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
          connectors: scope === 'all' ? '*' : chosen,
          expiresInSeconds: EXPIRY_CHOICES[expiry]?.seconds ?? null,
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
  const toggle = (name: string, on: boolean) =>
    setChosen((current) => (on ? [...current, name] : current.filter((other) => other !== name)));

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
      <fieldset className="choice-group">
        <legend>Connectors</legend>
        {connectors.length === 0 ? (
          // Nothing to choose from: no empty choice, and say what approving gives for now.
          <p className="consent-no-connectors">
            There are no connectors yet, so {consent.clientName} will see no tools until you add one. If you
            approve, it gets each connector you add later, with the access you choose below.
          </p>
        ) : (
          <>
            <RadioOption name="consent-scope" checked={scope === 'all'} onSelect={() => setScope('all')}>
              All connectors, including ones added later
            </RadioOption>
            <RadioOption
              name="consent-scope"
              checked={scope === 'chosen'}
              onSelect={() => setScope('chosen')}
            >
              Only the ones I choose
            </RadioOption>
            {scope === 'chosen' ? (
              <div className="checkbox-list" role="group" aria-label="Chosen connectors">
                {connectors.map((connector) => (
                  <label className="checkbox" key={connector.name}>
                    <input
                      type="checkbox"
                      checked={chosen.includes(connector.name)}
                      onChange={(event) => toggle(connector.name, event.target.checked)}
                    />
                    {connector.name}
                  </label>
                ))}
                {noneChosen ? <p className="hint">Choose at least one connector.</p> : null}
              </div>
            ) : null}
          </>
        )}
      </fieldset>
      <fieldset className="choice-group">
        <legend>Access</legend>
        <RadioOption name="consent-access" checked={access === 'read'} onSelect={() => setAccess('read')}>
          Read-only <span className="muted">— tools that only read; write tools stay invisible</span>
        </RadioOption>
        <RadioOption name="consent-access" checked={access === 'write'} onSelect={() => setAccess('write')}>
          Read &amp; write <span className="muted">— also tools that change things</span>
        </RadioOption>
      </fieldset>
      {capped && ceiling ? (
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
      ) : null}
      <div className="field inline-field">
        <label htmlFor={`${titleId}-expiry`}>Access expires</label>
        <select
          id={`${titleId}-expiry`}
          value={expiry}
          onChange={(event) => setExpiry(Number(event.target.value))}
        >
          {EXPIRY_CHOICES.map((choice, index) => (
            <option key={choice.label} value={index}>
              {choice.label === 'Never' ? 'Never' : `After ${choice.label}`}
            </option>
          ))}
        </select>
      </div>
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
          disabled={busy || noneChosen}
        >
          Approve
        </button>
      </div>
    </Modal>
  );
}
