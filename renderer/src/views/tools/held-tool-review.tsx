// A tool whose description or input schema changed upstream after the user saw it (or that now says it
// only reads): held (clients do not get it) until the user reads what changed and answers — Accept
// change, Keep blocked (it stays held and stops waiting), or Disable (the tool is switched off). The
// card shows every part accepting would accept (title, annotations, _meta too) and what first sight
// reads in the change that it did not read in what the user saw.
import type { ReactNode } from 'react';
import type { ToolView } from '@core/api/contract.js';
import { definitionPartText } from '@core/text.js';
import { visibleText } from '@core/visible-text.js';
import { DiffText } from './diff-text.js';
import { FirstSightFindings } from './first-sight-findings.js';
import { HeldToolAnswers } from './held-tool-answers.js';

type Held = NonNullable<ToolView['held']>;

/**
 * One changed part, before and now side by side, with the words that differ marked and every character
 * a person cannot see written out (a change can be one bidi override or zero-width space).
 */
function BeforeAndNow({ name, before, after }: { name: ReactNode; before: string; after: string }) {
  const [was, is] = [visibleText(before), visibleText(after)];
  return (
    <div className="diff">
      <div>
        <h4>{name} before</h4>
        <DiffText before={was} after={is} side="before" className="code-block diff-before" />
      </div>
      <div>
        <h4>{name} now</h4>
        <DiffText before={was} after={is} side="after" className="code-block diff-after" />
      </div>
    </div>
  );
}

function schemaLines(held: Held): string[] {
  return held.summary
    .split('\n')
    .filter((line) => line && line !== 'The description changed.')
    .map(visibleText);
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
        <BeforeAndNow
          name="Description"
          before={held.before.description ?? '(none)'}
          after={held.after.description ?? '(none)'}
        />
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
            <BeforeAndNow name="Input schema" before={beforeSchema} after={afterSchema} />
          </details>
        </>
      ) : null}
      {held.otherParts.map(({ part, before, after }) => (
        <BeforeAndNow
          key={part}
          name={<code>{part}</code>}
          before={definitionPartText(before)}
          after={definitionPartText(after)}
        />
      ))}
      {held.nowReadOnly ? (
        <p className="notice notice-warn">
          It now says it only reads, where it said it writes: accepting lets clients with read-only access
          call it.
        </p>
      ) : null}
      <h4>What first sight reads in the change</h4>
      {held.findings === null ? (
        <p className="muted">First sight has not read this change yet.</p>
      ) : held.findings.length === 0 ? (
        <p className="muted">Nothing it did not read in the definition you accepted before.</p>
      ) : (
        <FirstSightFindings findings={held.findings} />
      )}
    </article>
  );
}
