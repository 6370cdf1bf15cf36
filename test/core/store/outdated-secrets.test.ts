// Secrets the first desktop builds sealed one by one with safeStorage (format 0x6b, AES-CBC on macOS
// and Linux): a data folder written as those builds wrote it is opened by the current app, every
// secret read once at start and sealed again under the vault key, the old bytes gone from the files;
// a write that fails half-way loses nothing; a wrong keychain gets sentences naming each secret,
// never a value made of garbage.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretVault } from '../../../main/core/effects.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { DATABASE_FILE } from '../../../main/core/engine/engine-record.js';
import { ConnectorStore, OAUTH_CREDENTIALS_KEY } from '../../../main/core/store/connector-store.js';
import { openDatabase } from '../../../main/core/store/database.js';
import { SEALED_BY_KEYCHAIN_KEY, SEALED_BY_OS_KEYCHAIN } from '../../../main/core/store/key-file-vault.js';
import {
  vaultCredentialStore,
  type StoredCredentials,
} from '../../../main/core/store/oauth-credential-store.js';
import { resealOutdatedSecrets } from '../../../main/core/store/outdated-secrets.js';
import { openDesktopVault } from '../../../main/desktop/safe-storage-vault.js';
import {
  fakeSafeStorage,
  firstBuildsVault,
  sealedIntoGarbage,
} from '../../support/electron/fake-safe-storage.js';
import { silentLogger, startEngine, TestClock } from '../../support/engine-fixture.js';

/** What the desktop vault says of a legacy secret the keychain opens to bytes that are not text. */
const NOT_TEXT =
  'A stored secret an earlier Gatehouse sealed with the OS keychain opened to bytes that are not text: it was sealed under another keychain key (the Gatehouse entry in the keychain was replaced, or the data folder comes from another machine) and cannot be recovered here. Enter it again.';
/** What it says of one the keychain cannot decrypt (a padding error, under AES-CBC). */
const NOT_OPENED =
  'A stored secret could not be decrypted with the OS keychain: the keychain is locked or its Gatehouse entry has changed.';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ0123456789';
const HEADER = 'x-api-secret-value-4242';
const ACCESS_TOKEN = 'upstream-access-token-5150';

const CREDENTIALS: StoredCredentials = {
  version: 1,
  tokens: {
    accessToken: ACCESS_TOKEN,
    tokenType: 'Bearer',
    obtainedAt: 1,
    resource: 'https://tickets.example.com/mcp',
    issuer: 'https://auth.tickets.example.com',
    clientId: 'gatehouse',
    serverUrl: 'https://tickets.example.com/mcp',
  },
};

type Keychain = ReturnType<typeof fakeSafeStorage>;

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-legacy-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Both keychains seal as macOS and a Linux keyring do: AES-128-CBC, unauthenticated. */
function keychain(seed: string): Keychain {
  return fakeSafeStorage({ cipher: 'aes-128-cbc', seed });
}

/**
 * A data folder as the first desktop builds left it: an engine whose vault sealed each secret on its
 * own with safeStorage behind 0x6b — the authorization server's keys, a bearer token, a header, an
 * environment variable and an OAuth connector's credentials (sealed twice, as connector-oauth.ts
 * does). Connectors are disabled, so nothing but the stores reads them.
 */
async function firstBuildsFolder(sealer: Keychain, env: string): Promise<string> {
  const dir = dataDir();
  const vault = firstBuildsVault(sealer);
  const fixture = await startEngine({ dataDir: dir, keepDataDir: true, effects: { vault } as never });
  try {
    const { engine } = fixture;
    await engine.call('connectors.add', {
      name: 'remote',
      enabled: false,
      settings: {
        kind: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { 'X-Api-Key': HEADER },
        auth: { type: 'bearer', token: TOKEN },
      },
    });
    await engine.call('connectors.add', {
      name: 'local',
      enabled: false,
      settings: { kind: 'stdio', command: 'node', args: ['server.js'], env: { API_KEY: env } },
    });
    await engine.call('connectors.add', {
      name: 'tickets',
      enabled: false,
      settings: { kind: 'http', url: 'https://tickets.example.com/mcp', auth: { type: 'oauth' } },
    });
    await credentials(engineParts(engine).connectorStore, vault).save(CREDENTIALS);
  } finally {
    await fixture.stop();
  }
  return dir;
}

