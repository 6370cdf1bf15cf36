// The decision window follows what waits: consents and approvals come forward oldest first, the
// window moves on when one is answered anywhere, closes when none waits, and does not push a
// decision again after the user closed the window on it. Each new decision is announced once with
// its deadline in the renderer's words, and the announcement brings that decision back.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, PendingApprovalView, PendingConsentView } from '../../main/core/api/contract.js';
import {
  calledTool,
  decisionNotice,
  decisionRoute,
  nextDecision,
  watchDecisions,
  type DecisionEngine,
  type PendingDecision,
} from '../../main/desktop/decision-windows.js';
import { silentLogger } from '../support/engine-fixture.js';

const consent = (id: string, createdAt: number): PendingConsentView => ({
  id,
  clientId: `c-${id}`,
  clientName: `Client ${id}`,
  kind: 'dcr',
  redirectHost: '127.0.0.1:5000',
  matchCode: 'ABC-123',
  requestedScopes: ['mcp:read'],
  requestedAccess: 'read',
  resource: 'http://127.0.0.1:42830/mcp',
  createdAt,
  expiresAt: createdAt + 600_000,
});

const approval = (id: string, createdAt: number): PendingApprovalView => ({
  id,
  clientId: 'c1',
  clientName: 'Claude Code',
  connector: 'github',
  tool: 'create_issue',
  arguments: { title: 'x' },
  reason: 'create_issue asks before each call',
  canAlways: true,
  secrets: [],
  createdAt,
  expiresAt: createdAt + 120_000,
});

