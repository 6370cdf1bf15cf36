// Gatehouse's embedded database: Node's built-in SQLite (node:sqlite), one file in the data
// directory. WAL + synchronous=FULL, so a committed grant or revocation survives kill -9 and power loss.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { chmodSync, existsSync } from 'node:fs';
import { GatehouseError } from '../errors.js';

/** Gatehouse's SQLite connection (node:sqlite). */
export type Database = DatabaseSync;
/** A prepared statement on the database. */
export type Statement = StatementSync;

/** Each entry moves the schema one version forward; never edit a shipped entry, append a new one. */
const migrations: readonly string[] = [
  `
  CREATE TABLE oidc (
    model TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT NOT NULL,
    grant_id TEXT,
    client_id TEXT,
    uid TEXT,
    user_code TEXT,
    expires_at INTEGER,
    consumed_at INTEGER,
    PRIMARY KEY (model, id)
  ) WITHOUT ROWID;
  CREATE INDEX oidc_grant ON oidc (grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_client ON oidc (client_id, model) WHERE client_id IS NOT NULL;
  CREATE INDEX oidc_uid ON oidc (uid) WHERE uid IS NOT NULL;
  CREATE INDEX oidc_user_code ON oidc (user_code) WHERE user_code IS NOT NULL;
  CREATE INDEX oidc_expires ON oidc (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );

  CREATE TABLE grants (
    grant_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    connectors TEXT NOT NULL,
    access TEXT NOT NULL,
    scopes TEXT NOT NULL,
    resource TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
  );
  CREATE INDEX grants_client ON grants (client_id);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    client_id TEXT,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX audit_client ON audit (client_id, at);

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
  );
  `,
  `
  CREATE TABLE connectors (
    name TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE connector_secrets (
    connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (connector, key)
  ) WITHOUT ROWID;

  CREATE TABLE tools (
    connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    approval TEXT NOT NULL,
    class_override TEXT,
    pinned TEXT NOT NULL,
    held TEXT,
    first_seen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (connector, name)
  ) WITHOUT ROWID;

  CREATE TABLE rules (
    position INTEGER PRIMARY KEY,
    rule TEXT NOT NULL
  );

  CREATE TABLE always_allowed (
    client_id TEXT NOT NULL,
    connector TEXT NOT NULL,
    tool TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, connector, tool)
  ) WITHOUT ROWID;

  ALTER TABLE audit ADD COLUMN connector TEXT;
  ALTER TABLE audit ADD COLUMN tool TEXT;
  CREATE INDEX audit_tool ON audit (connector, tool, at);
  `,
  // The user's "Keep blocked" answer to a held change: 1 while that same change stays held.
  `
  ALTER TABLE tools ADD COLUMN held_kept INTEGER NOT NULL DEFAULT 0;
  `,
  // Which app's Gatehouse-written config entry a client came through (the entry's marker header).
  `
  ALTER TABLE clients ADD COLUMN setup_client TEXT;
  `,
  // First-sight scanning: why a tool was held the first time it was seen (JSON findings),
  // and the user's answers about prompts, resources, templates and instructions held the same way.
  `
  ALTER TABLE tools ADD COLUMN first_sight TEXT;
  CREATE TABLE first_sight_answers (
    connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (connector, kind, key)
  ) WITHOUT ROWID;
  `,
  // Which definition of each held prompt, resource, template or instructions the user was last told
  // about, so a restart does not tell it again (store/first-sight-told.ts).
  `
  CREATE TABLE first_sight_told (
    connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    told_at INTEGER NOT NULL,
    PRIMARY KEY (connector, kind, key)
  ) WITHOUT ROWID;
  `,
  // The user marked a connector as handling secrets on purpose (a password manager, a secrets
  // vault): its tool calls and results are not held or masked for the secret material they carry.
  `
  ALTER TABLE connectors ADD COLUMN handles_secrets INTEGER NOT NULL DEFAULT 0;
  `,
  // The user's revokes of clients and the refusals chosen with them (store/revoked-clients.ts): access
  // decisions, kept across restarts like grants.
  `
  CREATE TABLE client_revocations (
    client_id TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    refuse_until INTEGER
  ) WITHOUT ROWID;
  `,
  // The definitions of prompts, resources, templates and instructions first sight judged clean, with
  // the stamp of the first sight that judged them (store/first-sight-clean.ts): a restart answers them
  // without loading first sight.
  `
  CREATE TABLE first_sight_clean (
    connector TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    stamp TEXT NOT NULL,
    judged_at INTEGER NOT NULL,
    PRIMARY KEY (connector, kind, key)
  ) WITHOUT ROWID;
  `,
  // What first sight read in a tool's held change that the definition the user saw did not say (JSON
  // findings; null while unread).
  `
  ALTER TABLE tools ADD COLUMN change_findings TEXT;
  `,
];

/**
 * `full`: every commit is fsynced (grants, revocations, tokens). `normal`: a second connection for
 * the audit log, whose batched appends must not stall the event loop on an fsync per batch — in WAL
 * mode a commit is still safe against a crash of Gatehouse itself, only the OS's own crash could lose
 * the last moments of the log. It does not checkpoint on its own either (a checkpoint fsyncs, and
 * came every ~1,000 pages of audit rows): the audit log checkpoints on its own schedule.
 */
export type Durability = 'full' | 'normal';

/**
 * Opens (or creates) the database at `path` and brings its schema up to date; `durability` says how hard
 * each commit is synced.
 */
export function openDatabase(path: string, durability: Durability = 'full'): Database {
  const isNew = path !== ':memory:' && !existsSync(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (cause) {
    throw new GatehouseError(
      'internal',
      `Gatehouse could not open its database at ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (isNew) chmodSync(path, 0o600);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  if (durability === 'normal') db.exec('PRAGMA wal_autocheckpoint = 0');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // A log that grew long (forgetting a flood's registrations, checkpointed after the run:
  // store/checkpoint-apart.ts) is cut back to 16 MB when it next starts over, not kept at its largest.
  db.exec('PRAGMA journal_size_limit = 16777216');
  migrate(db);
  return db;
}

function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const current = row.user_version;
  if (current > migrations.length) {
    throw new GatehouseError(
      'internal',
      `The database was written by a newer Gatehouse (schema ${current}, this one knows ${migrations.length}). Update Gatehouse.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    transaction(db, () => {
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/**
 * Runs `work` in one transaction: all of it commits, or none of it does. The error that ended it is
 * the one thrown, also when SQLite has already rolled the transaction back itself (a trigger's
 * `RAISE(ROLLBACK)`, a full disk).
 */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Runs `work` in one transaction whose commit is not synced to disk (synchronous = NORMAL for it
 * alone, under WAL): it survives a crash of the process, not a power loss. Only for writes whose loss
 * is harmless — forgetting registrations nobody used, which are forgotten again if they come back —
 * so a sync that a busy disk takes hundreds of milliseconds for does not hold the event loop.
 */
export function unsyncedTransaction<T>(db: Database, work: () => T): T {
  const { synchronous } = db.prepare('PRAGMA synchronous').get() as { synchronous: number };
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return transaction(db, work);
  } finally {
    db.exec(`PRAGMA synchronous = ${synchronous}`);
  }
}

/** A value from the `meta` table (the engine's own keys, such as its sealed secrets), or undefined. */
export function readMeta(db: Database, key: string): Uint8Array | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: Uint8Array } | undefined;
  return row?.value;
}

/** Writes a value into the `meta` table, replacing any before it. */
export function writeMeta(db: Database, key: string, value: Uint8Array): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
