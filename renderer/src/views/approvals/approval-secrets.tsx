// What makes a waiting call's arguments secret material, on its card and its dialog: each kind and
// field path ("`body` holds an OpenSSH private key"), never the value, which the arguments below show
// masked.
import type { PendingApprovalView } from '@core/api/contract.js';
import { SECRET_KIND_WORDS } from '@core/text.js';

export function ApprovalSecrets({ approval }: { approval: PendingApprovalView }) {
  if (approval.secrets.length === 0) return null;
  return (
    <div className="notice notice-error" role="note" aria-label="Secret material">
      <p>
        <strong>Its arguments carry secret material.</strong> Gatehouse holds the call until you say so; deny
        it if you did not mean {approval.connector} to receive it.
      </p>
      <ul>
        {approval.secrets.map((finding) => (
          <li key={`${finding.kind} ${finding.path}`}>
            <code>{finding.path}</code> holds {SECRET_KIND_WORDS[finding.kind].name}
          </li>
        ))}
      </ul>
    </div>
  );
}
