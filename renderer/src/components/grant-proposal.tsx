// One grant a command line asks its sandbox for, in words: what it may do, where, which word asked,
// and what to know (it cannot be granted; it runs later or is on PATH). The catalog's review and the
// import dialog show the same line.
import type { GrantProposalView } from '@core/api/connectors-contract.js';

const VERB = { write: 'may write', read: 'may read', local: 'may reach' } as const;

/** A grant proposal as one line of text, for a list item. */
export function GrantProposal({ grant }: { grant: GrantProposalView }) {
  return (
    <>
      {VERB[grant.kind]} <code className="wrap">{grant.target}</code>{' '}
      <span className="muted">({grant.from})</span>
      {grant.refused
        ? ` — cannot be granted: ${grant.refused}`
        : grant.warning
          ? ` — careful: ${grant.warning}`
          : ''}
    </>
  );
}
