// The settings the engine enforces: port, access ceiling, registration policy, token lifetimes, rate
// limits, audit retention, start at login, and the registry the catalog searches. Only changed fields are sent; the engine checks the bounds
// and its sentence shows as it is.
import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_REGISTRY_URL, registryUrlProblem } from '@core/api/catalog-contract.js';
import type { SettingsPatch, SettingsView } from '@core/api/contract.js';
import { useSettings, useStores } from '../../app/stores-context.js';
import { errorMessage } from '../../stores/load-state.js';
import { RadioOption } from '../../components/radio-option.js';
import { TextField } from '../../components/text-field.js';

type NumberKey =
  | 'port'
  | 'accessTokenTtlSeconds'
  | 'refreshTokenTtlDays'
  | 'auditRetentionDays'
  | 'rateLimitPerMinute'
  | 'rateLimitPerDay';

const NUMBER_FIELDS: Array<{ key: NumberKey; label: string; hint: string }> = [
  {
    key: 'port',
    label: 'Port',
    hint: 'The loopback port of the MCP URL. Clients set up with the old one must be updated.',
  },
  { key: 'accessTokenTtlSeconds', label: 'Access token lifetime (seconds)', hint: '60 to 3600.' },
  {
    key: 'refreshTokenTtlDays',
    label: 'Refresh token lifetime (days)',
    hint: '1 to 30; rotated on every use.',
  },
  { key: 'rateLimitPerMinute', label: 'Tool calls per minute, per client', hint: '' },
  { key: 'rateLimitPerDay', label: 'Tool calls per day, per client', hint: '' },
  { key: 'auditRetentionDays', label: 'Keep activity for (days)', hint: 'Older audit events are deleted.' },
];

interface Draft {
  numbers: Record<NumberKey, string>;
  accessCeiling: SettingsView['accessCeiling'];
  registrationPolicy: SettingsView['registrationPolicy'];
  startAtLogin: boolean;
  registryUrl: string;
}

function draftFrom(settings: SettingsView): Draft {
  return {
    numbers: Object.fromEntries(NUMBER_FIELDS.map(({ key }) => [key, String(settings[key])])) as Record<
      NumberKey,
      string
    >,
    accessCeiling: settings.accessCeiling,
    registrationPolicy: settings.registrationPolicy,
    startAtLogin: settings.startAtLogin,
    registryUrl: settings.registryUrl,
  };
}

function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  options: ReadonlyArray<readonly [T, string, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="choice-group">
      <legend>{legend}</legend>
      {options.map(([option, label, hint]) => (
        <RadioOption key={option} name={name} checked={value === option} onSelect={() => onChange(option)}>
          {label} <span className="muted">— {hint}</span>
        </RadioOption>
      ))}
    </fieldset>
  );
}

/** The field an engine refusal is about: the one changed field, or the one its sentence names. */
function fieldOf(message: string, patch: SettingsPatch): NumberKey | 'registryUrl' | undefined {
  const keys = Object.keys(patch).filter(
    (key): key is NumberKey | 'registryUrl' =>
      key === 'registryUrl' || NUMBER_FIELDS.some((field) => field.key === key),
  );
  if (Object.keys(patch).length === 1) return keys[0];
  const text = message.toLowerCase();
  return keys.find((key) => {
    const label = NUMBER_FIELDS.find((field) => field.key === key)?.label ?? 'registry';
    return text.includes(key.toLowerCase()) || text.includes(label.toLowerCase().split(' (')[0]!);
  });
}

/**
 * While there are unsaved edits, leaving asks first: another page of the window (a link to `#/…`)
 * with a confirmation, closing or reloading with the browser's own warning.
 */
function useLeaveWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#/"]');
      if (!link || link.getAttribute('href') === window.location.hash) return;
      if (!window.confirm('Your changes to the settings are not saved. Leave this page and lose them?'))
        event.preventDefault();
    };
    const onUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    document.addEventListener('click', onClick, true);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [dirty]);
}

