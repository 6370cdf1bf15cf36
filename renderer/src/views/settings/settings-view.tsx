// Settings: pause, the access and limits the engine enforces, the rules, and what protects the
// stored secrets.
import { useSettings, useStores } from '../../app/stores-context.js';
import { LoadGate } from '../../components/load-gate.js';
import { PauseControl } from './pause-control.js';
import { RulesEditor } from './rules-editor.js';
import { SecretProtection } from './secret-protection.js';
import { SettingsForm } from './settings-form.js';

/** Whether local servers can be sandboxed on this computer, and the ones run without a sandbox. */
function SandboxStatus() {
  const sandbox = useSettings((state) => state.status?.sandbox);
  if (!sandbox) return null;
  return (
    <section aria-labelledby="sandbox-status-title">
      <h2 id="sandbox-status-title">Sandbox for local servers</h2>
      {sandbox.works ? (
        <p className="notice notice-ok" role="status">
          Local servers run in {sandbox.mechanism}: they cannot read your secrets or Gatehouse&apos;s data,
          and write only to their workspace.
          {sandbox.problem ? ` ${sandbox.problem} ${sandbox.fix ?? ''}` : ''}
        </p>
      ) : (
        <p className="notice notice-error" role="status">
          The sandbox does not work on this computer, so sandboxed local servers do not start.{' '}
          {sandbox.problem} {sandbox.fix}
        </p>
      )}
      {sandbox.unsandboxed.length > 0 ? (
        <p className="notice notice-warn">
          Running without a sandbox, by your choice: {sandbox.unsandboxed.join(', ')}
        </p>
      ) : null}
    </section>
  );
}

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
            <SandboxStatus />
            <RulesEditor />
            <SecretProtection />
          </>
        ) : null}
      </LoadGate>
    </div>
  );
}
