// Operations on the user's rules: list them as written, replace them all (validated whole, an id made
// up where one is missing), and say which can never match the connectors and tools there are.
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import { rulesMatchingNothing } from '../policy/rule-reach.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { RuleStore } from '../store/rule-store.js';
import type { ToolStore } from '../store/tool-store.js';
import { count } from '../text.js';

/** What the rule operations use of the engine: the rules, the names they are checked against, the log. */
export interface RulesContext {
  readonly rules: Pick<RuleStore, 'list' | 'replace' | 'compiled'>;
  readonly connectorStore: Pick<ConnectorStore, 'list'>;
  readonly toolStore: Pick<ToolStore, 'of'>;
  readonly audit: Pick<AuditLog, 'record'>;
}

/** The handlers of rules.* (list, set, problems). */
export function ruleOperations(
  context: RulesContext,
): Pick<OperationHandlers, 'rules.list' | 'rules.set' | 'rules.problems'> {
  return {
    'rules.list': () => context.rules.list(),
    'rules.set': ({ rules }) => {
      const saved = context.rules.replace(rules);
      context.audit.record({
        type: 'rules.changed',
        decision: 'info',
        reason: `The user saved ${count(saved.length, 'rule')}`,
      });
      return saved;
    },
    'rules.problems': () =>
      rulesMatchingNothing(context.rules.compiled(), {
        connectors: context.connectorStore.list().map((record) => record.name),
        toolsOf: (connector) => [...context.toolStore.of(connector).keys()],
      }),
  };
}
