// The one decision the gateway asks for, per tools/list entry and per tool call: may this client see
// this tool, and may it call it with these arguments — allowed, asked of the user, or denied, with
// what decided it and a sentence for the client and the activity log. Effective rights are the access
// ceiling ∩ the client's grant (and token scopes) ∩ connector and tool toggles ∩ rules (docs/security-model.md,
// "Effective rights"); the checks run in that order, so the reason given is the broadest one the
// user would change. The checks are a table, one line each, read top to bottom.
import type { AccessCeiling, AccessLevel, ConnectorSelection } from '../api/contract.js';
import { WRITE_SCOPE } from '../resources.js';
import type { ApprovalSetting, ToolClass } from './tool-class.js';
import { effectiveAccess } from './effective-access.js';
import { evaluateRules, evaluateRulesForListing, type RuleMatch } from './rule-evaluation.js';
import type { CompiledRule } from './rules.js';

/**
 * Everything one decision looks at: the ceiling, the client and its grant, the connector and tool toggles,
 * the rules.
 */
export interface ToolDecisionInput {
  ceiling: AccessCeiling;
  client: {
    id: string;
    name: string;
    /** The grant's access level and connectors. */
    access: AccessLevel;
    connectors: ConnectorSelection;
    /** Scopes on the token making the request; undefined when not token-bound. */
    tokenScopes?: ReadonlySet<string>;
  };
  connector: { name: string; enabled: boolean };
  tool: {
    /** The upstream's own name, which rules match on. */
    name: string;
    /** The name the client sees (`<connector>__<tool>`), used in sentences. */
    exposedName: string;
    class: ToolClass;
    enabled: boolean;
    /** Changed upstream since the user last saw it (tool-fingerprint.ts). */
    held: boolean;
    /** Held the first time Gatehouse saw it: its definition tripped a first-sight rule (first-sight.ts). */
    heldOnFirstSight?: boolean;
    /** The user reviewed the held change and kept the tool blocked: no review is waiting any more. */
    heldKept?: boolean;
    approval: ApprovalSetting;
    /** The user answered "Always for this client" for this tool. */
    alwaysAllowedForClient: boolean;
    /** Only its server's app may call it (MCP Apps visibility "app"; mcp-apps.ts). */
    appOnly?: boolean;
  };
  rules: readonly CompiledRule[];
}

type DecidedBy =
  | 'ceiling'
  | 'grant'
  | 'connector'
  | 'tool-disabled'
  | 'held'
  | 'access'
  | `rule:${string}`
  | 'approval-setting'
  | 'always-allowed'
  | 'default'
  /** The call inspection: its arguments carry secret material (gateway/tool-call-checks.ts). */
  | 'secrets';

/** The outcome for one tool call: allow, ask the user, or deny, with what decided it and why. */
export interface ToolCallDecision {
  decision: 'allow' | 'ask' | 'deny';
  decidedBy: DecidedBy;
  /** For a denial, the sentence the client receives (an `isError` tool result); otherwise for the log. */
  reason: string;
  /** The rule that matched, if one did. */
  rule?: RuleMatch;
}

/** Whether tools/list shows a tool to this client, and why not when it is hidden. */
export type ToolListingDecision =
  { visible: true; reason: string } | { visible: false; decidedBy: DecidedBy; reason: string };

type Refusal = { decidedBy: DecidedBy; reason: string } | undefined;

