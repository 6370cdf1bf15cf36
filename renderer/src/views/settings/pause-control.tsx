// Pause all access: every client's MCP request is refused until resumed. Takes effect at once.
import { useStores } from '../../app/stores-context.js';
import { ToggleSwitch } from '../../components/toggle-switch.js';
import { useAction } from '../../components/use-action.js';

export function PauseControl({ paused }: { paused: boolean }) {
  const { settings, toasts } = useStores();
  const [setPaused, busy] = useAction(async (pause: boolean) => {
    if (pause) await settings.getState().pause();
    else await settings.getState().resume();
    toasts.getState().show(pause ? 'Paused all access' : 'Resumed access');
  });
  return (
    <section className="panel" aria-labelledby="pause-title">
      <h2 id="pause-title">Pause all access</h2>
      <p className="muted">
        Takes effect at once, no Save needed: refuses every client&apos;s MCP request, without revoking
        anything. Resume to undo.
      </p>
      {/* Never disabled while it saves, so the keyboard focus stays on the switch. */}
      <ToggleSwitch
        checked={paused}
        label="Pause all access"
        showLabel
        onChange={(pause) => {
          if (!busy) void setPaused(pause);
        }}
      />
    </section>
  );
}
