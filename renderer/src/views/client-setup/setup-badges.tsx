// A client's three facts as badges that say them in words: found on this computer, pointed at this
// Gatehouse, and connected through that entry now (a client that came through it holds a grant and
// is talking to Gatehouse) — or authorized through it, but not connected right now.
import { connectedAt, type SetupClientView } from '@core/api/client-setup-contract.js';
import { CONNECTED_WITHOUT_ENTRY } from '@core/text.js';
import { Badge } from '../../components/badge.js';
import { useNow } from '../../components/use-now.js';

export function SetupBadges({ client }: { client: SetupClientView }) {
  // A client connected only by a recent request stops being so at its `liveUntil`, with no event.
  const now = useNow(30_000);
  const connected = client.registeredClients.some((known) => connectedAt(known, now));
  return (
    <div className="badges">
      {client.installed ? (
        <Badge tone="ok">Detected</Badge>
      ) : client.configured || connected ? null : (
        // Not found where it usually lives; but one that is set up or talking to Gatehouse is evidently
        // here, and "Not detected" beside "Connected" would contradict it.
        <Badge>Not detected</Badge>
      )}
      {client.configured ? (
        <Badge tone="ok">Configured</Badge>
      ) : connected ? (
        // Only an entry Gatehouse wrote can have been removed; any other is one it did not write.
        <Badge tone="info">
          {client.entryRemoved ? CONNECTED_WITHOUT_ENTRY.removed : CONNECTED_WITHOUT_ENTRY.notWritten}
        </Badge>
      ) : (
        <Badge>Not configured</Badge>
      )}
      {connected ? (
        <Badge tone="ok">Connected</Badge>
      ) : client.registeredClients.length > 0 ? (
        <Badge tone="info">Not connected now</Badge>
      ) : client.configured ? (
        <Badge tone="info">Not connected yet</Badge>
      ) : (
        <Badge>Not connected</Badge>
      )}
    </div>
  );
}
