// Brings Gatehouse's decision window forward when a consent or an approval is waiting: the oldest
// one first, the next when it is answered (anywhere: window, tray, CLI) or expires, and the window
// closes when nothing waits. Each new decision is also announced once (a system notification in the
// app) with its deadline, so it is never only in a window the user cannot see; clicking the
// announcement brings that decision back. A decision the user closed the window on is not pushed at
// them again; it stays in the tray menu, the main window and its notification until answered or expired.
import type { EngineEvent, PendingApprovalView, PendingConsentView } from '../core/api/contract.js';
import type { Logger, Notifier } from '../core/effects.js';
import { routes } from './window-policy.js';
import { autoDenyText } from '../core/text.js';

/** A consent or approval waiting for the user, as the decision window and its announcement show it. */
export interface PendingDecision {
  kind: 'consent' | 'approval';
  id: string;
  createdAt: number;
}

/** A waiting decision with what its announcement names. */
export type WaitingDecision =
  | (PendingDecision & { kind: 'consent' } & Pick<
        PendingConsentView,
        'clientName' | 'matchCode' | 'expiresAt'
      >)
  | (PendingDecision & { kind: 'approval' } & Pick<
        PendingApprovalView,
        'clientName' | 'tool' | 'connector' | 'expiresAt'
      >);

type Notice = Parameters<Notifier['notify']>[0];

/**
 * The tool as the client named it, with its connector when the name does not already say it
 * (`github__create_issue` from /mcp, `create_issue (github)` from /mcp/github).
 */
export function calledTool(approval: Pick<PendingApprovalView, 'tool' | 'connector'>): string {
  return approval.tool.startsWith(`${approval.connector}__`)
    ? approval.tool
    : `${approval.tool} (${approval.connector})`;
}

/**
 * The announcement of a new decision: who asks for what, and the deadline in the renderer's words
 * ("Denied automatically in 1:58 unless you answer").
 * @internal Exported for its tests only: the decision windows' order and words, checked without Electron.
 */
export function decisionNotice(decision: WaitingDecision, now: number): Notice {
  const deadline = `${autoDenyText(decision.expiresAt, now)}.`;
  if (decision.kind === 'consent') {
    return {
      kind: 'consent',
      title: `${decision.clientName} asks for access`,
      body: `Match code ${decision.matchCode}. ${deadline}`,
    };
  }
  return {
    kind: 'approval',
    title: `${decision.clientName} wants to run ${calledTool(decision)}`,
    body: `Allow or deny it in Gatehouse. ${deadline}`,
  };
}