/** The OAuth connector's credential store, as connector-oauth.ts builds it. */
function credentials(store: ConnectorStore, vault: SecretVault) {
  return vaultCredentialStore(vault, {
    read: async () => {
      const sealed = store.secret('tickets', OAUTH_CREDENTIALS_KEY);
      return sealed === undefined ? undefined : Buffer.from(sealed, 'base64');
    },
    write: async (bytes) => store.putSecret('tickets', OAUTH_CREDENTIALS_KEY, bytes.toString('base64')),
    remove: async () => store.deleteSecret('tickets', OAUTH_CREDENTIALS_KEY),
  });
}

/** Every sealed value at rest, by where it is: connector secrets and the engine's own keys. */
function sealedRows(dir: string): Map<string, Buffer> {
  const db = new DatabaseSync(join(dir, DATABASE_FILE), { readOnly: true });
  try {
    const rows = db.prepare('SELECT connector, key, value FROM connector_secrets').all() as Array<{
      connector: string;
      key: string;
      value: Uint8Array;
    }>;
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'authorization-server-secrets'").get() as {
      value: Uint8Array;
    };
    return new Map([
      ...rows.map((row): [string, Buffer] => [`${row.connector}/${row.key}`, Buffer.from(row.value)]),
      ['meta/authorization-server-secrets', Buffer.from(meta.value)],
    ]);
  } finally {
    db.close();
  }
}

/** Every byte of the database and its WAL. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    ['', '-wal']
      .map((suffix) => join(dir, `${DATABASE_FILE}${suffix}`))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file)),
  );
}

/** Each row's plaintext, and the OAuth document's inside its row, opened by `vault`. */
function plaintexts(rows: Map<string, Buffer>, vault: SecretVault): Map<string, string> {
  const opened = new Map([...rows].map(([where, sealed]) => [where, vault.decrypt(sealed)]));
  const outer = opened.get(`tickets/${OAUTH_CREDENTIALS_KEY}`)!;
  opened.set(`tickets/${OAUTH_CREDENTIALS_KEY}`, vault.decrypt(Buffer.from(outer, 'base64')));
  return opened;
}

function openApp(safeStorage: Keychain, dir: string, logs: string[] = []): Promise<SecretVault> {
  return openDesktopVault({ safeStorage, dataDir: dir, logger: silentLogger(logs), platform: 'darwin' });
}

