// "Add from catalog": search the MCP Registry, open a server, answer what it needs, add it. One dialog
// over the Connectors page; Escape or Close leaves it, Back returns from a server to the results.
import { useId } from 'react';
import { useCatalog, useStores } from '../../app/stores-context.js';
import { Modal } from '../../components/modal.js';
import type { CatalogAddResult } from '../../stores/catalog-store.js';
import { CatalogSearch } from './catalog-search.js';
import { CatalogServerDetails } from './catalog-server-details.js';

/** What the toast says once a server is added. */
function addedText(result: CatalogAddResult): string {
  const { connector } = result;
  const state = !connector.enabled
    ? 'not started'
    : connector.status.auth === 'action-required'
      ? 'connect it to sign in'
      : connector.status.connection === 'connected'
        ? `connected, ${connector.toolCount} ${connector.toolCount === 1 ? 'tool' : 'tools'}`
        : connector.status.connection;
  return `Added ${connector.name} from the MCP Registry (${state})`;
}

export function AddFromCatalogDialog({
  onClose,
  onAdded,
}: {
  onClose: () => void;
  /** The connector that was added, so the page can show it. */
  onAdded: (connector: string) => void;
}) {
  const { catalog, toasts } = useStores();
  const titleId = useId();
  const detail = useCatalog((state) => state.detail);
  const detailLoad = useCatalog((state) => state.detailLoad);
  const detailError = useCatalog((state) => state.detailError);
  const showingServer = detailLoad !== 'idle';
  const close = () => {
    catalog.getState().closeDetail();
    onClose();
  };
  const added = (result: CatalogAddResult) => {
    toasts.getState().show(addedText(result));
    for (const warning of result.warnings) toasts.getState().show(warning);
    catalog.getState().closeDetail();
    onAdded(result.connector.name);
  };
  return (
    <Modal titleId={titleId} onClose={close} wide>
      <div className="catalog-dialog">
        <div className="panel-header">
          <h2 id={titleId}>Add from the MCP Registry</h2>
          <button type="button" className="button small" onClick={close}>
            Close
          </button>
        </div>
        {showingServer ? (
          <>
            <button type="button" className="link-button" onClick={() => catalog.getState().closeDetail()}>
              ← Back to the results
            </button>
            {detailLoad === 'loading' && detail === null ? (
              <p className="muted" role="status">
                Reading the server from the registry…
              </p>
            ) : null}
            {detailLoad === 'offline' || detailLoad === 'error' ? (
              <p className="notice notice-error" role="alert">
                {detailLoad === 'offline' ? 'The MCP Registry cannot be reached. ' : ''}
                {detailError}
              </p>
            ) : null}
            {detail ? <CatalogServerDetails key={detail.name} server={detail} onAdded={added} /> : null}
          </>
        ) : (
          <CatalogSearch />
        )}
      </div>
    </Modal>
  );
}
