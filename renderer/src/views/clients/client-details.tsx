// The details panel of one client: its registration, grants (each changed with Change…), the revoke
// while it counts, recent activity; Revoke and Forget.
import { useState } from 'react';
import type { ClientView, GrantView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { useAction } from '../../components/use-action.js';
import { useNow } from '../../components/use-now.js';
import { connectorsLabel, dateTime, grantAccessText, KIND_LABEL, revokeMarkText } from '@core/text.js';
import { ClientActivity } from './client-activity.js';
import { GrantEditDialog } from './grant-edit-dialog.js';
import { RevokeButton } from './revoke-button.js';
import { revokedText } from './revoke-text.js';

/** The user's revoke while it counts: when, until when its requests are refused, and Stop refusing. */
function RevokeMark({ client }: { client: ClientView }) {
  const { clients, toasts } = useStores();
  // The mark ends with the hour after the revoke, or with the refusal: with no event to say so.
  const now = useNow(30_000);
  const [stop, busy] = useAction(async () => {
    await clients.getState().stopRefusing(client.clientId);
    toasts.getState().show(`${client.name} may ask for access again`);
  });
  const revoke = client.revoked;
  if (!revoke || revoke.endsAt <= now) return null;
  return (
    <div className="notice notice-warn" role="note">
      <p>{revokeMarkText(revoke, now)}</p>
      {revoke.refusedUntil !== null && revoke.refusedUntil > now ? (
        <button type="button" className="button small" onClick={() => void stop()} disabled={busy}>
          {busy ? 'Stopping…' : 'Stop refusing'}
        </button>
      ) : null}
    </div>
  );
}

export function ClientDetails({ client, onClose }: { client: ClientView; onClose: () => void }) {
  const { clients, toasts } = useStores();
  const [confirmingForget, setConfirmingForget] = useState(false);
  const [editing, setEditing] = useState<GrantView | null>(null);
  const forget = async () => {
    const result = await clients.getState().forget(client.clientId);
    toasts.getState().show(revokedText('Forgot', client.name, result));
    onClose();
  };
  return (
    <section className="panel details" aria-labelledby="client-details-title">
      <div className="panel-header">
        <h2 id="client-details-title">{client.name}</h2>
        <button type="button" className="button small" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Client ID</dt>
        <dd>
          <code>{client.clientId}</code>
        </dd>
        <dt>Registered</dt>
        <dd>
          {KIND_LABEL[client.kind]}, {dateTime(client.createdAt)}
        </dd>
        <dt>Redirect hosts</dt>
        <dd>{client.redirectHosts.join(', ') || '—'}</dd>
        <dt>Grants</dt>
        <dd>
          {client.grants.length === 0 ? (
            'None: its next request must ask for consent'
          ) : (
            <ul className="plain-list">
              {client.grants.map((grant) => (
                <li key={grant.grantId} className="grant-line">
                  <span>
                    {connectorsLabel(grant.connectors)} ·{' '}
                    {grantAccessText(grant.access, client.effectiveAccess, 'label')} · granted{' '}
                    {dateTime(grant.createdAt)}
                    {grant.expiresAt ? `, expires ${dateTime(grant.expiresAt)}` : ', no expiry'}
                  </span>{' '}
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setEditing(grant)}
                    aria-label={`Change ${client.name}'s grant`}
                  >
                    Change…
                  </button>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <RevokeMark client={client} />
      <div className="button-row">
        <RevokeButton client={client} />
        <RevokeButton client={client} refuseForSeconds={3_600} />
        <button
          type="button"
          className="button danger-outline small"
          onClick={() => setConfirmingForget(true)}
        >
          Forget…
        </button>
      </div>
      <h3>Recent activity</h3>
      <ClientActivity clientId={client.clientId} />
      {editing ? <GrantEditDialog client={client} grant={editing} onClose={() => setEditing(null)} /> : null}
      {confirmingForget ? (
        <ConfirmDialog
          title={`Forget ${client.name}?`}
          message="This revokes its access, closes its sessions and deletes its registration. To use Gatehouse again it must register and ask for consent from scratch."
          confirmLabel="Forget client"
          onConfirm={forget}
          onCancel={() => setConfirmingForget(false)}
        />
      ) : null}
    </section>
  );
}