describe('secrets the first desktop builds sealed one by one', () => {
  it('are read once when the app starts, sealed again under the vault key, and their old bytes leave the files', async () => {
    const login = keychain('login keychain');
    const dir = await firstBuildsFolder(login, 'env-secret-7777');
    const before = sealedRows(dir);
    expect([...before.values()].map((sealed) => sealed[0])).toEqual(
      Array(before.size).fill(SEALED_BY_OS_KEYCHAIN),
    );
    // Read as the first builds read them, through another handle on the same keychain (not counted).
    const expected = plaintexts(before, firstBuildsVault(keychain('login keychain')));

    const vault = await openApp(login, dir);
    const fixture = await startEngine({ dataDir: dir, keepDataDir: true, effects: { vault } as never });
    try {
      const store = engineParts(fixture.engine).connectorStore;
      expect(store.unsealed('remote')).toMatchObject({
        headers: { 'X-Api-Key': HEADER },
        auth: { type: 'bearer', token: TOKEN },
      });
      expect(store.unsealed('local')).toMatchObject({ env: { API_KEY: 'env-secret-7777' } });
      expect(await credentials(store, vault).load()).toEqual(CREDENTIALS);
      expect(fixture.logs).toContain(
        'info sealed the secrets an earlier Gatehouse sealed one by one the current way {"resealed":5}',
      );
      // Already while it runs, not only once it closes the database: the legacy ciphertexts are nowhere.
      const files = databaseBytes(dir);
      for (const sealed of before.values()) expect(files.includes(sealed.subarray(1))).toBe(false);
    } finally {
      await fixture.stop();
    }

    const after = sealedRows(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const sealed of after.values()) expect(sealed[0]).toBe(SEALED_BY_KEYCHAIN_KEY);
    const outer = vault.decrypt(after.get(`tickets/${OAUTH_CREDENTIALS_KEY}`)!);
    expect(Buffer.from(outer, 'base64')[0]).toBe(SEALED_BY_KEYCHAIN_KEY);
    // The same secrets, opened by the app after a restart; the legacy ciphertexts are nowhere.
    expect(plaintexts(after, await openApp(login, dir))).toEqual(expected);
    const files = databaseBytes(dir);
    for (const sealed of before.values()) expect(files.includes(sealed.subarray(1))).toBe(false);

    // The legacy path was taken once per secret, through the asynchronous API; a restart takes it no more.
    expect(login.syncDecryptions).toBe(0);
    const decryptions = login.decryptions;
    const again = await startEngine({
      dataDir: dir,
      keepDataDir: true,
      effects: { vault: await openApp(login, dir) } as never,
    });
    await again.stop();
    expect(login.decryptions - decryptions).toBe(1); // the vault key, and nothing else
    expect(login.syncDecryptions).toBe(0);
  });

  it('lose nothing when a write fails half-way: every old value stays, readable, and the next start seals them', async () => {
    const login = keychain('login keychain');
    const dir = await firstBuildsFolder(login, 'env-secret-7777');
    const before = sealedRows(dir);
    // The second write fails, as a full disk or a crash would end it: the first is already done.
    const db = new DatabaseSync(join(dir, DATABASE_FILE));
    db.exec(`CREATE TRIGGER second_write_fails BEFORE UPDATE OF value ON connector_secrets
      WHEN (SELECT count(*) FROM connector_secrets WHERE substr(value, 1, 1) = X'6c') >= 1
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    db.close();

    const fixture = await startEngine({
      dataDir: dir,
      keepDataDir: true,
      effects: { vault: await openApp(login, dir) } as never,
    });
    try {
      expect(fixture.logs).toContain(
        'warn the secrets an earlier Gatehouse sealed one by one could not be sealed again; they stay as they were, readable, and Gatehouse tries again at its next start {"error":"disk I/O error"}',
      );
      // Still readable this run, through the old path.
      expect(engineParts(fixture.engine).connectorStore.unsealed('remote')).toMatchObject({
        auth: { token: TOKEN },
      });
    } finally {
      await fixture.stop();
    }
    expect(sealedRows(dir)).toEqual(before);

    const fixed = new DatabaseSync(join(dir, DATABASE_FILE));
    fixed.exec('DROP TRIGGER second_write_fails');
    fixed.close();
    const vault = await openApp(login, dir);
    const again = await startEngine({ dataDir: dir, keepDataDir: true, effects: { vault } as never });
    await again.stop();
    const after = sealedRows(dir);
    for (const sealed of after.values()) expect(sealed[0]).toBe(SEALED_BY_KEYCHAIN_KEY);
    expect(plaintexts(after, vault)).toEqual(
      plaintexts(before, firstBuildsVault(keychain('login keychain'))),
    );
  });

  it('opened under another keychain: each is named with what to do, none is taken from garbage, none is changed', async () => {
    const login = keychain('login keychain');
    const replaced = keychain('replaced keychain');
    // An environment variable whose seal the replaced keychain "opens", to bytes that are not text.
    const { secret, garbage } = sealedIntoGarbage(login, replaced);
    expect(garbage).not.toBe(secret);
    const dir = await firstBuildsFolder(login, secret);
    const before = sealedRows(dir);

    // The app refuses to start on keys it cannot read, and says why.
    const vault = await openApp(replaced, dir);
    await expect(
      startEngine({ dataDir: dir, keepDataDir: true, effects: { vault } as never }),
    ).rejects.toThrow(NOT_OPENED);
    expect(sealedRows(dir)).toEqual(before);

    // The pass itself, over every secret: nothing written, each named with what to do.
    const logs: string[] = [];
    const db = openDatabase(join(dir, DATABASE_FILE));
    try {
      const report = await resealOutdatedSecrets(db, vault, silentLogger(logs));
      expect(report).toEqual({
        resealed: 0,
        unreadable: [
          { secret: 'the environment variable API_KEY of connector local', error: NOT_TEXT },
          { secret: 'the bearer token of connector remote', error: NOT_OPENED },
          // This one's padding passed too: the check on what it opened to refused it.
          { secret: 'the header x-api-key of connector remote', error: NOT_TEXT },
          { secret: 'the OAuth sign-in (tokens and registration) of connector tickets', error: NOT_OPENED },
          {
            secret: "Gatehouse's own keys (its authorization server's signing and cookie keys)",
            error: NOT_OPENED,
          },
        ],
      });
      expect(logs[0]).toBe(
        `warn a secret an earlier Gatehouse sealed could not be opened and is left as it was: the environment variable API_KEY of connector local. Edit connector local and enter it again. ${JSON.stringify({ error: NOT_TEXT })}`,
      );
      expect(logs[3]).toContain('of connector tickets. Connect tickets again.');
      // Read where it is used, the garbage is an error naming the secret, never the connector's value.
      const store = new ConnectorStore(db, new TestClock(), vault);
      expect(() => store.unsealed('local')).toThrow(
        `Could not read the environment variable API_KEY of connector local: ${NOT_TEXT}`,
      );
    } finally {
      db.close();
    }
    expect(sealedRows(dir)).toEqual(before);
  });
});
