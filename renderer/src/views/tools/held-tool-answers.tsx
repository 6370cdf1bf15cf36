// The user's answers to a held tool — accept, keep blocked, disable — shared by the card of a tool that
// changed upstream and the card of one held on first sight; only the words and the suggested answer
// differ between them.
import type { ToolView } from '@core/api/contract.js';
import { useStores } from '../../app/stores-context.js';
import { useAction } from '../../components/use-action.js';

export function HeldToolAnswers({
  tool,
  keptBlocked,
  acceptLabel,
  acceptedToast,
  suggest,
}: {
  tool: ToolView;
  keptBlocked: boolean;
  acceptLabel: string;
  acceptedToast: string;
  /** The answer shown as the primary button: a change is usually accepted, a poisoned tool kept blocked. */
  suggest: 'accept' | 'keep-blocked';
}) {
  const { tools, toasts } = useStores();
  const [accept, accepting] = useAction(async () => {
    await tools.getState().accept(tool);
    toasts.getState().show(acceptedToast);
  });
  const [keepBlocked, keeping] = useAction(async () => {
    await tools.getState().keepBlocked(tool);
    toasts.getState().show(`Kept ${tool.exposedName} blocked; clients cannot call it`);
  });
  const [disable, disabling] = useAction(async () => {
    await tools.getState().set({ connector: tool.connector, tool: tool.name, enabled: false });
    toasts.getState().show(`Disabled ${tool.exposedName}; clients no longer see it`);
  });
  const busy = accepting || keeping || disabling;
  const buttonClass = (answer: 'accept' | 'keep-blocked') =>
    suggest === answer ? 'button primary small' : 'button small';
  return (
    <div className="held-answers">
      <button type="button" className={buttonClass('accept')} onClick={() => void accept()} disabled={busy}>
        {acceptLabel}
      </button>
      {keptBlocked ? null : (
        <button
          type="button"
          className={buttonClass('keep-blocked')}
          onClick={() => void keepBlocked()}
          disabled={busy}
        >
          Keep blocked
        </button>
      )}
      {tool.enabled ? (
        <button type="button" className="button danger small" onClick={() => void disable()} disabled={busy}>
          Disable
        </button>
      ) : null}
    </div>
  );
}
