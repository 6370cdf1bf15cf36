// A tool held on first sight: its first definition tripped a first-sight rule (hidden characters,
// instructions aimed at the AI, shadowing, exfiltration), so clients do not get it until the user reads
// each reason — the offending part highlighted, invisible characters made visible — and answers.
import type { ToolView } from '@core/api/contract.js';
import { FirstSightFindings } from './first-sight-findings.js';
import { HeldToolAnswers } from './held-tool-answers.js';

type FirstSight = NonNullable<ToolView['firstSight']>;

export function FirstSightReview({ tool, firstSight }: { tool: ToolView; firstSight: FirstSight }) {
  const headingId = `first-sight-${tool.connector}-${tool.name}`;
  const answered = firstSight.keptBlocked || !tool.enabled;
  return (
    <article className={answered ? 'card held-tool answered' : 'card held-tool'} aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 id={headingId}>
          <code>{tool.exposedName}</code> held on first sight
        </h3>
        <HeldToolAnswers
          tool={tool}
          keptBlocked={firstSight.keptBlocked}
          acceptLabel="Accept"
          acceptedToast={`Accepted ${tool.exposedName}; clients can see and call it`}
          suggest="keep-blocked"
        />
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
