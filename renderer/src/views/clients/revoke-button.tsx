// Revoke: one click takes every token of the client and closes its sessions; a toast says what happened.
import type { ClientView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';
import { revokedText } from './revoke-text.js';

export function RevokeButton({ client }: { client: ClientView }) {
  const { clients, toasts } = useStores();
  const [revoke, busy] = useAction(async () => {
    const result = await clients.getState().revoke(client.clientId);
    toasts.getState().show(revokedText('Revoked', client.name, result));
  });
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
