// The tool-call checks one at a time, without an engine: each step's allowed case (what it hands on)
// and refused case (the exact sentence the model reads, and the exact activity row). The real rate
// limiter and approval queue; a fake clock, audit log, notifier, upstream and request context.
import { NO_SEALED_VALUES } from '../../../main/core/secrets/sealed-values.js';
import type { CallToolResult, ServerContext, Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { PendingDecisions } from '../../../main/core/consent/pending-decisions.js';
import { argumentsDigest, type CallState } from '../../../main/core/gateway/call-state.js';
import {
  auditReplay,
  connectedUpstream,
  policyDecision,
  rateLimit,
  refusal,
  refuseDenied,
  routeInGrant,
  userApproval,
  type DecidedCall,
  type Refused,
  type RoutedCall,
  type ToolCallCheckContext,
  type ToolCallRequest,
} from '../../../main/core/gateway/tool-call-checks.js';
import type { ApprovalDecision, ApprovalRequest } from '../../../main/core/gateway/tool-approval.js';
import { RateLimiter } from '../../../main/core/policy/rate-limit.js';
import type { ToolDecisionInput } from '../../../main/core/policy/tool-decision.js';

type Caller = ToolCallRequest['caller'];
type Upstream = NonNullable<ReturnType<ToolCallCheckContext['upstream']>>;
type AuditRow = Parameters<ToolCallCheckContext['audit']['record']>[0];

const STARTED = 1_000_000;
const WRITE_FILE: Tool = { name: 'write_file', inputSchema: { type: 'object' } };
/** Nine bytes of 0x01 in base64url: the id every approval raised here gets. */
const APPROVAL_ID = 'AQEBAQEBAQEB';

/** An audit log that keeps what it is given, and answers as the real one does. */
function auditInto(rows: AuditRow[]): ToolCallCheckContext['audit'] {
  return {
    record(row) {
      rows.push(row);
      return {
        id: rows.length,
        at: 0,
        type: row.type,
        clientId: row.clientId ?? null,
        clientName: null,
        connector: row.connector ?? null,
        tool: row.tool ?? null,
        decision: row.decision,
        reason: row.reason,
        detail: row.detail ?? {},
      };
    },
    recordSoon(row) {
      rows.push(row());
    },
  };
}

function caller(connectors: '*' | string[], grantId = 'grant-1'): Caller {
  return {
    token: 'token',
    digest: 'digest',
    clientId: 'client-1',
    grant: {
      grantId,
      clientId: 'client-1',
      connectors,
      access: 'write',
      scopes: [],
      resource: 'http://127.0.0.1/mcp',
      createdAt: 0,
      expiresAt: null,
    },
    scopes: new Set(),
    expiresAt: STARTED + 3_600_000,
  };
}

/** The request context of a call: its method, the state a retry brought, the client's abort signal. */
function serverContext(
  options: { state?: CallState; method?: string; signal?: AbortSignal } = {},
): ServerContext {
  return {
    mcpReq: {
      method: options.method ?? 'tools/call',
      signal: options.signal ?? new AbortController().signal,
      requestState: () => options.state,
    },
    http: { authInfo: { clientId: 'client-1' } },
  } as unknown as ServerContext;
}

function decisionInput(tool: Partial<ToolDecisionInput['tool']> = {}): ToolDecisionInput {
  return {
    ceiling: 'write',
    client: { id: 'client-1', name: 'Claude', access: 'write', connectors: '*' },
    connector: { name: 'files', enabled: true },
    tool: {
      name: 'write_file',
      exposedName: 'files__write_file',
      class: 'write',
      enabled: true,
      held: false,
      approval: 'never',
      alwaysAllowedForClient: false,
      ...tool,
    },
    rules: [],
  };
}

function checks(options: { perMinute?: number; input?: ToolDecisionInput; maxPending?: number } = {}) {
  let now = STARTED + 250;
  const clock = { now: () => now };
  const rows: AuditRow[] = [];
  const notices: unknown[] = [];
  const remembered: string[][] = [];
  const upstreams = new Map<string, Upstream>();
  const approvals = new PendingDecisions<ApprovalRequest, ApprovalDecision>({
    clock,
    timeoutMs: 120_000,
    onTimeout: 'timed-out',
    maxPending: options.maxPending ?? 10,
    what: 'approval',
  });
  const context: ToolCallCheckContext = {
    random: { bytes: (n) => Buffer.alloc(n, 1) },
    notifier: { notify: (notice) => notices.push(notice) },
    approvals,
    audit: auditInto(rows),
    clock,
    rateLimiter: new RateLimiter({ perMinute: options.perMinute ?? 600 }),
    alwaysAllowed: { add: (...key: string[]) => void remembered.push(key) },
    approvalTimeoutMs: 120_000,
    upstream: (connector) => upstreams.get(connector),
    route: (request) =>
      request.name === 'files__write_file'
        ? { connector: 'files', tool: WRITE_FILE, exposedName: 'files__write_file' }
        : request.name === 'files__app_only'
          ? { refused: 'gatehouse: files__app_only is for the files app only.' }
          : undefined,
    // A connector "slow" in reach that is not connected: its names, or a name it is known to have.
    unconnectedOwner: (request) =>
      request.name.startsWith('slow__') || request.name === 'slow_tool' ? 'slow' : undefined,
    decisionInput: (_caller, connector, tool) =>
      connector === 'files' && tool.name === 'write_file' ? (options.input ?? decisionInput()) : undefined,
    sealedValues: () => NO_SEALED_VALUES,
    handlesSecrets: () => false,
    allowSecrets: () => undefined,
  };
  return {
    context,
    rows,
    notices,
    remembered,
    upstreams,
    approvals,
    advance: (ms: number) => (now += ms),
  };
}

function request(
  name: string,
  options: { connectors?: '*' | string[]; ctx?: ServerContext; args?: Record<string, unknown> } = {},
): ToolCallRequest {
  return {
    session: { scope: { connector: null } } as ToolCallRequest['session'],
    caller: caller(options.connectors ?? '*'),
    name,
    args: options.args ?? { path: '/tmp/notes.txt', password: 'hunter2' },
    ctx: options.ctx ?? serverContext(),
    started: STARTED,
  };
}

/** A step's answer that must be a call handed on, not a refusal. */
function handedOn<T extends object>(result: T | Refused): T {
  if ('refused' in result) throw new Error(`refused: ${JSON.stringify(result.refused)}`);
  return result;
}

function refusedWith(text: string): Refused {
  return { refused: { isError: true, content: [{ type: 'text', text }] } };
}

function routed(setup: ReturnType<typeof checks>, options: Parameters<typeof request>[1] = {}): RoutedCall {
  return handedOn(routeInGrant(setup.context, request('files__write_file', options)));
}

describe('refusal', () => {
  it('is a tool result the model reads: isError and the sentence as text', () => {
    expect(refusal('gatehouse: no.')).toEqual<CallToolResult>({
      isError: true,
      content: [{ type: 'text', text: 'gatehouse: no.' }],
    });
  });
});

describe('routeInGrant', () => {
  it('hands on a name that routes to a connector in the grant, with its redacted arguments and audit', () => {
    const setup = checks();
    const call = routed(setup, { connectors: ['files'] });
    expect(call).toMatchObject({ connector: 'files', tool: WRITE_FILE, exposedName: 'files__write_file' });
    expect(call.state).toBeUndefined();
    expect(call.redacted()).toEqual({ path: '/tmp/notes.txt', password: '[redacted]' });
    setup.advance(1_000);
    call.audit('deny', 'gatehouse: tool files__write_file is disabled in Gatehouse', { decidedBy: 'x' });
    expect(setup.rows).toEqual([
      {
        type: 'tool.call',
        clientId: 'client-1',
        connector: 'files',
        tool: 'write_file',
        decision: 'deny',
        // The activity log speaks to the user: no "gatehouse: ", a capital letter.
        reason: 'Tool files__write_file is disabled in Gatehouse',
        detail: {
          arguments: { path: '/tmp/notes.txt', password: '[redacted]' },
          exposedName: 'files__write_file',
          durationMs: 1_250,
          decidedBy: 'x',
        },
      },
    ]);
  });

  /** The activity row of a call refused before it reached a tool. */
  const unrouted = (tool: string, reason: string, decidedBy: string, connector: string | null = null) => ({
    type: 'tool.call',
    clientId: 'client-1',
    connector,
    tool,
    decision: 'deny',
    reason,
    detail: {
      arguments: { path: '/tmp/notes.txt', password: '[redacted]' },
      exposedName: tool,
      durationMs: 250,
      decidedBy,
      outcome: decidedBy === 'not-connected' ? 'unavailable' : 'refused',
    },
  });

  it('refuses a name that routes nowhere, and logs it', () => {
    const setup = checks();
    expect(routeInGrant(setup.context, request('files__nope'))).toEqual(
      refusedWith('gatehouse: there is no tool named files__nope for this client.'),
    );
    expect(setup.rows).toEqual([
      unrouted('files__nope', 'There is no tool named files__nope for this client.', 'unknown-tool'),
    ]);
  });

  it('refuses a connector outside the grant with the same sentence: its name is not confirmed', () => {
    const setup = checks();
    expect(routeInGrant(setup.context, request('files__write_file', { connectors: ['github'] }))).toEqual(
      refusedWith('gatehouse: there is no tool named files__write_file for this client.'),
    );
    expect(setup.rows[0]).toMatchObject({ connector: null, detail: { decidedBy: 'unknown-tool' } });
  });

  it("refuses with the route's own sentence when routing refused the name, and logs it", () => {
    const setup = checks();
    expect(routeInGrant(setup.context, request('files__app_only'))).toEqual(
      refusedWith('gatehouse: files__app_only is for the files app only.'),
    );
    expect(setup.rows).toEqual([
      unrouted('files__app_only', 'Files__app_only is for the files app only.', 'route'),
    ]);
  });

  it('tells a call to a connector that is starting to try again, not that the tool does not exist', () => {
    const setup = checks();
    setup.upstreams.set('slow', {
      client: () => undefined,
      status: () => ({ connection: 'starting', lastError: null }),
    } as unknown as Upstream);
    const sentence = 'gatehouse: connector slow is starting and not connected yet; try again shortly.';
    for (const name of ['slow__read', 'slow_tool'])
      expect(routeInGrant(setup.context, request(name))).toEqual(refusedWith(sentence));
    expect(setup.rows).toEqual([
      unrouted(
        'slow__read',
        'Connector slow is starting and not connected yet; try again shortly.',
        'not-connected',
        'slow',
      ),
      unrouted(
        'slow_tool',
        'Connector slow is starting and not connected yet; try again shortly.',
        'not-connected',
        'slow',
      ),
    ]);
  });

  it('carries the state of a retry that repeats its first round, and refuses one that does not', () => {
    const setup = checks();
    const args = { path: '/tmp/notes.txt' };
    const state: CallState = { connector: 'files', target: 'write_file', args: argumentsDigest(args) };
    const retry = routed(setup, { args, ctx: serverContext({ state }) });
    expect(retry.state).toEqual(state);
    expect(() =>
      routeInGrant(
        setup.context,
        request('files__write_file', { args: { path: '/etc/passwd' }, ctx: serverContext({ state }) }),
      ),
    ).toThrow(
      'gatehouse: this requestState belongs to another request; retry files__write_file with the arguments of its first round.',
    );
  });
});

describe('rateLimit', () => {
  it("takes one call from the grant's window per run, and refuses past it with the wait", () => {
    const setup = checks({ perMinute: 2 });
    const call = routed(setup);
    expect(rateLimit(setup.context, call)).toBeUndefined();
    expect(rateLimit(setup.context, call)).toBeUndefined();
    const sentence =
      'gatehouse: rate limit reached for this client (2 calls per minute); try again in 1 min.';
    expect(rateLimit(setup.context, call)).toEqual(refusedWith(sentence));
    expect(setup.rows).toMatchObject([
      {
        decision: 'deny',
        reason: 'Rate limit reached for this client (2 calls per minute); try again in 1 min.',
        detail: { decidedBy: 'rate-limit', outcome: 'refused' },
      },
    ]);
    // Per grant: another grant's window is its own.
    const other = { ...call, caller: caller('*', 'grant-2') };
    expect(rateLimit(setup.context, other)).toBeUndefined();
  });

  it('takes nothing for a retry that answers a call parked here (still the one run), one for any other retry', () => {
    const setup = checks({ perMinute: 1 });
    const call = routed(setup);
    expect(rateLimit(setup.context, call)).toBeUndefined();
    const parked: RoutedCall = {
      ...call,
      state: { connector: 'files', target: 'write_file', args: 'digest', parked: 'p-1', round: 2 },
    };
    expect(rateLimit(setup.context, parked)).toBeUndefined();
    expect(setup.rows).toEqual([]);
    // A retry that runs the tool upstream again is another run: it takes one, and here is refused.
    const rerun: RoutedCall = {
      ...call,
      state: { connector: 'files', target: 'write_file', args: 'digest' },
    };
    expect(rateLimit(setup.context, rerun)).toEqual(
      refusedWith('gatehouse: rate limit reached for this client (1 call per minute); try again in 1 min.'),
    );
  });
});

describe('policyDecision', () => {
  it("hands on policy's allow with the input it decided on", () => {
    const setup = checks();
    const decided = handedOn(policyDecision(setup.context, routed(setup)));
    expect(decided.input).toEqual(decisionInput());
    expect(decided.verdict).toEqual({
      decision: 'allow',
      decidedBy: 'default',
      reason: 'Tool files__write_file is allowed for Claude: no rule applies and it needs no approval.',
    });
    expect(decided.approval).toBeUndefined();
  });

  it("hands on policy's deny for refuseDenied to refuse", () => {
    const setup = checks({ input: decisionInput({ enabled: false }) });
    expect(handedOn(policyDecision(setup.context, routed(setup))).verdict).toEqual({
      decision: 'deny',
      decidedBy: 'tool-disabled',
      reason: 'gatehouse: tool files__write_file is disabled in Gatehouse',
    });
  });

  it('refuses a tool policy has no input for (gone since it was routed), and logs it', () => {
    const setup = checks();
    const call = { ...routed(setup), tool: { ...WRITE_FILE, name: 'removed' } };
    expect(policyDecision(setup.context, call)).toEqual(
      refusedWith('gatehouse: there is no tool named files__write_file for this client.'),
    );
    expect(setup.rows).toMatchObject([
      {
        decision: 'deny',
        reason: 'There is no tool named files__write_file for this client.',
        detail: { decidedBy: 'unknown-tool', outcome: 'refused' },
      },
    ]);
  });

  it('asks when policy asks, unless a retry carries the answer of its first round', () => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }) });
    const first = handedOn(policyDecision(setup.context, routed(setup)));
    expect(first.verdict).toEqual({
      decision: 'ask',
      decidedBy: 'approval-setting',
      reason: 'Tool files__write_file is set to ask for approval before each call.',
    });
    const carried = { id: 'approval-7', answer: 'once' as const };
    const args = { path: '/tmp/notes.txt' };
    const state: CallState = {
      connector: 'files',
      target: 'write_file',
      args: argumentsDigest(args),
      approval: carried,
    };
    const retry = handedOn(
      policyDecision(setup.context, routed(setup, { args, ctx: serverContext({ state }) })),
    );
    expect(retry.verdict).toEqual({ ...first.verdict, decision: 'allow' });
    expect(retry.approval).toEqual(carried);
  });
});

