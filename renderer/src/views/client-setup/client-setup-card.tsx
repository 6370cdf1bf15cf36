// One client on the "Connect a client" page: whether it is here, pointed at Gatehouse and connected;
// its config files; Connect (for the user, or one project), Undo, Import servers…; what the last
// write did; and the command or snippet for doing it by hand.
import { useId, useState } from 'react';
import { connectedAt, type SetupClientView } from '@core/api/client-setup-contract.js';
import { useClientSetup, useStores } from '../../app/stores-context.js';
import { CopyButton } from '../../components/copy-button.js';
import { useNow } from '../../components/use-now.js';
import { ago } from '@core/text.js';
import type { SetupTarget } from '../../stores/client-setup-store.js';
import { errorMessage } from '../../stores/load-state.js';
import { AddToProjectForm } from './add-to-project-form.js';
import { ConfigFiles } from './config-files.js';
import { SetupBadges } from './setup-badges.js';
import { SetupWriteResult } from './setup-write-result.js';

type Busy = 'connect' | 'undo' | 'project' | null;

function StatusLine({ client }: { client: SetupClientView }) {
  const now = useNow(30_000);
  if (client.registeredClients.length > 0) {
    const used = client.registeredClients
      .map((known) => known.lastUsedAt)
      .reduce<number | null>(
        (latest, at) => (at !== null && (latest === null || at > latest) ? at : latest),
        null,
      );
    const names = [...new Set(client.registeredClients.map((known) => known.name))].join(', ');
    const last = used ? `last request ${ago(used, now)}` : 'no request yet';
    return (
      <p className="setup-status">
        {client.registeredClients.some((known) => connectedAt(known, now))
          ? `Connected now, as ${names}; ${last}.`
          : `Has access through this entry, as ${names}; ${last}. Not connected right now: start ${client.name} to use Gatehouse.`}
      </p>
    );
  }
  if (client.configured) {
    return (
      <p className="setup-status">
        Configured. The first time {client.name} connects, it asks for access in this window.
      </p>
    );
  }
  if (client.installed) {
    return <p className="setup-status">Found on this computer, not pointed at Gatehouse yet.</p>;
  }
  return (
    <p className="setup-status muted">
      Not found on this computer. Connect still writes its config file, ready for when you install it.
    </p>
  );
}

export function ClientSetupCard({
  client,
  onImport,
}: {
  client: SetupClientView;
  onImport: (client: SetupClientView) => void;
}) {
  const { clientSetup, toasts } = useStores();
  const write = useClientSetup((state) => state.writes[client.client]);
  const headingId = useId();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<{ action: string; message: string } | null>(null);
  const [addingProject, setAddingProject] = useState(false);
  const userFile = client.locations.find((location) => location.scope === 'user');
  const canUndo = userFile?.gatehouse === 'this';
  const hasProjects = client.scopes.includes('project');

  const run = async (what: Exclude<Busy, null>, action: () => Promise<unknown>, done: string) => {
    setBusy(what);
    setError(null);
    try {
      await action();
      toasts.getState().show(done);
      return true;
    } catch (failure) {
      setError({ action: what === 'undo' ? 'Undo' : 'Connect', message: errorMessage(failure) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  const connect = (target: SetupTarget) =>
    run(
      target.scope === 'user' ? 'connect' : 'project',
      () => clientSetup.getState().connect(client.client, target),
      `Connected ${client.name} to Gatehouse`,
    );
  const undo = (target: SetupTarget) =>
    run(
      'undo',
      () => clientSetup.getState().undo(client.client, target),
      `Undid Gatehouse's entry for ${client.name}`,
    );

  return (
    <article className="card setup-card" aria-labelledby={headingId}>
      <header className="setup-card-header">
        <h2 id={headingId}>{client.name}</h2>
        <SetupBadges client={client} />
      </header>
      <StatusLine client={client} />
      <ConfigFiles client={client} />
      <div className="button-row">
        {canUndo ? (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void undo({ scope: 'user' })}
          >
            {busy === 'undo' ? 'Undoing…' : 'Undo'}
          </button>
        ) : (
          <button
            type="button"
            className={client.installed ? 'button primary' : 'button'}
            disabled={busy !== null}
            onClick={() => void connect({ scope: 'user' })}
          >
            {busy === 'connect' ? 'Connecting…' : 'Connect'}
          </button>
        )}
        {hasProjects ? (
          <button
            type="button"
            className="button"
            aria-expanded={addingProject}
            disabled={busy !== null}
            onClick={() => setAddingProject(!addingProject)}
          >
            Add to a project…
          </button>
        ) : null}
        <button type="button" className="button" disabled={busy !== null} onClick={() => onImport(client)}>
          Import servers…
        </button>
      </div>
      {addingProject ? (
        <AddToProjectForm
          client={client}
          busy={busy === 'project'}
          onCancel={() => setAddingProject(false)}
          onSubmit={(projectDir) =>
            void connect({ scope: 'project', projectDir }).then((ok) => ok && setAddingProject(false))
          }
        />
      ) : null}
      {error ? (
        <div className="notice notice-error" role="alert">
          <strong>{error.action} failed.</strong> <span>{error.message}</span>
        </div>
      ) : null}
      {write ? (
        <SetupWriteResult
          write={write}
          busy={busy !== null}
          onUndoProject={(projectDir) => void undo({ scope: 'project', projectDir })}
        />
      ) : null}
      {client.commands ? (
        <div className="setup-command">
          <p className="hint">Or from a terminal:</p>
          <div className="snippet">
            <pre>{client.commands.user}</pre>
            <CopyButton text={client.commands.user} label="Copy command" />
          </div>
        </div>
      ) : null}
      <details className="setup-by-hand">
        <summary>Add it by hand</summary>
        {userFile ? (
          <p className="hint">
            Put this entry in <code className="wrap">{userFile.path}</code>:
          </p>
        ) : null}
        <div className="snippet">
          <pre>{client.snippet}</pre>
          <CopyButton text={client.snippet} />
        </div>
      </details>
    </article>
  );
}
