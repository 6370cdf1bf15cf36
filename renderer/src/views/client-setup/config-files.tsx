// The config files a client reads, and what each holds for Gatehouse; a file Gatehouse cannot read
// shows the engine's sentence, which names the file and the line and column where it goes wrong.
import type { SetupClientView } from '@core/api/client-setup-contract.js';
import { Badge } from '../../components/badge.js';

type Location = SetupClientView['locations'][number];

function scopeText(location: Location): string {
  if (location.scope === 'user') return 'For your user';
  if (location.scope === 'local') return `Only you, in ${location.projectDir ?? 'a project'}`;
  return `Project ${location.projectDir ?? ''}`.trim();
}

function FileState({ location }: { location: Location }) {
  if (location.problem) return <Badge tone="error">Unreadable</Badge>;
  if (!location.exists) return <Badge>Does not exist yet</Badge>;
  if (location.gatehouse === 'this') return <Badge tone="ok">Has the Gatehouse entry</Badge>;
  if (location.gatehouse === 'other') {
    return (
      <Badge tone="warn" title="Connect points it at this Gatehouse instead">
        Points at another Gatehouse
      </Badge>
    );
  }
  return <Badge>No Gatehouse entry</Badge>;
}

export function ConfigFiles({ client }: { client: SetupClientView }) {
  if (client.locations.length === 0) return null;
  return (
    <ul className="config-files" aria-label={`${client.name} config files`}>
      {client.locations.map((location) => (
        <li key={`${location.scope}:${location.projectDir ?? ''}:${location.path}`}>
          <div className="config-file-head">
            <span className="config-file-scope">{scopeText(location)}</span>
            <FileState location={location} />
          </div>
          <code className="wrap">{location.path}</code>
          {location.problem ? <p className="notice notice-error">{location.problem}</p> : null}
        </li>
      ))}
    </ul>
  );
}
