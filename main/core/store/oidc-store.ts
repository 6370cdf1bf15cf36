// oidc-provider's storage port (upsert / find / consume / destroy / revokeByGrantId) on Gatehouse's
// SQLite database. Every model whose id is a bearer secret is stored under the SHA-256 of that id,
// and its payload without the raw `jti`; a confidential client's `client_secret` is sealed by the
// vault. A copy of the database yields no usable token and no client secret.
import { hash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { transaction, type Database, type Statement } from './database.js';
import type { Clock, Logger, Random, SecretVault } from '../effects.js';

/** Where a Client payload at rest keeps its sealed secret (base64 of the vault's ciphertext). */
const SEALED_SECRET = 'client_secret_sealed';

/** Models stored by their own id: neither is a secret, and Gatehouse looks them up by id. */
const plainIdModels = new Set(['Client', 'Grant']);

/** Tokens are stored and indexed only as this digest; the raw value never rests anywhere. */
export function tokenDigest(token: string): string {
  return hash('sha256', token, 'base64url');
}

/** A live access token as the store reports it to the token index. */
interface StoredAccessToken {
  clientId: string;
  grantId: string;
  audience: string;
  scopes: ReadonlySet<string>;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Whose a revoked token was, its grant, when (milliseconds since the epoch) and why it was revoked. */
interface TokenRevocation {
  clientId: string;
  grantId: string;
  at: number;
  cause: string;
}

/**
 * What the store calls as access tokens come and go, so the in-memory index the per-request check
 * reads stays in step with the database. The engine hands it auth's TokenIndex (auth/token-index.ts);
 * the store names only what it calls, so it never imports auth.
 */
interface TokenIndexHooks {
  /** An access token was stored, or found live at start. */
  add(digest: string, token: StoredAccessToken): void;
  /** An access token's row was destroyed. */
  delete(digest: string): void;
  /** A grant's rows were deleted: its access tokens go too. */
  deleteGrant(grantId: string): unknown;
  /** The periodic sweep ran: tokens expired by `nowSeconds` go. */
  sweep(nowSeconds: number): void;
  /** Revoked tokens' digests, remembered so a later refusal can say whose they were and why. */
  readonly revoked: {
    remember(digests: readonly string[], revocation: TokenRevocation): void;
    get(digest: string): TokenRevocation | undefined;
  };
}

interface OidcStoreHooks {
  /** False once Gatehouse has revoked or expired the grant: oidc-provider must not use it again. */
  isGrantActive(grantId: string): boolean;
}

/**
 * What oidc-provider's storage is built on: the database, the vault for client secrets, the token index
 * it keeps filled, and the hooks it calls.
 */
export interface OidcStoreOptions {
  db: Database;
  clock: Clock;
  /** Draws the secret no client knows, for a stored one that cannot be unsealed. */
  random: Random;
  /** Seals client secrets at rest (the same vault as connector secrets). */
  vault: SecretVault;
  logger: Logger;
  tokens: TokenIndexHooks;
  hooks: OidcStoreHooks;
}

interface Row {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

/** The shared SQL for every model; one instance per engine, one adapter view per model. */
export class OidcStore {
  readonly #options: OidcStoreOptions;
  readonly #upsert: Statement;
  readonly #find: Statement;
  readonly #findByUid: Statement;
  readonly #findByUserCode: Statement;
  readonly #consume: Statement;
  readonly #destroy: Statement;
  readonly #revokeByGrant: Statement;
  readonly #sweep: Statement;
  readonly #liveAccessTokens: Statement;
  readonly #grantTokens: Statement;

  constructor(options: OidcStoreOptions) {
    this.#options = options;
    const { db } = options;
    this.#upsert = db.prepare(`
      INSERT INTO oidc (model, id, payload, grant_id, client_id, uid, user_code, expires_at, consumed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        client_id = excluded.client_id, uid = excluded.uid, user_code = excluded.user_code,
        expires_at = excluded.expires_at`);
    this.#find = db.prepare('SELECT payload, expires_at, consumed_at FROM oidc WHERE model = ? AND id = ?');
    this.#findByUid = db.prepare(
      'SELECT payload, expires_at, consumed_at FROM oidc WHERE model = ? AND uid = ?',
    );
    this.#findByUserCode = db.prepare(
      'SELECT payload, expires_at, consumed_at FROM oidc WHERE model = ? AND user_code = ?',
    );
    this.#consume = db.prepare(
      'UPDATE oidc SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL',
    );
    this.#destroy = db.prepare('DELETE FROM oidc WHERE model = ? AND id = ?');
    this.#revokeByGrant = db.prepare('DELETE FROM oidc WHERE grant_id = ?');
    this.#sweep = db.prepare('DELETE FROM oidc WHERE expires_at IS NOT NULL AND expires_at <= ?');
    this.#grantTokens = db.prepare(
      "SELECT id, client_id FROM oidc WHERE grant_id = ? AND model IN ('AccessToken', 'RefreshToken')",
    );
    this.#liveAccessTokens = db.prepare(
      "SELECT id, payload, expires_at FROM oidc WHERE model = 'AccessToken' AND (expires_at IS NULL OR expires_at > ?)",
    );
  }

  /** The adapter oidc-provider instantiates per model name (`configuration.adapter`). */
  adapterFor(model: string): Adapter {
    return new OidcModelAdapter(this, model);
  }

  /** Refills the in-memory token index from disk at start. */
  loadTokenIndex(): void {
    const rows = this.#liveAccessTokens.all(this.#options.clock.now()) as Array<{
      id: string;
      payload: string;
    }>;
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as AdapterPayload;
      this.#indexAccessToken(row.id, payload);
    }
  }

  /** Deletes expired rows; called by the engine's periodic sweep. */
  sweep(): void {
    this.#sweep.run(this.#options.clock.now());
    this.#options.tokens.sweep(Math.floor(this.#options.clock.now() / 1000));
  }

  /**
   * Deletes every token, code and session row of a grant and drops its access tokens from the index,
   * remembering the tokens' digests as revoked, by `cause` ("revoked by you"), so that later
   * refusals can name the client and say why.
   */
  revokeGrant(grantId: string, cause = 'revoked'): void {
    const tokens = this.#grantTokens.all(grantId) as Array<{ id: string; client_id: string | null }>;
    const clientId = tokens.find((token) => token.client_id)?.client_id;
    if (clientId)
      this.#options.tokens.revoked.remember(
        tokens.map((token) => token.id),
        { clientId, grantId, at: this.#options.clock.now(), cause },
      );
    this.#options.tokens.deleteGrant(grantId);
    this.#revokeByGrant.run(grantId);
  }

  /** Why a token (raw, as presented) no longer works, if it was revoked lately. */
  revokedToken(token: string): TokenRevocation | undefined {
    return this.#options.tokens.revoked.get(tokenDigest(token));
  }

  /** Active (unexpired, unconsumed) access and refresh tokens across the given grants. */
  countActiveTokens(grantIds: readonly string[]): number {
    if (grantIds.length === 0) return 0;
    const placeholders = grantIds.map(() => '?').join(',');
    const row = this.#options.db
      .prepare(
        `SELECT count(*) AS n FROM oidc WHERE model IN ('AccessToken', 'RefreshToken') AND grant_id IN (${placeholders})
         AND consumed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      )
      .get(...grantIds, this.#options.clock.now()) as { n: number };
    return row.n;
  }

  /**
   * The key a model's row is stored under: the id itself for models whose id is no secret, else its
   * SHA-256.
   */
  storageId(model: string, id: string): string {
    return plainIdModels.has(model) ? id : tokenDigest(id);
  }

  /**
   * Seals the client secrets an earlier version stored in plain text, then makes sure no copy of
   * them is left in the file: freed space zeroed (`secure_delete`) and the WAL checkpointed and
   * truncated. Returns how many clients were sealed.
   */
  sealStoredClientSecrets(): number {
    const { db } = this.#options;
    const rows = db.prepare("SELECT id, payload FROM oidc WHERE model = 'Client'").all() as Array<{
      id: string;
      payload: string;
    }>;
    const plain = rows.filter(
      (row) => typeof (JSON.parse(row.payload) as AdapterPayload).client_secret === 'string',
    );
    if (plain.length === 0) return 0;
    const { secure_delete: before } = db.prepare('PRAGMA secure_delete').get() as { secure_delete: number };
    db.exec('PRAGMA secure_delete = ON');
    try {
      const update = db.prepare("UPDATE oidc SET payload = ? WHERE model = 'Client' AND id = ?");
      transaction(db, () => {
        for (const row of plain)
          update.run(JSON.stringify(this.#sealClient(JSON.parse(row.payload))), row.id);
      });
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      db.exec(`PRAGMA secure_delete = ${before}`);
    }
    return plain.length;
  }

  upsert(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = this.storageId(model, id);
    const stored: AdapterPayload = model === 'Client' ? this.#sealClient(payload) : { ...payload };
    if (!plainIdModels.has(model)) delete stored.jti;
    const expiresAt = expiresIn ? this.#options.clock.now() + expiresIn * 1000 : null;
    this.#upsert.run(
      model,
      key,
      JSON.stringify(stored),
      payload.grantId ?? null,
      payload.clientId ?? (model === 'Client' ? id : null),
      payload.uid ?? null,
      payload.userCode ?? null,
      expiresAt,
    );
    if (model === 'AccessToken') this.#indexAccessToken(key, payload);
  }

  find(model: string, id: string): AdapterPayload | undefined {
    return this.#hydrate(model, id, this.#find.get(model, this.storageId(model, id)) as Row | undefined);
  }

  findByUid(model: string, uid: string): AdapterPayload | undefined {
    const row = this.#findByUid.get(model, uid) as Row | undefined;
    return this.#hydrate(model, undefined, row);
  }

  findByUserCode(model: string, userCode: string): AdapterPayload | undefined {
    const row = this.#findByUserCode.get(model, userCode) as Row | undefined;
    return this.#hydrate(model, undefined, row);
  }

  consume(model: string, id: string): void {
    this.#consume.run(this.#options.clock.now(), model, this.storageId(model, id));
  }

  destroy(model: string, id: string): void {
    const key = this.storageId(model, id);
    this.#destroy.run(model, key);
    if (model === 'AccessToken') this.#options.tokens.delete(key);
  }

  #hydrate(model: string, rawId: string | undefined, row: Row | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    const now = this.#options.clock.now();
    if (row.expires_at !== null && row.expires_at <= now) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (model === 'Client') this.#unsealClient(payload);
    if (model === 'Grant' && !this.#options.hooks.isGrantActive(payload.jti ?? rawId ?? '')) return undefined;
    if (payload.grantId && model !== 'Grant' && !this.#options.hooks.isGrantActive(payload.grantId))
      return undefined;
    if (rawId !== undefined && !plainIdModels.has(model)) payload.jti = rawId;
    // RFC 9700 §4.14.2: a consumed refresh token presented again is reuse, and oidc-provider revokes
    // the whole grant. (A client refreshing twice at once is answered before this: refresh-replays.ts.)
    if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000);
    return payload;
  }

  #sealClient(payload: AdapterPayload): AdapterPayload {
    const { client_secret: secret, ...rest } = payload;
    if (typeof secret !== 'string') return { ...payload };
    return { ...rest, [SEALED_SECRET]: this.#options.vault.encrypt(secret).toString('base64') };
  }

  #unsealClient(payload: AdapterPayload): void {
    const sealed = payload[SEALED_SECRET];
    if (typeof sealed !== 'string') return;
    delete payload[SEALED_SECRET];
    try {
      payload.client_secret = this.#options.vault.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another vault key (a restored database, another keychain): the client cannot
      // authenticate until it is registered again; nothing that was never its secret may match.
      this.#options.logger.warn(
        'a client secret could not be unsealed; that client must be registered again',
        {
          clientId: payload.client_id,
        },
      );
      payload.client_secret = this.#options.random.bytes(32).toString('base64url');
    }
  }

  #indexAccessToken(digest: string, payload: AdapterPayload): void {
    if (!payload.grantId || !payload.clientId || typeof payload.exp !== 'number') return;
    const audience =
      typeof payload.aud === 'string' ? payload.aud : Array.isArray(payload.aud) ? payload.aud[0] : '';
    this.#options.tokens.add(digest, {
      clientId: payload.clientId,
      grantId: payload.grantId,
      audience: audience ?? '',
      scopes: new Set((payload.scope ?? '').split(' ').filter(Boolean)),
      expiresAt: payload.exp,
    });
  }
}

class OidcModelAdapter implements Adapter {
  readonly #store: OidcStore;
  readonly #model: string;

  constructor(store: OidcStore, model: string) {
    this.#store = store;
    this.#model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.#store.upsert(this.#model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#store.find(this.#model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#store.findByUid(this.#model, uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#store.findByUserCode(this.#model, userCode);
  }

  async consume(id: string): Promise<void> {
    this.#store.consume(this.#model, id);
  }

  async destroy(id: string): Promise<void> {
    this.#store.destroy(this.#model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrant(grantId);
  }
}
