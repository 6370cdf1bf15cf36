// Clients: every AI client that registered, what it may use, and one-click revoke.
import { useState } from 'react';
import { useClients, useSettings, useStores } from '../../app/stores-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { ClientDetails } from './client-details.js';
import { ClientsTable } from './clients-table.js';
import { RegisterClientForm } from './register-client-form.js';

export function ClientsView() {
  const { clients: store } = useStores();
  const clients = useClients((state) => state.clients);
  const loadState = useClients((state) => state.loadState);
  const loadError = useClients((state) => state.loadError);
  const mcpUrl = useSettings((state) => state.status?.mcpUrl);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const selected = clients.find((client) => client.clientId === selectedId) ?? null;
  return (
    <div className="page">
      <div className="page-header">
        <h1>Clients</h1>
        <button type="button" className="button" onClick={() => setRegistering(true)}>
          Register a client by hand
        </button>
      </div>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {clients.length === 0 ? (
          <EmptyState title="No clients yet">
            <p>
              Point an AI client (Claude Code, Claude Desktop, VS Code, Cursor…) at{' '}
              {mcpUrl ? <code>{mcpUrl}</code> : 'the MCP URL above'}. It registers itself, and its request for
              access comes to this window for your approval.
            </p>
            <p>A client that cannot register itself can be registered by hand with the button above.</p>
          </EmptyState>
        ) : (
          <div className="split">
            <ClientsTable
              selectedId={selected?.clientId ?? null}
              onSelect={(client) => setSelectedId(client.clientId === selectedId ? null : client.clientId)}
            />
            {selected ? <ClientDetails client={selected} onClose={() => setSelectedId(null)} /> : null}
          </div>
        )}
      </LoadGate>
      {registering ? <RegisterClientForm onClose={() => setRegistering(false)} /> : null}
    </div>
  );
}
