// The tasks extension (SEP-2663, `io.modelcontextprotocol/tasks`) relayed between a 2026-07-28 client
// that declared it and a 2026-07-28 upstream that offers it. The upstream decides that a call becomes
// a task (it sees the client's capabilities in the forwarded envelope); Gatehouse gives the client
// its own task id for it, bound to that client and connector, and carries tasks/get, tasks/update
// and tasks/cancel to the upstream under the upstream's id. The call itself went through the whole
// pipeline (grant, rules, approval, audit) when it was made; polling and answering a task is the
// same client following up on a call it was allowed to make, so only the grant is checked again. A
// task's result reaches the client as a call's does: with any secret in it masked, and audited.
import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  type CallToolResult,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import { z } from 'zod';
import { TASKS_EXTENSION } from '../connectors/runtime/task-results.js';
import type { Upstream } from '../connectors/runtime/upstream.js';
import type { Clock, Random } from '../effects.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { McpScope } from '../mcp/session-services.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { withoutUpstreamServerInfo } from './forwarding.js';
import { inspectResult } from './result-secrets.js';
import { envelopeField, forwardedEnvelope, type LiveSession } from './live-session.js';

/** How long a task is remembered when its upstream does not say (its `ttlMs`). */
const DEFAULT_TASK_TTL_MS = 60 * 60_000;
/** Tasks remembered per client at most; the oldest is forgotten first. */
const MAX_TASKS_PER_CLIENT = 256;

interface RelayedTask {
  clientId: string;
  connector: string;
  upstreamId: string;
  expiresAt: number;
}

/**
 * What relaying tasks needs from the gateway: the upstreams, their timeouts, the grant check, and what
 * the result's secrets are masked with.
 */
export interface RelayedTasksContext {
  audit: Pick<AuditLog, 'record'>;
  sealedValues(): SealedValues;
  handlesSecrets(connector: string): boolean;
  clock: Clock;
  random: Random;
  upstream(connector: string): Upstream | undefined;
  callTimeoutMs(connector: string): number;
  /** Whether the caller may still reach `connector` in `scope` (grant, ceiling, enabled). */
  reaches(caller: Caller, scope: McpScope, connector: string): boolean;
  /** The result with its resource URIs in the form the client uses (shown-uris.ts). */
  showResult(scope: McpScope, connector: string, result: CallToolResult): CallToolResult;
}

const taskParams = z.object({ taskId: z.string() }).loose();
const anyResult = z.record(z.string(), z.unknown());

/**
 * The tasks Gatehouse relays, by its own task id: made when an upstream turns a call into a task, and
 * the tasks/* handlers that reach them (only from the client and connector the task belongs to).
 */
export class RelayedTasks {
  readonly #context: RelayedTasksContext;
  readonly #tasks = new Map<string, RelayedTask>();

  constructor(context: RelayedTasksContext) {
    this.#context = context;
  }

  /** Whether the request's envelope declares the tasks extension. */
  static declared(ctx: ServerContext): boolean {
    const capabilities = envelopeField(ctx, CLIENT_CAPABILITIES_META_KEY) as
      { extensions?: Record<string, unknown> } | undefined;
    return capabilities?.extensions?.[TASKS_EXTENSION] !== undefined;
  }

