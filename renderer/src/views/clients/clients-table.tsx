// One row per client: how it registered, where it redirects, what it may use, when it last called
// (kept live), its tokens and sessions, and Revoke.
import type { ClientView } from '@core/api/contract.js';
import { useClients } from '../../app/stores-context.js';
import { useNow } from '../../components/use-now.js';
import {
  ago,
  connectorsLabel,
  dateTime,
  grantAccessText,
  KIND_LABEL,
  KIND_SHORT,
  sentenceTime,
} from '@core/text.js';
import { RevokeButton } from './revoke-button.js';

/**
 * "All connectors · Read-only", one line per grant, at the level it works at now (a read & write grant
 * under a read-only ceiling says so); "No access granted" when there is none.
 */
function grantsText(client: ClientView): string[] {
  if (client.grants.length === 0) return ['No access granted'];
  return client.grants.map(
    (grant) =>
      `${connectorsLabel(grant.connectors)} · ${grantAccessText(grant.access, client.effectiveAccess, 'label')}`,
  );
}

const ACCESS_TEXT = { none: 'No access', read: 'Read-only', write: 'Read & write' } as const;

export function ClientsTable({
  selectedId,
  onSelect,
}: {
  selectedId: string | null;
  onSelect: (client: ClientView) => void;
}) {
  const clients = useClients((state) => state.clients);
  // "Last used" is relative: re-render twice a minute (client.used events re-render sooner).
  const now = useNow(30_000);
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Registered clients</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="secondary-column">
              Registered
            </th>
            <th scope="col" className="secondary-column">
              Redirect host
            </th>
            <th scope="col">Connectors and access</th>
            <th scope="col">Last used</th>
            <th scope="col" className="numeric">
              Tokens
            </th>
            <th scope="col" className="numeric">
              Sessions
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => (
            <tr key={client.clientId} className={client.clientId === selectedId ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onSelect(client)}
                  aria-expanded={client.clientId === selectedId}
                >
                  {client.name}
                </button>
              </th>
              <td className="secondary-column" title={KIND_LABEL[client.kind]}>
                {KIND_SHORT[client.kind]}
              </td>
              <td className="secondary-column">{client.redirectHosts.join(', ') || '—'}</td>
              <td title={`Access now: ${ACCESS_TEXT[client.effectiveAccess]}`}>
                {client.grants.length > 0 ? (
                  grantsText(client).join('; ')
                ) : (
                  <span className="muted">
                    {ACCESS_TEXT.none}
                    {client.revoked?.refusedUntil && client.revoked.refusedUntil > now
                      ? ` · refused until ${sentenceTime(client.revoked.refusedUntil, now)}`
                      : ''}
                  </span>
                )}
              </td>
              <td title={client.lastUsedAt ? dateTime(client.lastUsedAt) : undefined}>
                {client.lastUsedAt ? ago(client.lastUsedAt, Math.max(now, client.lastUsedAt)) : 'Never'}
              </td>
              <td className="numeric">{client.activeTokens}</td>
              <td className="numeric">
                {client.openSessions}
                {client.openConnections ? (
                  <span title="A 2026-07-28 client's listen streams and requests in flight (it has no sessions)">
                    {' '}
                    + {client.openConnections} live
                  </span>
                ) : null}
              </td>
              <td className="actions">
                <RevokeButton client={client} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