/** The checks that hide a tool and refuse every call to it, whatever the arguments. */
const standingChecks: Array<(input: ToolDecisionInput) => Refusal> = [
  function accessCeilingOff({ ceiling }) {
    if (ceiling !== 'off') return undefined;
    return {
      decidedBy: 'ceiling',
      reason: 'gatehouse: access is turned off in Gatehouse (access ceiling: Off)',
    };
  },
  function connectorInGrant({ client, connector }) {
    if (client.connectors === '*' || client.connectors.includes(connector.name)) return undefined;
    return {
      decidedBy: 'grant',
      reason: `gatehouse: connector ${connector.name} is not in this client's grant`,
    };
  },
  function connectorEnabled({ connector }) {
    if (connector.enabled) return undefined;
    return {
      decidedBy: 'connector',
      reason: `gatehouse: connector ${connector.name} is disabled in Gatehouse`,
    };
  },
  function toolEnabled({ tool }) {
    if (tool.enabled) return undefined;
    return {
      decidedBy: 'tool-disabled',
      reason: `gatehouse: tool ${tool.exposedName} is disabled in Gatehouse`,
    };
  },
  function toolNotHeldOnFirstSight({ tool }) {
    if (!tool.heldOnFirstSight) return undefined;
    return {
      decidedBy: 'held',
      reason: tool.heldKept
        ? `gatehouse: tool ${tool.exposedName} was held on first sight and the user chose to keep it blocked in Gatehouse; it cannot be called unless they accept it`
        : `gatehouse: tool ${tool.exposedName} was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse`,
    };
  },
  function toolNotHeld({ tool }) {
    if (!tool.held) return undefined;
    return {
      decidedBy: 'held',
      // Once reviewed and kept blocked, nothing is waiting for a review: say what is true now.
      reason: tool.heldKept
        ? `gatehouse: tool ${tool.exposedName} changed upstream and the user chose to keep it blocked in Gatehouse; it cannot be called unless they accept the change`
        : `gatehouse: tool ${tool.exposedName} changed upstream and is held until you review the change in Gatehouse`,
    };
  },
  function writeNeedsWriteAccess({ ceiling, client, tool, connector }) {
    if (tool.class === 'read' || effectiveAccess(ceiling, client.access, client.tokenScopes) === 'write') {
      return undefined;
    }
    // Name the broadest limit: the ceiling, then the grant, then the token's scopes.
    const needs = `gatehouse: tool ${tool.exposedName} needs write access;`;
    // An app the user sees that does nothing needs saying why: its own tools are write tools.
    const app = tool.appOnly
      ? `. It is the ${connector.name} app's own tool, so the app shows but cannot use it until the user gives this client read & write access in Gatehouse or marks the tool read-only on the Tools page`
      : '';
    if (ceiling === 'read') {
      return { decidedBy: 'ceiling', reason: `${needs} the access ceiling in Gatehouse is Read-only${app}` };
    }
    if (client.access === 'read')
      return { decidedBy: 'access', reason: `${needs} this client was granted read-only${app}` };
    return {
      decidedBy: 'access',
      reason: `${needs} this client's token has read-only scope (no ${WRITE_SCOPE})${app}`,
    };
  },
];

function standingRefusal(input: ToolDecisionInput): Refusal {
  for (const check of standingChecks) {
    const refusal = check(input);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

/** Whether a tools/list entry is shown to this client. A read-only grant never sees a write tool. */
export function decideToolListing(input: ToolDecisionInput): ToolListingDecision {
  const refusal = standingRefusal(input);
  if (refusal !== undefined) return { visible: false, ...refusal };
  const verdict = evaluateRulesForListing(input.rules, ruleSubject(input));
  if (verdict?.kind === 'decided' && verdict.match.effect === 'deny') {
    return {
      visible: false,
      decidedBy: `rule:${verdict.match.ruleId}`,
      reason: ruleDenial(verdict.match, input),
    };
  }
  const why =
    verdict?.kind === 'depends-on-arguments'
      ? `rule ${verdict.ruleId} decides per call`
      : verdict?.kind === 'decided'
        ? `rule ${verdict.match.ruleId} ${verdict.match.effect === 'allow' ? 'allows' : 'asks before'} it`
        : 'no rule applies';
  return {
    visible: true,
    reason: `Tool ${input.tool.exposedName} is available to ${input.client.name}: ${why}.`,
  };
}

/** allow, ask (the user answers in Gatehouse) or deny, for one call with these arguments. */
export function decideToolCall(input: ToolDecisionInput & { arguments: unknown }): ToolCallDecision {
  const refusal = standingRefusal(input);
  if (refusal !== undefined) return { decision: 'deny', ...refusal };
  const { tool } = input;

  // Rules are the user's explicit policy and come before the approval toggle. An `ask` rule is not
  // answered by "Always for this client": that memory is per tool, a rule can be per argument.
  const match = evaluateRules(input.rules, { ...ruleSubject(input), arguments: input.arguments });
  if (match !== undefined) {
    const decidedBy = `rule:${match.ruleId}` as const;
    if (match.effect === 'deny')
      return { decision: 'deny', decidedBy, reason: ruleDenial(match, input), rule: match };
    return { decision: match.effect, decidedBy, reason: match.explanation, rule: match };
  }

  if (tool.approval === 'ask') {
    if (tool.alwaysAllowedForClient) {
      return {
        decision: 'allow',
        decidedBy: 'always-allowed',
        reason: `You chose to always allow ${tool.exposedName} for ${input.client.name}.`,
      };
    }
    return {
      decision: 'ask',
      decidedBy: 'approval-setting',
      reason: `Tool ${tool.exposedName} is set to ask for approval before each call.`,
    };
  }
  return {
    decision: 'allow',
    decidedBy: 'default',
    reason: `Tool ${tool.exposedName} is allowed for ${input.client.name}: no rule applies and it needs no approval.`,
  };
}

function ruleSubject(input: ToolDecisionInput) {
  return {
    client: { id: input.client.id, name: input.client.name },
    connector: input.connector.name,
    tool: input.tool.name,
  };
}

function ruleDenial(match: RuleMatch, input: ToolDecisionInput): string {
  const why =
    match.description ??
    match.because ??
    `it applies to ${input.tool.name} on connector ${input.connector.name}`;
  return `gatehouse: rule ${match.ruleId} denies this call: ${why}`;
}
