// A revoke and the refusal chosen with it are access decisions: they are stored like grants and
// outlive a restart. A real SDK client revoked with "refuse for a day" comes back after the engine
// restarted: its refresh is refused naming the revoke, its authorization is refused at once (no
// consent is raised), the client's page still shows the revoke until the day is over, and then the
// client may ask again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { sentenceTime } from '../../../main/core/text.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { refresh } from '../../support/raw-oauth.js';
import { TestBrowser } from '../../support/test-browser.js';
import { memoryVault } from '../../support/memory-stores.js';

const DAY_MS = 86_400_000;
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-restart-'));
const vault = memoryVault();
const running: EngineFixture[] = [];

/**
 * The engine on `dataDir` with the same vault (and port, so the client's tokens name it). The test's
 * connections start afresh, as a client's do after a restart: a keep-alive socket to the engine just
 * stopped may not have heard yet that it closed.
 */
async function start(port = 0, offsetMs = 0): Promise<EngineFixture> {
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(new Agent());
  await previous.destroy();
  const fixture = await startEngine({ dataDir, keepDataDir: true, port, effects: { vault } as never });
  fixture.clock.advance(offsetMs);
  running.push(fixture);
  return fixture;
}

afterAll(async () => {
  for (const fixture of running) await fixture.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a revoke that refuses the client for a day, across a restart', () => {
  it('refuses the client after the restart, shows the revoke, and lets it ask once the day is over', async () => {
    const first = await start();
    const { client, provider } = await authorizeClient(first.engine, { name: 'Restart Client' });
    const clientId = provider.info!.client_id;
    const refreshToken = provider.savedTokens!.refresh_token!;
    const before = first.clock.now();
    await first.engine.call('clients.revoke', { clientId, refuseForSeconds: DAY_MS / 1000 });
    const revoke = (await first.engine.call('clients.get', { clientId })).revoked!;
    const revokedAt = revoke.at;
    expect(revokedAt).toBeGreaterThanOrEqual(before);
    expect(revoke.refusedUntil).toBe(revokedAt + DAY_MS);
    await client.close().catch(() => undefined);
    const port = first.engine.port;
    await first.stop();
    running.length = 0;

    const second = await start(port);
    const { engine } = second;
    const now = second.clock.now();
    // The client's page still shows the revoke and until when it refuses (tomorrow: with its date).
    const shown = await engine.call('clients.get', { clientId });
    expect(shown.revoked).toEqual({
      at: revokedAt,
      refusedUntil: revokedAt + DAY_MS,
      endsAt: revokedAt + DAY_MS,
    });
    expect(shown.grants).toEqual([]);

    // Its refresh is refused, and the answer says why (oidc-provider's own error code and status).
    const refused = await refresh(engine, clientId, refreshToken);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: 'invalid_grant',
      error_description: `You revoked this client in Gatehouse at ${sentenceTime(revokedAt, now)} and refuse its requests until ${sentenceTime(revokedAt + DAY_MS, now)}.`,
    });
    expect(refused.body.error_description).toMatch(/until \d{4}-\d\d-\d\d \d\d:\d\d\.$/);

    // The SDK client's next request: a 401, then its refresh is refused; the SDK's error is the
    // revoke in words, as the client's user reads it.
    const connect = () =>
      new Client({ name: 'test', version: '1.0.0' }).connect(
        new StreamableHTTPClientTransport(new URL(engine.mcpUrl), { authProvider: provider }),
      );
    await expect(connect()).rejects.toThrow(refused.body.error_description as string);
    // A client that drops refused tokens (as the SDK asks of it) then authorizes anew: answered
    // access_denied at once, and no consent is raised.
    Object.assign(provider, {
      invalidateCredentials: (scope: string) => {
        if (scope === 'all' || scope === 'tokens') provider.savedTokens = undefined;
      },
    });
    provider.authorizationUrl = undefined;
    await expect(connect()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl).toBeDefined();
    const landed = await new TestBrowser().navigate(provider.authorizationUrl!.href, provider.redirect);
    const answer = new URL(landed.url).searchParams;
    expect(answer.get('error')).toBe('access_denied');
    expect(answer.get('error_description')).toBe(
      `You revoked this client in Gatehouse and refuse its requests until ${sentenceTime(revokedAt + DAY_MS, now)}.`,
    );
    expect(await engine.call('consents.list')).toEqual([]);
    const [row] = await engine.call('audit.list', { type: 'consent.refused', limit: 1 });
    expect(row).toMatchObject({ clientId, decision: 'deny' });
    expect(row!.reason).toBe(
      `Refused Restart Client's request without asking: you revoked it and refuse its requests until ${sentenceTime(revokedAt + DAY_MS, now)}`,
    );

    // Restarted once more, a day later: the refusal has ended, and is gone from the client's page.
    await second.stop();
    running.length = 0;
    const third = await start(port, DAY_MS + 1_000);
    expect((await third.engine.call('clients.get', { clientId })).revoked).toBeNull();
    provider.authorizationUrl = undefined;
    await expect(
      new Client({ name: 'test', version: '1.0.0' }).connect(
        new StreamableHTTPClientTransport(new URL(third.engine.mcpUrl), { authProvider: provider }),
      ),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await new TestBrowser().navigate(provider.authorizationUrl!.href, provider.redirect);
    expect(page.status).toBe(200);
    const [asked] = await third.engine.call('consents.list');
    expect(asked).toMatchObject({ clientId, revokedAt: null });
    await third.engine.call('consents.deny', { id: asked!.id });
  });
});
