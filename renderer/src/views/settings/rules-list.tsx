// The rules in words, in the order they apply (first match wins).
import type { Rule } from '../../stores/settings-store.js';

const EFFECT_TEXT: Record<string, string> = { allow: 'Allow', ask: 'Ask before', deny: 'Deny' };

interface Condition {
  path?: unknown;
  op?: unknown;
  value?: unknown;
}

function conditionText(condition: Condition): string {
  return `${String(condition.path)} ${String(condition.op)} ${JSON.stringify(condition.value)}`;
}

function conditionsText(value: unknown): string | null {
  return Array.isArray(value) && value.length > 0
    ? (value as Condition[]).map(conditionText).join(' and ')
    : null;
}

function ruleText(rule: Rule): string {
  const effect = EFFECT_TEXT[String(rule.effect)] ?? String(rule.effect);
  const glob = (value: unknown, any: string) => (typeof value === 'string' ? value : any);
  let text = `${effect} calls to ${glob(rule.tool, 'any tool')} on ${glob(rule.connector, 'any connector')} by ${glob(rule.client, 'any client')}`;
  const when = conditionsText(rule.conditions);
  const unless = conditionsText(rule.unless);
  if (when) text += ` when ${when}`;
  if (unless) text += ` unless ${unless}`;
  return text;
}

export function RulesList({ rules }: { rules: Rule[] }) {
  if (rules.length === 0) {
    return <p className="muted">No rules: tool toggles and grants alone decide.</p>;
  }
  return (
    <ol className="rules-list">
      {rules.map((rule, index) => (
        <li key={typeof rule.id === 'string' ? rule.id : index}>
          <code>{String(rule.id)}</code> {ruleText(rule)}
          {typeof rule.description === 'string' ? <div className="muted">{rule.description}</div> : null}
        </li>
      ))}
    </ol>
  );
}
