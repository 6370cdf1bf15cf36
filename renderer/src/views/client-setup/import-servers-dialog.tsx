// "Import servers…": the MCP servers already in a client's config, to become Gatehouse connectors.
// Only the names of environment variables and headers are shown — their values are secrets, which
// move into Gatehouse's encrypted store on import. With "Replace them", the client's file loses the
// imported servers and gains the Gatehouse entry, so it reaches them through Gatehouse from then on.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ImportableServerView, SetupClientView } from '@core/api/client-setup-contract.js';
import { routeHref } from '../../app/route.js';
import { useStores } from '../../app/stores-context.js';
import { Badge } from '../../components/badge.js';
import { EmptyState } from '../../components/empty-state.js';
import { GrantProposal } from '../../components/grant-proposal.js';
import { Modal } from '../../components/modal.js';
import type { ImportableServers, ImportResult } from '../../stores/client-setup-store.js';
import { errorMessage } from '../../stores/load-state.js';
import { count } from '@core/text.js';

type Listing =
  { state: 'loading' } | { state: 'failed'; error: string } | { state: 'ready'; found: ImportableServers };

/** Why a server cannot be chosen, or null when it can. */
function blocker(server: ImportableServerView): string | null {
  if (server.gatehouse) return 'This is the entry for Gatehouse itself.';
  return server.problem ? `Cannot import: ${server.problem}.` : null;
}

function ServerTarget({ server }: { server: ImportableServerView }) {
  const target =
    server.transport === 'stdio' ? [server.command ?? '', ...server.args].join(' ') : (server.url ?? '');
  return (
    <>
      <span className="muted">{server.transport === 'stdio' ? 'stdio' : server.transport.toUpperCase()}</span>{' '}
      <code className="wrap">{target}</code>
    </>
  );
}

/**
 * What the chosen servers' command lines and environments ask their sandboxes to grant (a folder, a
 * file, a local service): another app's words, given only if the user agrees here.
 */
function GrantsAsked({
  id,
  servers,
  accepted,
  onAccept,
}: {
  id: string;
  servers: ImportableServerView[];
  accepted: boolean;
  onAccept: (accepted: boolean) => void;
}) {
  const asking = servers.filter((server) => server.grants.length > 0);
  if (asking.length === 0) return null;
  return (
    <div className="notice notice-warn" role="note" aria-label="Grants they ask for">
      <p>
        <strong>What they ask their sandbox to grant.</strong> Without it they start sandboxed with none, and
        their page lists what the sandbox refuses them.
      </p>
      <ul>
        {asking.flatMap((server) =>
          server.grants.map((grant) => (
            <li key={`${server.key}:${grant.kind}:${grant.target}`}>
              {server.name}: <GrantProposal grant={grant} />
            </li>
          )),
        )}
      </ul>
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={accepted}
          onChange={(event) => onAccept(event.target.checked)}
        />
        Give them these grants
      </label>
    </div>
  );
}

function SecretNames({ server }: { server: ImportableServerView }) {
  const groups: Array<[label: string, names: string[]]> = [
    ['Environment', server.env],
    ['Headers', server.headers],
  ];
  if (groups.every(([, names]) => names.length === 0) && !server.bearer) {
    return <span className="muted">none</span>;
  }
  return (
    <ul className="secret-names">
      {groups
        .filter(([, names]) => names.length > 0)
        .map(([label, names]) => (
          <li key={label}>
            {label}:{' '}
            {names.map((name, index) => (
              <span key={name}>
                {index > 0 ? ', ' : ''}
                <code>{name}</code>
              </span>
            ))}
          </li>
        ))}
      {server.bearer ? <li>Bearer token</li> : null}
    </ul>
  );
}

function ServerRow({
  server,
  chosen,
  onChange,
}: {
  server: ImportableServerView;
  chosen: boolean;
  onChange: (chosen: boolean) => void;
}) {
  const blocked = blocker(server);
  return (
    <tr className={blocked ? 'unavailable' : undefined}>
      <td>
        <input
          type="checkbox"
          checked={chosen}
          disabled={blocked !== null}
          aria-label={`Import ${server.name}`}
          onChange={(event) => onChange(event.target.checked)}
        />
      </td>
      <th scope="row">
        {server.name}
        {server.scope !== 'user' ? (
          <>
            {' '}
            <Badge>{server.scope}</Badge>
          </>
        ) : null}
      </th>
      <td className="import-target">
        <ServerTarget server={server} />
        {blocked ? <p className="field-error">{blocked}</p> : null}
      </td>
      <td>
        <SecretNames server={server} />
      </td>
      <td>{blocked ? <span className="muted">—</span> : <code>{server.connectorName}</code>}</td>
    </tr>
  );
}

