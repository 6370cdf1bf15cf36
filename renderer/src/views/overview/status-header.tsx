// The strip above every page: the MCP URL to give clients, the access ceiling, and — when access is
// paused — a banner that says so with Resume.
import { NotificationsOffer } from '../../app/notifications-offer.js';
import { routeHref } from '../../app/route.js';
import { useSettings, useStores } from '../../app/stores-context.js';
import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { useAction } from '../../components/use-action.js';
import { CEILING_LABEL } from '@core/text.js';

function PausedBanner() {
  const { settings } = useStores();
  const [resume, busy] = useAction(() => settings.getState().resume());
  return (
    <div className="banner banner-warn" role="alert">
      <span>
        <strong>All access is paused.</strong> Every client&apos;s MCP request is refused until you resume.
      </span>
      <button type="button" className="button primary" onClick={() => void resume()} disabled={busy}>
        Resume
      </button>
    </div>
  );
}

export function StatusHeader() {
  const status = useSettings((state) => state.status);
  const loadError = useSettings((state) => state.loadError);
  if (!status) {
    return (
      <header className="status-header">
        <span className="muted" role="status">
          {loadError ? `Gatehouse is not answering: ${loadError}` : 'Connecting to Gatehouse…'}
        </span>
      </header>
    );
  }
  return (
    <header className="status-header">
      <div className="status-row">
        <span className="status-label">MCP URL</span>
        <code className="mcp-url">{status.mcpUrl}</code>
        <CopyButton text={status.mcpUrl} label="Copy MCP URL" />
        <span className="status-spacer" />
        <NotificationsOffer />
        <a href={routeHref('settings')} className="status-ceiling">
          Access ceiling{' '}
          <Badge
            tone={status.accessCeiling === 'off' ? 'error' : status.accessCeiling === 'read' ? 'info' : 'ok'}
          >
            {CEILING_LABEL[status.accessCeiling]}
          </Badge>
        </a>
      </div>
      {status.paused ? <PausedBanner /> : null}
    </header>
  );
}
