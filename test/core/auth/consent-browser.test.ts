// Only the browser that started an authorization may finish it (security-model.md "Authorization"):
// once the user has answered, a request to the consent page from anywhere else — no cookies, or
// another authorization's — is refused and takes nothing, and the real browser still gets its code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { openAuthorization, REDIRECT, registerPublicClient } from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => fixture?.stop());

const REFUSED = 'Only the browser window your app opened to connect can finish this request.';

describe('polling the consent page from elsewhere after the answer', () => {
  it('is refused, and the browser that started the authorization still gets its code', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { browser, page } = await openAuthorization(engine, clientId, { resource: engine.mcpUrl });
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/\/consent\/[\w-]+$/);
    // Another authorization's browser holds an interaction cookie too, for its own uid.
    const other = await openAuthorization(engine, await registerPublicClient(engine), {
      resource: engine.mcpUrl,
    });
    const consent = (await engine.call('consents.list')).find((c) => c.clientId === clientId)!;
    await engine.call('consents.approve', { id: consent.id, access: 'read', expiresInSeconds: null });

    const bare = await fetch(page.url, { redirect: 'manual' });
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain(REFUSED);
    const stranger = await other.browser.navigate(page.url, REDIRECT);
    expect(stranger.status).toBe(403);
    expect(stranger.body).toContain(REFUSED);
    expect(stranger.body).toContain('Open this in the browser that started it');

    const landed = await browser.reload(REDIRECT);
    const url = new URL(landed.url);
    expect(url.searchParams.get('code')).toMatch(/^[\w-]+$/);
    expect(url.searchParams.get('iss')).toBe(engine.issuer);
  });

  it('cannot raise a consent from outside the browser either', async () => {
    const { engine } = fixture;
    const clientId = await registerPublicClient(engine);
    const { page } = await openAuthorization(engine, clientId, { resource: engine.mcpUrl });
    const before = (await engine.call('consents.list')).length;
    const bare = await fetch(page.url, { redirect: 'manual' });
    expect(bare.status).toBe(403);
    expect((await engine.call('consents.list')).length).toBe(before);
  });
});
