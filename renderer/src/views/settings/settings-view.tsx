// Settings: pause, the access and limits the engine enforces, the rules, and what protects the
// stored secrets.
import { useSettings, useStores } from '../../app/stores-context.js';
import { LoadGate } from '../../components/load-gate.js';
import { PauseControl } from './pause-control.js';
import { RulesEditor } from './rules-editor.js';
import { SecretProtection } from './secret-protection.js';
import { SettingsForm } from './settings-form.js';

export function SettingsView() {
  const { settings: store } = useStores();
  const settings = useSettings((state) => state.settings);
  const loadError = useSettings((state) => state.loadError);
  return (
    <div className="page">
      <h1>Settings</h1>
      <LoadGate
        state={settings ? 'ready' : loadError ? 'error' : 'loading'}
        error={loadError}
        onRetry={() => void store.getState().refreshSettings()}
      >
        {settings ? (
          <>
            <PauseControl paused={settings.paused} />
            {/* Keyed by the saved values: a change made elsewhere (CLI, tray) resets the form to it. */}
            <SettingsForm key={JSON.stringify({ ...settings, paused: undefined })} settings={settings} />
            <RulesEditor />
            <SecretProtection />
          </>
        ) : null}
      </LoadGate>
    </div>
  );
}
