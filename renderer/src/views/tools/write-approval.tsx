// "Ask first for every write tool" of one connector, and back: how many of its write tools ask, and
// one button that sets them all (tools.setWriteApproval), so a user need not flip each switch.
import { useStores, useTools } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

export function WriteApproval({ connector }: { connector: string }) {
  const { tools, toasts } = useStores();
  const all = useTools((state) => state.tools);
  const writes = all
    .filter((tool) => tool.connector === connector && tool.toolClass === 'write')
    .map((tool) => tool.approval);
  const asking = writes.filter((approval) => approval === 'ask').length;
  const allAsk = writes.length > 0 && asking === writes.length;
  const [apply, busy] = useAction(async () => {
    const approval = allAsk ? 'never' : 'ask';
    const changed = await tools.getState().setWriteApproval(connector, approval);
    toasts
      .getState()
      .show(
        approval === 'ask'
          ? `Calls to ${connector}'s ${writes.length} write tools now wait for your approval (${changed} changed).`
          : `Calls to ${connector}'s write tools no longer wait for your approval (${changed} changed).`,
      );
  });
  if (writes.length === 0) return null;
  return (
    <p className="write-approval">
      <span className="muted">
        {asking} of {writes.length} write {writes.length === 1 ? 'tool asks' : 'tools ask'} first.
      </span>{' '}
      <button
        type="button"
        className="button"
        aria-busy={busy || undefined}
        onClick={() => {
          if (!busy) void apply();
        }}
      >
        {allAsk ? 'Stop asking for write tools' : 'Ask first for every write tool'}
      </button>
    </p>
  );
}
