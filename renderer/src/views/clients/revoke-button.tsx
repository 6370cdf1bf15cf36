// Revoke: one click takes every token of the client and closes its sessions; a toast says what happened.
import type { ClientView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';
import { revokedText } from './revoke-text.js';
import { periodText } from '@core/text.js';

export function RevokeButton({
  client,
  refuseForSeconds,
}: {
  client: ClientView;
  /** Also refuse the client's new requests for this long (no consent pops up meanwhile). */
  refuseForSeconds?: number;
}) {
  const { clients, toasts } = useStores();
  const [revoke, busy] = useAction(async () => {
    const result = await clients.getState().revoke(client.clientId, refuseForSeconds);
    toasts
      .getState()
      .show(
        revokedText('Revoked', client.name, result) +
          (refuseForSeconds ? `; its requests are refused for ${periodText(refuseForSeconds * 1000)}` : ''),
      );
  });
  if (refuseForSeconds) {
    const period = periodText(refuseForSeconds * 1000);
    return (
      <button
        type="button"
        className="button danger-outline small"
        onClick={() => void revoke()}
        disabled={busy}
        // The visible words first (WCAG 2.5.3, label in name), then whose.
        aria-label={`Revoke and refuse for ${period}: ${client.name}`}
        title={`Revoke now, and refuse ${client.name}'s new requests for ${period} without asking you`}
      >
        {busy ? 'Revoking…' : `Revoke and refuse for ${period}`}
      </button>
    );
  }
  // Revoked already (or never granted): nothing left to take.
  const nothing = client.grants.length === 0 && client.activeTokens === 0 && client.openSessions === 0;
  return (
    <button
      type="button"
      className="button danger-outline small"
      onClick={() => void (busy || nothing ? undefined : revoke())}
      // aria-disabled, not disabled: a disabled button loses the keyboard focus, which would drop to
      // the page right after Revoke; this one keeps it and says there is nothing left to revoke.
      aria-disabled={busy || nothing}
      aria-label={`Revoke ${client.name}`}
      title={
        nothing
          ? 'No access to revoke'
          : 'Revoke every token and grant and close its sessions now; it must ask again'
      }
    >
      {busy ? 'Revoking…' : 'Revoke'}
    </button>
  );
}
