// A prompt, resource, resource template or server's instructions held on first sight: clients do not see it until the user
// reads each reason (the offending part highlighted, invisible characters made visible) and accepts
// it, or keeps it blocked.
import type { HeldItemView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';
import { FirstSightFindings } from './first-sight-findings.js';

const KIND_WORD = {
  prompt: 'Prompt',
  resource: 'Resource',
  'resource-template': 'Resource template',
  instructions: 'Instructions',
} as const;

/** What a held item is, as its card and the list of items being checked name it. */
export function HeldItemName({ item }: { item: HeldItemView }) {
  return item.kind === 'instructions' ? (
    <>The server instructions of {item.connector}</>
  ) : (
    <>
      {KIND_WORD[item.kind]} <code>{item.name}</code> of {item.connector}
    </>
  );
}

export function HeldItemReview({ item }: { item: HeldItemView }) {
  const { tools, toasts } = useStores();
  const what = item.kind === 'instructions' ? 'instructions' : `${item.kind.replace('-', ' ')} ${item.name}`;
  const [answer, busy] = useAction(async (choice: 'accept' | 'block') => {
    await tools.getState().answerItem(item, choice);
    toasts
      .getState()
      .show(
        choice === 'accept'
          ? `Accepted ${item.connector}'s ${what}; clients see ${item.kind === 'instructions' ? 'them' : 'it'}`
          : `Kept ${item.connector}'s ${what} blocked`,
      );
  });
  const headingId = `held-item-${item.connector}-${item.kind}-${item.key}`;
  return (
    <article
      className={item.keptBlocked ? 'card held-tool answered' : 'card held-tool'}
      aria-labelledby={headingId}
    >
      <header className="panel-header">
        <h3 id={headingId}>
          <HeldItemName item={item} /> held on first sight
        </h3>
        <div className="held-answers">
          <button
            type="button"
            className="button small"
            onClick={() => void answer('accept')}
            disabled={busy}
          >
            Accept
          </button>
          {item.keptBlocked ? null : (
            <button
              type="button"
              className="button primary small"
              onClick={() => void answer('block')}
              disabled={busy}
            >
              Keep blocked
            </button>
          )}
        </div>
      </header>
      <p className="muted">
        {item.keptBlocked
          ? 'Kept blocked by you: clients do not see it until you accept it.'
          : 'Held on first sight: clients do not see it. Its definition says things a person reading it would not see or expect — text meant for your AI, not for you.'}
      </p>
      <FirstSightFindings findings={item.findings} />
    </article>
  );
}
