// Confidential clients' secrets at rest: sealed by the vault in the `oidc` table, never readable in
// gatehouse.db or its WAL — for clients registered by hand and by DCR, and for rows an earlier
// version stored in plain text (sealed at start-up) — while client_secret_basic and client_secret_post
// exchanges at the token endpoint keep working, across a restart.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../main/core/engine/engine-record.js';
import { OidcStore } from '../../../main/core/store/oidc-store.js';
import { TokenIndex } from '../../../main/core/auth/token-index.js';
import { openDatabase } from '../../../main/core/store/database.js';
import { silentLogger, startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { obtainCode, REDIRECT, register, tokenRequest, type EngineLike } from '../../support/raw-oauth.js';
import { memoryVault } from '../../support/memory-stores.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'));
const vault = memoryVault();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(): Promise<EngineFixture> {
  return startEngine({ dataDir, keepDataDir: true, effects: { vault } as never });
}

/** Every byte of the database, its WAL and shared memory, as latin1 text to search. */
function databaseBytes(): string {
  return ['', '-wal', '-shm']
    .map((suffix) => join(dataDir, `${DATABASE_FILE}${suffix}`))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

/** A full code exchange for a confidential client, authenticating the way it registered. */
async function exchange(
  engine: EngineLike,
  clientId: string,
  secret: string,
  method: 'client_secret_basic' | 'client_secret_post',
): Promise<number> {
  const { code, verifier } = await obtainCode(engine, clientId);
  const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT };
  const result =
    method === 'client_secret_basic'
      ? await tokenRequest(engine, form, {
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        })
      : await tokenRequest(engine, { ...form, client_id: clientId, client_secret: secret });
  return result.status;
}

describe('client secrets at rest', () => {
  const clients: Array<{ id: string; secret: string; method: 'client_secret_basic' | 'client_secret_post' }> =
    [];

  it('seals the secrets of clients registered by hand and by DCR; both authenticate', async () => {
    const fixture = await start();
    try {
      const { engine } = fixture;
      const manual = await engine.call('clients.register', {
        name: 'Confidential',
        redirectUris: [REDIRECT],
      });
      clients.push({ id: manual.clientId, secret: manual.clientSecret!, method: 'client_secret_basic' });
      const dcr = await register(engine, { token_endpoint_auth_method: 'client_secret_post' });
      expect(dcr.status).toBe(201);
      clients.push({
        id: dcr.body.client_id as string,
        secret: dcr.body.client_secret as string,
        method: 'client_secret_post',
      });
      for (const client of clients) {
        expect(await exchange(engine, client.id, client.secret, client.method)).toBe(200);
        expect(await exchange(engine, client.id, 'not-the-secret', client.method)).toBe(401);
      }
      const bytes = databaseBytes();
      for (const client of clients) {
        expect(bytes).toContain(client.id);
        expect(bytes).not.toContain(client.secret);
      }
    } finally {
      await fixture.stop();
    }
    const bytes = databaseBytes();
    for (const client of clients) expect(bytes).not.toContain(client.secret);
  });

  it('authenticates the same clients after a restart (unsealed with the vault)', async () => {
    const fixture = await start();
    try {
      for (const client of clients)
        expect(await exchange(fixture.engine, client.id, client.secret, client.method)).toBe(200);
    } finally {
      await fixture.stop();
    }
  });

  it('seals, at start-up, a secret an earlier version stored in plain text, leaving no copy in the files', async () => {
    const [client] = clients;
    // What an earlier Gatehouse wrote: the Client payload with its client_secret in clear.
    const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
    const row = db.prepare("SELECT payload FROM oidc WHERE model = 'Client' AND id = ?").get(client!.id) as {
      payload: string;
    };
    const { client_secret_sealed: sealed, ...rest } = JSON.parse(row.payload) as Record<string, string>;
    expect(vault.decrypt(Buffer.from(sealed!, 'base64'))).toBe(client!.secret);
    db.prepare("UPDATE oidc SET payload = ? WHERE model = 'Client' AND id = ?").run(
      JSON.stringify({ ...rest, client_secret: client!.secret }),
      client!.id,
    );
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    expect(databaseBytes()).toContain(client!.secret);

    const fixture = await start();
    try {
      expect(databaseBytes()).not.toContain(client!.secret);
      expect(fixture.logs).toContain(
        'info sealed client secrets stored in plain text by an earlier version {"sealed":1}',
      );
      expect(await exchange(fixture.engine, client!.id, client!.secret, client!.method)).toBe(200);
    } finally {
      await fixture.stop();
    }
    expect(databaseBytes()).not.toContain(client!.secret);
  });

  it('reads a secret sealed by another vault key as one no client can present, and says so', () => {
    const logs: string[] = [];
    const store = (sealedBy: typeof vault) =>
      new OidcStore({
        db: openDatabase(join(dataDir, 'other.db')),
        clock: { now: () => Date.now() },
        random: { bytes: (length) => randomBytes(length) },
        tokens: new TokenIndex(),
        hooks: { isGrantActive: () => true },
        vault: sealedBy,
        logger: silentLogger(logs),
      });
    store(vault).upsert('Client', 'c1', { client_id: 'c1', client_secret: 'the-secret' }, undefined);
    expect(store(vault).find('Client', 'c1')?.client_secret).toBe('the-secret');
    const other = store(memoryVault()).find('Client', 'c1');
    expect(other?.client_secret).toEqual(expect.any(String));
    expect(other?.client_secret).not.toBe('the-secret');
    expect(logs).toEqual([
      'warn a client secret could not be unsealed; that client must be registered again {"clientId":"c1"}',
    ]);
  });
});
