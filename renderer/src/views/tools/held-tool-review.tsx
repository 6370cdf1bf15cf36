// A tool whose description or input schema changed upstream after the user saw it: held (clients do
// not get it) until the user reads what changed and answers — Accept change, Keep blocked (it stays
// held and stops waiting), or Disable (the tool is switched off).
import type { ToolView } from '@core/api/contract.js';
import { DiffText } from './diff-text.js';
import { HeldToolAnswers } from './held-tool-answers.js';

type Held = NonNullable<ToolView['held']>;

function schemaLines(held: Held): string[] {
  return held.summary.split('\n').filter((line) => line && line !== 'The description changed.');
}

export function HeldToolReview({ tool, held }: { tool: ToolView; held: Held }) {
  const headingId = `held-${tool.connector}-${tool.name}`;
  const lines = schemaLines(held);
  const answered = held.keptBlocked || !tool.enabled;
  const beforeSchema = JSON.stringify(held.before.inputSchema, null, 2);
  const afterSchema = JSON.stringify(held.after.inputSchema, null, 2);
  return (
    <article className={answered ? 'card held-tool answered' : 'card held-tool'} aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 id={headingId}>
          <code>{tool.exposedName}</code> changed upstream
        </h3>
        <HeldToolAnswers
          tool={tool}
          keptBlocked={held.keptBlocked}
          acceptLabel="Accept change"
          acceptedToast={`Accepted the change to ${tool.exposedName}; clients see it again`}
          suggest="accept"
        />
      </header>
      <p className="muted">
        {!tool.enabled
          ? 'Disabled by you: clients do not see this tool. The change stays unaccepted.'
          : held.keptBlocked
            ? 'Kept blocked by you: clients cannot call this tool until you accept the change.'
            : 'Held: clients do not see this tool until you accept. A change you did not expect can be a server trying to slip new instructions to your AI — keep it blocked, or disable the tool.'}
      </p>
      {held.changed.includes('description') ? (
        <div className="diff">
          <div>
            <h4>Description before</h4>
            <DiffText
              before={held.before.description ?? '(none)'}
              after={held.after.description ?? '(none)'}
              side="before"
              className="code-block diff-before"
            />
          </div>
          <div>
            <h4>Description now</h4>
            <DiffText
              before={held.before.description ?? '(none)'}
              after={held.after.description ?? '(none)'}
              side="after"
              className="code-block diff-after"
            />
          </div>
        </div>
      ) : null}
      {held.changed.includes('inputSchema') ? (
        <>
          <h4>Input schema changes</h4>
          {lines.length > 0 ? (
            <ul className="schema-diff">
              {lines.map((line, index) => (
                <li key={index}>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          ) : null}
          <details>
            <summary>Full schema, before and now</summary>
            <div className="diff">
              <DiffText
                before={beforeSchema}
                after={afterSchema}
                side="before"
                className="code-block diff-before"
              />
              <DiffText
                before={beforeSchema}
                after={afterSchema}
                side="after"
                className="code-block diff-after"
              />
            </div>
          </details>
        </>
      ) : null}
    </article>
  );
}