  /**
   * An upstream made the client's call a task (`task`: its CreateTaskResult without `resultType`):
   * the client gets the same result under an id of Gatehouse's own.
   */
  created(caller: Caller, connector: string, task: Record<string, unknown>): Record<string, unknown> {
    const now = this.#context.clock.now();
    this.#forget(now, caller.clientId);
    const id = this.#context.random.bytes(15).toString('base64url');
    const ttlMs = typeof task.ttlMs === 'number' && task.ttlMs > 0 ? task.ttlMs : DEFAULT_TASK_TTL_MS;
    this.#tasks.set(id, {
      clientId: caller.clientId,
      connector,
      upstreamId: String(task.taskId),
      expiresAt: now + ttlMs,
    });
    return { ...withoutUpstreamServerInfo(task), resultType: 'task', taskId: id };
  }

  /** tasks/get, tasks/update and tasks/cancel on a 2026-07-28 server that offers the extension. */
  install(server: Server, session: LiveSession, caller: (ctx: ServerContext) => Caller): void {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel'] as const) {
      server.setRequestHandler(method, { params: taskParams }, async (params, ctx) =>
        this.#relay(method, params, session, caller(ctx), ctx),
      );
    }
  }

  async #relay(
    method: 'tasks/get' | 'tasks/update' | 'tasks/cancel',
    params: Record<string, unknown> & { taskId: string },
    session: LiveSession,
    caller: Caller,
    ctx: ServerContext,
  ): Promise<Record<string, unknown>> {
    if (!RelayedTasks.declared(ctx)) {
      throw new MissingRequiredClientCapabilityError(
        { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
        `gatehouse: ${method} needs the ${TASKS_EXTENSION} extension, which this request does not declare`,
      );
    }
    const { taskId } = params;
    const task = this.#tasks.get(taskId);
    const now = this.#context.clock.now();
    if (
      !task ||
      task.expiresAt <= now ||
      task.clientId !== caller.clientId ||
      !this.#context.reaches(caller, session.scope, task.connector)
    ) {
      throw new ProtocolError(
        JsonRpcCode.InvalidParams,
        `gatehouse: there is no task ${taskId} for this client`,
      );
    }
    const upstream = this.#context.upstream(task.connector);
    const client = upstream?.client();
    if (!upstream || !client) {
      throw new ProtocolError(
        JsonRpcCode.InternalError,
        `gatehouse: connector ${task.connector} is not connected; ask about the task again shortly.`,
      );
    }
    const { _meta: _ignored, ...rest } = params;
    const inputResponses = ctx.mcpReq.inputResponses;
    const result = await client.request(
      {
        method,
        params: {
          ...rest,
          taskId: task.upstreamId,
          ...(method === 'tasks/update' ? { inputResponses: inputResponses ?? {} } : {}),
          _meta: forwardedEnvelope(session, ctx, upstream.era()),
        },
      },
      anyResult,
      { signal: ctx.mcpReq.signal, timeout: this.#context.callTimeoutMs(task.connector) },
    );
    const answer = withoutUpstreamServerInfo(result);
    if (answer.taskId !== undefined) answer.taskId = taskId;
    if (answer.result !== null && typeof answer.result === 'object') {
      answer.result = this.#context.showResult(
        session.scope,
        task.connector,
        this.#inspected(caller, task.connector, answer.result as CallToolResult),
      );
    }
    return answer;
  }

  /** A task's result with its secrets masked (result-secrets.ts); a row says what was found, and where. */
  #inspected(caller: Caller, connector: string, upstream: CallToolResult): CallToolResult {
    const { result, detail } = inspectResult(
      upstream,
      this.#context.sealedValues(),
      this.#context.handlesSecrets(connector),
    );
    if (Object.keys(detail).length > 0) {
      this.#context.audit.record({
        type: 'tool.task_result',
        clientId: caller.clientId,
        connector,
        decision: 'info',
        reason:
          detail.masked !== undefined
            ? 'A task’s result carried secret material; Gatehouse masked it before the client saw it.'
            : 'A task’s result carried secret material; it passed, since the connector handles secrets.',
        detail,
      });
    }
    return result;
  }

  /** Forgets expired tasks, and the oldest of `clientId`'s beyond the bound. */
  #forget(now: number, clientId: string): void {
    let count = 0;
    for (const [id, task] of this.#tasks) {
      if (task.expiresAt <= now) this.#tasks.delete(id);
      else if (task.clientId === clientId) count += 1;
    }
    for (const [id, task] of this.#tasks) {
      if (count < MAX_TASKS_PER_CLIENT) break;
      if (task.clientId !== clientId) continue;
      this.#tasks.delete(id);
      count -= 1;
    }
  }
}

/** A result without the upstream's serverInfo stamp (Gatehouse stamps its own). */
