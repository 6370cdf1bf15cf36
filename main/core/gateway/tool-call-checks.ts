// The checks a tools/call passes before it goes upstream, one small step each, in the order
// tool-calls.ts runs them: the name within the grant, the rate limit, policy (ceiling ∩ grant ∩
// toggles ∩ rules), the secret material its arguments carry, the user's approval when policy or the
// secrets ask, and a connected upstream. A step either refuses — with a tool result the model can read
// (isError: true), audited — or hands the call on with what it learned. A name that routes to no tool
// is refused and audited too (refuseUnrouted).
import type { CallToolResult, ServerContext, Tool } from '@modelcontextprotocol/server';
import type { SecretFinding } from '../api/secret-findings.js';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import type { Upstream } from '../connectors/runtime/upstream.js';
import type { Clock } from '../effects.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import { redactArguments, redactText } from '../policy/redaction.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { scanValue, type SecretScan } from '../secrets/secret-scan.js';
import { secretFindingsText } from '../text.js';
import { decideToolCall, type ToolCallDecision, type ToolDecisionInput } from '../policy/tool-decision.js';
import type { AlwaysAllowed } from '../store/always-allowed.js';
import type { ToolRoute } from './app-tools.js';
import { continuedState, type CallState, type CarriedApproval } from './call-state.js';
import type { LiveSession } from './live-session.js';
import { askUser, type ApprovalContext, type ApprovalDecision } from './tool-approval.js';

/** What the checks need from the gateway around them. */
export interface ToolCallCheckContext extends ApprovalContext {
  audit: Pick<AuditLog, 'record' | 'recordSoon'>;
  clock: Clock;
  rateLimiter: Pick<RateLimiter, 'take'>;
  alwaysAllowed: Pick<AlwaysAllowed, 'add'>;
  approvalTimeoutMs: number;
  upstream(connector: string): Upstream | undefined;
  /**
   * The tool a call's name routes to (on /mcp the exposed name, or an app's call by the upstream's
   * name; else the upstream's), with the name the client knows it by; or a sentence refusing it.
   */
  route(request: ToolCallRequest): ToolRoute | undefined;
  /**
   * For a name that routes to no tool: the connector in the caller's reach, not connected now
   * (starting, or down), whose tool it may be — on /mcp/<connector> that connector; on /mcp the one
   * its `<connector>__` prefix names, or one whose known tools include the name (an app's call).
   */
  unconnectedOwner(request: ToolCallRequest): string | undefined;
  decisionInput(
    caller: Caller,
    connector: string,
    tool: Tool,
    exposedName: string,
  ): ToolDecisionInput | undefined;
  /** The values Gatehouse keeps sealed for its connectors (log/known-secrets.ts). */
  sealedValues(): SealedValues;
  /** Whether the user marked the connector as handling secrets on purpose: its calls pass. */
  handlesSecrets(connector: string): boolean;
  /** The user answered "Always allow for this connector": it handles secrets on purpose from now on. */
  allowSecrets(connector: string, approvalId: string): void;
}

/** A step's refusal: the tool result the client gets instead of a call. */
export interface Refused {
  refused: CallToolResult;
}

/** One tools/call as the client sent it (`name` is what the client sees). */
export interface ToolCallRequest {
  session: LiveSession;
  caller: Caller;
  name: string;
  args: Record<string, unknown>;
  ctx: ServerContext;
  /** When the call began (the audited duration counts from here). */
  started: number;
}

/** A call whose name routes to a tool of a connector in the caller's grant. */
export interface RoutedCall extends ToolCallRequest {
  connector: string;
  tool: Tool;
  exposedName: string;
  /** The sealed state of a retry: it continues the call decided in its first round. */
  state: CallState | undefined;
  /** The secret material the arguments carry, read once when first needed (secrets/secret-scan.ts). */
  secrets(): SecretScan;
  /** The arguments redacted (secret material masked first), made once when first needed (for the log and the approval). */
  redacted(): unknown;
  /**
   * Records this call in the activity log; `soon`: its row (the arguments' redaction with it) is made
   * after the current turn, once the answer is written (AuditLog.recordSoon).
   */
  audit(decision: 'allow' | 'deny', reason: string, detail: Record<string, unknown>, soon?: boolean): void;
}

