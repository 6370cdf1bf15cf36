// Secrets an earlier Gatehouse sealed in a format the vault still reads but wants gone — the first
// desktop builds sealed each one with the OS keychain's cipher, unauthenticated on macOS and Linux —
// are sealed the current way when the engine starts, in one pass before anything else reads them, so
// the old format is read once and its risk (a wrong key's garbage taken for a value) ends there. See
// docs/decisions.md ("The vault: one keychain-sealed key in the app, a key file headless").
import type { Logger, SecretVault } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { describeSecretKey, OAUTH_CREDENTIALS_KEY } from './connector-store.js';
import { transaction, type Database } from './database.js';

/**
 * What an opened value must look like besides text: a JSON document; or the base64 of another sealed
 * value holding one (an OAuth connector's credentials, sealed twice: connector-oauth.ts).
 */
type Shape = 'text' | 'json' | 'sealed-json';

/** One stored sealed value: what the user calls it, what to do if it is lost, and how to replace it. */
interface SealedValue {
  secret: string;
  remedy: string;
  sealed: Buffer;
  shape: Shape;
  /** Writes the new value where `sealed` still is (a row changed meanwhile is left alone). */
  replace(resealed: Buffer): void;
}

/** What the pass did: how many secrets it sealed again, and the ones it could not open (left as they were). */
export interface OutdatedSecretsReport {
  resealed: number;
  unreadable: Array<{ secret: string; error: string }>;
}

/**
 * Every place a value the vault sealed can rest in a format older than the current one: connectors'
 * secrets (an OAuth document inside its row too) and the authorization server's keys. Client secrets
 * (the `oidc` table) were first sealed after the keychain format changed, so they never hold one.
 */
function sealedValues(db: Database): SealedValue[] {
  const connectorRows = db
    .prepare('SELECT connector, key, value FROM connector_secrets ORDER BY connector, key')
    .all() as Array<{ connector: string; key: string; value: Uint8Array }>;
  const updateConnector = db.prepare(
    'UPDATE connector_secrets SET value = ? WHERE connector = ? AND key = ? AND value = ?',
  );
  const values: SealedValue[] = connectorRows.map((row) => ({
    secret: `${describeSecretKey(row.key)} of connector ${row.connector}`,
    remedy:
      row.key === OAUTH_CREDENTIALS_KEY
        ? `Connect ${row.connector} again.`
        : `Edit connector ${row.connector} and enter it again.`,
    sealed: Buffer.from(row.value),
    shape: row.key === OAUTH_CREDENTIALS_KEY ? 'sealed-json' : 'text',
    replace: (resealed) => updateConnector.run(resealed, row.connector, row.key, row.value),
  }));
  const keys = db.prepare("SELECT value FROM meta WHERE key = 'authorization-server-secrets'").get() as
    { value: Uint8Array } | undefined;
  if (keys) {
    const updateMeta = db.prepare(
      "UPDATE meta SET value = ? WHERE key = 'authorization-server-secrets' AND value = ?",
    );
    values.push({
      secret: "Gatehouse's own keys (its authorization server's signing and cookie keys)",
      remedy: 'Open Gatehouse with the keychain they were sealed with.',
      sealed: Buffer.from(keys.value),
      shape: 'json',
      replace: (resealed) => updateMeta.run(resealed, keys.value),
    });
  }
  return values;
}

/** The sentence for a value that opened to something it was never sealed as. */
const NOT_WHAT_WAS_SEALED =
  'It opened with the OS keychain to something other than what Gatehouse sealed: it was sealed under another keychain key (the keychain entry was replaced, or the data folder comes from another machine), or it is damaged.';

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isBase64(text: string): boolean {
  return text.length > 0 && Buffer.from(text, 'base64').toString('base64') === text;
}

/** Refuses an opened value whose shape is not the one it was sealed in. */
function requireShape(fits: boolean): void {
  if (!fits) throw new GatehouseError('internal', NOT_WHAT_WAS_SEALED);
}

/** The value sealed the current way, or undefined when it already is. Throws when it cannot be opened. */
async function resealed(
  value: SealedValue,
  vault: Pick<SecretVault, 'encrypt'>,
  unseal: (sealed: Buffer) => Promise<string | undefined>,
): Promise<Buffer | undefined> {
  const plaintext = await unseal(value.sealed);
  if (plaintext === undefined) return undefined;
  if (value.shape === 'text') return vault.encrypt(plaintext);
  if (value.shape === 'json') {
    requireShape(isJson(plaintext));
    return vault.encrypt(plaintext);
  }
  // The OAuth document was sealed, then its base64 sealed again, by the same vault in the same save:
  // an outdated outer layer is the only sign of an outdated inner one.
  requireShape(isBase64(plaintext));
  const inner = Buffer.from(plaintext, 'base64');
  const document = await unseal(inner);
  if (document !== undefined) requireShape(isJson(document));
  const innerNow = document === undefined ? inner : vault.encrypt(document);
  return vault.encrypt(innerNow.toString('base64'));
}

/**
 * Runs `writes` in one transaction, with the replaced bytes zeroed in the file and the WAL that held
 * them truncated after the commit (as oidc-store.ts does for plain client secrets). Throws the error
 * of a transaction that did not commit: then nothing changed.
 */
function commitWithoutTrace(db: Database, writes: ReadonlyArray<() => void>): void {
  const { secure_delete: before } = db.prepare('PRAGMA secure_delete').get() as { secure_delete: number };
  db.exec('PRAGMA secure_delete = ON');
  try {
    transaction(db, () => {
      for (const write of writes) write();
    });
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.exec(`PRAGMA secure_delete = ${before}`);
  }
}

/**
 * Seals every secret the vault calls outdated the current way, all in one transaction: it commits
 * (fsynced) or leaves every old value as it was, still readable, for the next start to try again. The
 * old values' bytes do not stay behind in the file (`secure_delete`, the WAL truncated): on Linux the
 * first builds sealed with Chromium's public key when no keyring answered. A secret that cannot be
 * opened is left as it was and logged with what to do; reading it later says so again.
 */
export async function resealOutdatedSecrets(
  db: Database,
  vault: SecretVault,
  logger: Logger,
): Promise<OutdatedSecretsReport> {
  const report: OutdatedSecretsReport = { resealed: 0, unreadable: [] };
  if (!vault.unsealOutdated) return report;
  const unseal = vault.unsealOutdated.bind(vault);
  const writes: Array<() => void> = [];
  for (const value of sealedValues(db)) {
    try {
      const next = await resealed(value, vault, unseal);
      if (next) writes.push(() => value.replace(next));
    } catch (error) {
      const message = (error as Error).message;
      report.unreadable.push({ secret: value.secret, error: message });
      logger.warn(
        `a secret an earlier Gatehouse sealed could not be opened and is left as it was: ${value.secret}. ${value.remedy}`,
        { error: message },
      );
    }
  }
  if (writes.length === 0) return report;
  try {
    commitWithoutTrace(db, writes);
  } catch (error) {
    logger.warn(
      'the secrets an earlier Gatehouse sealed one by one could not be sealed again; they stay as they were, readable, and Gatehouse tries again at its next start',
      { error: (error as Error).message },
    );
    return report;
  }
  report.resealed = writes.length;
  logger.info('sealed the secrets an earlier Gatehouse sealed one by one the current way', {
    resealed: report.resealed,
  });
  return report;
}
