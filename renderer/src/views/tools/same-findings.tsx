// Tools of one server held on first sight for the very same findings — most often a sentence of the
// server's own boilerplate in every tool — reviewed once: the findings shown once, the tools named, and
// one Accept for them all (after a confirmation naming each). Each is accepted as it was read here; one
// the server changed meanwhile stays held, and the toast says which.
import { useState } from 'react';
import { findingsKey, type ToolView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { FirstSightFindings } from './first-sight-findings.js';

/**
 * The tools held on first sight, waiting for an answer, grouped by connector and identical findings;
 * only groups of two or more.
 */
export function sameFindingGroups(tools: ToolView[]): ToolView[][] {
  const groups = new Map<string, ToolView[]>();
  for (const tool of tools) {
    if (!tool.firstSight || tool.held || tool.firstSight.keptBlocked || !tool.enabled) continue;
    if (tool.firstSight.findings.length === 0) continue;
    const key = `${tool.connector}\n${findingsKey(tool.firstSight.findings)}`;
    groups.set(key, [...(groups.get(key) ?? []), tool]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

export function SameFindings({ tools }: { tools: ToolView[] }) {
  const { tools: store, toasts } = useStores();
  const [confirming, setConfirming] = useState(false);
  const connector = tools[0]!.connector;
  const names = tools.map((tool) => tool.exposedName);
  const headingId = `same-findings-${connector}-${names[0]}`;
  const acceptAll = async () => {
    const { accepted, changed } = await store.getState().acceptAll(tools);
    setConfirming(false);
    const show = toasts.getState().show;
    if (changed.length === 0)
      show(`Accepted ${accepted.length} tools of ${connector}; clients can see and call them`);
    else
      show(
        `Accepted ${accepted.length} of ${tools.length} tools of ${connector}. ${changed
          .map((tool) => tool.exposedName)
          .join(', ')} changed after you read ${changed.length === 1 ? 'it' : 'them'} and ${
          changed.length === 1 ? 'stays' : 'stay'
        } held: read what ${changed.length === 1 ? 'it says' : 'they say'} now.`,
        'error',
      );
  };
  return (
    <article className="card held-tool same-findings" aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 id={headingId}>
          {tools.length} tools of {connector} held on first sight for the same words
        </h3>
        <div className="held-answers">
          <button type="button" className="button small" onClick={() => setConfirming(true)}>
            Accept all {tools.length}
          </button>
        </div>
      </header>
      <p className="muted">
        Each of these tools says the same thing first sight holds, usually a sentence its server puts in every
        tool. If you trust this server and these words, you can accept them together; each is also shown below
        on its own.
      </p>
      <FirstSightFindings findings={tools[0]!.firstSight!.findings} />
      <ul className="same-findings-tools">
        {names.map((name) => (
          <li key={name}>
            <code>{name}</code>
          </li>
        ))}
      </ul>
      {confirming ? (
        <ConfirmDialog
          title={`Accept ${tools.length} tools of ${connector}?`}
          message={`Clients will see and can call ${names.join(', ')}. Each is accepted as you read it here; one the server has changed since stays held.`}
          confirmLabel={`Accept all ${tools.length}`}
          onConfirm={acceptAll}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </article>
  );
}