function ChooseServers({
  client,
  found,
  onImported,
  onCancel,
}: {
  client: SetupClientView;
  found: ImportableServers;
  onImported: (result: ImportResult) => void;
  onCancel: () => void;
}) {
  const { clientSetup } = useStores();
  const replaceId = useId();
  const [chosen, setChosen] = useState(
    () => new Set(found.servers.filter((server) => !blocker(server)).map((server) => server.key)),
  );
  const [replace, setReplace] = useState(false);
  const grantsId = useId();
  const [acceptGrants, setAcceptGrants] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choose = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // In the listing's order, as the user read them.
      const keys = found.servers.map((server) => server.key).filter((key) => chosen.has(key));
      onImported(await clientSetup.getState().import(client.client, keys, replace, acceptGrants));
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  const files = [...new Set(found.servers.map((server) => server.path))];
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {found.problems.map((problem) => (
        <div key={problem.path} className="notice notice-error" role="alert">
          {problem.message}
        </div>
      ))}
      {found.servers.length === 0 ? (
        <EmptyState title={`No MCP servers in ${client.name}'s configuration`}>
          <p>
            There is nothing to import. Servers you add to {client.name} yourself show up here, to move under
            Gatehouse with their secrets.
          </p>
        </EmptyState>
      ) : (
        <>
          <p>
            Each server you choose becomes a Gatehouse connector. The values of its environment variables and
            headers move into Gatehouse&apos;s encrypted store; only their names are shown here.
          </p>
          <div className="table-scroll">
            <table className="table import-table">
              <colgroup>
                <col className="import-choice" />
                <col className="import-name" />
                <col />
                <col className="import-secrets" />
                <col className="import-connector" />
              </colgroup>
              <caption className="visually-hidden">Servers in {client.name}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Import</span>
                  </th>
                  <th scope="col">Server</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Secrets (names only)</th>
                  <th scope="col">Connector</th>
                </tr>
              </thead>
              <tbody>
                {found.servers.map((server) => (
                  <ServerRow
                    key={server.key}
                    server={server}
                    chosen={chosen.has(server.key)}
                    onChange={(on) => choose(server.key, on)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <GrantsAsked
            id={grantsId}
            servers={found.servers.filter((server) => chosen.has(server.key))}
            accepted={acceptGrants}
            onAccept={setAcceptGrants}
          />
          <label className="checkbox" htmlFor={replaceId}>
            <input
              id={replaceId}
              type="checkbox"
              checked={replace}
              onChange={(event) => setReplace(event.target.checked)}
              aria-describedby={`${replaceId}-hint`}
            />
            Replace them in {client.name} with Gatehouse
          </label>
          <p id={`${replaceId}-hint`} className="hint">
            Takes the imported servers out of{' '}
            {files.map((path, index) => (
              <span key={path}>
                {index > 0 ? ', ' : ''}
                <code className="wrap">{path}</code>
              </span>
            ))}{' '}
            and adds the Gatehouse entry, so {client.name} reaches them through Gatehouse. The file is backed
            up first; Undo on this page puts it back.
          </p>
        </>
      )}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        {found.servers.length > 0 ? (
          <button type="submit" className="button primary" disabled={busy || chosen.size === 0}>
            {busy ? 'Importing…' : `Import ${count(chosen.size, 'server')}`}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function ImportOutcomes({ result, onDone }: { result: ImportResult; onDone: () => void }) {
  const replaced = result.replaced.filter((write) => write.changed);
  const imported = result.outcomes.filter((outcome) => outcome.outcome === 'imported').length;
  const skipped = result.outcomes.length - imported;
  return (
    <>
      <p role="status">
        Imported {count(imported, 'server')}
        {skipped > 0 ? `, skipped ${skipped}` : ''}.
        {result.secretsMoved > 0
          ? ` ${count(result.secretsMoved, 'secret value')} now stored encrypted by Gatehouse.`
          : ''}
      </p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Import outcomes</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {result.outcomes.map((outcome) => (
              <tr key={outcome.server}>
                <th scope="row">{outcome.server}</th>
                <td>
                  {outcome.outcome === 'imported' && outcome.doesNotStart === true ? (
                    // A connector now, but one to fix: never the green of a success.
                    <Badge tone="warn">Imported, not running</Badge>
                  ) : outcome.outcome === 'imported' ? (
                    <Badge tone="ok">Imported</Badge>
                  ) : (
                    <Badge tone="warn">Skipped</Badge>
                  )}
                </td>
                <td>
                  {outcome.connector ? (
                    <>
                      as <code>{outcome.connector}</code>:{' '}
                    </>
                  ) : null}
                  {outcome.detail}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {replaced.length > 0 ? (
        <ul className="plain-list">
          {replaced.map((write) => (
            <li key={write.path}>
              Replaced them in <code className="wrap">{write.path}</code> with the Gatehouse entry
              {write.backupPath ? (
                <>
                  ; the previous file is <code className="wrap">{write.backupPath}</code>
                </>
              ) : null}
              . Undo on this page puts it back.
            </li>
          ))}
        </ul>
      ) : null}
      <div className="dialog-actions">
        <a className="button" href={routeHref('connectors')}>
          Open Connectors
        </a>
        <button type="button" className="button primary" onClick={onDone} data-autofocus>
          Done
        </button>
      </div>
    </>
  );
}

export function ImportServersDialog({ client, onClose }: { client: SetupClientView; onClose: () => void }) {
  const { clientSetup } = useStores();
  const titleId = useId();
  const [listing, setListing] = useState<Listing>({ state: 'loading' });
  const [result, setResult] = useState<ImportResult | null>(null);
  useEffect(() => {
    let current = true;
    clientSetup
      .getState()
      .importable(client.client)
      .then(
        (found) => current && setListing({ state: 'ready', found }),
        (failure: unknown) => current && setListing({ state: 'failed', error: errorMessage(failure) }),
      );
    return () => {
      current = false;
    };
  }, [clientSetup, client.client]);
  return (
    <Modal titleId={titleId} onClose={onClose} wide>
      <h2 id={titleId}>Import servers from {client.name}</h2>
      {result ? (
        <ImportOutcomes result={result} onDone={onClose} />
      ) : listing.state === 'loading' ? (
        <p className="muted" role="status">
          Reading {client.name}&apos;s configuration…
        </p>
      ) : listing.state === 'failed' ? (
        <>
          <div className="notice notice-error" role="alert">
            {listing.error}
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <ChooseServers client={client} found={listing.found} onImported={setResult} onCancel={onClose} />
      )}
    </Modal>
  );
}
