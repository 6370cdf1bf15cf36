// Activity: the audit log with filters, a live tail that can be paused, and export of what is loaded.
import { useEffect } from 'react';
import { useActivity, useStores } from '../../app/stores-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { PAGE_SIZE } from '../../stores/activity-store.js';
import { activityCsv, activityJsonLines, downloadText } from './activity-export.js';
import { ActivityFilters } from './activity-filters.js';
import { ActivityTable } from './activity-table.js';
import { count } from '@core/text.js';

const MAX_EVENTS = 10_000;

export function ActivityView() {
  const { activity } = useStores();
  const events = useActivity((state) => state.events);
  const filter = useActivity((state) => state.filter);
  const limit = useActivity((state) => state.limit);
  const tail = useActivity((state) => state.tail);
  const held = useActivity((state) => state.held);
  const loadState = useActivity((state) => state.loadState);
  const loadError = useActivity((state) => state.loadError);
  useEffect(() => {
    void activity.getState().refresh();
  }, [activity]);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const filtered = Object.keys(filter).length > 1 || filter.range !== 'all';
  return (
    <div className="page">
      <div className="page-header">
        <h1>Activity</h1>
        <div className="toolbar">
          {tail === 'live' ? (
            <button type="button" className="button small" onClick={() => activity.getState().pauseTail()}>
              Pause live updates
            </button>
          ) : (
            <button
              type="button"
              className="button primary small"
              onClick={() => activity.getState().resumeTail()}
            >
              Resume{held.length > 0 ? ` (${held.length} new)` : ''}
            </button>
          )}
          <button
            type="button"
            className="button small"
            disabled={events.length === 0}
            onClick={() =>
              downloadText(
                `gatehouse-activity-${stamp}.jsonl`,
                activityJsonLines(events),
                'application/x-ndjson',
              )
            }
          >
            Export JSONL
          </button>
          <button
            type="button"
            className="button small"
            disabled={events.length === 0}
            onClick={() => downloadText(`gatehouse-activity-${stamp}.csv`, activityCsv(events), 'text/csv')}
          >
            Export CSV
          </button>
        </div>
      </div>
      <ActivityFilters filter={filter} onChange={(next) => void activity.getState().setFilter(next)} />
      <p className="muted small-print" role="status">
        {tail === 'live'
          ? 'Live: new events appear as they happen.'
          : `Paused: ${count(held.length, 'new event')} waiting.`}{' '}
        Exports hold the {count(events.length, 'event')} shown; for the whole log use{' '}
        <code>gatehouse activity --export FILE.csv</code>.
      </p>
      <LoadGate state={loadState} error={loadError} onRetry={() => void activity.getState().refresh()}>
        {events.length === 0 ? (
          <EmptyState title={filtered ? 'No activity matches these filters' : 'No activity yet'}>
            <p>
              {filtered
                ? 'Widen the time range or clear a filter. New matching events appear here live.'
                : 'Every sign-in, consent, tool call and refusal is recorded here, with the reason for each decision.'}
            </p>
          </EmptyState>
        ) : (
          <>
            <ActivityTable events={events} />
            {events.length >= limit && limit < MAX_EVENTS ? (
              <button type="button" className="button" onClick={() => void activity.getState().showMore()}>
                Show {PAGE_SIZE} more
              </button>
            ) : null}
          </>
        )}
      </LoadGate>
    </div>
  );
}
