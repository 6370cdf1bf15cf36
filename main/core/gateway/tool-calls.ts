// The tools/call pipeline, the same for a 2025-era session and a 2026-07-28 request: rate limit →
// decision (ceiling ∩ grant ∩ toggles ∩ rules) → approval when asked → upstream → audit. Input the
// upstream needs on the way crosses eras here: a 2026-07-28 upstream's InputRequiredResult goes to
// the client as Gatehouse's own (its state sealed in ours); a 2025-era upstream's request to its
// client parks the call for a 2026-07-28 client (parked-calls.ts), and goes straight to a 2025-era
// session as a server→client request (gateway.ts, forwardServerRequest).
import {
  CLIENT_CAPABILITIES_META_KEY,
  isInputRequiredResult,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/audit-log.js';
import type { PendingDecisions } from '../consent/pending-decisions.js';
import { createdTask } from '../connectors/task-results.js';
import type { AlwaysAllowed } from '../store/tool-store.js';
import type { Upstream } from '../connectors/upstream.js';
import type { Clock, Notifier, Random } from '../effects.js';
import type { Caller } from '../mcp/bearer-check.js';
import { callGatehouseTool, type GatehouseToolContext } from '../mcp/gatehouse-tools.js';
import type { McpScope } from '../mcp/session-services.js';
import type { RateLimiter } from '../policy/rate-limit.js';
import { redactArguments, redactText } from '../policy/redaction.js';
import { decideToolCall, type ToolCallDecision, type ToolDecisionInput } from '../policy/tool-decision.js';
import {
  argumentsDigest,
  continuedState,
  inputRound,
  retryFields,
  type CallState,
  type CallStateCodec,
} from './call-state.js';
import { envelopeField, forwardedEnvelope, trackInFlight, type LiveSession } from './live-session.js';
import { ParkedCall, type ProgressSink } from './parked-calls.js';
import { callUpstreamTool } from './upstream-call.js';
import { decisionId } from '../consent/decision-id.js';

export const APPROVAL_TIMEOUT_MS = 2 * 60_000;

export interface ApprovalRequest {
  clientId: string;
  clientName: string;
  connector: string;
  tool: string;
  exposedName: string;
  /** Redacted: this is what the user sees. */
  arguments: unknown;
  reason: string;
  /** False when a rule asks: a rule may depend on arguments, so "always" cannot answer it. */
  canAlways: boolean;
}

export type ApprovalDecision = 'once' | 'always' | 'deny' | 'timed-out';

/** What the pipeline needs from the gateway around it. */
export interface ToolCallContext {
  audit: AuditLog;
  clock: Clock;
  random: Random;
  notifier: Notifier;
  rateLimiter: RateLimiter;
  alwaysAllowed: AlwaysAllowed;
  gatehouseTools: GatehouseToolContext;
  approvals: PendingDecisions<ApprovalRequest, ApprovalDecision>;
  approvalTimeoutMs: number;
  codec: CallStateCodec;
  upstream(connector: string): Upstream | undefined;
  callTimeoutMs(connector: string): number;
  /** The tool a name routes to in a scope (on /mcp the exposed name, else the upstream's). */
  route(scope: McpScope, name: string): { connector: string; tool: Tool } | undefined;
  decisionInput(
    caller: Caller,
    connector: string,
    tool: Tool,
    exposedName: string,
  ): ToolDecisionInput | undefined;
  /** The result with its resource URIs in the form the client uses (shown-uris.ts). */
  showResult(scope: McpScope, connector: string, result: CallToolResult): CallToolResult;
  /** Calls parked for 2026-07-28 clients, by id (forwardServerRequest finds them here). */
  parked: Map<string, ParkedCall>;
  /** An upstream made the call a task: the CreateTaskResult the client gets (relayed-tasks.ts). */
  taskCreated(caller: Caller, connector: string, task: Record<string, unknown>): Record<string, unknown>;
}

type Audit = (decision: 'allow' | 'deny', reason: string, detail: Record<string, unknown>) => void;

export class ToolCalls {
  readonly #context: ToolCallContext;

  constructor(context: ToolCallContext) {
    this.#context = context;
  }

  /** One tools/call, as the client sent it (`name` is what the client sees). */
  async call(
    session: LiveSession,
    caller: Caller,
    name: string,
    args: Record<string, unknown>,
    ctx: ServerContext,
  ): Promise<CallToolResult | InputRequiredResult> {
    const context = this.#context;
    const { scope } = session;
    const started = context.clock.now();
    if (scope.connector === null) {
      const own = callGatehouseTool(name, caller, context.gatehouseTools, args);
      if (own) return own;
    }
    const route = context.route(scope, name);
    // A connector outside the grant does not exist for this client: not even its name is confirmed.
    const granted =
      caller.grant.connectors === '*' ||
      (route !== undefined && caller.grant.connectors.includes(route.connector));
    if (!route || !granted) return refusal(`gatehouse: there is no tool named ${name} for this client.`);
    const { connector, tool } = route;
    const exposedName = scope.connector ? tool.name : name;
    let redactedArgs: unknown;
    const redacted = () => (redactedArgs ??= redactArguments(args));
    // The activity log speaks to the user: without the "gatehouse: " the client's sentence carries,
    // and naming the user's own answer when an approval decided.
    const audit: Audit = (decision, reason, detail) =>
      context.audit.record({
        type: 'tool.call',
        clientId: caller.clientId,
        connector,
        tool: tool.name,
        decision,
        reason: logReason(decision, reason, detail.approval as ApprovalDecision | undefined),
        detail: { arguments: redacted(), exposedName, durationMs: context.clock.now() - started, ...detail },
      });

    // A retry of a multi-round-trip call continues the call that was decided in its first round.
    const state = continuedState(ctx, connector, tool.name, args, name);

    if (state === undefined) {
      // Per grant, not per token: a refresh does not start a fresh window.
      const limit = context.rateLimiter.take(caller.grant.grantId, context.clock.now());
      if (!limit.ok) {
        audit('deny', limit.message, { decidedBy: 'rate-limit', outcome: 'refused' });
        return refusal(limit.message);
      }
    }
    const input = context.decisionInput(caller, connector, tool, exposedName);
    if (!input) return refusal(`gatehouse: there is no tool named ${name} for this client.`);
    let verdict: ToolCallDecision = decideToolCall({ ...input, arguments: args });
    let approval: ApprovalDecision | undefined;
    // Asked and answered in the first round: a retry carries the same arguments (checked above).
    if (verdict.decision === 'ask' && state !== undefined) verdict = { ...verdict, decision: 'allow' };
    if (verdict.decision === 'ask') {
      approval = await this.#askUser(
        caller,
        input,
        redacted(),
        verdict.reason,
        verdict.decidedBy === 'approval-setting',
        ctx.mcpReq.signal,
      );
      if (approval === 'always') context.alwaysAllowed.add(caller.clientId, connector, tool.name);
      if (approval === 'deny' || approval === 'timed-out') {
        const reason =
          approval === 'deny'
            ? `gatehouse: the user denied this call to ${exposedName}`
            : `gatehouse: nobody approved this call to ${exposedName} within ${Math.round(context.approvalTimeoutMs / 1000)} seconds, so it was denied`;
        verdict = { decision: 'deny', decidedBy: verdict.decidedBy, reason };
      }
    }
    if (verdict.decision === 'deny') {
      audit('deny', verdict.reason, {
        decidedBy: verdict.decidedBy,
        outcome: 'refused',
        ...(approval ? { approval } : {}),
      });
      return refusal(verdict.reason);
    }
    const allowed = (detail: Record<string, unknown>) =>
      audit('allow', verdict.reason, {
        decidedBy: verdict.decidedBy,
        ...(approval ? { approval } : {}),
        ...detail,
      });

    const upstream = context.upstream(connector);
    const client = upstream?.client();
    if (!upstream || !client) {
      const status = upstream?.status();
      const reason = `gatehouse: connector ${connector} is not connected${status?.lastError ? ` (${status.lastError})` : ''}; try again shortly.`;
      allowed({ outcome: 'unavailable', error: redactText(reason) });
      return refusal(reason);
    }

    const call = { session, caller, connector, tool, args, ctx, state, allowed, started };
    // A 2025-era upstream cannot put its requests for input into a result: for a 2026-07-28 client the
    // call is run parked here, so those requests can become InputRequiredResults.
    if (state?.parked !== undefined || (session.era === 'modern' && upstream.era() === 'legacy')) {
      return this.#parked(call, upstream);
    }
    return this.#direct(call, upstream);
  }

  /** The call goes upstream within this request; an InputRequiredResult comes back wrapped. */
  async #direct(call: CallInProgress, upstream: Upstream): Promise<CallToolResult | InputRequiredResult> {
    const { session, connector, ctx, allowed } = call;
    const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
    const progress = progressRelay(ctx);
    try {
      const result = await this.#callUpstream(call, upstream, ctx.mcpReq.signal, progress);
      await progress.flushed();
      if (isInputRequiredResult(result)) {
        allowed({ outcome: 'input-required', durationMs: this.#context.clock.now() - call.started });
        return this.#inputRound(call, result.inputRequests ?? {}, { upstream: result.requestState });
      }
      const task = createdTask(result);
      if (task) {
        const created = this.#context.taskCreated(call.caller, call.connector, task);
        allowed({
          outcome: 'task',
          task: created.taskId,
          durationMs: this.#context.clock.now() - call.started,
        });
        // A CreateTaskResult is the tool result's answer under the extension the client declared.
        return created as unknown as CallToolResult;
      }
      this.#completed(call, result);
      return this.#context.showResult(session.scope, call.connector, result);
    } catch (error) {
      return this.#failed(call, error, ctx.mcpReq.signal.aborted);
    } finally {
      untrack();
    }
  }

  /** A 2026-07-28 client's call to a 2025-era upstream: each request for input is one round. */
  async #parked(call: CallInProgress, upstream: Upstream): Promise<CallToolResult | InputRequiredResult> {
    const context = this.#context;
    const { session, caller, connector, tool, ctx, state } = call;
    let parked: ParkedCall | undefined;
    if (state?.parked !== undefined) {
      parked = context.parked.get(state.parked);
      if (!parked || parked.clientId !== caller.clientId) {
        return refusal(
          `gatehouse: the call to ${tool.name} that this answer continues is no longer waiting (it ended, was cancelled or waited too long); call the tool again.`,
        );
      }
      parked.answer(ctx.mcpReq.inputResponses ?? {});
    } else {
      const started = new ParkedCall({
        id: context.random.bytes(12).toString('base64url'),
        clientId: caller.clientId,
        connector,
        tool: tool.name,
        onDone: () => context.parked.delete(started.id),
      });
      context.parked.set(started.id, started);
      // Progress goes to whichever request of the client is waiting on the call at the time.
      started.start((signal) =>
        this.#callUpstream(call, upstream, signal, { send: (update) => started.progress?.send(update) }),
      );
      parked = started;
    }
    parked.capabilities = envelopeField(ctx, CLIENT_CAPABILITIES_META_KEY) as ClientCapabilities | undefined;
    const relay = progressRelay(ctx);
    parked.progress = relay;
    const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
    try {
      const outcome = await parked.next(ctx.mcpReq.signal);
      await relay.flushed();
      if (outcome.kind === 'input') {
        call.allowed({ outcome: 'input-required', durationMs: context.clock.now() - call.started });
        return await this.#inputRound(call, outcome.requests, { parked: parked.id, round: parked.rounds });
      }
      if (outcome.kind === 'missing-capability') {
        call.allowed({ outcome: 'refused', error: 'the client cannot answer what the tool asked for' });
        throw new MissingRequiredClientCapabilityError(
          { requiredCapabilities: outcome.required },
          `gatehouse: ${tool.name} asked for ${Object.keys(outcome.required).join(' and ')}, which this client did not declare it supports`,
        );
      }
      if (outcome.kind === 'error') return this.#failed(call, outcome.error, parked.abort.signal.aborted);
      this.#completed(call, outcome.result);
      return this.#context.showResult(session.scope, connector, outcome.result);
    } finally {
      untrack();
      if (parked.progress === relay) parked.progress = undefined;
    }
  }

  async #callUpstream(
    call: CallInProgress,
    upstream: Upstream,
    signal: AbortSignal,
    progress: ProgressSink,
  ): Promise<CallToolResult | InputRequiredResult> {
    const { tool, args, ctx, state, connector } = call;
    const client = upstream.client();
    if (!client) throw new Error(`connector ${connector} disconnected`);
    const progressToken = ctx.mcpReq._meta?.progressToken;
    return callUpstreamTool(
      client,
      tool,
      args,
      {
        meta: {
          ...forwardedEnvelope(call.session, ctx, upstream.era()),
          ...(progressToken !== undefined ? { progressToken } : {}),
        },
        ...retryFields(ctx, state),
      },
      {
        signal,
        timeout: this.#context.callTimeoutMs(connector),
        ...(progressToken !== undefined ? { onprogress: (update) => progress.send(update) } : {}),
      },
    );
  }

  /** An InputRequiredResult for the client, carrying Gatehouse's own sealed state. */
  #inputRound(
    call: CallInProgress,
    requests: Record<string, unknown>,
    continuation: Pick<CallState, 'upstream' | 'parked' | 'round'>,
  ): Promise<InputRequiredResult> {
    return inputRound(this.#context.codec, call.ctx, requests, {
      connector: call.connector,
      target: call.tool.name,
      args: argumentsDigest(call.args),
      ...continuation,
    });
  }

  #completed(call: CallInProgress, result: CallToolResult): void {
    // Recorded once the result is on its way: the time stands, the writing waits a turn.
    const durationMs = this.#context.clock.now() - call.started;
    setImmediate(() => call.allowed({ outcome: result.isError ? 'tool-error' : 'ok', durationMs }));
  }

  #failed(call: CallInProgress, error: unknown, cancelled: boolean): CallToolResult {
    const message = redactText((error as Error).message);
    call.allowed({ outcome: cancelled ? 'cancelled' : 'error', error: message });
    // The upstream's own protocol errors reach the client as they are; a timeout or a dropped
    // connection (the SDK's local errors) becomes a tool result the model can read.
    if (error instanceof ProtocolError) throw error;
    return refusal(`gatehouse: ${call.connector} did not complete the call: ${message}`);
  }

  async #askUser(
    caller: Caller,
    input: ToolDecisionInput,
    redacted: unknown,
    reason: string,
    canAlways: boolean,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const context = this.#context;
    const id = decisionId(context.random);
    const request: ApprovalRequest = {
      clientId: caller.clientId,
      clientName: input.client.name,
      connector: input.connector.name,
      tool: input.tool.name,
      exposedName: input.tool.exposedName,
      arguments: redacted,
      reason,
      canAlways,
    };
    try {
      context.approvals.raise(id, request);
    } catch {
      return 'deny';
    }
    context.notifier.notify({
      kind: 'approval',
      title: `${request.clientName} wants to run ${request.exposedName}`,
      body: 'Open Gatehouse to allow or deny this call.',
    });
    const cancelled = new Promise<ApprovalDecision>((resolve) =>
      signal.addEventListener('abort', () => resolve('deny'), { once: true }),
    );
    try {
      return await Promise.race([context.approvals.wait(id), cancelled]);
    } finally {
      context.approvals.forget(id);
    }
  }
}

