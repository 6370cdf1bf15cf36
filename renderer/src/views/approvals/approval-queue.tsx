// Approvals: tool calls waiting for an answer, oldest first. No answer in time means deny.
import { routeHref } from '../../app/route.js';
import { useApprovals, useStores } from '../../app/stores-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { useNow } from '../../components/use-now.js';
import { ApprovalCard } from './approval-card.js';

/** `param`: an approval to bring into view (the desktop app opens #/approvals/<id> when one arrives). */
export function ApprovalQueue({ param }: { param: string | null }) {
  const { approvals: store } = useStores();
  const approvals = useApprovals((state) => state.approvals);
  const loadState = useApprovals((state) => state.loadState);
  const loadError = useApprovals((state) => state.loadError);
  const now = useNow(1000);
  return (
    <div className="page">
      <h1>Approvals</h1>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {approvals.length === 0 ? (
          <EmptyState title="No tool calls are waiting">
            <p>
              A call to a tool set to <em>Ask</em> (on the <a href={routeHref('tools')}>Tools</a> page) or
              matched by an <em>ask</em> rule waits here for your answer. Unanswered calls are denied when
              their time runs out.
            </p>
          </EmptyState>
        ) : (
          <div className="approval-list">
            {[...approvals]
              .sort((a, b) => a.createdAt - b.createdAt)
              .map((approval) => (
                <ApprovalCard
                  key={approval.id}
                  approval={approval}
                  now={now}
                  focused={approval.id === param}
                />
              ))}
          </div>
        )}
      </LoadGate>
    </div>
  );
}
