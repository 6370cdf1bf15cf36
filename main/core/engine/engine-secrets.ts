// The engine's own secrets, made on first start and kept: the authorization server's signing key,
// cookie keys and introspection client (sealed by the vault in the database), and the local API's
// shared secret (a 0600 file the CLI reads).
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'oidc-provider';
import type { AuthorizationServerSecrets } from '../auth/authorization-server.js';
import { randomUuid, type Effects } from '../effects.js';
import { API_SECRET_FILE } from './engine-record.js';
import { readMeta, writeMeta, type Database } from '../store/database.js';

/** The authorization server's secrets: unsealed from the database, or made (ES256 key) and stored. */
export function loadSecrets(
  db: Database,
  effects: Pick<Effects, 'vault' | 'random'>,
): AuthorizationServerSecrets {
  const stored = readMeta(db, 'authorization-server-secrets');
  if (stored) return JSON.parse(effects.vault.decrypt(Buffer.from(stored))) as AuthorizationServerSecrets;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = {
    ...(privateKey.export({ format: 'jwk' }) as JWK),
    kid: randomUuid(effects.random),
    alg: 'ES256',
    use: 'sig',
  };
  const secrets: AuthorizationServerSecrets = {
    cookieKeys: [effects.random.bytes(32).toString('base64url')],
    signingKey,
    introspector: {
      clientId: 'gatehouse-introspection',
      clientSecret: effects.random.bytes(32).toString('base64url'),
    },
  };
  writeMeta(db, 'authorization-server-secrets', effects.vault.encrypt(JSON.stringify(secrets)));
  return secrets;
}

/** The local API's secret from the data directory (its mode made 0600 again), or a new one written. */
export function loadApiSecret(dataDir: string, effects: Pick<Effects, 'random'>): string {
  const path = join(dataDir, API_SECRET_FILE);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return readFileSync(path, 'utf8').trim();
  }
  const secret = effects.random.bytes(32).toString('base64url');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}
