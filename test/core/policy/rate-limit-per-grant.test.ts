// Rate limits count per grant (what the user consented to), not per access token: a limited client
// that refreshes its token is still limited, while another client's grant has its own window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type AuthorizedClient } from '../../support/oauth-client.js';
import { refresh } from '../../support/raw-oauth.js';
import { EVERYTHING } from '../../support/real-servers.js';

const LIMITED =
  /^gatehouse: rate limit reached for this client \(3 calls per minute\); try again in \d+ (s|min)\.$/;

let fixture: EngineFixture;
const clients: AuthorizedClient[] = [];
beforeAll(async () => {
  fixture = await startEngine();
  const { engine } = fixture;
  await engine.call('connectors.add', {
    name: 'everything',
    settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
  });
  await engine.call('tools.set', {
    connector: 'everything',
    tool: 'echo',
    toolClass: 'read',
    approval: 'never',
  });
  await engine.call('settings.set', { rateLimitPerMinute: 3 });
  clients.push(
    await authorizeClient(engine, { name: 'Busy' }),
    await authorizeClient(engine, { name: 'Other' }),
  );
}, 60_000);
afterAll(async () => {
  for (const { client } of clients) await client.close();
  await fixture.stop();
});

async function echo(client: AuthorizedClient): Promise<string> {
  const result = await client.client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
  const text = (result.content as Array<{ text: string }>)[0]!.text;
  return result.isError ? text : 'ok';
}

describe('rate limits per grant', () => {
  it('keeps a limited client limited after it refreshes its access token', async () => {
    const [busy, other] = clients as [AuthorizedClient, AuthorizedClient];
    for (let i = 0; i < 3; i++) expect(await echo(busy)).toBe('ok');
    expect(await echo(busy)).toMatch(LIMITED);

    const before = busy.provider.savedTokens!;
    const refreshed = await refresh(fixture.engine, busy.provider.info!.client_id, before.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(before.access_token);
    busy.provider.saveTokens(refreshed.body as never);
    expect(await echo(busy)).toMatch(LIMITED);

    // Another client's grant has its own window.
    expect(await echo(other)).toBe('ok');
  });
});
