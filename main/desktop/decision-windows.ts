// Brings Gatehouse's decision window forward when a consent or an approval is waiting: the oldest
// one first, the next when it is answered (anywhere: window, tray, CLI) or expires, and the window
// closes when nothing waits. A decision the user closed the window on is not pushed at them again;
// it stays in the tray menu and the main window until answered or expired.
import type { EngineEvent, PendingApprovalView, PendingConsentView } from '../core/api/contract.js';
import type { Logger } from '../core/effects.js';
import { routes } from './window-policy.js';

export interface PendingDecision {
  kind: 'consent' | 'approval';
  id: string;
  createdAt: number;
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
}

export function decisionRoute(decision: Pick<PendingDecision, 'kind' | 'id'>): string {
  return decision.kind === 'consent' ? routes.consent(decision.id) : routes.approval(decision.id);
}

const keyOf = (decision: Pick<PendingDecision, 'kind' | 'id'>): string => `${decision.kind}:${decision.id}`;

/**
 * What the decision window should show: the one it shows while that is still pending, else the
 * oldest pending decision not dismissed; undefined when there is none.
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

export interface DecisionWatcher {
  /** Reads what is pending and updates the window now. */
  refresh(): Promise<void>;
  dispose(): void;
}

export function watchDecisions(
  engine: DecisionEngine,
  window: DecisionWindow,
  logger: Logger,
): DecisionWatcher {
  let showing: string | undefined;
  const dismissed = new Set<string>();
  let disposed = false;
  let running: Promise<void> | undefined;
  let again = false;

  const update = async (): Promise<void> => {
    const [consents, approvals] = await Promise.all([
      engine.call('consents.list'),
      engine.call('approvals.list'),
    ]);
    if (disposed) return;
    const pending: PendingDecision[] = [
      ...consents.map((c) => ({ kind: 'consent' as const, id: c.id, createdAt: c.createdAt })),
      ...approvals.map((a) => ({ kind: 'approval' as const, id: a.id, createdAt: a.createdAt })),
    ];
    // Forget dismissals of decisions that are gone, so the set stays small.
    const live = new Set(pending.map(keyOf));
    for (const key of dismissed) if (!live.has(key)) dismissed.delete(key);
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
