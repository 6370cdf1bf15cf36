// Which registry the catalog searches, changeable right here: the official MCP Registry by default,
// or a private one (https, or http to this computer). Saving searches the new registry at once.
import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_REGISTRY_URL, registryUrlProblem } from '@core/api/catalog-contract.js';
import { useSettings, useStores } from '../../app/stores-context.js';
import { errorMessage } from '../../stores/load-state.js';
import { TextField } from '../../components/text-field.js';

export function CatalogRegistrySetting() {
  const { settings, catalog } = useStores();
  const current = useSettings((state) => state.settings?.registryUrl) ?? DEFAULT_REGISTRY_URL;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    const problem = registryUrlProblem(value);
    if (problem) {
      setError(`${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`);
      return;
    }
    setBusy(true);
    try {
      await settings.getState().saveSettings({ registryUrl: value });
      setEditing(false);
      setError(null);
      void catalog.getState().search(catalog.getState().query);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <p className="catalog-registry hint">
        Registry: <span className="mono">{current}</span>
        {current === DEFAULT_REGISTRY_URL ? ' (the official MCP Registry)' : ''}{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setText(current);
            setEditing(true);
          }}
        >
          Change registry
        </button>
      </p>
    );
  }
  return (
    <form className="catalog-registry-form" onSubmit={(event) => void save(event)} noValidate>
      <TextField
        id={id}
        label="Registry URL"
        error={error ?? undefined}
        hint={`A registry that serves the MCP Registry API (/v0.1/servers), e.g. your company's. The official one is ${DEFAULT_REGISTRY_URL}.`}
        value={text}
        onChange={(value) => {
          setText(value);
          setError(null);
        }}
        input={{ type: 'url', autoFocus: true }}
      />
      <div className="button-row">
        <button type="submit" className="button primary small" disabled={busy}>
          Save and search
        </button>
        {current !== DEFAULT_REGISTRY_URL ? (
          <button type="button" className="button small" onClick={() => setText(DEFAULT_REGISTRY_URL)}>
            Use the official registry
          </button>
        ) : null}
        <button type="button" className="button small" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
