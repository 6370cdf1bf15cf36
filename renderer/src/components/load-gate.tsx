// Shows a store's first load: "Loading…", or what failed with a Retry, before the page's content.
import type { ReactNode } from 'react';
import type { LoadState } from '../stores/load-state.js';

export function LoadGate({
  state,
  error,
  onRetry,
  children,
}: {
  state: LoadState;
  error: string | null;
  onRetry: () => void;
  children: ReactNode;
}) {
  if (state === 'loading') {
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  }
  if (state === 'error') {
    return (
      <div className="notice notice-error" role="alert">
        <p>Could not load this page: {error}</p>
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return <>{children}</>;
}
