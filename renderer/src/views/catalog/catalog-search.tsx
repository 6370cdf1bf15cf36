// The catalog's first step: a search box over the registry's server names and the results, one card
// per server (name, title, description, status, version, how it runs, repository link). A registry
// that cannot be reached, or finds nothing, says so in words.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CatalogServerSummary } from '@core/api/catalog-contract.js';
import { useCatalog, useStores } from '../../app/stores-context.js';
import { CatalogStatusBadge } from './catalog-status-badge.js';
import { kindsText } from './catalog-kinds.js';
import { CatalogRegistrySetting } from './catalog-registry-setting.js';
import { ExternalLink } from './external-link.js';
import { WrappingName } from '../../components/wrapping-name.js';

function CatalogResult({ server, onOpen }: { server: CatalogServerSummary; onOpen: () => void }) {
  return (
    <li className="catalog-result">
      <div className="catalog-result-head">
        <button type="button" className="link-button catalog-result-name" onClick={onOpen}>
          <WrappingName name={server.title ?? server.name} />
        </button>
        <CatalogStatusBadge status={server.status} />
      </div>
      {server.title ? (
        <p className="catalog-result-id mono">
          <WrappingName name={server.name} />
        </p>
      ) : null}
      {server.addedAs.length > 0 ? (
        <p className="catalog-added">Already added as {server.addedAs.join(', ')}</p>
      ) : null}
      <p className="catalog-result-description">{server.description}</p>
      <p className="catalog-result-meta muted">
        <span>Version {server.version}</span>
        <span>{kindsText(server.kinds)}</span>
        {server.repositoryUrl ? (
          <span>
            <ExternalLink href={server.repositoryUrl}>Repository</ExternalLink>
          </span>
        ) : null}
      </p>
    </li>
  );
}

function CatalogProblem({
  offline,
  message,
  onRetry,
}: {
  offline: boolean;
  message: string;
  onRetry: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{offline ? 'The MCP Registry cannot be reached.' : 'The search failed.'}</strong> {message}
      </p>
      <button type="button" className="button small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function CatalogSearch() {
  const { catalog } = useStores();
  const query = useCatalog((state) => state.query);
  const servers = useCatalog((state) => state.servers);
  const load = useCatalog((state) => state.searchLoad);
  const error = useCatalog((state) => state.searchError);
  const nextCursor = useCatalog((state) => state.nextCursor);
  const loadingMore = useCatalog((state) => state.loadingMore);
  const skipped = useCatalog((state) => state.skipped);
  const [text, setText] = useState(query);
  const searchId = useId();

  // Opening the catalog lists what the registry has; a search already made is kept.
  useEffect(() => {
    if (catalog.getState().searchLoad === 'idle') void catalog.getState().search('');
  }, [catalog]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void catalog.getState().search(text.trim());
  };
  const retry = () => void catalog.getState().search(query);

  return (
    <div className="catalog-search">
      <form className="catalog-search-form" role="search" onSubmit={submit}>
        <label htmlFor={searchId}>Search servers by name</label>
        <div className="catalog-search-row">
          <input
            id={searchId}
            type="search"
            value={text}
            placeholder="e.g. github, filesystem, weather"
            onChange={(event) => setText(event.target.value)}
            spellCheck={false}
            data-autofocus
          />
          <button type="submit" className="button primary" disabled={load === 'loading'}>
            Search
          </button>
        </div>
      </form>
      {load === 'loading' ? (
        <p className="muted" role="status">
          {query === '' ? 'Loading servers from the registry…' : `Searching for “${query}”…`}
        </p>
      ) : null}
      {load === 'offline' || load === 'error' ? (
        <CatalogProblem offline={load === 'offline'} message={error ?? ''} onRetry={retry} />
      ) : null}
      {load === 'ready' && servers.length === 0 ? (
        <div className="empty-state" role="status">
          <p className="empty-title">
            {query === '' ? 'This registry lists no servers.' : `No server has “${query}” in its name.`}
          </p>
          <p className="empty-body">
            The registry matches part of a server’s name, such as <code>github</code> in{' '}
            <code>io.github.user/server</code>. Try one word, or clear the search to see every server.
          </p>
        </div>
      ) : null}
      {load === 'ready' && servers.length > 0 ? (
        <>
          <p className="muted" role="status">
            {servers.length === 1 ? '1 server' : `${servers.length} servers`}
            {nextCursor !== null ? ' so far' : ''}
            {query !== '' ? ` matching “${query}”` : ''}
            {skipped > 0 ? ` (${skipped} left out: not valid server.json)` : ''}.
          </p>
          <ul className="catalog-results" aria-label="Servers">
            {servers.map((server) => (
              <CatalogResult
                key={server.name}
                server={server}
                onOpen={() => void catalog.getState().open(server.name)}
              />
            ))}
          </ul>
          {nextCursor !== null ? (
            <button
              type="button"
              className="button"
              disabled={loadingMore}
              onClick={() => void catalog.getState().loadMore()}
            >
              {loadingMore ? 'Loading more…' : 'Show more servers'}
            </button>
          ) : null}
          {error && load === 'ready' ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      ) : null}
      <CatalogRegistrySetting />
    </div>
  );
}
