// The tools/call pipeline, the same for a 2025-era session and a 2026-07-28 request: the checks of
// tool-call-checks.ts in order (grant, rate limit, policy, secrets in the arguments, approval,
// connection), then the upstream, then its result with any secret in it masked (result-secrets.ts),
// then the audit. Input the upstream needs on the way crosses eras here: a 2026-07-28 upstream's
// InputRequiredResult goes to the client as Gatehouse's own (its state sealed in ours); a 2025-era
// upstream's request to its client parks the call for a 2026-07-28 client (parked-calls.ts), and
// goes straight to a 2025-era session as a server→client request (upstream-traffic.ts).
import {
  isInputRequiredResult,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  type CallToolResult,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { createdTask } from '../connectors/runtime/task-results.js';
import type { Upstream } from '../connectors/runtime/upstream.js';
import type { Caller } from '../mcp/bearer-check.js';
import { callGatehouseTool, type GatehouseToolContext } from './gatehouse-tools.js';
import type { McpScope } from '../mcp/session-services.js';
import { redactText } from '../policy/redaction.js';
import {
  argumentsDigest,
  inputRound,
  retryFields,
  type CallState,
  type CallStateCodec,
} from './call-state.js';
import { forwardedEnvelope, trackInFlight, type LiveSession } from './live-session.js';
import type { ProgressSink } from './parked-calls.js';
import { parkedRound, progressRelay, type ParkingContext } from './parked-rounds.js';
import {
  connectedUpstream,
  policyDecision,
  rateLimit,
  refusal,
  refuseDenied,
  routeInGrant,
  secretCheck,
  userApproval,
  type ReadyCall,
  type ToolCallCheckContext,
} from './tool-call-checks.js';
import type { MessageSecrets } from './message-secrets.js';
import { inspectProtocolError, inspectResult } from './result-secrets.js';
import { callUpstreamTool } from './upstream-call.js';
import { watchRefusals, type CallRefusals, type RefusalSource } from './sandbox-marks.js';
import { causesOf } from '../errors.js';

/** What the pipeline needs from the gateway around it. */
export interface ToolCallContext extends ToolCallCheckContext, ParkingContext {
  gatehouseTools: GatehouseToolContext;
  codec: CallStateCodec;
  /** Secret material in an upstream's progress messages and requests for input, masked. */
  messageSecrets: Pick<MessageSecrets, 'inspect' | 'inputRequests'>;
  callTimeoutMs(connector: string): number;
  /** The result with its resource URIs in the form the client uses (shown-uris.ts). */
  showResult(scope: McpScope, connector: string, result: CallToolResult): CallToolResult;
  /** An upstream made the call a task: the CreateTaskResult the client gets (relayed-tasks.ts). */
  taskCreated(caller: Caller, connector: string, task: Record<string, unknown>): Record<string, unknown>;
  /**
   * Resolves once the log messages the upstream sent before its result are sent on
   * (upstream-traffic.ts); `since` (performance.now()): when the call went upstream.
   */
  logsSent(session: LiveSession, connector: string, upstream: Upstream, since?: number): Promise<void>;
  /** What the sandbox refuses local servers, heard while their calls run (none for tests without one). */
  sandboxRefusals?: RefusalSource;
}

/** The tools/call pipeline: every call a client makes to a tool, from its name to the audited result. */
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
    const started = context.clock.now();
    if (session.scope.connector === null) {
      const own = callGatehouseTool(name, caller, context.gatehouseTools, args);
      if (own) return own;
    }
    const routed = routeInGrant(context, { session, caller, name, args, ctx, started });
    if ('refused' in routed) return routed.refused;
    const limited = rateLimit(context, routed);
    if (limited) return limited.refused;
    const decided = policyDecision(context, routed);
    if ('refused' in decided) return decided.refused;
    const allowed = refuseDenied(await userApproval(context, secretCheck(context, decided)));
    if ('refused' in allowed) return allowed.refused;
    const call = connectedUpstream(context, allowed);
    if ('refused' in call) return call.refused;
    // A 2025-era upstream cannot put its requests for input into a result: for a 2026-07-28 client the
    // call is run parked here, so those requests can become InputRequiredResults.
    if (call.state?.parked !== undefined || (session.era === 'modern' && call.upstream.era() === 'legacy')) {
      return this.#parked(call, call.upstream);
    }
    return this.#direct(call, call.upstream);
  }

  /** The call goes upstream within this request; an InputRequiredResult comes back wrapped. */
  async #direct(call: ReadyCall, upstream: Upstream): Promise<CallToolResult | InputRequiredResult> {
    const { session, connector, ctx, allowed } = call;
    const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
    const progress = progressRelay(ctx);
    const sinceLogs = performance.now();
    const refused = watchRefusals(this.#context.sandboxRefusals, connector);
    try {
      const result = await this.#callUpstream(call, upstream, ctx.mcpReq.signal, progress);
      await progress.flushed();
      await refused.settled(result);
      if (isInputRequiredResult(result)) {
        allowed({ outcome: 'input-required', durationMs: this.#context.clock.now() - call.started });
        return this.#inputRound(
          call,
          this.#context.messageSecrets.inputRequests(call.connector, result.inputRequests ?? {}),
          { upstream: result.requestState },
        );
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
      await this.#context.logsSent(session, connector, upstream, sinceLogs);
      // After the logs' turn: the row's making waits until the result is written (AuditLog.recordSoon).
      return this.#completed(call, result, refused);
    } catch (error) {
      return this.#failed(call, error, ctx.mcpReq.signal.aborted, refused);
    } finally {
      refused.detail();
      untrack();
    }
  }

  /** A 2026-07-28 client's call to a 2025-era upstream: each request for input is one round. */
  async #parked(call: ReadyCall, upstream: Upstream): Promise<CallToolResult | InputRequiredResult> {
    const context = this.#context;
    const { session, caller, connector, tool, ctx, state } = call;
    const refused = watchRefusals(context.sandboxRefusals, connector);
    const round = await parkedRound<CallToolResult>(context, {
      session,
      clientId: caller.clientId,
      connector,
      target: `tool ${tool.name}`,
      ctx,
      ...(state?.parked !== undefined ? { continues: { parked: state.parked, round: state.round } } : {}),
      run: (signal, progress) => this.#callUpstream(call, upstream, signal, progress),
      // The logs the upstream sent before its result go out first, on this request's stream.
      settled: () => context.logsSent(session, connector, upstream),
    });
    // The state of the round under way only: an earlier round's was spent (call-state.ts), and its
    // answers were given.
    await refused.settled(round?.outcome.kind === 'result' ? round.outcome.result : undefined);
    if (!round) {
      refused.detail();
      return refusal(
        `gatehouse: the call to ${tool.name} that this answer continues is no longer waiting (it ended, was cancelled or waited too long); call the tool again.`,
      );
    }
    const { parked, outcome } = round;
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
    if (outcome.kind === 'error')
      return this.#failed(call, outcome.error, parked.abort.signal.aborted, refused);
    return this.#completed(call, outcome.result, refused);
  }

  async #callUpstream(
    call: ReadyCall,
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
        ...(progressToken !== undefined
          ? {
              onprogress: (update) =>
                progress.send(
                  this.#context.messageSecrets.inspect(connector, 'notifications/progress', update),
                ),
            }
          : {}),
      },
    );
  }

  /** An InputRequiredResult for the client, carrying Gatehouse's own sealed state. */
  #inputRound(
    call: ReadyCall,
    requests: Record<string, unknown>,
    continuation: Pick<CallState, 'upstream' | 'parked' | 'round'>,
  ): Promise<InputRequiredResult> {
    return inputRound(this.#context.codec, call.ctx, requests, {
      connector: call.connector,
      target: call.tool.name,
      args: argumentsDigest(call.args),
      ...continuation,
      ...(call.approval ? { approval: call.approval } : {}),
    });
  }

  /**
   * The result as the client gets it: its secrets masked, the sandbox's refusals during the call
   * marked, its resource URIs as the client knows them.
   */
  #completed(call: ReadyCall, upstream: CallToolResult, refused: CallRefusals): CallToolResult {
    const context = this.#context;
    const { result, detail } = inspectResult(
      upstream,
      context.sealedValues(),
      context.handlesSecrets(call.connector),
    );
    // Recorded once the result is on its way: the time stands, the row is made after the answer is
    // written, before anything else is recorded or read (AuditLog.recordSoon).
    const durationMs = context.clock.now() - call.started;
    call.allowed(
      { outcome: result.isError ? 'tool-error' : 'ok', durationMs, ...detail, ...refused.detail() },
      true,
    );
    return context.showResult(call.session.scope, call.connector, refused.annotate(result));
  }

  #failed(call: ReadyCall, error: unknown, cancelled: boolean, refused: CallRefusals): CallToolResult {
    const context = this.#context;
    const message = redactText(withCauses(error), 2_000, context.sealedValues());
    const outcome = cancelled ? 'cancelled' : 'error';
    // The upstream's own protocol errors reach the client as they are (with any secret masked); a
    // timeout or a dropped connection (the SDK's local errors) becomes a tool result the model can read.
    if (error instanceof ProtocolError) {
      const masked = inspectProtocolError(
        error,
        context.sealedValues(),
        context.handlesSecrets(call.connector),
      );
      call.allowed({ outcome, error: message, ...masked.detail, ...refused.detail() });
      throw masked.result;
    }
    call.allowed({ outcome, error: message, ...refused.detail() });
    return refusal(`gatehouse: ${call.connector} did not complete the call: ${message}`);
  }
}

/** An error's message with its causes' ("fetch failed: other side closed": undici says why in `cause`). */
function withCauses(error: unknown): string {
  const said: string[] = [];
  for (const e of causesOf(error, 4)) {
    if (!(e instanceof Error)) break;
    if (e.message && !said.includes(e.message)) said.push(e.message);
  }
  return said.length > 0 ? said.join(': ') : String(error);
}
