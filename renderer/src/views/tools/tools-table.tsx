// The tools of one connector: the name clients see and what it does, whether it reads or writes (from
// its annotations, or the user's choice — one control), and the enabled and approval toggles. Four
// columns, so it fits a 900 px window; the header stays in view while the list scrolls.
import type { ToolView } from '@core/api/contract.js';
import { APP_ONLY_TEXT, TASK_ONLY_TEXT } from '@core/text.js';
import { visibleText } from '@core/visible-text.js';
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
  // Controls are never disabled while a change is saved: a disabled control loses the keyboard focus
  // (Space on a switch would drop focus to the page). A change made while one is saved is ignored.
  const changeOnce = (patch: Omit<ToolChange, 'connector' | 'tool'>) => {
    if (!busy) void change(patch);
  };
  const classChoice: ClassChoice = tool.classSource === 'user' ? tool.toolClass : 'auto';
  const classWord = tool.toolClass === 'write' ? 'Write' : 'Read';
  // A held tool's new description is not accepted yet: show the one the user accepted (pinned).
  // Every character a person cannot see is written out (visible-text.ts), as in the reviews.
  const description = visibleText(tool.held ? (tool.held.before.description ?? '') : tool.description);
  return (
    <tr className={tool.available ? undefined : 'unavailable'} aria-busy={busy || undefined}>
      <th scope="row">
        <code>{tool.exposedName}</code>
        {tool.title ? <span className="tool-title">{visibleText(tool.title)}</span> : null}
        <div className="description" title={description}>
          {description || <span className="muted">No description</span>}
        </div>
        <div className="badges">
          {tool.firstSight ? (
            <Badge
              tone="error"
              title="Its first definition holds hidden text or instructions for the AI: see Held for review above"
            >
              Held on first sight
            </Badge>
          ) : null}
          {tool.held ? (
            <Badge tone="warn" title="The server changed this tool: see Held for review above">
              changed — review
            </Badge>
          ) : null}
          {!tool.available ? (
            <Badge tone="neutral" title="The server does not list this tool right now">
              Unavailable
            </Badge>
          ) : null}
          {tool.appOnly ? (
            <Badge tone="neutral" title={APP_ONLY_TEXT.detail}>
              {APP_ONLY_TEXT.label}
            </Badge>
          ) : null}
          {tool.taskOnly ? (
            <Badge tone="warn" title={TASK_ONLY_TEXT.detail}>
              {TASK_ONLY_TEXT.label}
            </Badge>
          ) : null}
          {tool.destructive ? <Badge tone="error">Destructive</Badge> : null}
        </div>
      </th>
      <td>
        {/* One control: what the tool is (from its annotations, "Auto") or what the user says it is. */}
        <select
          className={tool.toolClass === 'write' ? 'class-select write' : 'class-select'}
          aria-label={`Read or write: ${tool.exposedName}`}
          value={classChoice}
          onChange={(event) => {
            const choice = event.target.value as ClassChoice;
            changeOnce({ toolClass: choice === 'auto' ? null : choice });
          }}
        >
          <option value="auto">{classChoice === 'auto' ? `${classWord} (auto)` : 'Auto'}</option>
          <option value="read">Read</option>
          <option value="write">Write</option>
        </select>
      </td>
      <td>
        <ToggleSwitch
          checked={tool.enabled}
          label={`Enable ${tool.exposedName}`}
          onChange={(enabled) => changeOnce({ enabled })}
        />
      </td>
      <td>
        <select
          aria-label={`Ask before each call: ${tool.exposedName}`}
          value={tool.approval}
          onChange={(event) => changeOnce({ approval: event.target.value as ToolView['approval'] })}
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
    <table className="table tools-table">
      <caption className="visually-hidden">Tools of {connector}</caption>
      <thead>
        <tr>
          <th scope="col">Tool</th>
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
  );
}
