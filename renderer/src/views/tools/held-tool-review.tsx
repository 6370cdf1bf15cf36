// A tool whose description or input schema changed upstream after the user saw it: held (clients do
// not get it) until the user reads what changed and accepts it.
import type { ToolView } from '../../../../main/core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

type Held = NonNullable<ToolView['held']>;

function schemaLines(held: Held): string[] {
  return held.summary.split('\n').filter((line) => line && line !== 'The description changed.');
}

export function HeldToolReview({ tool, held }: { tool: ToolView; held: Held }) {
  const { tools, toasts } = useStores();
  const [accept, busy] = useAction(async () => {
    await tools.getState().accept(tool.connector, tool.name);
    toasts.getState().show(`Accepted the change to ${tool.exposedName}; clients see it again`);
  });
  const headingId = `held-${tool.connector}-${tool.name}`;
  const lines = schemaLines(held);
  return (
    <article className="card held-tool" aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 id={headingId}>
          <code>{tool.exposedName}</code> changed upstream
        </h3>
        <button type="button" className="button primary small" onClick={() => void accept()} disabled={busy}>
          Accept change
        </button>
      </header>
      <p className="muted">
        Held: clients do not see this tool until you accept. A change you did not expect can be a server
        trying to slip new instructions to your AI.
      </p>
      {held.changed.includes('description') ? (
        <div className="diff">
          <div>
            <h4>Description before</h4>
            <pre className="code-block diff-before">{held.before.description ?? '(none)'}</pre>
          </div>
          <div>
            <h4>Description now</h4>
            <pre className="code-block diff-after">{held.after.description ?? '(none)'}</pre>
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
              <pre className="code-block diff-before">{JSON.stringify(held.before.inputSchema, null, 2)}</pre>
              <pre className="code-block diff-after">{JSON.stringify(held.after.inputSchema, null, 2)}</pre>
            </div>
          </details>
        </>
      ) : null}
    </article>
  );
}
