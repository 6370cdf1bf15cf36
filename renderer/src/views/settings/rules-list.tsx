// The rules in words, in the order they apply (first match wins), each marked when it can never match,
// with Edit (in the form, or the JSON for a rule the form cannot show), Move up / Move down and
// Delete, saved at once.
import { useState } from 'react';
import { useStores } from '../../app/stores-context.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { useAction } from '../../components/use-action.js';
import type { RuleProblemView } from '@core/api/contract.js';
import { RULE_MATCHES_NOTHING } from '@core/text.js';
import { Badge } from '../../components/badge.js';
import type { Rule } from '../../stores/settings-store.js';
import { fitsRuleForm } from './rule-form.js';

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

export function RulesList({
  rules,
  problems,
  onEdit,
}: {
  rules: Rule[];
  /** The rules that can never match (by place), marked with why. */
  problems: readonly RuleProblemView[];
  onEdit: (index: number) => void;
}) {
  const { settings, toasts } = useStores();
  const [deleting, setDeleting] = useState<number | null>(null);
  const [move, moving] = useAction(async (from: number, to: number) => {
    const next = [...rules];
    const [rule] = next.splice(from, 1);
    next.splice(to, 0, rule!);
    await settings.getState().saveRules(next);
    toasts.getState().show(`Moved rule ${String(rule!.id)} to place ${to + 1} of ${next.length}`);
  });
  if (rules.length === 0) {
    return <p className="muted">No rules: tool toggles and grants alone decide.</p>;
  }
  const doomed = deleting === null ? undefined : rules[deleting];
  return (
    <>
      <ol className="rules-list">
        {rules.map((rule, index) => {
          const id = String(rule.id);
          return (
            <li key={typeof rule.id === 'string' ? rule.id : index}>
              <div>
                <code>{id}</code> {ruleText(rule)}
                {typeof rule.description === 'string' ? (
                  <div className="muted">{rule.description}</div>
                ) : null}
                {problems
                  .filter((problem) => problem.index === index)
                  .map((problem) => (
                    <div key={problem.field} className="rule-problem">
                      <Badge tone="warn">{RULE_MATCHES_NOTHING}</Badge> {problem.problem}
                    </div>
                  ))}
              </div>
              <div className="button-row">
                <button
                  type="button"
                  className="button small"
                  aria-label={`Edit rule ${id}`}
                  title={
                    fitsRuleForm(rule)
                      ? undefined
                      : 'This rule has more than the form shows: edit it in the JSON'
                  }
                  onClick={() => onEdit(index)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Move rule ${id} up`}
                  disabled={index === 0 || moving}
                  onClick={() => void move(index, index - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Move rule ${id} down`}
                  disabled={index === rules.length - 1 || moving}
                  onClick={() => void move(index, index + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button small danger"
                  aria-label={`Delete rule ${id}`}
                  onClick={() => setDeleting(index)}
                >
                  Delete
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {doomed ? (
        <ConfirmDialog
          title={`Delete rule ${String(doomed.id)}?`}
          message={`${ruleText(doomed)}. Calls it decided fall to the rules after it, then to the tool's own settings.`}
          confirmLabel="Delete rule"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await settings.getState().saveRules(rules.filter((_, index) => index !== deleting));
            toasts.getState().show(`Deleted rule ${String(doomed.id)}`);
            setDeleting(null);
          }}
        />
      ) : null}
    </>
  );
}
