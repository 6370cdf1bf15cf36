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
        Refuses every client&apos;s MCP request at once, without revoking anything. Resume to undo.
      </p>
      <ToggleSwitch
        checked={paused}
        disabled={busy}
        label="Pause all access"
        showLabel
        onChange={(pause) => void setPaused(pause)}
      />
    </section>
  );
}
