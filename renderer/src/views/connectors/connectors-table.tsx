// One row per connector: what it runs or reaches, connection and auth status, tools (and held
// changes), restarts, the enable switch, and its actions.
import type { ConnectorView } from '@core/api/contract.js';
import { routeHref } from '../../app/route.js';
import { useConnectors } from '../../app/stores-context.js';
import { ToggleSwitch } from '../../components/toggle-switch.js';
import { useAction } from '../../components/use-action.js';
import {
  AuthBadge,
  ConnectionBadge,
  connectAction,
  connectorShortTarget,
  connectorTarget,
} from './connector-badges.js';
import { useConnectorActions } from './connector-actions.js';

function ConnectorRow({
  connector,
  selected,
  onSelect,
  onEdit,
  onDelete,
}: {
  connector: ConnectorView;
  selected: boolean;
  onSelect: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const actions = useConnectorActions(connector.name);
  const [test, testing] = useAction(actions.test);
  const [connect, connecting] = useAction(actions.connect);
  const [setEnabled, switching] = useAction(actions.setEnabled);
  const signIn = connectAction(connector.status);
  return (
    <tr className={selected ? 'selected' : undefined}>
      <th scope="row">
        <button type="button" className="link-button" onClick={onSelect} aria-expanded={selected}>
          {connector.name}
        </button>
      </th>
      <td className="truncate secondary-column" title={connectorTarget(connector)}>
        <span className="muted">{connector.settings.kind === 'stdio' ? 'stdio' : 'HTTP'}</span>{' '}
        {connector.sandbox?.state === 'off' ? (
          <span className="badge badge-warning" title="Runs with your full rights, by your choice">
            no sandbox
          </span>
        ) : null}{' '}
        <code>{connectorShortTarget(connector)}</code>
      </td>
      <td>
        <ConnectionBadge status={connector.status} />
      </td>
      <td>
        <AuthBadge status={connector.status} />
      </td>
      <td className="numeric">
        <a href={routeHref('tools', connector.name)}>{connector.toolCount}</a>
        {connector.heldTools > 0 ? (
          <>
            {' '}
            <a className="held-count" href={routeHref('tools', connector.name)}>
              ({connector.heldTools} held)
            </a>
          </>
        ) : null}
      </td>
      <td className="numeric secondary-column">{connector.status.restarts}</td>
      <td>
        <ToggleSwitch
          checked={connector.enabled}
          disabled={switching}
          label={`Enable ${connector.name}`}
          onChange={(enabled) => void setEnabled(enabled)}
        />
      </td>
      <td className="actions">
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
        <button
          type="button"
          className="button small"
          onClick={() => void test()}
          disabled={testing || !connector.enabled}
        >
          {testing ? 'Testing…' : 'Test'}
        </button>
        <button type="button" className="button small" onClick={onEdit} aria-label={`Edit ${connector.name}`}>
          Edit
        </button>
        <button
          type="button"
          className="button danger-outline small"
          onClick={onDelete}
          aria-label={`Delete ${connector.name}`}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

export function ConnectorsTable({
  selectedName,
  onSelect,
  onEdit,
  onDelete,
}: {
  selectedName: string | null;
  onSelect: (connector: ConnectorView) => void;
  onEdit: (connector: ConnectorView) => void;
  onDelete: (connector: ConnectorView) => void;
}) {
  const connectors = useConnectors((state) => state.connectors);
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Connectors</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="secondary-column">
              Runs
            </th>
            <th scope="col">Connection</th>
            <th scope="col">Auth</th>
            <th scope="col" className="numeric">
              Tools
            </th>
            <th scope="col" className="numeric secondary-column">
              Restarts
            </th>
            <th scope="col">Enabled</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {connectors.map((connector) => (
            <ConnectorRow
              key={connector.name}
              connector={connector}
              selected={connector.name === selectedName}
              onSelect={() => onSelect(connector)}
              onEdit={() => onEdit(connector)}
              onDelete={() => onDelete(connector)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
