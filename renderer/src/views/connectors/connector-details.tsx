// The details panel of one connector: its endpoint, what it runs, its state, the last test, the
// sign-in page it opened, and — for a local program — its last error and stderr.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectorView } from '@core/api/contract.js';
import { routeHref } from '../../app/route.js';
import { useConnectors, useStores } from '../../app/stores-context.js';
import { CopyButton } from '../../components/copy-button.js';
import { useAction } from '../../components/use-action.js';
import { dateTime } from '@core/text.js';
import { errorMessage } from '../../stores/load-state.js';
import { AuthBadge, ConnectionBadge, connectAction, connectorTarget } from './connector-badges.js';
import { testResultText, useConnectorActions } from './connector-actions.js';
import { SandboxPanel } from './connector-sandbox-panel.js';
import { SecretsPanel } from './connector-secrets-panel.js';

function StderrPanel({ connector }: { connector: ConnectorView }) {
  const { connectors } = useStores();
  const lines = useConnectors((state) => state.logs[connector.name]);
  // Fetched again when its status changes (a crash, a restart), which is when stderr grows; a failed
  // fetch's error shows until then, or until Refresh.
  const { connection, restarts } = connector.status;
  const fetchedFor = `${connector.name}\n${connection}\n${restarts}`;
  const [failed, setFailed] = useState<{ for: string; message: string } | null>(null);
  const error = failed?.for === fetchedFor ? failed.message : null;
  const fetchLogs = useCallback(() => {
    connectors
      .getState()
      .loadLogs(connector.name)
      .catch((failure: unknown) => setFailed({ for: fetchedFor, message: errorMessage(failure) }));
  }, [connectors, connector.name, fetchedFor]);
  useEffect(fetchLogs, [fetchLogs]);
  const load = () => {
    setFailed(null);
    fetchLogs();
  };
  return (
    <section aria-labelledby="stderr-title">
      <div className="panel-header">
        <h3 id="stderr-title">Program output (stderr)</h3>
        <button type="button" className="button small" onClick={load}>
          Refresh
        </button>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {lines === undefined ? (
        <p className="muted">Loading…</p>
      ) : lines.length === 0 ? (
        <p className="muted">Nothing written to stderr yet.</p>
      ) : (
        <pre className="code-block log" tabIndex={0} aria-label="stderr lines">
          {lines.join('\n')}
        </pre>
      )}
    </section>
  );
}

export function ConnectorDetails({ connector, onClose }: { connector: ConnectorView; onClose: () => void }) {
  const test = useConnectors((state) => state.tests[connector.name]);
  const authorizationUrl = useConnectors((state) => state.authorizationUrls[connector.name]);
  const actions = useConnectorActions(connector.name);
  const [runTest, testing] = useAction(actions.test);
  const [connect, connecting] = useAction(actions.connect);
  const status = connector.status;
  const signIn = connectAction(status);
  const panel = useRef<HTMLElement>(null);
  // Opened below the table, the details may start below the fold: bring them into view (without an
  // animation for those who asked for less motion), once per connector opened.
  useEffect(() => {
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
    panel.current?.scrollIntoView?.({ block: 'nearest', behavior: reduced ? 'auto' : 'smooth' });
  }, [connector.name]);
  return (
    <section ref={panel} className="panel details" aria-labelledby="connector-details-title">
      <div className="panel-header">
        <h2 id="connector-details-title">{connector.name}</h2>
        <button type="button" className="button small" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <ConnectionBadge status={status} /> <AuthBadge status={status} />
          {status.transport ? <span className="muted"> over {status.transport}</span> : null}
        </dd>
        <dt>{connector.settings.kind === 'stdio' ? 'Runs' : 'Reaches'}</dt>
        <dd>
          <code className="wrap">
            {connector.settings.kind === 'stdio' ? connectorTarget(connector) : connector.settings.url}
          </code>
        </dd>
        {status.serverInfo ? (
          <>
            <dt>Server</dt>
            <dd>
              {status.serverInfo.name} {status.serverInfo.version}
            </dd>
          </>
        ) : null}
        {status.connectedAt ? (
          <>
            <dt>Connected since</dt>
            <dd>{dateTime(status.connectedAt)}</dd>
          </>
        ) : null}
        {status.pid ? (
          <>
            <dt>Process</dt>
            <dd>
              pid {status.pid}
              {status.memoryBytes ? `, ${Math.round(status.memoryBytes / 1_048_576)} MB` : ''}
            </dd>
          </>
        ) : null}
        <dt>Restarts</dt>
        <dd>{status.restarts}</dd>
        <dt>Its own MCP URL</dt>
        <dd className="secret-row">
          <code>{connector.mcpUrl}</code>
          <CopyButton text={connector.mcpUrl} />
        </dd>
        <dt>Tools</dt>
        <dd>
          <a href={routeHref('tools', connector.name)}>
            {connector.toolCount} tools
            {connector.heldTools > 0 ? `, ${connector.heldTools} held for review` : ''}
          </a>
        </dd>
      </dl>
      {status.lastError ? (
        <div className="notice notice-error" role="status">
          <strong>Last error:</strong> {status.lastError}
        </div>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="button small"
          onClick={() => void runTest()}
          disabled={testing || !connector.enabled}
        >
          {testing ? 'Testing…' : 'Test'}
        </button>
        {signIn ? (
          <button
            type="button"
            className="button primary small"
            onClick={() => void connect()}
            disabled={connecting}
          >
            {signIn}
          </button>
        ) : null}
      </div>
      {test === 'running' ? (
        <p className="muted" role="status">
          Testing…
        </p>
      ) : test ? (
        <p className={test.ok ? 'notice notice-ok' : 'notice notice-error'} role="status">
          {testResultText('Test', test)}
        </p>
      ) : null}
      {authorizationUrl ? (
        <div className="notice" role="status">
          <p>Gatehouse opened this sign-in page in your browser. If it did not open, open it yourself:</p>
          <div className="secret-row">
            <code className="wrap">{authorizationUrl}</code>
            <CopyButton text={authorizationUrl} />
          </div>
        </div>
      ) : null}
      <SandboxPanel connector={connector} />
      <SecretsPanel connector={connector} />
      {connector.settings.kind === 'stdio' ? <StderrPanel connector={connector} /> : null}
    </section>
  );
}