interface CallInProgress {
  session: LiveSession;
  caller: Caller;
  connector: string;
  tool: Tool;
  args: Record<string, unknown>;
  ctx: ServerContext;
  state: CallState | undefined;
  started: number;
  allowed(detail: Record<string, unknown>): void;
}

/** Where an upstream call's progress goes: the client's current request, in order. */
/**
 * Relays progress to a request under the request's own progress token (none: nothing is sent), in
 * order; `flushed` resolves once every one has been sent.
 */
function progressRelay(ctx: ServerContext): ProgressSink & { flushed(): Promise<void> } {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  let chain: Promise<void> = Promise.resolve();
  return {
    send(update) {
      if (progressToken === undefined) return;
      const params = { ...update, progressToken };
      chain = chain
        .then(() => ctx.mcpReq.notify({ method: 'notifications/progress', params } as never))
        .catch(() => undefined);
    },
    // Every progress notification reaches the client before the result does.
    flushed: () => chain,
  };
}

function refusal(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

function logReason(
  decision: 'allow' | 'deny',
  reason: string,
  approval: ApprovalDecision | undefined,
): string {
  if (decision === 'allow' && approval === 'once') return 'You allowed this call once.';
  if (decision === 'allow' && approval === 'always')
    return 'You allowed this tool for this client from now on.';
  const text = reason.startsWith('gatehouse: ') ? reason.slice('gatehouse: '.length) : reason;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
