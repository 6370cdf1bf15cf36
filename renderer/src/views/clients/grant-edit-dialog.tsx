// Change a client's grant after the consent, as the consent dialog chose it: its connectors, read-only
// or read & write, its expiry. Saved through clients.grant; the client's next call meets the new grant,
// and its open sessions lose the tools of a connector it loses at once.
import { useId, useState } from 'react';
import type { ClientView, GrantView } from '@core/api/contract.js';
import { useConnectors, useStores } from '../../app/stores-context.js';
import { Modal } from '../../components/modal.js';
import { dateTime, grantChangeText, readOnlyGrantText } from '@core/text.js';
import { errorMessage } from '../../stores/load-state.js';
import { chosenConnectors, chosenExpiry, GrantChoices, type GrantChoice } from '../consents/grant-choices.js';

export function GrantEditDialog({
  client,
  grant,
  onClose,
}: {
  client: ClientView;
  grant: GrantView;
  onClose: () => void;
}) {
  const { clients, toasts } = useStores();
  const connectors = useConnectors((state) => state.connectors).map((connector) => connector.name);
  const titleId = useId();
  const [choice, setChoice] = useState<GrantChoice>({
    scope: grant.connectors === '*' ? 'all' : 'chosen',
    chosen: grant.connectors === '*' ? [] : grant.connectors,
    access: grant.access,
    expiry: -1,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const connectorsChosen = chosenConnectors(choice);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const expiresInSeconds = chosenExpiry(choice);
      const changed = await clients.getState().changeGrant({
        clientId: client.clientId,
        grantId: grant.grantId,
        // A grant for one connector's own URL reaches that connector only: its connectors stay.
        ...(grant.connectorPath || connectorsChosen === null ? {} : { connectors: connectorsChosen }),
        access: choice.access,
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      });
      const after = changed.grants.find((one) => one.grantId === grant.grantId);
      toasts
        .getState()
        .show(
          `Changed ${client.name}'s grant: ${after ? grantChangeText(grant, after, Date.now()) : 'done'}`,
        );
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Modal titleId={titleId} onClose={busy ? undefined : onClose} wide>
      <h2 id={titleId}>Change {client.name}&apos;s grant</h2>
      <p className="muted">
        It takes effect on {client.name}&apos;s next call; an open session loses the tools of a connector it
        loses at once.
      </p>
      {grant.connectorPath ? (
        <p>
          This grant is for <code>{grant.resource}</code>: it reaches that connector only.
        </p>
      ) : null}
      <GrantChoices
        id={titleId}
        clientName={client.name}
        connectors={connectors}
        connectorsFixed={grant.connectorPath}
        choice={choice}
        onChange={setChoice}
        keepExpiry={grant.expiresAt === null ? 'Never (as now)' : `As now: ${dateTime(grant.expiresAt)}`}
        writeRefused={grant.writable ? undefined : readOnlyGrantText(client.name)}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => void save()}
          disabled={busy || (!grant.connectorPath && connectorsChosen === null)}
        >
          {busy ? 'Saving…' : 'Save grant'}
        </button>
      </div>
    </Modal>
  );
}
