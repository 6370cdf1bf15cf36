// The audit log, newest first: when, what, who, which tool, the decision and why — with, under the
// reason, who decided (policy, rule, the user's approval), how long it took and how it ended, so
// the reason keeps the width — and what the sandbox refused the server during a call. A row opens to its detail. A run of the same refusal (the tokenless
// requests that start every sign-in) is one row with a count; it opens to every time it happened.
import { Fragment, useState } from 'react';
import type { AuditEventView } from '@core/api/contract.js';
import { foldRepeats } from '@core/audit/repeated-events.js';
import { dateTime, sandboxMarkText, shortDateTime, tookText } from '@core/text.js';
import { useNow } from '../../components/use-now.js';
import { useClients } from '../../app/stores-context.js';
import { DecisionBadge } from './decision-badge.js';
import { eventLabel } from './event-label.js';

const DECIDED_BY: Record<string, string> = {
  ceiling: 'Access ceiling',
  grant: "Client's grant",
  connector: 'Connector off',
  'tool-disabled': 'Tool off',
  held: 'Held change',
  access: 'Read-only grant',
  'approval-setting': 'Ask setting',
  'rate-limit': 'Rate limit',
  'always-allowed': 'Always allowed by you',
  default: 'Default',
  'unknown-tool': 'No such tool',
  'not-connected': 'Connector not connected',
  route: 'Routing',
};

function decidedBy(event: AuditEventView): string {
  const value = event.detail.decidedBy;
  if (typeof value !== 'string') return '';
  if (value.startsWith('rule:')) return `Rule ${value.slice(5)}`;
  const approval = typeof event.detail.approval === 'string' ? ` (you: ${event.detail.approval})` : '';
  return `${DECIDED_BY[value] ?? value}${approval}`;
}

function duration(event: AuditEventView): string {
  const ms = event.detail.durationMs;
  return typeof ms === 'number' ? tookText(ms) : '';
}

function outcome(event: AuditEventView): string {
  return typeof event.detail.outcome === 'string' ? event.detail.outcome : '';
}

/** Who decided, how long it took and how it ended: one muted line under the reason. */
function EventMeta({ event }: { event: AuditEventView }) {
  const parts = [
    { label: 'Decided by', value: decidedBy(event), className: 'event-meta-by' },
    { label: 'took', value: duration(event), className: 'event-meta-took' },
    { label: 'outcome', value: outcome(event), className: 'event-meta-outcome' },
    // The sandbox refused its server something while it ran: not "Allowed / ok" alone.
    { label: 'sandbox', value: sandboxMarkText(event.detail), className: 'event-meta-sandbox' },
  ].filter((part) => part.value);
  if (parts.length === 0) return null;
  return (
    <span className="event-meta">
      {parts.map((part) => (
        <span key={part.label}>
          <span className="event-meta-label">{part.label} </span>
          <span className={part.className}>{part.value}</span>
        </span>
      ))}
    </span>
  );
}

export function ActivityTable({ events }: { events: readonly AuditEventView[] }) {
  const [openId, setOpenId] = useState<number | null>(null);
  // Only decides whether a time shows its date; a minute's staleness is harmless.
  const now = useNow(60_000);
  const clients = useClients((state) => state.clients);
  const clientNames = new Map(clients.map((client) => [client.clientId, client.name]));
  return (
    <div className="table-scroll">
      <table className="table activity-table">
        <caption className="visually-hidden">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">Tool</th>
            <th scope="col">Decision</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {foldRepeats(events).map(({ event, events: run }) => {
            // The client by name on every line that concerns one: the entry's own name, else the name
            // of the registered client with that id (refusals often carry only the id).
            const client =
              event.clientName ??
              (event.clientId ? (clientNames.get(event.clientId) ?? event.clientId) : '—');
            const tool = event.tool
              ? event.connector
                ? `${event.connector}/${event.tool}`
                : event.tool
              : (event.connector ?? '—');
            return (
              <Fragment key={event.id}>
                <tr className={event.decision === 'deny' ? 'denied' : undefined}>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={openId === event.id}
                      onClick={() => setOpenId(openId === event.id ? null : event.id)}
                    >
                      {/* The name starts with what one sees (WCAG 2.5.3, label in name). */}
                      <time dateTime={new Date(event.at).toISOString()} title={dateTime(event.at)}>
                        {shortDateTime(event.at, now)}
                      </time>
                      <span className="visually-hidden">, details</span>
                    </button>
                  </td>
                  <td className="nowrap" title={event.type}>
                    {eventLabel(event.type)}
                  </td>
                  <td className="ellipsis" title={client}>
                    {client}
                  </td>
                  <td className="tool-cell" title={tool}>
                    {event.tool && event.connector ? (
                      // Breaks after the connector, never inside a name's middle, where the column is narrow.
                      <code>
                        {event.connector}/<wbr />
                        {event.tool}
                      </code>
                    ) : event.tool ? (
                      <code>{tool}</code>
                    ) : (
                      tool
                    )}
                  </td>
                  <td>
                    <DecisionBadge decision={event.decision} />
                  </td>
                  <td className="reason">
                    {event.reason}
                    {run.length > 1 ? (
                      <>
                        {' '}
                        <span
                          className="repeat-count"
                          title="The same refusal, folded into one row; open it to see each time"
                        >
                          ×{run.length}
                        </span>
                        <span className="visually-hidden">
                          {' '}
                          times, the first at {dateTime(run.at(-1)!.at)}
                        </span>
                      </>
                    ) : null}
                    <EventMeta event={event} />
                  </td>
                </tr>
                {openId === event.id ? (
                  <tr className="detail-row">
                    <td colSpan={6}>
                      {run.length > 1 ? (
                        <p className="muted">
                          {run.length} times:{' '}
                          {run
                            .map((repeat) => shortDateTime(repeat.at, now))
                            .reverse()
                            .join(', ')}
                          . A client without a token is asked to sign in; a few such requests start every
                          normal sign-in.
                        </p>
                      ) : null}
                      <pre className="code-block">{JSON.stringify(event.detail, null, 2)}</pre>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
