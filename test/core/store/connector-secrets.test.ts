// Upstream secrets at rest and in transit to the UI: sealed by the vault in the database (the file
// never contains them), masked in every view, kept on edit when sent back masked, and deleted with
// the connector.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ0123456789';
const HEADER = 'x-api-secret-value-4242';
const ENV = 'very-secret-env-value-9999';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => fixture?.stop());

describe('connector secrets', () => {
  it('are sealed at rest, masked in views, kept on a masked edit, and deleted with the connector', async () => {
    const { engine, dataDir } = fixture;
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
      settings: { kind: 'stdio', command: 'node', args: ['server.js'], env: { API_KEY: ENV } },
    });

    const views = JSON.stringify(await engine.call('connectors.list'));
    for (const secret of [TOKEN, HEADER, ENV]) expect(views).not.toContain(secret);
    const remote = await engine.call('connectors.get', { name: 'remote' });
    expect(remote.settings).toMatchObject({
      headers: { 'X-Api-Key': '[stored]' },
      auth: { type: 'bearer', token: '[stored]' },
    });

    engineParts(engine).audit.flush();
    const database =
      readFileSync(join(dataDir, 'gatehouse.db')).toString('latin1') +
      readFileSync(join(dataDir, 'gatehouse.db-wal')).toString('latin1');
    for (const secret of [TOKEN, HEADER, ENV]) expect(database).not.toContain(secret);

    await engine.call('connectors.edit', {
      name: 'remote',
      settings: { ...remote.settings, timeoutSeconds: 10 } as never,
    });
    expect(engineParts(engine).connectorStore.unsealed('remote')).toMatchObject({
      timeoutSeconds: 10,
      headers: { 'X-Api-Key': HEADER },
      auth: { token: TOKEN },
    });
    await expect(
      engine.call('connectors.add', {
        name: 'copycat',
        settings: { kind: 'http', url: 'https://x.example/mcp', auth: { type: 'bearer', token: '[stored]' } },
      }),
    ).rejects.toThrow('"[stored]" stands for a stored secret and can only be used when editing a connector.');

    await engine.call('connectors.remove', { name: 'remote' });
    const db = new DatabaseSync(join(dataDir, 'gatehouse.db'), { readOnly: true });
    try {
      expect(
        db.prepare("SELECT count(*) AS n FROM connector_secrets WHERE connector = 'remote'").get(),
      ).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    await expect(engine.call('connectors.get', { name: 'remote' })).rejects.toThrow(
      'There is no connector named remote (see gatehouse connectors list).',
    );
  });
});
