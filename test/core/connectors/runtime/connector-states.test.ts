// Connector states that say what is wrong, through a real engine and a real OAuth-protected upstream:
// a bearer token the server refuses is "token refused" (no sign-in to do); a brand-new OAuth
// connector is "never connected", not "refused Gatehouse's credentials"; a refused refresh asks to
// Reconnect. The CLI says the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { startOAuthUpstream, type OAuthUpstream } from '../../../fixtures/oauth-upstream.js';
import { followAuthorization } from '../../../fixtures/upstream-oauth-harness.js';
import { gatehouse } from '../../../support/cli-fixture.js';

let fixture: EngineFixture;
let upstream: OAuthUpstream;

beforeAll(async () => {
  fixture = await startEngine();
  upstream = await startOAuthUpstream({ now: () => fixture.clock.now(), accessTokenSeconds: 600 });
}, 30_000);
afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
});

async function settledStatus(name: string) {
  await expect
    .poll(async () => (await fixture.engine.call('connectors.get', { name })).status.connection, {
      timeout: 10_000,
    })
    .not.toBe('starting');
  return (await fixture.engine.call('connectors.get', { name })).status;
}

describe('connector states', () => {
  it('a bearer connector whose token is refused says "token refused", with no Connect to do', async () => {
    await fixture.engine.call('connectors.add', {
      name: 'static',
      settings: { kind: 'http', url: upstream.mcpUrl, auth: { type: 'bearer', token: 'not-a-valid-token' } },
    });
    expect(await settledStatus('static')).toMatchObject({
      connection: 'error',
      auth: 'action-required',
      authProblem: 'token-refused',
      lastError:
        "The server refused the connector's bearer token (HTTP 401). Check the token in the connector's settings, or get a new one from the server.",
    });
  });

  it('a brand-new OAuth connector is "never connected", not refused', async () => {
    await fixture.engine.call('connectors.add', {
      name: 'secure',
      settings: { kind: 'http', url: upstream.mcpUrl, auth: { type: 'oauth' } },
    });
    const status = await settledStatus('secure');
    const listed = await gatehouse(['connectors', 'list', '--data-dir', fixture.dataDir]);
    expect(listed.stdout.split('\n').filter((line) => /^(static|secure) /.test(line))).toEqual([
      expect.stringMatching(/^secure +http +error +never connected: sign-in needed /),
      expect.stringMatching(/^static +http +error +token refused /),
    ]);
    expect(status).toMatchObject({
      auth: 'action-required',
      authProblem: 'never-connected',
      lastError:
        'secure needs you to connect: it requires authorization. Use Connect in Gatehouse (or `gatehouse connectors connect secure`).',
    });
    expect(status.lastError).not.toContain('refused');
  });

  it('after a refused refresh, asks to reconnect', async () => {
    const { engine, clock } = fixture;
    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'secure' });
    expect((await followAuthorization(authorizationUrl, fetch)).status).toBe(200);
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'secure' })).status, { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready', authProblem: null });

    upstream.revokeRefreshTokens();
    clock.advance(11 * 60_000);
    await engine.call('connectors.test', { name: 'secure' });
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'secure' })).status, { timeout: 10_000 })
      .toMatchObject({ auth: 'action-required', authProblem: 'reconnect-needed' });
  });
});
