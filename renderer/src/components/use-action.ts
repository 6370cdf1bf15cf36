// Runs a user's action against the engine: the button is busy meanwhile, and a failure becomes a
// toast with the engine's sentence rather than an unhandled rejection.
import { useCallback, useState } from 'react';
import { useStores } from '../app/stores-context.js';
import { errorMessage } from '../stores/load-state.js';

export function useAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
): [run: (...args: A) => Promise<boolean>, busy: boolean] {
  const { toasts } = useStores();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      try {
        await action(...args);
        return true;
      } catch (error) {
        toasts.getState().show(errorMessage(error), 'error');
        return false;
      } finally {
        setBusy(false);
      }
    },
    [action, toasts],
  );
  return [run, busy];
}
