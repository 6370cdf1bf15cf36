// How far a store's first fetch got, so views can tell "loading" from "empty" from "failed".
import { ApiError } from '../api/gatehouse-api.js';

export type LoadState = 'loading' | 'ready' | 'error';

/** A sentence for the user from whatever an API call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
