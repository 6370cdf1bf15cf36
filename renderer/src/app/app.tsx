// The window: navigation on the left, the status strip and the current page on the right, the
// consent dialog over everything when a client asks (else a waiting tool call or registration),
// toasts in the corner; the tab title and notifications when the page is in the background.
import { useEffect, useRef } from 'react';
import { Toasts } from '../components/toasts.js';
import { ActivityView } from '../views/activity/activity-view.js';
import { ApprovalQueue } from '../views/approvals/approval-queue.js';
import { ClientSetupView } from '../views/client-setup/client-setup-view.js';
import { ClientsView } from '../views/clients/clients-view.js';
import { ConnectorsView } from '../views/connectors/connectors-view.js';
import { ConsentDialogHost } from '../views/consents/consent-dialog-host.js';
import { ConsentsView } from '../views/consents/consents-view.js';
import { OverviewView } from '../views/overview/overview-view.js';
import { StatusHeader } from '../views/overview/status-header.js';
import { RegistrationsView } from '../views/registrations/registrations-view.js';
import { SettingsView } from '../views/settings/settings-view.js';
import { ToolsView } from '../views/tools/tools-view.js';
import { NavigationBar, VIEW_LABEL } from './navigation-bar.js';
import { useRoute, type Route } from './route.js';
import { useAttention } from './attention.js';
import { useHeldNotice } from './held-notice.js';
import { WaitingRequestDialog } from './waiting-request-dialog.js';

function CurrentView({ route }: { route: Route }) {
  switch (route.view) {
    case 'overview':
      return <OverviewView />;
    case 'client-setup':
      return <ClientSetupView />;
    case 'clients':
      return <ClientsView />;
    case 'consents':
      return <ConsentsView param={route.param} />;
    case 'approvals':
      return <ApprovalQueue param={route.param} />;
    case 'registrations':
      return <RegistrationsView />;
    case 'connectors':
      return <ConnectorsView key={route.param ?? ''} param={route.param} />;
    case 'tools':
      return <ToolsView param={route.param} />;
    case 'activity':
      return <ActivityView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useAttention(`${VIEW_LABEL[route.view]} — Gatehouse`);
  useHeldNotice(route.view);
  useEffect(() => {
    // Moving to another page moves focus to it, so keyboard and screen-reader users land there.
    // (Unless the page already put it somewhere inside, e.g. on the approval it opened with.)
    if (firstRender.current) firstRender.current = false;
    else if (!main.current?.contains(document.activeElement)) {
      // Without preventScroll the browser scrolls the focused <main> into view, hiding the status strip.
      main.current?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }, [route.view]);
  return (
    <ConsentDialogHost whenNoConsent={<WaitingRequestDialog view={route.view} />}>
      <div className="app">
        <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
          Skip to content
        </button>
        <NavigationBar current={route.view} />
        <div className="app-body">
          <StatusHeader />
          <main ref={main} tabIndex={-1} className="app-main">
            <CurrentView route={route} />
          </main>
        </div>
        <Toasts />
      </div>
    </ConsentDialogHost>
  );
}
