// The audit log as the Activity page shows it: the newest events matching the filters, kept live by
// audit.appended events. With the tail paused, new events wait in `held` until it resumes.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEventView, OperationInput } from '@core/api/contract.js';
import type { GatehouseApi } from '../api/gatehouse-api.js';
import { errorMessage, type LoadState } from './load-state.js';
import { singleFlight } from './single-flight.js';

export type Decision = AuditEventView['decision'];

/** Preset time ranges, or a custom one from `since` to `until`. */
const TIME_RANGES = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type TimeRange = keyof typeof TIME_RANGES | 'all' | 'custom';

export interface ActivityFilter {
  clientId?: string;
  connector?: string;
  tool?: string;
  decision?: Decision;
  range: TimeRange;
  /** Only for the custom range (epoch ms). */
  since?: number;
  until?: number;
}

export const PAGE_SIZE = 200;
const MAX_LIMIT = 10_000;

export interface ActivityState {
  events: AuditEventView[];
  filter: ActivityFilter;
  limit: number;
  loadState: LoadState;
  loadError: string | null;
  tail: 'live' | 'paused';
  /** Matching events that arrived while the tail was paused, newest first. */
  held: AuditEventView[];
  refresh(): Promise<void>;
  setFilter(filter: ActivityFilter): Promise<void>;
  showMore(): Promise<void>;
  append(event: AuditEventView): void;
  pauseTail(): void;
  resumeTail(): void;
}

export type ActivityStore = StoreApi<ActivityState>;

/** The audit.list input for a filter, as of `now`. */
function activityQuery(filter: ActivityFilter, limit: number, now: number): OperationInput<'audit.list'> {
  const query: OperationInput<'audit.list'> = { limit };
  if (filter.clientId) query.clientId = filter.clientId;
  if (filter.connector) query.connector = filter.connector;
  if (filter.tool) query.tool = filter.tool;
  if (filter.decision) query.decision = filter.decision;
  if (filter.range === 'custom') {
    if (filter.since !== undefined) query.since = filter.since;
    if (filter.until !== undefined) query.until = filter.until;
  } else if (filter.range !== 'all') {
    query.since = now - TIME_RANGES[filter.range];
  }
  return query;
}

/** Whether a new event belongs in the list: the engine's own test (exact fields, `until` exclusive). */
function matches(event: AuditEventView, filter: ActivityFilter): boolean {
  if (filter.clientId && event.clientId !== filter.clientId) return false;
  if (filter.connector && event.connector !== filter.connector) return false;
  if (filter.tool && event.tool !== filter.tool) return false;
  if (filter.decision && event.decision !== filter.decision) return false;
  if (filter.range === 'custom') {
    if (filter.since !== undefined && event.at < filter.since) return false;
    if (filter.until !== undefined && event.at >= filter.until) return false;
  }
  return true;
}

export function createActivityStore(api: GatehouseApi, now: () => number = Date.now): ActivityStore {
  return createStore<ActivityState>()((set, get) => {
    const refresh = singleFlight(async () => {
      const { filter, limit } = get();
      try {
        const events = await api.call('audit.list', activityQuery(filter, limit, now()));
        // A filter changed while this fetch ran: its own fetch follows and wins.
        if (get().filter !== filter) return;
        set({ events, held: [], loadState: 'ready', loadError: null });
      } catch (error) {
        set({ loadState: 'error', loadError: errorMessage(error) });
      }
    });
    return {
      events: [],
      filter: { range: '24h' },
      limit: PAGE_SIZE,
      loadState: 'loading',
      loadError: null,
      tail: 'live',
      held: [],
      refresh,
      async setFilter(filter) {
        set({ filter, limit: PAGE_SIZE, loadState: 'loading' });
        await refresh();
      },
      async showMore() {
        set({ limit: Math.min(MAX_LIMIT, get().limit + PAGE_SIZE) });
        await refresh();
      },
      append(event) {
        const { events, held, filter, tail, limit } = get();
        if (!matches(event, filter)) return;
        if (events.some((seen) => seen.id === event.id) || held.some((seen) => seen.id === event.id)) return;
        if (tail === 'paused') set({ held: [event, ...held] });
        else set({ events: [event, ...events].slice(0, limit) });
      },
      pauseTail() {
        set({ tail: 'paused' });
      },
      resumeTail() {
        const { events, held, limit } = get();
        set({ tail: 'live', held: [], events: [...held, ...events].slice(0, limit) });
      },
    };
  });
}