describe('userApproval', () => {
  async function asked(setup: ReturnType<typeof checks>, signal?: AbortSignal) {
    const call = routed(setup, signal ? { ctx: serverContext({ signal }) } : {});
    const decided = handedOn(policyDecision(setup.context, call));
    return userApproval(setup.context, decided);
  }

  it('passes a call policy did not ask about straight through', async () => {
    const setup = checks();
    const decided = handedOn(policyDecision(setup.context, routed(setup)));
    expect(await userApproval(setup.context, decided)).toBe(decided);
    expect(setup.approvals.pending()).toEqual([]);
  });

  it('raises an approval with the redacted arguments, tells the user, and hands on "once"', async () => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }) });
    const answered = asked(setup);
    expect(setup.approvals.pending()).toEqual([
      {
        id: APPROVAL_ID,
        item: {
          clientId: 'client-1',
          clientName: 'Claude',
          connector: 'files',
          tool: 'write_file',
          exposedName: 'files__write_file',
          arguments: { path: '/tmp/notes.txt', password: '[redacted]' },
          reason: 'Tool files__write_file is set to ask for approval before each call.',
          canAlways: true,
          secrets: [],
          secretsOnly: false,
        },
        createdAt: STARTED + 250,
        expiresAt: STARTED + 250 + 120_000,
      },
    ]);
    expect(setup.notices).toEqual([
      {
        kind: 'approval',
        title: 'Claude wants to run files__write_file',
        body: 'Open Gatehouse to allow or deny this call.',
      },
    ]);
    setup.approvals.decide(APPROVAL_ID, 'once');
    const call = await answered;
    expect(call.approval).toEqual({ id: APPROVAL_ID, answer: 'once' });
    expect(call.verdict.decision).toBe('ask');
    expect(setup.remembered).toEqual([]);
  });

  it('remembers "always" for this client and tool', async () => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }) });
    const answered = asked(setup);
    setup.approvals.decide(APPROVAL_ID, 'always');
    expect((await answered).approval).toEqual({ id: APPROVAL_ID, answer: 'always' });
    expect(setup.remembered).toEqual([['client-1', 'files', 'write_file']]);
  });

  it.each<[ApprovalDecision, string]>([
    ['deny', 'gatehouse: the user denied this call to files__write_file'],
    [
      'timed-out',
      'gatehouse: nobody approved this call to files__write_file within 120 seconds, so it was denied',
    ],
  ])('turns "%s" into a denial that says so', async (answer, reason) => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }) });
    const answered = asked(setup);
    setup.approvals.decide(APPROVAL_ID, answer);
    const call = await answered;
    expect(call.verdict).toEqual({ decision: 'deny', decidedBy: 'approval-setting', reason });
    expect(call.approval).toEqual({ id: APPROVAL_ID, answer });
  });

  it('denies when the client cancels its request while the user has not answered', async () => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }) });
    const cancel = new AbortController();
    const answered = asked(setup, cancel.signal);
    cancel.abort();
    expect((await answered).verdict.reason).toBe('gatehouse: the user denied this call to files__write_file');
    // The question is withdrawn, not left for the user.
    expect(setup.approvals.get(APPROVAL_ID)).toBeUndefined();
  });

  it('denies at once when the approval queue is full', async () => {
    const setup = checks({ input: decisionInput({ approval: 'ask' }), maxPending: 0 });
    const call = await asked(setup);
    expect(call.verdict.reason).toBe('gatehouse: the user denied this call to files__write_file');
    expect(setup.notices).toEqual([]);
  });
});

