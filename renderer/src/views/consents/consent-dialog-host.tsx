// Opens the ConsentDialog by itself when a consent arrives (on every page), one request at a time,
// oldest first. "Later" hides a request until the user opens it from Consent requests.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useConsents } from '../../app/stores-context.js';
import { ConsentDialog } from './consent-dialog.js';

interface ConsentDialogControl {
  open(id: string): void;
}

const ConsentDialogContext = createContext<ConsentDialogControl>({ open: () => undefined });

export function useConsentDialog(): ConsentDialogControl {
  return useContext(ConsentDialogContext);
}

export function ConsentDialogHost({
  children,
  whenNoConsent = null,
}: {
  children: ReactNode;
  /** What comes forward when no consent is showing (a waiting tool call or registration). */
  whenNoConsent?: ReactNode;
}) {
  const consents = useConsents((state) => state.consents);
  const [deferred, setDeferred] = useState<ReadonlySet<string>>(new Set());
  const [requested, setRequested] = useState<string | null>(null);
  const open = useCallback((id: string) => {
    setRequested(id);
    setDeferred((current) => {
      const next = new Set(current);
      next.delete(id);
      return next;
    });
  }, []);
  const control = useMemo(() => ({ open }), [open]);
  const showing =
    consents.find((consent) => consent.id === requested) ??
    [...consents].sort((a, b) => a.createdAt - b.createdAt).find((consent) => !deferred.has(consent.id));
  return (
    <ConsentDialogContext.Provider value={control}>
      {children}
      {showing ? (
        <ConsentDialog
          key={showing.id}
          consent={showing}
          onLater={() => {
            setRequested(null);
            setDeferred((current) => new Set(current).add(showing.id));
          }}
        />
      ) : (
        whenNoConsent
      )}
    </ConsentDialogContext.Provider>
  );
}
