// A rule for the common cases, without writing JSON: which tool (connector and tool name, * for any),
// optionally one argument condition (a JSON path like $.path, an operator, a value), and the effect.
// The rule goes to the end of the list and is saved at once; the engine checks it like any other.
import { useState, type FormEvent } from 'react';
import { useSettings, useStores } from '../../app/stores-context.js';
import { errorMessage } from '../../stores/load-state.js';
import { Field, TextField } from '../../components/text-field.js';

type Effect = 'allow' | 'ask' | 'deny';
type Operator = 'equals' | 'prefix' | 'not-prefix' | 'regex';

const OPERATORS: Array<[Operator, string]> = [
  ['prefix', 'starts with'],
  ['not-prefix', 'does not start with'],
  ['equals', 'equals'],
  ['regex', 'matches the regex'],
];

/** A rule id from what it does ("deny-filesystem-write_file"), unique among `taken`. */
function ruleIdFor(effect: Effect, connector: string, tool: string, taken: ReadonlySet<string>): string {
  const base =
    [effect, connector, tool]
      .map((part) => part.replace(/[^A-Za-z0-9_-]+/g, ''))
      .filter(Boolean)
      .join('-')
      .slice(0, 58) || effect;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function RuleForm() {
  const { settings, toasts } = useStores();
  const rules = useSettings((state) => state.rules) ?? [];
  const [effect, setEffect] = useState<Effect>('deny');
  const [connector, setConnector] = useState('');
  const [tool, setTool] = useState('');
  const [path, setPath] = useState('');
  const [op, setOp] = useState<Operator>('prefix');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && !path.trim().startsWith('$')) {
      setError('An argument path starts with $, like $.path or $.options.recursive.');
      return;
    }
    const rule: Record<string, unknown> = {
      id: ruleIdFor(effect, connector.trim(), tool.trim(), new Set(rules.map((one) => String(one.id)))),
      effect,
      ...(connector.trim() ? { connector: connector.trim() } : {}),
      ...(tool.trim() ? { tool: tool.trim() } : {}),
      ...(path.trim() ? { conditions: [{ path: path.trim(), op, value }] } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      await settings.getState().saveRules([...rules, rule]);
      toasts.getState().show(`Added rule ${String(rule.id)}`);
      setPath('');
      setValue('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rule-form" onSubmit={(event) => void add(event)} aria-labelledby="rule-form-title">
      <h3 id="rule-form-title">Add a rule</h3>
      <div className="field-grid">
        <Field id="rule-effect" label="Effect">
          <select
            id="rule-effect"
            value={effect}
            onChange={(event) => setEffect(event.target.value as Effect)}
          >
            <option value="deny">Deny the call</option>
            <option value="ask">Ask me first</option>
            <option value="allow">Allow the call</option>
          </select>
        </Field>
        <TextField
          id="rule-connector"
          label="Connector"
          value={connector}
          onChange={setConnector}
          input={{ placeholder: 'any (*)' }}
        />
        <TextField
          id="rule-tool"
          label="Tool"
          value={tool}
          onChange={setTool}
          input={{ placeholder: 'any (*), or e.g. write_*' }}
        />
        <TextField
          id="rule-path"
          label="When the argument"
          value={path}
          onChange={setPath}
          input={{ className: 'mono', placeholder: '$.path (optional)' }}
        />
        <Field id="rule-op" label="Operator">
          <select id="rule-op" value={op} onChange={(event) => setOp(event.target.value as Operator)}>
            {OPERATORS.map(([name, words]) => (
              <option key={name} value={name}>
                {words}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          id="rule-value"
          label="Value"
          value={value}
          onChange={setValue}
          input={{ className: 'mono', placeholder: '/home/me/projects/' }}
        />
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="hint">
          Example: effect Deny, connector <code>filesystem</code>, tool <code>write_*</code>, argument{' '}
          <code>$.path</code> does not start with <code>/home/me/projects/</code> — writes outside your
          projects are refused. Names take * and ?; rules are checked in order and the first match decides.
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add rule'}
      </button>
    </form>
  );
}