describe('refuseDenied', () => {
  function decided(setup: ReturnType<typeof checks>, extra: Partial<DecidedCall> = {}): DecidedCall {
    return { ...handedOn(policyDecision(setup.context, routed(setup))), ...extra };
  }

  it("refuses a denied call with policy's sentence and logs it, naming the user's answer", () => {
    const setup = checks();
    const reason = 'gatehouse: the user denied this call to files__write_file';
    const call = decided(setup, {
      verdict: { decision: 'deny', decidedBy: 'approval-setting', reason },
      approval: { id: APPROVAL_ID, answer: 'deny' },
    });
    expect(refuseDenied(call)).toEqual(refusedWith(reason));
    expect(setup.rows).toMatchObject([
      {
        decision: 'deny',
        reason: 'The user denied this call to files__write_file',
        detail: {
          decidedBy: 'approval-setting',
          outcome: 'refused',
          approval: 'deny',
          approvalId: APPROVAL_ID,
        },
      },
    ]);
  });

  it('hands on an allowed call without its verdict; its outcome is logged with what allowed it', () => {
    const setup = checks();
    const allowed = handedOn(refuseDenied(decided(setup)));
    expect(allowed).not.toHaveProperty('verdict');
    expect(allowed).not.toHaveProperty('input');
    expect(allowed.approval).toBeUndefined();
    expect(setup.rows).toEqual([]);
    allowed.allowed({ outcome: 'ok' });
    expect(setup.rows).toMatchObject([
      {
        decision: 'allow',
        reason: 'Tool files__write_file is allowed for Claude: no rule applies and it needs no approval.',
        detail: { decidedBy: 'default', outcome: 'ok' },
      },
    ]);
  });

  it.each([
    ['once', false, 'You allowed this call once.'],
    ['always', false, 'You allowed this tool for this client from now on.'],
    ['once', true, 'You allowed this call once; this is its next round.'],
  ] as const)(
    'carries the answer "%s" (a retry: %s) to later rounds, and the row says who allowed it',
    (answer, retry, reason) => {
      const setup = checks();
      const args = { path: '/tmp/notes.txt' };
      const state: CallState = { connector: 'files', target: 'write_file', args: argumentsDigest(args) };
      const call = routed(setup, retry ? { args, ctx: serverContext({ state }) } : {});
      const allowed = handedOn(
        refuseDenied({
          ...handedOn(policyDecision(setup.context, call)),
          approval: { id: APPROVAL_ID, answer },
        }),
      );
      expect(allowed.approval).toEqual({ id: APPROVAL_ID, answer });
      allowed.allowed({ outcome: 'ok' });
      expect(setup.rows).toMatchObject([
        { decision: 'allow', reason, detail: { approval: answer, approvalId: APPROVAL_ID, outcome: 'ok' } },
      ]);
    },
  );
});