/** An engine with settable pending lists that emits events on demand. */
function pendingEngine() {
  const state = { consents: [] as PendingConsentView[], approvals: [] as PendingApprovalView[], reads: 0 };
  const listeners = new Set<(event: EngineEvent) => void>();
  const engine = {
    call: (async (name: 'consents.list' | 'approvals.list') => {
      state.reads++;
      return name === 'consents.list' ? [...state.consents] : [...state.approvals];
    }) as DecisionEngine['call'],
    subscribe: (listener: (event: EngineEvent) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  return { engine, state, emit, listeners };
}

/** The decision window as a log of what the watcher asked. */
function recordingWindow() {
  const log: string[] = [];
  let dismiss: () => void = () => undefined;
  return {
    log,
    dismiss: () => dismiss(),
    window: {
      showDecision: (route: string) => void log.push(`show ${route}`),
      closeDecision: () => void log.push('close'),
      onDecisionDismissed: (listener: () => void) => void (dismiss = listener),
      showMain: () => void log.push('show main'),
    },
  };
}

describe('nextDecision', () => {
  const c1: PendingDecision = { kind: 'consent', id: 'k1', createdAt: 30 };
  const a1: PendingDecision = { kind: 'approval', id: 'a1', createdAt: 10 };
  const a2: PendingDecision = { kind: 'approval', id: 'a2', createdAt: 20 };
  it.each<[string, PendingDecision[], string | undefined, string[], PendingDecision | undefined]>([
    ['nothing waits', [], undefined, [], undefined],
    ['the oldest first', [c1, a2, a1], undefined, [], a1],
    ['keeps the one shown while it waits', [c1, a1], 'consent:k1', [], c1],
    ['moves on when the shown one is gone', [c1, a2], 'approval:a1', [], a2],
    ['skips dismissed ones', [c1, a1, a2], undefined, ['approval:a1'], a2],
    ['none when all are dismissed', [a1], undefined, ['approval:a1'], undefined],
    [
      'a consent and an approval with one id are different decisions',
      [{ ...c1, id: 'a1' }],
      undefined,
      ['approval:a1'],
      { ...c1, id: 'a1' },
    ],
  ])('%s', (_what, pending, showing, dismissed, expected) => {
    expect(nextDecision(pending, showing, new Set(dismissed))).toEqual(expected);
  });

  it('routes consents and approvals to their pages', () => {
    expect(decisionRoute({ kind: 'consent', id: 'k1' })).toBe('/consents/k1');
    expect(decisionRoute({ kind: 'approval', id: 'a 1' })).toBe('/approvals/a%201');
  });
});

describe('decisionNotice', () => {
  it('a consent: who asks, the match code, and the deadline as the window words it', () => {
    expect(decisionNotice({ ...consent('k1', 0), kind: 'consent' }, 2_000)).toEqual({
      kind: 'consent',
      title: 'Client k1 asks for access',
      body: 'Match code ABC-123. Denied automatically in 9:58 unless you answer.',
    });
  });

  it('an approval: who runs which tool of which connector, and the deadline', () => {
    expect(decisionNotice({ ...approval('a1', 0), kind: 'approval' }, 2_000)).toEqual({
      kind: 'approval',
      title: 'Claude Code wants to run create_issue (github)',
      body: 'Allow or deny it in Gatehouse. Denied automatically in 1:58 unless you answer.',
    });
  });
});

describe('calledTool', () => {
  it('names the connector only when the tool name does not already carry it', () => {
    expect(calledTool({ tool: 'github__create_issue', connector: 'github' })).toBe('github__create_issue');
    expect(calledTool({ tool: 'create_issue', connector: 'github' })).toBe('create_issue (github)');
  });
});

describe('watchDecisions', () => {
  it('announces each new decision once, oldest first, with its deadline', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window } = recordingWindow();
    const notices: string[] = [];
    const watcher = watchDecisions(engine, window, silentLogger(), {
      now: () => 2_000,
      announce: (notice) => void notices.push(`${notice.title} | ${notice.body}`),
    });
    state.approvals = [approval('a2', 30_000), approval('a1', 100)];
    emit({ type: 'approvals.changed' });
    await watcher.refresh();
    expect(notices).toEqual([
      'Claude Code wants to run create_issue (github) | Allow or deny it in Gatehouse. Denied automatically in 1:59 unless you answer.',
      'Claude Code wants to run create_issue (github) | Allow or deny it in Gatehouse. Denied automatically in 2:28 unless you answer.',
    ]);
    // Still waiting: not announced again, whatever else happens.
    state.consents = [consent('k1', 900)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(notices).toHaveLength(3);
    expect(notices[2]).toBe(
      'Client k1 asks for access | Match code ABC-123. Denied automatically in 9:59 unless you answer.',
    );
    watcher.dispose();
  });

  it('the announcement brings its decision back, even after the user closed the window on it', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window, log, dismiss } = recordingWindow();
    const opens: Array<() => void> = [];
    const watcher = watchDecisions(engine, window, silentLogger(), {
      announce: (_notice, open) => void opens.push(open),
    });
    state.consents = [consent('k1', 100), consent('k2', 200)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    dismiss(); // closed on k1: k2 comes forward
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1', 'show /consents/k2']);

    opens[0]!(); // the notification of k1
    expect(log).toEqual(['show /consents/k1', 'show /consents/k2', 'show /consents/k1']);

    // Once answered, its notification opens the main window instead.
    state.consents = [consent('k2', 200)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    opens[0]!();
    expect(log.at(-1)).toBe('show main');
    watcher.dispose();
  });

  it('shows a consent when consents.changed says one waits, and closes when it is answered', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window, log } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    await watcher.refresh();
    expect(log).toEqual([]);

    state.consents = [consent('k1', 100)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1']);

    state.consents = [];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1', 'close']);
    watcher.dispose();
  });

  it('shows an approval on approvals.changed, then the next one, oldest first', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window, log } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    state.approvals = [approval('a2', 200), approval('a1', 100)];
    state.consents = [consent('k1', 150)];
    emit({ type: 'approvals.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /approvals/a1']);

    // A newer one arriving does not take the window from the one being answered.
    state.approvals = [approval('a2', 200), approval('a1', 100), approval('a3', 50)];
    emit({ type: 'approvals.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /approvals/a1']);

    state.approvals = [approval('a2', 200), approval('a3', 50)];
    emit({ type: 'approvals.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /approvals/a1', 'show /approvals/a3']);
    watcher.dispose();
  });

  it('ignores other events', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    await watcher.refresh();
    const reads = state.reads;
    emit({ type: 'clients.changed' });
    emit({ type: 'audit.appended', event: {} as never });
    await watcher.refresh();
    expect(state.reads).toBe(reads + 2); // only the explicit refresh read (two lists)
    watcher.dispose();
  });

  it('does not push a decision again after the user closed its window, but shows the next', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window, log, dismiss } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    state.consents = [consent('k1', 100), consent('k2', 200)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1']);

    dismiss();
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1', 'show /consents/k2']);

    dismiss();
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1', 'show /consents/k2']);
    watcher.dispose();
  });

  it('reads once more for events during a read, not once per event', async () => {
    const { engine, state, emit } = pendingEngine();
    const { window } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    await watcher.refresh();
    const reads = state.reads;
    for (let i = 0; i < 20; i++) emit({ type: 'approvals.changed' });
    await watcher.refresh();
    expect(state.reads - reads).toBeLessThanOrEqual(4);
    watcher.dispose();
  });

  it('logs a failed read and keeps working', async () => {
    const { engine, state, emit } = pendingEngine();
    const logs: string[] = [];
    let fail = true;
    const flaky: DecisionEngine = {
      call: (async (name: 'consents.list' | 'approvals.list') => {
        if (fail) throw new Error('engine stopping');
        return engine.call(name as 'consents.list');
      }) as DecisionEngine['call'],
      subscribe: engine.subscribe,
    };
    const { window, log } = recordingWindow();
    const watcher = watchDecisions(flaky, window, silentLogger(logs));
    await watcher.refresh();
    expect(logs[0]).toBe(
      `warn decision window: could not read what is waiting ${JSON.stringify({ error: 'engine stopping' })}`,
    );
    fail = false;
    state.consents = [consent('k1', 1)];
    emit({ type: 'consents.changed' });
    await watcher.refresh();
    expect(log).toEqual(['show /consents/k1']);
    watcher.dispose();
  });

  it('stops listening once disposed, also to the window closing as the app quits', async () => {
    const { engine, listeners, state } = pendingEngine();
    const { window, dismiss } = recordingWindow();
    const watcher = watchDecisions(engine, window, silentLogger());
    await watcher.refresh();
    expect(listeners.size).toBe(1);
    watcher.dispose();
    expect(listeners.size).toBe(0);
    const reads = state.reads;
    dismiss();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.reads).toBe(reads);
  });
});
