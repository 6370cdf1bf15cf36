// What a local server's sandbox lets it read, write and reach, on its details panel: on, off (marked,
// the user's choice) or unable to run here (why, and the fix), and the hosts it was refused, each with
// one click to allow it.
import type { ConnectorView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

export function SandboxPanel({ connector }: { connector: ConnectorView }) {
  const { connectors } = useStores();
  const sandbox = connector.sandbox;
  const settings = connector.settings;
  const [allow, allowing] = useAction(async (host: string) => {
    if (settings.kind !== 'stdio' || !sandbox) return;
    await connectors.getState().edit(connector.name, {
      ...settings,
      sandbox: {
        enabled: true,
        folders: sandbox.addedFolders,
        allowedDomains: [...(sandbox.allowedDomains ?? []), host],
      },
    });
  });
  if (!sandbox) return null;
  if (sandbox.state === 'off') {
    return (
      <div className="notice notice-error" role="status" aria-label="Sandbox">
        <strong>No sandbox</strong>, by your choice: this server can read your secrets, write anywhere you can
        and reach any host. Edit it to turn the sandbox back on.
      </div>
    );
  }
  return (
    <section aria-labelledby="sandbox-title">
      <h3 id="sandbox-title">Sandbox</h3>
      {sandbox.state === 'unavailable' ? (
        <div className="notice notice-error" role="status">
          The sandbox cannot run on this computer, so this server is not started. {sandbox.problem} To run it
          anyway with your full rights, edit it and switch the sandbox off.
        </div>
      ) : null}
      <dl className="facts">
        <dt>May read</dt>
        <dd>
          Everything but your secrets (~/.ssh, cloud credentials, browser profiles…) and Gatehouse&apos;s data
        </dd>
        <dt>May write</dt>
        <dd>
          <code className="wrap">{[...sandbox.workspace, ...sandbox.ownFolders].join(', ')}</code>
        </dd>
        <dt>May reach</dt>
        <dd>
          {sandbox.allowedDomains === null
            ? 'Any host'
            : `Only ${sandbox.allowedDomains.join(', ') || 'no host'}`}
        </dd>
      </dl>
      {sandbox.blockedHosts.length > 0 ? (
        <ul className="plain-list" aria-label="Refused hosts">
          {sandbox.blockedHosts.map((blocked) => (
            <li key={`${blocked.host}:${blocked.port}`}>
              Refused <code>{`${blocked.host}:${blocked.port}`}</code> ({blocked.count}×){' '}
              <button
                type="button"
                className="button small"
                disabled={allowing}
                onClick={() => void allow(blocked.host)}
              >
                Allow {blocked.host}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
