// The left navigation: every page, with a count where something waits for the user.
import { routeHref, type View } from './route.js';
import { useConnectors, useSettings } from './stores-context.js';

export const VIEW_LABEL: Record<View, string> = {
  overview: 'Overview',
  'client-setup': 'Connect a client',
  clients: 'Clients',
  consents: 'Consent requests',
  approvals: 'Approvals',
  registrations: 'Registrations',
  connectors: 'Connectors',
  tools: 'Tools',
  activity: 'Activity',
  settings: 'Settings',
};

function usePendingCounts(): Partial<Record<View, number>> {
  const status = useSettings((state) => state.status);
  const connectors = useConnectors((state) => state.connectors);
  const held = connectors.reduce((sum, connector) => sum + connector.heldTools, 0);
  return {
    consents: status?.pendingConsents ?? 0,
    approvals: status?.pendingApprovals ?? 0,
    registrations: status?.pendingRegistrations ?? 0,
    connectors: status?.connectorsNeedingAction ?? 0,
    tools: held,
  };
}

export function NavigationBar({ current }: { current: View }) {
  const counts = usePendingCounts();
  return (
    <nav className="sidebar" aria-label="Gatehouse">
      <div className="brand">Gatehouse</div>
      <ul>
        {(Object.keys(VIEW_LABEL) as View[]).map((view) => {
          const waiting = counts[view] ?? 0;
          return (
            <li key={view}>
              <a
                href={routeHref(view)}
                className={view === current ? 'nav-link active' : 'nav-link'}
                aria-current={view === current ? 'page' : undefined}
              >
                <span>{VIEW_LABEL[view]}</span>
                {waiting > 0 ? (
                  <span className="nav-count" aria-label={`${waiting} waiting`}>
                    {waiting}
                  </span>
                ) : null}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
