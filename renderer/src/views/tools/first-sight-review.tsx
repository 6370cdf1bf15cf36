// A tool held on first sight: its first definition tripped a first-sight rule (hidden characters,
// instructions aimed at the AI, shadowing, exfiltration), so clients do not get it until the user reads
// each reason — the offending part highlighted, invisible characters made visible — and answers.
import type { ToolView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';
import { FirstSightFindings } from './first-sight-findings.js';

type FirstSight = NonNullable<ToolView['firstSight']>;

export function FirstSightReview({ tool, firstSight }: { tool: ToolView; firstSight: FirstSight }) {
  const { tools, toasts } = useStores();
  const [accept, accepting] = useAction(async () => {
    await tools.getState().accept(tool.connector, tool.name);
    toasts.getState().show(`Accepted ${tool.exposedName}; clients can see and call it`);
  });
  const [keepBlocked, keeping] = useAction(async () => {
    await tools.getState().keepBlocked(tool.connector, tool.name);
    toasts.getState().show(`Kept ${tool.exposedName} blocked; clients cannot call it`);
  });
  const [disable, disabling] = useAction(async () => {
    await tools.getState().set({ connector: tool.connector, tool: tool.name, enabled: false });
    toasts.getState().show(`Disabled ${tool.exposedName}; clients no longer see it`);
  });
  const busy = accepting || keeping || disabling;
  const headingId = `first-sight-${tool.connector}-${tool.name}`;
  const answered = firstSight.keptBlocked || !tool.enabled;
  return (
    <article className={answered ? 'card held-tool answered' : 'card held-tool'} aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 id={headingId}>
          <code>{tool.exposedName}</code> held on first sight
        </h3>
        <div className="held-answers">
          <button type="button" className="button small" onClick={() => void accept()} disabled={busy}>
            Accept
          </button>
          {firstSight.keptBlocked ? null : (
            <button
              type="button"
              className="button primary small"
              onClick={() => void keepBlocked()}
              disabled={busy}
            >
              Keep blocked
            </button>
          )}
          {tool.enabled ? (
            <button
              type="button"
              className="button danger small"
              onClick={() => void disable()}
              disabled={busy}
            >
              Disable
            </button>
          ) : null}
        </div>
      </header>
      <p className="muted">
        {!tool.enabled
          ? 'Disabled by you: clients do not see this tool.'
          : firstSight.keptBlocked
            ? 'Kept blocked by you: clients cannot call this tool until you accept it.'
            : 'Held on first sight: clients do not see this tool. Its definition says things a person reading it would not see or expect — text meant for your AI, not for you. Accept it only if you trust this server.'}
      </p>
      <FirstSightFindings findings={firstSight.findings} />
    </article>
  );
}
