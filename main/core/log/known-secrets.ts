// The values the log must never show although nothing marks them as secret: what the user stored in
// connectors' settings (environment and header values, bearer tokens, OAuth client secrets).
import type { ConnectorStore } from '../store/connector-store.js';
import type { ConnectorSettings } from '../api/connector-config.js';

/** Every stored secret value in one connector's unsealed settings. */
function secretValuesOf(settings: ConnectorSettings): string[] {
  if (settings.kind === 'stdio') return Object.values(settings.env);
  return [
    ...Object.values(settings.headers),
    ...(settings.auth.type === 'bearer' ? [settings.auth.token] : []),
    ...(settings.auth.type === 'oauth' && settings.auth.clientSecret ? [settings.auth.clientSecret] : []),
    // A URL that holds a secret: the whole URL, and its path and query where the secret sits.
    ...(settings.secretUrl
      ? [settings.url, new URL(settings.url).pathname, new URL(settings.url).search]
      : []),
  ].filter((value) => value !== '' && value !== '/');
}

/**
 * The connectors' secret values for the redacting logger, unsealed again only when a connector is
 * added, edited or removed (their `updatedAt` and names say so), not on every log line.
 */
export function connectorSecrets(store: Pick<ConnectorStore, 'list' | 'unsealed'>): () => string[] {
  let key: string | undefined;
  let values: string[] = [];
  return () => {
    const records = store.list();
    const current = records.map((record) => `${record.name}@${record.updatedAt}`).join('\n');
    if (current !== key) {
      values = records.flatMap((record) => {
        try {
          return secretValuesOf(store.unsealed(record.name));
        } catch {
          return []; // a secret that cannot be unsealed cannot be logged either
        }
      });
      key = current;
    }
    return values;
  };
}
