// Connect a client: Claude Desktop, Claude Code, VS Code and Cursor, each pointed at Gatehouse in one
// click (the file backed up first, Undo puts it back), and the servers they already have imported as
// connectors. Detection reads the clients' files, so it loads with this page.
import { useEffect, useState } from 'react';
import type { SetupClientView } from '@core/api/client-setup-contract.js';
import { routeHref } from '../../app/route.js';
import { useClientSetup, useSettings, useStores } from '../../app/stores-context.js';
import { LoadGate } from '../../components/load-gate.js';
import { ClientSetupCard } from './client-setup-card.js';
import { ImportServersDialog } from './import-servers-dialog.js';

export function ClientSetupView() {
  const { clientSetup } = useStores();
  const clients = useClientSetup((state) => state.clients);
  const loadState = useClientSetup((state) => state.loadState);
  const loadError = useClientSetup((state) => state.loadError);
  const mcpUrl = useSettings((state) => state.status?.mcpUrl);
  const [importing, setImporting] = useState<SetupClientView | null>(null);
  useEffect(() => {
    void clientSetup.getState().refresh();
  }, [clientSetup]);
  return (
    <div className="page">
      <div className="page-header">
        <h1>Connect a client</h1>
        <button type="button" className="button small" onClick={() => void clientSetup.getState().refresh()}>
          Check again
        </button>
      </div>
      <p className="page-intro">
        Connect adds one entry, named <code>gatehouse</code>, to the client&apos;s MCP settings, pointing it
        at {mcpUrl ? <code>{mcpUrl}</code> : 'this Gatehouse'}. The file is backed up first, and Undo puts it
        back. The first time the client connects, it asks for access in this window, where you choose which
        connectors it gets.
      </p>
      <LoadGate state={loadState} error={loadError} onRetry={() => void clientSetup.getState().refresh()}>
        {clients.length > 0 && !clients.some((client) => client.installed) ? (
          <div className="notice" role="status">
            None of these clients was found on this computer. You can still connect one now: Gatehouse writes
            its config file, ready for when you install it.
          </div>
        ) : null}
        <div className="setup-cards">
          {clients.map((client) => (
            <ClientSetupCard
              key={client.client}
              client={client}
              onImport={(chosen) => setImporting(chosen)}
            />
          ))}
        </div>
        <p className="muted">
          Another MCP client? Give it the MCP URL above: it registers itself and asks for access here. See{' '}
          <a href={routeHref('clients')}>Clients</a> for the ones that have.
        </p>
      </LoadGate>
      {importing ? (
        <ImportServersDialog
          client={clients.find((client) => client.client === importing.client) ?? importing}
          onClose={() => setImporting(null)}
        />
      ) : null}
    </div>
  );
}
