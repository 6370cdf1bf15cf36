// The values the logs, the audit and every tool call must never show although nothing else marks them
// as secret: the credentials among what the user stored in connectors' settings (bearer tokens, OAuth
// client secrets, credential variables and headers, secret URLs — secrets/connector-credentials.ts) and
// the OAuth tokens Gatehouse holds for them.
import type { SecretVault } from '../effects.js';
import type { ConnectorStore } from '../store/connector-store.js';
import { OAUTH_CREDENTIALS_KEY } from '../store/connector-store.js';
import { connectorCredentials } from '../secrets/connector-credentials.js';
import { SealedValues } from '../secrets/sealed-values.js';

/** The tokens and secrets in a connector's sealed OAuth credentials (a vault-sealed JSON document). */
function oauthCredentials(sealed: string | undefined, vault: Pick<SecretVault, 'decrypt'>): string[] {
  if (sealed === undefined) return [];
  const stored = JSON.parse(vault.decrypt(Buffer.from(sealed, 'base64'))) as {
    tokens?: { accessToken?: unknown; refreshToken?: unknown };
    registration?: { clientSecret?: unknown };
  };
  return [stored.tokens?.accessToken, stored.tokens?.refreshToken, stored.registration?.clientSecret].filter(
    (value): value is string => typeof value === 'string',
  );
}

/**
 * The connectors' credentials as one SealedValues, unsealed again only when a connector or one of its
 * secrets changes (the store's `version` says so: an edit, a refreshed OAuth token), not on every use.
 */
export function connectorSecrets(
  store: Pick<ConnectorStore, 'list' | 'unsealed' | 'secret' | 'version'>,
  vault: Pick<SecretVault, 'decrypt'>,
): () => SealedValues {
  let version = -1;
  let values = new SealedValues([]);
  return () => {
    if (store.version !== version) {
      version = store.version;
      values = new SealedValues(
        store.list().flatMap((record) => {
          const found: string[] = [];
          try {
            found.push(...connectorCredentials(store.unsealed(record.name)));
            found.push(...oauthCredentials(store.secret(record.name, OAUTH_CREDENTIALS_KEY), vault));
          } catch {
            // A secret that cannot be unsealed cannot be shown either.
          }
          return found;
        }),
      );
    }
    return values;
  };
}
