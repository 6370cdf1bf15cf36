// Runs of the same event, folded for reading: a normal sign-in starts with a few tokenless requests,
// each refused with a challenge, and the log keeps every one — the window and `gatehouse activity`
// show them as one line with a count. Pure, so both surfaces fold the same way.
import type { AuditEventView } from '../api/contract.js';

/** How far apart two events of one run may be: beyond it, a repeat is news again. */
const RUN_GAP_MS = 5 * 60_000;

/** One line of the log as shown: the newest event of a run, and every event of it (newest first). */
export interface EventRun {
  readonly event: AuditEventView;
  readonly events: readonly AuditEventView[];
}

/** Whether two events say the same thing about the same caller: only a door's refusals fold. */
function sameRefusal(a: AuditEventView, b: AuditEventView): boolean {
  return (
    a.type === b.type &&
    a.decision === b.decision &&
    a.reason === b.reason &&
    a.clientId === b.clientId &&
    a.connector === b.connector &&
    a.tool === b.tool &&
    // A tool call, a consent, a registration: each is worth its own line.
    a.tool === null &&
    (a.type === 'mcp.request_denied' || a.type === 'http.request_refused')
  );
}

/**
 * Folds neighbouring events that repeat the same refusal within minutes of each other into one run,
 * in the order given (newest first or oldest first, as the list is).
 */
export function foldRepeats(events: readonly AuditEventView[]): EventRun[] {
  const runs: Array<{ event: AuditEventView; events: AuditEventView[] }> = [];
  for (const event of events) {
    const last = runs.at(-1);
    const previous = last?.events.at(-1);
    if (last && previous && sameRefusal(previous, event) && Math.abs(previous.at - event.at) <= RUN_GAP_MS) {
      last.events.push(event);
    } else {
      runs.push({ event, events: [event] });
    }
  }
  return runs;
}
