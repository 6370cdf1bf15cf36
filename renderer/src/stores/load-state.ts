// How far a store's fetch got, so views can tell "loading" from "empty" from "failed" — and the one
// fetch-and-refetch every list store shares (`refresher`).
import { ApiError } from '../api/gatehouse-api.js';
import { singleFlight } from './single-flight.js';

export type LoadState = 'loading' | 'ready' | 'error';

/** What a store that loads from the engine says about its last fetch. */
export interface Loadable {
  loadState: LoadState;
  loadError: string | null;
}

/** A sentence for the user from whatever an API call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A store's `refresh`: fetches (at most one at a time, one more queued: `singleFlight`) and puts the
 * result in the store, ready. When a refetch fails after a good one, the last good data stays on
 * screen with the reason beside it; when the first fetch fails, the store is in error.
 */
export function refresher<S extends Loadable>(
  get: () => S,
  set: (partial: Partial<S>) => void,
  fetch: () => Promise<Partial<S>>,
): () => Promise<void> {
  return singleFlight(async () => {
    try {
      const loaded = await fetch();
      set({ ...loaded, loadState: 'ready', loadError: null });
    } catch (error) {
      set({
        loadState: get().loadState === 'ready' ? 'ready' : 'error',
        loadError: errorMessage(error),
      } as Partial<S>);
    }
  });
}