describe('connectedUpstream', () => {
  function allowedCall(setup: ReturnType<typeof checks>) {
    return handedOn(refuseDenied(handedOn(policyDecision(setup.context, routed(setup)))));
  }

  it('hands on the live upstream of a connected connector', () => {
    const setup = checks();
    const upstream = { client: () => ({}), status: () => ({ lastError: null }) } as unknown as Upstream;
    setup.upstreams.set('files', upstream);
    expect(handedOn(connectedUpstream(setup.context, allowedCall(setup))).upstream).toBe(upstream);
    expect(setup.rows).toEqual([]);
  });

  it('refuses when the connector is not running, to try again', () => {
    const setup = checks();
    const sentence = 'gatehouse: connector files is not connected; try again shortly.';
    expect(connectedUpstream(setup.context, allowedCall(setup))).toEqual(refusedWith(sentence));
    expect(setup.rows).toMatchObject([
      { decision: 'allow', detail: { decidedBy: 'default', outcome: 'unavailable', error: sentence } },
    ]);
  });

  it("refuses with the connector's last error, secrets in it redacted in the log", () => {
    const setup = checks();
    const upstream = {
      client: () => undefined,
      status: () => ({ lastError: 'HTTP 401 from https://bob:s3cret@files.example/mcp' }),
    } as unknown as Upstream;
    setup.upstreams.set('files', upstream);
    expect(connectedUpstream(setup.context, allowedCall(setup))).toEqual(
      refusedWith(
        'gatehouse: connector files is not connected (HTTP 401 from https://bob:s3cret@files.example/mcp); try again shortly.',
      ),
    );
    expect(setup.rows[0]?.detail).toMatchObject({
      outcome: 'unavailable',
      error:
        'gatehouse: connector files is not connected (HTTP 401 from https://bob:[redacted]@files.example/mcp); try again shortly.',
    });
  });
});

describe('auditReplay', () => {
  const state: CallState = {
    connector: 'files',
    target: 'write_file',
    args: 'digest',
    approval: { id: APPROVAL_ID, answer: 'once' },
  };

  it('logs a tools/call that came back with a spent state, and the approval it tried to reuse', () => {
    const rows: AuditRow[] = [];
    auditReplay(auditInto(rows), state, serverContext());
    expect(rows).toEqual([
      {
        type: 'tool.call',
        clientId: 'client-1',
        connector: 'files',
        tool: 'write_file',
        decision: 'deny',
        reason: 'The client sent a round of this call that had already run; it was not run again.',
        detail: { decidedBy: 'replay', outcome: 'refused', approval: 'once', approvalId: APPROVAL_ID },
      },
    ]);
  });

  it('logs a replayed round only for tools/call, not for another method', () => {
    const rows: AuditRow[] = [];
    auditReplay(auditInto(rows), state, serverContext({ method: 'prompts/get' }));
    expect(rows).toEqual([]);
  });
});
