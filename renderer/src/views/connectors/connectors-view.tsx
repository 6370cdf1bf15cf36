// Connectors: the MCP servers Gatehouse runs or reaches for its clients. Add, edit, enable, test,
// sign in, delete.
import { useState } from 'react';
import type { ConnectorView } from '@core/api/contract.js';
import { navigate } from '../../app/route.js';
import { useConnectors, useStores } from '../../app/stores-context.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { AddFromCatalogDialog } from '../catalog/add-from-catalog-dialog.js';
import { ConnectorDetails } from './connector-details.js';
import { ConnectorForm } from './connector-form.js';
import { ConnectorsTable } from './connectors-table.js';

type Editing = { mode: 'add' } | { mode: 'edit'; connector: ConnectorView } | null;

export function ConnectorsView({ param }: { param: string | null }) {
  const { connectors: store, toasts } = useStores();
  const connectors = useConnectors((state) => state.connectors);
  const loadState = useConnectors((state) => state.loadState);
  const loadError = useConnectors((state) => state.loadError);
  const [selectedName, setSelectedName] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(param === 'new' ? { mode: 'add' } : null);
  const [deleting, setDeleting] = useState<ConnectorView | null>(null);
  const [browsingCatalog, setBrowsingCatalog] = useState(param === 'catalog');
  const selected = connectors.find((connector) => connector.name === selectedName) ?? null;
  const closeForm = () => {
    setEditing(null);
    if (param === 'new') navigate('connectors');
  };
  return (
    <div className="page">
      <div className="page-header">
        <h1>Connectors</h1>
        <div className="button-row">
          <button type="button" className="button" onClick={() => setBrowsingCatalog(true)}>
            Add from catalog
          </button>
          <button type="button" className="button primary" onClick={() => setEditing({ mode: 'add' })}>
            Add connector
          </button>
        </div>
      </div>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {connectors.length === 0 ? (
          <EmptyState title="No connectors yet">
            <p>
              A connector is an MCP server your clients reach through Gatehouse: a local program (for example{' '}
              <code>npx -y @modelcontextprotocol/server-filesystem ~/projects</code>) or a remote server URL.
              Gatehouse keeps its credentials; clients never see them.
            </p>
            <div className="button-row">
              <button type="button" className="button primary" onClick={() => setBrowsingCatalog(true)}>
                Browse the MCP Registry
              </button>
              <button type="button" className="button" onClick={() => setEditing({ mode: 'add' })}>
                Add your first connector
              </button>
            </div>
          </EmptyState>
        ) : (
          <div className="split">
            <ConnectorsTable
              selectedName={selected?.name ?? null}
              onSelect={(connector) =>
                setSelectedName(connector.name === selectedName ? null : connector.name)
              }
              onEdit={(connector) => setEditing({ mode: 'edit', connector })}
              onDelete={setDeleting}
            />
            {selected ? (
              <ConnectorDetails connector={selected} onClose={() => setSelectedName(null)} />
            ) : null}
          </div>
        )}
      </LoadGate>
      {editing ? (
        <ConnectorForm connector={editing.mode === 'edit' ? editing.connector : null} onClose={closeForm} />
      ) : null}
      {browsingCatalog ? (
        <AddFromCatalogDialog
          onClose={() => {
            setBrowsingCatalog(false);
            if (param === 'catalog') navigate('connectors');
          }}
          onAdded={(name) => {
            setBrowsingCatalog(false);
            setSelectedName(name);
            void store.getState().refresh();
            if (param === 'catalog') navigate('connectors');
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          message="Its tools disappear from every client at once, its settings and stored secrets are erased, and its tool choices are forgotten. This cannot be undone."
          confirmLabel="Delete connector"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await store.getState().remove(deleting.name);
            toasts.getState().show(`Deleted connector ${deleting.name}`);
            if (selectedName === deleting.name) setSelectedName(null);
            setDeleting(null);
          }}
        />
      ) : null}
    </div>
  );
}
