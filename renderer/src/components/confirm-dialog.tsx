// "Are you sure?" for actions that cannot be undone (Forget a client, Delete a connector).
import { useId, useState } from 'react';
import { errorMessage } from '../stores/load-state.js';
import { Modal } from './modal.js';

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  /** Resolves when done; a rejection shows its message in the dialog. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const titleId = useId();
  const messageId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} describedBy={messageId} onClose={busy ? undefined : onCancel} role="alertdialog">
      <h2 id={titleId}>{title}</h2>
      <p id={messageId}>{message}</p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