/** A routed call and what policy decided for it. */
export interface DecidedCall extends RoutedCall {
  input: ToolDecisionInput;
  verdict: ToolCallDecision;
  /** The user's answer and its approval's id, when policy asked (or a retry carries it). */
  approval?: AnsweredApproval;
  /** The secret material the user is asked about (the arguments carry it). */
  secretsHeld?: SecretFinding[];
  /** Why secret material in the arguments passes without asking: the connector, or an earlier round's answer. */
  secretsPass?: 'handles-secrets' | 'allowed-before';
}

/** An approval the user answered (or that timed out), by the id the window listed it under. */
interface AnsweredApproval {
  id: string;
  answer: ApprovalDecision;
}

/** A call policy (and the user, when asked) allowed. */
export interface AllowedCall extends RoutedCall {
  /** The user's approval that allowed it; a later round of the call carries it (call-state.ts). */
  approval?: CarriedApproval;
  /** Records the allowed call's outcome with the decision that allowed it (`soon`: as `audit`'s). */
  allowed(detail: Record<string, unknown>, soon?: boolean): void;
}

/** An allowed call with its connector's live upstream: ready to go. */
export interface ReadyCall extends AllowedCall {
  upstream: Upstream;
}

/** The refusal of a tool call as a result the model reads. */
export function refusal(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

const refuse = (text: string): Refused => ({ refused: refusal(text) });

/**
 * The name must route to a tool, and its connector be in the grant; else the call is refused, and
 * the refusal audited like every other decision (refuseUnrouted).
 */
export function routeInGrant(context: ToolCallCheckContext, request: ToolCallRequest): RoutedCall | Refused {
  const { caller, name, args, ctx, started } = request;
  const route = context.route(request);
  if (route && 'refused' in route) return refuseUnrouted(context, request, route.refused, 'route');
  // A connector outside the grant does not exist for this client: not even its name is confirmed.
  const granted =
    caller.grant.connectors === '*' ||
    (route !== undefined && caller.grant.connectors.includes(route.connector));
  if (!route || !granted) {
    const owner = context.unconnectedOwner(request);
    return owner === undefined
      ? refuseUnrouted(context, request, noSuchTool(name), 'unknown-tool')
      : refuseUnrouted(
          context,
          request,
          notConnected(owner, context.upstream(owner)),
          'not-connected',
          owner,
        );
  }
  const { connector, tool, exposedName } = route;
  // A retry of a multi-round-trip call continues the call that was decided in its first round.
  const state = continuedState(ctx, connector, tool.name, args, name);
  let scan: SecretScan | undefined;
  const secrets = () => (scan ??= scanValue(args, context.sealedValues()));
  let redactedArgs: unknown;
  const redacted = () => {
    if (redactedArgs === undefined) {
      const { findings, masked } = secrets();
      redactedArgs = redactArguments(
        findings.length > 0 ? masked() : args,
        undefined,
        context.sealedValues(),
      );
    }
    return redactedArgs;
  };
  // The activity log speaks to the user: without the "gatehouse: " the client's sentence carries,
  // and naming the user's own answer when an approval decided.
  const audit: RoutedCall['audit'] = (decision, reason, detail, soon) => {
    const entry = (durationMs: number): AuditEntry => ({
      type: 'tool.call',
      clientId: caller.clientId,
      connector,
      tool: tool.name,
      decision,
      reason: logReason(decision, reason, detail.approval as ApprovalDecision | undefined, state),
      detail: { arguments: redacted(), exposedName, durationMs, ...detail },
    });
    const durationMs = context.clock.now() - started;
    if (soon) context.audit.recordSoon(() => entry(durationMs));
    else context.audit.record(entry(durationMs));
  };
  return { ...request, connector, tool, exposedName, state, secrets, redacted, audit };
}

/**
 * A call whose name reached no tool, refused and audited: routing's own sentence (an app-only tool by
 * the model's name…), a connector not connected now whose tool it may be (its tools are not known
 * while it starts: "try again shortly", as a call to a dying one hears), or no such tool. The row
 * names the connector only when the caller may know it (`/mcp/<connector>`, or one in its reach).
 */
function refuseUnrouted(
  context: ToolCallCheckContext,
  request: ToolCallRequest,
  reason: string,
  decidedBy: 'route' | 'unknown-tool' | 'not-connected',
  connector: string | null = request.session.scope.connector,
): Refused {
  // An unrouted call's arguments are still the model's: secret material in them is masked in the log.
  const { findings, masked } = scanValue(request.args, context.sealedValues());
  context.audit.record({
    type: 'tool.call',
    clientId: request.caller.clientId,
    connector,
    tool: request.name,
    decision: 'deny',
    reason: logReason('deny', reason, undefined, undefined),
    detail: {
      arguments: redactArguments(
        findings.length > 0 ? masked() : request.args,
        undefined,
        context.sealedValues(),
      ),
      exposedName: request.name,
      durationMs: context.clock.now() - request.started,
      decidedBy,
      outcome: decidedBy === 'not-connected' ? 'unavailable' : 'refused',
    },
  });
  return refuse(reason);
}

const noSuchTool = (name: string) => `gatehouse: there is no tool named ${name} for this client.`;

/** Why a connector cannot take a call now: starting (not yet), or down with its last error. */
function notConnected(connector: string, upstream: Upstream | undefined): string {
  const status = upstream?.status();
  if (status?.connection === 'starting')
    return `gatehouse: connector ${connector} is starting and not connected yet; try again shortly.`;
  return `gatehouse: connector ${connector} is not connected${status?.lastError ? ` (${status.lastError})` : ''}; try again shortly.`;
}

/**
 * Every run of the tool takes one from the grant's rate limit: a first round, and a retry that sends
 * the call to a 2026-07-28 upstream again. Only a retry that answers a call parked here (still the one
 * run, waiting) takes nothing.
 */
export function rateLimit(context: ToolCallCheckContext, call: RoutedCall): Refused | undefined {
  if (call.state?.parked !== undefined) return undefined;
  // Per grant, not per token: a refresh does not start a fresh window.
  const limit = context.rateLimiter.take(call.caller.grant.grantId, context.clock.now());
  if (limit.ok) return undefined;
  call.audit('deny', limit.message, { decidedBy: 'rate-limit', outcome: 'refused' });
  return refuse(limit.message);
}

/** Policy's decision on the call (policy/tool-decision.ts): allow, deny, or ask the user. */
export function policyDecision(context: ToolCallCheckContext, call: RoutedCall): DecidedCall | Refused {
  const input = context.decisionInput(call.caller, call.connector, call.tool, call.exposedName);
  if (!input) {
    call.audit('deny', noSuchTool(call.name), { decidedBy: 'unknown-tool', outcome: 'refused' });
    return refuse(noSuchTool(call.name));
  }
  const verdict: ToolCallDecision = decideToolCall({ ...input, arguments: call.args });
  // Asked and answered in the first round: the retry (same arguments, checked when routed; its state
  // good once, call-state.ts) runs under that approval. A round policy allowed without asking carries
  // none, so a policy that asks now asks.
  const carried = call.state?.approval;
  if (verdict.decision === 'ask' && carried !== undefined && !carried.secretsOnly) {
    return { ...call, input, verdict: { ...verdict, decision: 'allow' }, approval: carried };
  }
  return { ...call, input, verdict };
}

/**
 * Arguments that carry secret material wait for the user (docs/security-model.md, "Secrets in tool
 * calls"): a call policy allows is asked about, a call policy asks about is asked about with them named.
 * Pass without asking: a connector the user marked as handling secrets, and the later round of a call
 * whose first round the user allowed with them (the same arguments, call-state.ts) — audited as such.
 */
export function secretCheck(context: ToolCallCheckContext, call: DecidedCall): DecidedCall {
  if (call.verdict.decision === 'deny') return call;
  const { findings } = call.secrets();
  if (findings.length === 0) return call;
  if (context.handlesSecrets(call.connector)) return { ...call, secretsPass: 'handles-secrets' };
  if (call.state?.approval?.secrets) return { ...call, secretsPass: 'allowed-before' };
  if (call.verdict.decision === 'ask') return { ...call, secretsHeld: findings };
  return {
    ...call,
    secretsHeld: findings,
    verdict: {
      decision: 'ask',
      decidedBy: 'secrets',
      // The findings go with the approval on their own (ApprovalRequest.secrets).
      reason: 'Its arguments carry secret material.',
    },
  };
}

/**
 * When policy or the secrets ask, the user answers: "always" is remembered for the client, "always
 * for this connector" marks the connector as handling secrets; no answer in time is a denial.
 */
export async function userApproval(context: ToolCallCheckContext, call: DecidedCall): Promise<DecidedCall> {
  const { verdict } = call;
  if (verdict.decision !== 'ask') return call;
  const secrets = call.secretsHeld ?? [];
  const approval = await askUser(
    context,
    {
      caller: call.caller,
      input: call.input,
      redacted: call.redacted(),
      reason: verdict.reason,
      canAlways: verdict.decidedBy === 'approval-setting',
      secrets,
      secretsOnly: verdict.decidedBy === 'secrets',
    },
    call.ctx.mcpReq.signal,
  );
  const { answer } = approval;
  if (answer === 'always') context.alwaysAllowed.add(call.caller.clientId, call.connector, call.tool.name);
  if (answer === 'connector') context.allowSecrets(call.connector, approval.id);
  if (answer === 'deny' || answer === 'timed-out') {
    // The client hears where its arguments carried secret material (never the value): it can leave it out.
    const carried =
      secrets.length > 0 ? ` (its arguments carry secret material: ${secretFindingsText(secrets)})` : '';
    const reason =
      answer === 'deny'
        ? `gatehouse: the user denied this call to ${call.exposedName}${carried}`
        : `gatehouse: nobody approved this call to ${call.exposedName} within ${Math.round(context.approvalTimeoutMs / 1000)} seconds, so it was denied${carried}`;
    return { ...call, approval, verdict: { decision: 'deny', decidedBy: verdict.decidedBy, reason } };
  }
  return { ...call, approval };
}

/** A denied call is refused with policy's (or the user's) sentence, and logged. */
export function refuseDenied(call: DecidedCall): AllowedCall | Refused {
  const { verdict, approval } = call;
  if (verdict.decision === 'deny') {
    call.audit('deny', verdict.reason, {
      decidedBy: verdict.decidedBy,
      outcome: 'refused',
      ...approvalDetail(approval),
      ...secretsDetail(call),
    });
    return refuse(verdict.reason);
  }
  const { reason } = verdict;
  // The decision's part of every row of the call, made once: who decided, the user's answer, and the
  // secret material the arguments carried with what let it pass.
  const decided = { decidedBy: verdict.decidedBy, ...approvalDetail(approval), ...secretsDetail(call) };
  const allowed = (detail: Record<string, unknown>, soon?: boolean) =>
    call.audit('allow', reason, { ...decided, ...detail }, soon);
  // The routed call's own fields, written out: the one object every allowed call makes here, without
  // a rest copy that drops the decision's.
  const next: AllowedCall = {
    session: call.session,
    caller: call.caller,
    name: call.name,
    args: call.args,
    ctx: call.ctx,
    started: call.started,
    connector: call.connector,
    tool: call.tool,
    exposedName: call.exposedName,
    state: call.state,
    secrets: call.secrets,
    redacted: call.redacted,
    audit: call.audit,
    allowed,
  };
  if (approval?.answer === 'once' || approval?.answer === 'always' || approval?.answer === 'connector') {
    next.approval = { id: approval.id, answer: approval.answer };
    // A later round of the call (the same arguments) carries the user's yes to its secret material.
    if (call.secretsHeld !== undefined) next.approval.secrets = true;
    if (verdict.decidedBy === 'secrets') next.approval.secretsOnly = true;
  }
  return next;
}

/** The connector must be connected; else the call is refused with its last error, to try again. */
export function connectedUpstream(context: ToolCallCheckContext, call: AllowedCall): ReadyCall | Refused {
  const { connector } = call;
  const upstream = context.upstream(connector);
  const client = upstream?.client();
  if (!upstream || !client) {
    const reason = notConnected(connector, upstream);
    call.allowed({ outcome: 'unavailable', error: redactText(reason) });
    return refuse(reason);
  }
  return { ...call, upstream };
}

/**
 * A tools/call retry that brought back a round's state already spent (call-state.ts): the SDK refuses
 * it before any check runs; the activity log shows the attempt, with the approval it tried to reuse.
 */
export function auditReplay(audit: Pick<AuditLog, 'record'>, state: CallState, ctx: ServerContext): void {
  if (ctx.mcpReq.method !== 'tools/call') return;
  audit.record({
    type: 'tool.call',
    clientId: ctx.http?.authInfo?.clientId ?? '',
    connector: state.connector,
    tool: state.target,
    decision: 'deny',
    reason: 'The client sent a round of this call that had already run; it was not run again.',
    detail: {
      decidedBy: 'replay',
      outcome: 'refused',
      ...(state.approval ? { approval: state.approval.answer, approvalId: state.approval.id } : {}),
    },
  });
}

/**
 * What an audit row says of the secret material a call's arguments carried (kinds and field paths),
 * and why it passed when nobody was asked: the connector handles secrets, or an earlier round's yes.
 */
function secretsDetail(call: DecidedCall): Record<string, unknown> {
  const findings = call.secretsHeld ?? (call.secretsPass ? call.secrets().findings : undefined);
  if (!findings) return {};
  return { secrets: findings, ...(call.secretsPass ? { secretsPassed: call.secretsPass } : {}) };
}

/** What an audit row says of the approval a call used: the answer, and the approval it came from. */
function approvalDetail(approval: AnsweredApproval | undefined): Record<string, unknown> {
  return approval ? { approval: approval.answer, approvalId: approval.id } : {};
}

function logReason(
  decision: 'allow' | 'deny',
  reason: string,
  approval: ApprovalDecision | undefined,
  state: CallState | undefined,
): string {
  // A later round runs under the first round's answer: the row says so (and names it, in detail).
  if (decision === 'allow' && approval === 'once' && state !== undefined)
    return 'You allowed this call once; this is its next round.';
  if (decision === 'allow' && approval === 'once') return 'You allowed this call once.';
  if (decision === 'allow' && approval === 'always')
    return 'You allowed this tool for this client from now on.';
  if (decision === 'allow' && approval === 'connector')
    return 'You allowed this call, and its connector to handle secrets from now on.';
  // Policy gives the same few sentences call after call: the last one's wording is kept.
  if (reason === lastReason.said) return lastReason.logged;
  const text = reason.startsWith('gatehouse: ') ? reason.slice('gatehouse: '.length) : reason;
  const logged = text.charAt(0).toUpperCase() + text.slice(1);
  lastReason = { said: reason, logged };
  return logged;
}

/** The last reason logReason reworded, and its wording for the log. */
let lastReason = { said: '', logged: '' };
