// The toasts in the window's corner; each goes away by itself after a few seconds (errors stay longer).
import { useEffect, useEffectEvent } from 'react';
import { useStores, useToasts } from '../app/stores-context.js';
import type { Toast } from '../stores/toasts-store.js';

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  // The timer calls the latest onDismiss, and is not restarted when the parent passes a new one.
  const dismiss = useEffectEvent(onDismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(), toast.tone === 'error' ? 10_000 : 6_000);
    return () => clearTimeout(timer);
  }, [toast.id, toast.tone]);
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <span>{toast.text}</span>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const { toasts: store } = useStores();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} onDismiss={() => store.getState().dismiss(toast.id)} />
      ))}
    </div>
  );
}
