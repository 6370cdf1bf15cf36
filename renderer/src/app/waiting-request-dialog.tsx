// Brings a waiting tool call, then a waiting registration, forward as a dialog over any page (a
// consent comes first: ConsentDialogHost shows this only when no consent is showing). Oldest first;
// "Later" hides one until it is opened from its own page, where the list already shows it.
import { useState } from 'react';
import { useApprovals, useRegistrations } from './stores-context.js';
import type { View } from './route.js';
import { ApprovalDialog } from '../views/approvals/approval-dialog.js';
import { RegistrationDialog } from '../views/registrations/registration-dialog.js';

function oldest<T extends { id: string; createdAt: number }>(items: T[], later: ReadonlySet<string>) {
  return [...items].sort((a, b) => a.createdAt - b.createdAt).find((item) => !later.has(item.id));
}

export function WaitingRequestDialog({ view }: { view: View }) {
  const approvals = useApprovals((state) => state.approvals);
  const registrations = useRegistrations((state) => state.registrations);
  const [later, setLater] = useState<ReadonlySet<string>>(new Set());
  const putOff = (id: string) => setLater((current) => new Set(current).add(id));
  // On its own page the request is already in front of the user, with the same answers.
  const approval = view === 'approvals' ? undefined : oldest(approvals, later);
  if (approval) {
    return <ApprovalDialog key={approval.id} approval={approval} onLater={() => putOff(approval.id)} />;
  }
  const registration = view === 'registrations' ? undefined : oldest(registrations, later);
  if (registration) {
    return (
      <RegistrationDialog
        key={registration.id}
        registration={registration}
        onLater={() => putOff(registration.id)}
      />
    );
  }
  return null;
}
