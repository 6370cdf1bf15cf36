// The rules: a form for the common cases beside the JSON, for the user who wants all of it. The JSON
// is checked as JSON here, then by the engine on save, whose messages (each naming the rule and the
// field) show as they are.
import { useState } from 'react';
import { useSettings, useStores } from '../../app/stores-context.js';
import { errorMessage } from '../../stores/load-state.js';
import { fitsRuleForm, RuleForm } from './rule-form.js';
import { RulesList } from './rules-list.js';
import { count } from '@core/text.js';

const EXAMPLE = `[
  {
    "id": "files-in-projects",
    "effect": "deny",
    "connector": "filesystem",
    "unless": [{ "path": "$.path", "op": "prefix", "value": "/home/me/projects/" }]
  }
]`;

export function RulesEditor() {
  const { settings, toasts } = useStores();
  const rules = useSettings((state) => state.rules);
  const ruleProblems = useSettings((state) => state.ruleProblems);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The rule the form edits in place (its index in the rules it was chosen from), or null when the
  // form adds a new one. Saved rules moved or deleted: the index no longer names the rule the form
  // showed, so it only counts for the rules it was chosen in.
  const [chosen, setChosen] = useState<{ index: number; in: typeof rules } | null>(null);
  const editing = chosen !== null && chosen.in === rules ? chosen.index : null;
  const setEditing = (index: number | null) => setChosen(index === null ? null : { index, in: rules });
  const saved = rules ? JSON.stringify(rules, null, 2) : '';
  // `text` is null until the user edits, so the editor follows the saved rules until then.
  const shown = text ?? saved;
  const dirty = text !== null && text !== saved;

  const save = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(shown);
    } catch (failure) {
      setError(`The rules are not valid JSON: ${(failure as Error).message}`);
      return;
    }
    if (!Array.isArray(parsed)) {
      setError('The rules must be a JSON array: [ { "id": …, "effect": … }, … ].');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await settings.getState().saveRules(parsed);
      setText(null);
      toasts.getState().show(`Saved ${count(result.length, 'rule')}`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      <p className="muted">
        Rules narrow what grants allow, per client, connector, tool and argument: <em>allow</em>, <em>ask</em>{' '}
        or <em>deny</em>, first match wins.
      </p>
      {rules === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <RulesList
          rules={rules}
          problems={ruleProblems}
          onEdit={(index) => {
            const rule = rules[index];
            if (rule && fitsRuleForm(rule)) {
              setEditing(index);
              document.getElementById('rule-form-title')?.scrollIntoView?.({ block: 'nearest' });
            } else {
              setError(null);
              const json = document.getElementById('rules-json');
              json?.focus();
              toasts
                .getState()
                .show(`Rule ${String(rule?.id)} has more than the form shows: edit it in the JSON`);
            }
          }}
        />
      )}
      <div className="rules-editors">
        <RuleForm key={editing ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
        <div>
          <div className="field">
            <label htmlFor="rules-json">Rules (JSON)</label>
            <textarea
              id="rules-json"
              className="mono"
              rows={12}
              spellCheck={false}
              value={shown}
              placeholder={EXAMPLE}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'rules-error' : 'rules-hint'}
              onChange={(event) => {
                setText(event.target.value);
                setError(null);
              }}
            />
            {error ? (
              <pre id="rules-error" className="field-error pre-wrap" role="alert">
                {error}
              </pre>
            ) : (
              <p id="rules-hint" className="hint">
                Each rule: id (made up when left out), effect (allow / ask / deny), optional client, connector
                and tool globs (* and ?; the tool by the server&apos;s own name, <code>write_file</code>, not{' '}
                <code>filesystem__write_file</code>), optional conditions and unless on arguments: path (a
                JSON path into the call&apos;s arguments, like <code>city</code> or{' '}
                <code>$.options.mode</code>
                ), op (equals / prefix / not-prefix / regex) and value. For example, every filesystem call
                outside your projects refused:{' '}
                <code>
                  {
                    '{"id": "files-in-projects", "effect": "deny", "connector": "filesystem", "unless": [{"path": "$.path", "op": "prefix", "value": "/home/me/projects/"}]}'
                  }
                </code>
              </p>
            )}
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button primary"
              onClick={() => void save()}
              disabled={busy || !dirty}
            >
              {busy ? 'Saving…' : 'Save rules'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => (setText(null), setError(null))}
              disabled={busy || !dirty}
            >
              Discard edits
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
