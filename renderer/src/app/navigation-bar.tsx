// The left navigation: every page, with a count where something waits for the user. In a narrow
// window (under 1100 px) it folds into a bar with a Menu button, so the page keeps the width.
import { useEffect, useRef, useState } from 'react';
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
  const held = connectors.reduce((sum, connector) => sum + connector.heldTools + connector.heldItems, 0);
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
  const [open, setOpen] = useState(false);
  // Choosing a page folds the menu again (set while rendering the new page, not in an effect after).
  const [openedOn, setOpenedOn] = useState(current);
  if (openedOn !== current) {
    setOpenedOn(current);
    setOpen(false);
  }
  const toggle = useRef<HTMLButtonElement>(null);
  // Escape folds an open menu, anywhere on the page, and puts the focus back on its button.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const waitingTotal = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  return (
    <nav className={open ? 'sidebar open' : 'sidebar'} aria-label="Gatehouse">
      <div className="brand-row">
        <div className="brand">Gatehouse</div>
        <button
          type="button"
          ref={toggle}
          className="button small menu-toggle"
          aria-expanded={open}
          aria-controls="navigation-pages"
          onClick={() => setOpen(!open)}
        >
          {open ? 'Close menu' : 'Menu'}
          {!open && waitingTotal > 0 ? <span className="nav-count">{waitingTotal}</span> : null}
        </button>
      </div>
      <ul id="navigation-pages">
        {(Object.keys(VIEW_LABEL) as View[]).map((view) => {
          const waiting = counts[view] ?? 0;
          return (
            <li key={view}>
              <a
                href={routeHref(view)}
                className={view === current ? 'nav-link active' : 'nav-link'}
                aria-current={view === current ? 'page' : undefined}
                onClick={() => setOpen(false)}
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