export function SettingsForm({ settings }: { settings: SettingsView }) {
  const { settings: store, toasts } = useStores();
  const runningPort = useSettings((state) => (state.status ? new URL(state.status.mcpUrl).port : null));
  const portFromCommandLine = useSettings((state) => state.status?.portFromCommandLine === true);
  const [draft, setDraft] = useState(() => draftFrom(settings));
  const [problems, setProblems] = useState<Partial<Record<NumberKey | 'registryUrl', string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftFrom(settings));
  useLeaveWarning(dirty);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const patch: SettingsPatch = {};
    const found: Partial<Record<NumberKey | 'registryUrl', string>> = {};
    for (const { key, label } of NUMBER_FIELDS) {
      const text = draft.numbers[key].trim();
      const value = Number(text);
      if (!text || !Number.isInteger(value)) found[key] = `${label} must be a whole number.`;
      else if (value !== settings[key]) patch[key] = value;
    }
    const registryUrl = draft.registryUrl.trim();
    const registryProblem = registryUrlProblem(registryUrl);
    if (registryProblem)
      found.registryUrl = `${registryProblem.charAt(0).toUpperCase()}${registryProblem.slice(1)}.`;
    else if (registryUrl !== settings.registryUrl) patch.registryUrl = registryUrl;
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (draft.accessCeiling !== settings.accessCeiling) patch.accessCeiling = draft.accessCeiling;
    if (draft.registrationPolicy !== settings.registrationPolicy)
      patch.registrationPolicy = draft.registrationPolicy;
    if (draft.startAtLogin !== settings.startAtLogin) patch.startAtLogin = draft.startAtLogin;
    if (Object.keys(patch).length === 0) {
      setError(null);
      toasts.getState().show('Nothing changed');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await store.getState().saveSettings(patch);
      setDraft(draftFrom(saved));
      toasts.getState().show('Settings saved');
    } catch (failure) {
      // The engine's sentence goes on the field it is about (marked, and focused), else below.
      const message = errorMessage(failure);
      const field = fieldOf(message, patch);
      if (field) {
        setProblems({ [field]: message });
        document.getElementById(`setting-${field}`)?.focus();
      } else setError(message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel settings-form"
      onSubmit={(event) => void save(event)}
      noValidate
      aria-labelledby="settings-title"
    >
      <h2 id="settings-title">Access and limits</h2>
      <p className="muted">Changes here take effect when you click Save settings.</p>
      <Choice
        legend="Access ceiling"
        name="access-ceiling"
        value={draft.accessCeiling}
        onChange={(accessCeiling) => setDraft({ ...draft, accessCeiling })}
        options={[
          ['off', 'Off', 'no client can call any tool'],
          ['read', 'Read-only', 'no client can call a write tool, whatever its grant'],
          ['write', 'Read & write', 'each client gets what its grant allows'],
        ]}
      />
      <Choice
        legend="New clients may register"
        name="registration-policy"
        value={draft.registrationPolicy}
        onChange={(registrationPolicy) => setDraft({ ...draft, registrationPolicy })}
        options={[
          ['open', 'Open', 'any client may register, then asks for consent'],
          ['ask', 'Ask', 'you allow each new registration first'],
          ['closed', 'Closed', 'no new clients; registered ones keep working'],
        ]}
      />
      <div className="field-grid">
        {NUMBER_FIELDS.map(({ key, label, hint }) => (
          <TextField
            key={key}
            id={`setting-${key}`}
            label={label}
            error={problems[key]}
            hint={hint}
            note={
              key === 'port' && runningPort ? (
                <p className="hint">
                  {portFromCommandLine
                    ? `Serving on port ${runningPort} now, as --port asked for this run; the setting applies when Gatehouse starts without --port.`
                    : runningPort === String(settings.port)
                      ? `Serving on port ${runningPort} now.`
                      : `Serving on port ${runningPort} now; restart Gatehouse to move to ${settings.port}.`}
                </p>
              ) : null
            }
            value={draft.numbers[key]}
            onChange={(value) => setDraft({ ...draft, numbers: { ...draft.numbers, [key]: value } })}
            input={{ inputMode: 'numeric' }}
          />
        ))}
      </div>
      <TextField
        id="setting-registryUrl"
        label="Catalog registry"
        error={problems.registryUrl}
        hint={
          <>
            Where Add from catalog searches: a registry that serves the MCP Registry API, e.g. your
            company&apos;s. The official one is {DEFAULT_REGISTRY_URL}.
          </>
        }
        value={draft.registryUrl}
        onChange={(registryUrl) => setDraft({ ...draft, registryUrl })}
        input={{ type: 'url' }}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.startAtLogin}
          onChange={(event) => setDraft({ ...draft, startAtLogin: event.target.checked })}
        />
        Start Gatehouse when I log in
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        {/* aria-disabled while saving: a disabled button would drop the keyboard focus to the page. */}
        <button type="submit" className="button primary" aria-disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => (setDraft(draftFrom(settings)), setProblems({}), setError(null))}
        >
          Undo changes
        </button>
      </div>
    </form>
  );
}
