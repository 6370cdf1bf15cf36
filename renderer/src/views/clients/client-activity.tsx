// A client's recent activity (its audit events), fetched when its details open and kept live.
import { useEffect, useState } from 'react';
import { useClients, useStores } from '../../app/stores-context.js';
import { dateTime } from '@core/text.js';
import { errorMessage } from '../../stores/load-state.js';
import { DecisionBadge } from '../activity/decision-badge.js';
import { eventLabel } from '../activity/event-label.js';

export function ClientActivity({ clientId }: { clientId: string }) {
  const { clients } = useStores();
  const events = useClients((state) => state.activity[clientId]);
  // A failure counts for the client it was loading: another client's details never show it.
  const [failed, setFailed] = useState<{ clientId: string; message: string } | null>(null);
  const error = failed?.clientId === clientId ? failed.message : null;
  useEffect(() => {
    clients
      .getState()
      .loadActivity(clientId)
      .catch((failure: unknown) => setFailed({ clientId, message: errorMessage(failure) }));
  }, [clients, clientId]);
  if (error) {
    return (
      <p className="field-error" role="alert">
        Could not load this client&apos;s activity: {error}
      </p>
    );
  }
  if (!events) return <p className="muted">Loading activity…</p>;
  if (events.length === 0)
    return <p className="muted">No activity yet. Its tool calls and sign-ins will show here.</p>;
  // The list scrolls past a few hundred pixels: focusable, so a keyboard can scroll it too (WCAG 2.1.1).
  return (
    <ul className="event-list" tabIndex={0} aria-label="Recent activity">
      {events.map((event) => (
        <li key={event.id}>
          <span className="event-time">{dateTime(event.at)}</span>
          <DecisionBadge decision={event.decision} />
          <span className="event-type" title={event.type}>
            {eventLabel(event.type)}
          </span>
          {event.tool ? (
            <code>{event.connector ? `${event.connector}/${event.tool}` : event.tool}</code>
          ) : null}
          <span className="event-reason">{event.reason}</span>
        </li>
      ))}
    </ul>
  );
}
