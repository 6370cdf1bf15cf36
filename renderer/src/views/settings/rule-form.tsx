// A rule for the common cases, without writing JSON: which client and tool (connector and tool name,
// * for any), optionally one argument condition (an argument name like city or a JSON path like
// $.path, an operator, a value), and the effect. A new rule goes first or last (first match wins); an
// edited one keeps its place. Saved at once; the engine checks it like any other.
import { useState, type FormEvent } from 'react';
import { useSettings, useStores } from '../../app/stores-context.js';
import type { Rule } from '../../stores/settings-store.js';
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

const RULE_FORM_KEYS = new Set(['id', 'effect', 'client', 'connector', 'tool', 'conditions', 'description']);

/** Whether this form can show a rule whole (else it is edited in the JSON): one condition at most, no unless. */
export function fitsRuleForm(rule: Rule): boolean {
  const conditions = rule.conditions;
  return (
    Object.keys(rule).every((key) => RULE_FORM_KEYS.has(key)) &&
    ['allow', 'ask', 'deny'].includes(String(rule.effect)) &&
    (conditions === undefined || (Array.isArray(conditions) && conditions.length <= 1))
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

export function RuleForm({ editing, onDone }: { editing?: number | null; onDone?: () => void }) {
  const { settings, toasts } = useStores();
  const rules = useSettings((state) => state.rules) ?? [];
  const original = editing === null || editing === undefined ? undefined : rules[editing];
  const condition = (Array.isArray(original?.conditions) ? original.conditions[0] : undefined) as
    { path?: unknown; op?: unknown; value?: unknown } | undefined;
  const [effect, setEffect] = useState<Effect>((original?.effect as Effect | undefined) ?? 'deny');
  const [client, setClient] = useState(text(original?.client));
  const [connector, setConnector] = useState(text(original?.connector));
  const [tool, setTool] = useState(text(original?.tool));
  const [path, setPath] = useState(text(condition?.path));
  const [op, setOp] = useState<Operator>((condition?.op as Operator | undefined) ?? 'prefix');
  const [value, setValue] = useState(text(condition?.value));
  const [place, setPlace] = useState<'first' | 'last'>('last');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    // A new rule's id is made up by the engine from what it does.
    const rule: Record<string, unknown> = {
      ...(original?.id !== undefined ? { id: original.id } : {}),
      effect,
      ...(client.trim() ? { client: client.trim() } : {}),
      ...(connector.trim() ? { connector: connector.trim() } : {}),
      ...(tool.trim() ? { tool: tool.trim() } : {}),
      ...(path.trim() ? { conditions: [{ path: path.trim(), op, value }] } : {}),
      ...(original?.description !== undefined ? { description: original.description } : {}),
    };
    const at = original !== undefined ? editing! : place === 'first' ? 0 : rules.length;
    const next =
      original !== undefined
        ? rules.map((one, index) => (index === at ? rule : one))
        : [...rules.slice(0, at), rule, ...rules.slice(at)];
    setBusy(true);
    setError(null);
    try {
      const saved = await settings.getState().saveRules(next);
      const id = String(saved[at]?.id);
      // A rule that can never match is saved, and said so at once (the list marks it too).
      const problem = settings.getState().ruleProblems.find((one) => one.index === at);
      toasts
        .getState()
        .show(`${original ? 'Saved' : 'Added'} rule ${id}${problem ? ` — it ${problem.problem}` : ''}`);
      setPath('');
      setValue('');
      onDone?.();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = original ? `Edit rule ${String(original.id)}` : 'Add a rule';
  return (
    <form className="rule-form" onSubmit={(event) => void add(event)} aria-labelledby="rule-form-title">
      <h3 id="rule-form-title">{title}</h3>
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
          id="rule-client"
          label="Client"
          value={client}
          onChange={setClient}
          input={{ placeholder: 'any (*), or e.g. Claude*' }}
        />
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
          input={{ placeholder: 'any (*), or e.g. write_file' }}
        />
        <TextField
          id="rule-path"
          label="When the argument"
          value={path}
          onChange={setPath}
          input={{ className: 'mono', placeholder: 'path or $.path (optional)' }}
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
        {original ? null : (
          <Field id="rule-place" label="Check it">
            <select
              id="rule-place"
              value={place}
              onChange={(event) => setPlace(event.target.value as 'first' | 'last')}
            >
              <option value="last">After the other rules</option>
              <option value="first">Before the other rules</option>
            </select>
          </Field>
        )}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="hint">
          Example: effect Deny, connector <code>filesystem</code>, tool left out (any), argument{' '}
          <code>path</code> does not start with <code>/home/me/projects/</code> — every filesystem call
          outside your projects is refused (one with no <code>path</code>, like <code>move_file</code>, too).
          Name the server&apos;s own tools: its writes are <code>write_file</code>, <code>edit_file</code>,{' '}
          <code>create_directory</code> and <code>move_file</code>, so <code>write_*</code> alone misses some.
          Names take * and ?; rules are checked in order and the first match decides, so an exception (an
          allow) goes before the broad rule it makes an exception to.
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : original ? 'Save rule' : 'Add rule'}
        </button>
        {original ? (
          <button type="button" className="button" onClick={onDone} disabled={busy}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
