// The tools of one connector: the name clients see, what it does, whether it reads or writes (from
// its annotations, or the user's choice), and the enabled and approval toggles.
import type { ToolView } from '../../../../main/core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { Badge } from '../../components/badge.js';
import { ToggleSwitch } from '../../components/toggle-switch.js';
import { useAction } from '../../components/use-action.js';
import type { ToolChange } from '../../stores/tools-store.js';

type ClassChoice = 'auto' | 'read' | 'write';

function ToolRow({ tool }: { tool: ToolView }) {
  const { tools } = useStores();
  const [change, busy] = useAction((patch: Omit<ToolChange, 'connector' | 'tool'>) =>
    tools.getState().set({ connector: tool.connector, tool: tool.name, ...patch }),
  );
  const classChoice: ClassChoice = tool.classSource === 'user' ? tool.toolClass : 'auto';
  // A held tool's new description is not accepted yet: show the one the user accepted (pinned).
  const description = tool.held ? (tool.held.before.description ?? '') : tool.description;
  return (
    <tr className={tool.available ? undefined : 'unavailable'}>
      <th scope="row">
        <code>{tool.exposedName}</code>
        {tool.title ? <div className="muted">{tool.title}</div> : null}
        <div className="badges">
          {tool.held ? <Badge tone="warn">Held</Badge> : null}
          {!tool.available ? (
            <Badge tone="neutral" title="The server does not list this tool right now">
              Unavailable
            </Badge>
          ) : null}
          {tool.destructive ? <Badge tone="error">Destructive</Badge> : null}
        </div>
      </th>
      <td className="description" title={description}>
        {description || <span className="muted">No description</span>}
        {tool.held ? (
          <>
            {' '}
            <Badge tone="warn" title="The server changed this tool: see Held for review above">
              changed — review
            </Badge>
          </>
        ) : null}
      </td>
      <td>
        <div className="class-cell">
          <Badge className="class-badge" tone={tool.toolClass === 'write' ? 'warn' : 'info'}>
            {tool.toolClass === 'write' ? 'Write' : 'Read'}
          </Badge>
          <select
            aria-label={`Read or write: ${tool.exposedName}`}
            value={classChoice}
            disabled={busy}
            onChange={(event) => {
              const choice = event.target.value as ClassChoice;
              void change({ toolClass: choice === 'auto' ? null : choice });
            }}
          >
            <option value="auto">Auto</option>
            <option value="read">Read</option>
            <option value="write">Write</option>
          </select>
        </div>
      </td>
      <td>
        <ToggleSwitch
          checked={tool.enabled}
          disabled={busy}
          label={`Enable ${tool.exposedName}`}
          onChange={(enabled) => void change({ enabled })}
        />
      </td>
      <td>
        <select
          aria-label={`Ask before each call: ${tool.exposedName}`}
          value={tool.approval}
          disabled={busy}
          onChange={(event) => void change({ approval: event.target.value as ToolView['approval'] })}
        >
          <option value="never">Never</option>
          <option value="ask">Ask</option>
        </select>
      </td>
    </tr>
  );
}

export function ToolsTable({ connector, tools }: { connector: string; tools: ToolView[] }) {
  return (
    <div className="table-scroll">
      <table className="table tools-table">
        <caption className="visually-hidden">Tools of {connector}</caption>
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">Description</th>
            <th scope="col">Class</th>
            <th scope="col">Enabled</th>
            <th scope="col">Ask first</th>
          </tr>
        </thead>
        <tbody>
          {tools.map((tool) => (
            <ToolRow key={tool.name} tool={tool} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