/** The engine as the watcher sees it. */
export interface DecisionEngine {
  call(name: 'consents.list'): Promise<PendingConsentView[]>;
  call(name: 'approvals.list'): Promise<PendingApprovalView[]>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** The decision window, as windows.ts offers it. */
export interface DecisionWindow {
  showDecision(route: string): void;
  closeDecision(): void;
  onDecisionDismissed(listener: () => void): void;
  /** Opens the main window: where a decision that is no longer waiting is looked for. */
  showMain(): void;
}

/** How the decision watcher announces new decisions, and its clock. */
export interface WatchOptions {
  /** Announces a new decision once; `open` brings that decision back into the decision window. */
  announce?: (notice: Notice, open: () => void) => void;
  now?: () => number;
}

/**
 * The renderer route that shows one decision (`#/consents/<id>` or `#/approvals/<id>`).
 * @internal Exported for its tests only: the decision windows' order and words, checked without Electron.
 */
export function decisionRoute(decision: Pick<PendingDecision, 'kind' | 'id'>): string {
  return decision.kind === 'consent' ? routes.consent(decision.id) : routes.approval(decision.id);
}

const keyOf = (decision: Pick<PendingDecision, 'kind' | 'id'>): string => `${decision.kind}:${decision.id}`;

/**
 * What the decision window should show: the one it shows while that is still pending, else the
 * oldest pending decision not dismissed; undefined when there is none.
 * @internal Exported for its tests only: the decision windows' order and words, checked without Electron.
 */
export function nextDecision(
  pending: readonly PendingDecision[],
  showing: string | undefined,
  dismissed: ReadonlySet<string>,
): PendingDecision | undefined {
  const current = pending.find((decision) => keyOf(decision) === showing);
  if (current) return current;
  return [...pending]
    .filter((decision) => !dismissed.has(keyOf(decision)))
    .sort((a, b) => a.createdAt - b.createdAt)[0];
}

/** The running watcher: refreshed on the engine's events, disposed on quit. */
export interface DecisionWatcher {
  /** Reads what is pending and updates the window now. */
  refresh(): Promise<void>;
  dispose(): void;
}

/** Keeps the decision window on the oldest waiting decision and announces each new one once. */
export function watchDecisions(
  engine: DecisionEngine,
  window: DecisionWindow,
  logger: Logger,
  options: WatchOptions = {},
): DecisionWatcher {
  const now = options.now ?? Date.now;
  let showing: string | undefined;
  const dismissed = new Set<string>();
  const announced = new Set<string>();
  let live = new Set<string>();
  let disposed = false;
  let running: Promise<void> | undefined;
  let again = false;

  // The announcement's click: this decision, even if the user closed the window on it before.
  const bringBack = (decision: PendingDecision): void => {
    const key = keyOf(decision);
    if (disposed || !live.has(key)) {
      window.showMain();
      return;
    }
    dismissed.delete(key);
    showing = key;
    window.showDecision(decisionRoute(decision));
  };

  const update = async (): Promise<void> => {
    const [consents, approvals] = await Promise.all([
      engine.call('consents.list'),
      engine.call('approvals.list'),
    ]);
    if (disposed) return;
    const pending: WaitingDecision[] = [
      ...consents.map((c) => ({
        kind: 'consent' as const,
        id: c.id,
        createdAt: c.createdAt,
        expiresAt: c.expiresAt,
        clientName: c.clientName,
        matchCode: c.matchCode,
      })),
      ...approvals.map((a) => ({
        kind: 'approval' as const,
        id: a.id,
        createdAt: a.createdAt,
        expiresAt: a.expiresAt,
        clientName: a.clientName,
        tool: a.tool,
        connector: a.connector,
      })),
    ];
    // Forget dismissals and announcements of decisions that are gone, so the sets stay small.
    live = new Set(pending.map(keyOf));
    for (const key of dismissed) if (!live.has(key)) dismissed.delete(key);
    for (const key of announced) if (!live.has(key)) announced.delete(key);
    for (const decision of [...pending].sort((a, b) => a.createdAt - b.createdAt)) {
      const key = keyOf(decision);
      if (announced.has(key)) continue;
      announced.add(key);
      options.announce?.(decisionNotice(decision, now()), () => bringBack(decision));
    }
    const next = nextDecision(pending, showing, dismissed);
    if (!next) {
      if (showing) window.closeDecision();
      showing = undefined;
      return;
    }
    const key = keyOf(next);
    if (key === showing) return;
    showing = key;
    window.showDecision(decisionRoute(next));
  };

  // One read at a time; events that arrive meanwhile cause exactly one more.
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await update();
        } catch (error) {
          logger.warn('decision window: could not read what is waiting', {
            error: (error as Error).message,
          });
        }
      } while (again && !disposed);
      running = undefined;
    })();
    return running;
  };

  window.onDecisionDismissed(() => {
    // Windows also close as the app quits, after this watcher has been disposed.
    if (disposed) return;
    if (showing) dismissed.add(showing);
    showing = undefined;
    // Another decision may be waiting behind the dismissed one.
    void refresh();
  });
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'consents.changed' || event.type === 'approvals.changed') void refresh();
  });
  void refresh();

  return {
    refresh,
    dispose() {
      disposed = true;
      unsubscribe();
    },
  };
}
