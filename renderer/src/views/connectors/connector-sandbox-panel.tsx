// What a local server's sandbox lets it read, write and reach, on its details panel: on, off (marked,
// the user's choice) or unable to run here (why, and the fix); its secrets, held as stand-ins or
// delivered plainly and why; and what the sandbox refused it, with counts, each with one click to
// grant it where it may be granted.
import type { ConnectorView } from '@core/api/contract.js';
import { DEFAULT_SANDBOX } from '@core/api/connector-config.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

type Refusal = NonNullable<ConnectorView['sandbox']>['refusals'][number];
type Allow = NonNullable<Refusal['allow']>;

const allowLabel = (allow: Allow) =>
  allow.kind === 'folder'
    ? `Let it write ${allow.value}`
    : allow.kind === 'domain'
      ? `Allow ${allow.value}`
      : `Allow local service ${allow.value}`;

export function SandboxPanel({ connector }: { connector: ConnectorView }) {
  const { connectors } = useStores();
  const sandbox = connector.sandbox;
  const settings = connector.settings;
  const [allow, allowing] = useAction(async (grant: Allow) => {
    if (settings.kind !== 'stdio' || !sandbox) return;
    const current = { ...DEFAULT_SANDBOX, ...settings.sandbox };
    await connectors.getState().edit(connector.name, {
      ...settings,
      sandbox: {
        ...current,
        enabled: true,
        folders: grant.kind === 'folder' ? [...current.folders, grant.value] : current.folders,
        allowedDomains:
          grant.kind === 'domain' ? [...(current.allowedDomains ?? []), grant.value] : current.allowedDomains,
        localServices:
          grant.kind === 'local' ? [...current.localServices, grant.value] : current.localServices,
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
  const { masked, plain } = sandbox.secrets;
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
          The system, read-only;{' '}
          {[...sandbox.addedFolders, ...sandbox.readFolders].length > 0 ? (
            <code className="wrap">{[...sandbox.addedFolders, ...sandbox.readFolders].join(', ')}</code>
          ) : (
            'no folder of yours'
          )}
          {sandbox.runtime.length > 0 ? (
            <>
              ; to run: <code className="wrap">{sandbox.runtime.join(', ')}</code>
            </>
          ) : null}
          . Nothing else of your home folder, never Gatehouse&apos;s data.
        </dd>
        <dt>May write</dt>
        <dd>
          <code className="wrap">{[...sandbox.addedFolders, ...sandbox.ownFolders].join(', ')}</code>
        </dd>
        <dt>May reach</dt>
        <dd>
          {sandbox.allowedDomains === null
            ? 'Any public host (not this computer, your network or cloud metadata)'
            : `Only ${sandbox.allowedDomains.join(', ') || 'no public host'}`}
          {sandbox.localServices.length > 0
            ? `; on this computer or your network: ${sandbox.localServices.join(', ')}`
            : ''}
        </dd>
        {masked.length > 0 || plain.length > 0 ? (
          <>
            <dt>Secrets</dt>
            <dd>
              <ul className="plain-list" aria-label="Secrets">
                {masked.map((name) => (
                  <li key={name}>
                    <code>{name}</code>: only a stand-in; the real value goes only to its hosts
                  </li>
                ))}
                {plain.map(({ name, why }) => (
                  <li key={name}>
                    <code>{name}</code>: plainly — {why}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {sandbox.refusals.length > 0 ? (
        <>
          <h4>Refused</h4>
          <ul className="plain-list" aria-label="Refused">
            {sandbox.refusals.map((refusal) => (
              <li key={`${refusal.kind}:${refusal.target}`}>
                <code className="wrap">{refusal.target}</code> ({refusal.count}×): {refusal.reason}{' '}
                {refusal.allow ? (
                  <button
                    type="button"
                    className="button small"
                    disabled={allowing}
                    onClick={() => void allow(refusal.allow!)}
                  >
                    {allowLabel(refusal.allow)}
                  </button>
                ) : null}
              </li>
            ))}
            {sandbox.refusedOthers > 0 ? <li>and {sandbox.refusedOthers} more, counted</li> : null}
          </ul>
        </>
      ) : null}
    </section>
  );
}
