// A client's three facts as badges that say them in words: found on this computer, pointed at this
// Gatehouse, and registered with it (it has connected at least once).
import type { SetupClientView } from '../../../../main/core/api/client-setup-contract.js';
import { Badge } from '../../components/badge.js';

export function SetupBadges({ client }: { client: SetupClientView }) {
  return (
    <div className="badges">
      {client.installed ? <Badge tone="ok">Detected</Badge> : <Badge>Not detected</Badge>}
      {client.configured ? <Badge tone="ok">Configured</Badge> : <Badge>Not configured</Badge>}
      {client.connected ? (
        <Badge tone="ok">Connected</Badge>
      ) : client.configured ? (
        <Badge tone="info">Not connected yet</Badge>
      ) : (
        <Badge>Not connected</Badge>
      )}
    </div>
  );
}
