// A hostile local process floods Gatehouse's questions. The queues are fair: caps per client (per
// registration source), and a full queue makes room for a newcomer at the heaviest source's expense,
// so another client's consent is still asked, approved and delivered. Bulk deny clears a flood.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { TestBrowser } from '../../support/test-browser.js';
import {
  authorizeUrl,
  obtainCode,
  obtainTokens,
  openAuthorization,
  pkce,
  REDIRECT,
  register,
  registerPublicClient,
} from '../../support/raw-oauth.js';

let fixture: EngineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

/** Opens `count` authorization requests for one client, each in its own browser; returns the pages. */
async function flood(clientId: string, count: number) {
  const opened = [];
  for (let i = 0; i < count; i++) opened.push(await openAuthorization(fixture!.engine, clientId));
  return opened;
}

describe('consent flood', () => {
  it('caps one client at 5 waiting requests, and another client is still asked and approved', async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    const flooder = await registerPublicClient(engine, { client_name: 'Flood' });
    const pages = await flood(flooder, 25);
    expect(pages.filter(({ page }) => page.status === 200)).toHaveLength(5);
    const refused = pages.filter(({ page }) => page.status === 429);
    expect(refused).toHaveLength(20);
    expect(refused[0]!.page.body).toContain(
      'Too many consent requests from Flood are waiting for an answer (5); answer or deny them in Gatehouse, or let them expire.',
    );

    const legitimate = await registerPublicClient(engine, { client_name: 'Legitimate' });
    const { code } = await obtainCode(engine, legitimate);
    expect(code).toBeTruthy();

    // One call clears the flood; each flooding browser then carries access_denied back.
    const { denied } = await engine.call('consents.denyAll', { clientId: flooder });
    expect(denied).toHaveLength(5);
    expect(await engine.call('consents.list')).toEqual([]);
    const landed = new URL((await pages[0]!.browser.reload(REDIRECT)).url);
    expect(landed.searchParams.get('error')).toBe('access_denied');
  });

  it('makes room in a full queue at the expense of the heaviest client, never the newcomer', async () => {
    fixture = await startEngine({ consentQueue: { total: 6, perClient: 3 } });
    const { engine } = fixture;
    const flooders = [
      await registerPublicClient(engine, { client_name: 'Flood A' }),
      await registerPublicClient(engine, { client_name: 'Flood B' }),
    ];
    const pages = [...(await flood(flooders[0]!, 3)), ...(await flood(flooders[1]!, 3))];
    expect(pages.every(({ page }) => page.status === 200)).toBe(true);
    expect(await engine.call('consents.list')).toHaveLength(6);

    const legitimate = await registerPublicClient(engine, { client_name: 'Legitimate' });
    const { code } = await obtainCode(engine, legitimate);
    expect(code).toBeTruthy();

    // Flood B raised last, so its oldest request made the room; its browser learns why.
    const setAside = new URL((await pages[3]!.browser.reload(REDIRECT)).url);
    expect(Object.fromEntries(setAside.searchParams)).toMatchObject({
      error: 'temporarily_unavailable',
      error_description:
        'Gatehouse set this request aside to make room: too many requests were waiting for an answer. Start the connection again.',
    });
    expect((await engine.call('consents.list')).map((consent) => consent.clientName).sort()).toEqual([
      'Flood A',
      'Flood A',
      'Flood A',
      'Flood B',
      'Flood B',
    ]);
  });
});

describe('registration flood', () => {
  it('limits registrations per name, so a loop on ever-new ports stops and another client still registers', async () => {
    fixture = await startEngine({ registrationLimit: { count: 10, perName: 10, windowMs: 600_000 } });
    const { engine } = fixture;
    const statuses = [];
    for (let i = 0; i < 15; i++)
      statuses.push(
        (await register(engine, { client_name: 'Flood', redirect_uris: [`http://127.0.0.1:${5000 + i}/cb`] }))
          .status,
      );
    expect(statuses).toEqual([...Array(10).fill(201), ...Array(5).fill(429)]);
    expect((await register(engine, { client_name: 'Legitimate' })).status).toBe(201);
    const refusals = await engine.call('audit.list', { type: 'client.registration_refused' });
    expect(refusals).toHaveLength(5);
    expect(refusals[0]!.reason).toMatch(
      /^Registration rate limit reached: Too many registrations named "Flood" \(10 in 10 minutes\); try again in \d+ seconds\.$/,
    );
  });

  // Some 350 registrations one after another: a loaded machine needs more than the default bound.
  it('never forgets a newcomer while it signs in, however many others register', async () => {
    // The bound for all sources together (registration-flood.test.ts) set above this flood.
    fixture = await startEngine({
      registrationLimit: { count: 10, windowMs: 600_000, total: 1_000 },
      maxUnusedRegistrations: 20,
    });
    const { engine, clock } = fixture;
    const minutes = (n: number) => clock.advance(n * 60_000);
    // A client that authorized before the flood keeps its registration: it is used.
    const earlier = await obtainTokens(engine, { access: 'read' });
    // A newcomer registers; a flood follows at once, one process with a new name every time (a new
    // "source" each time, so no per-source limit holds it). Its registration used to be the oldest
    // unused one, forgotten before its browser reached /auth.
    const newcomer = await registerPublicClient(engine, { client_name: 'Newcomer' });
    const registerFlood = async (from: number, n: number) => {
      const statuses = new Set<number>();
      for (let i = from; i < from + n; i++)
        statuses.add((await register(engine, { client_name: `Flood ${i}` })).status);
      expect(statuses).toEqual(new Set([201]));
    };
    await registerFlood(0, 300);
    const ids = async () => (await engine.call('clients.list')).map((client) => client.clientId);
    expect(await ids()).toContain(newcomer);
    minutes(4);
    await registerFlood(300, 50);
    // Its browser reaches /auth and is on its way to the consent page: its authorization is under way.
    const browser = new TestBrowser();
    const page = await browser.navigate(
      authorizeUrl(engine, {
        response_type: 'code',
        client_id: newcomer,
        redirect_uri: REDIRECT,
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        resource: engine.mcpUrl,
      }),
      `${engine.issuer}/consent/`,
    );
    expect(page.url).toMatch(/\/consent\/[\w-]+$/);
    minutes(2);
    await registerFlood(350, 100);
    await expect.poll(async () => (await engine.call('clients.list')).length).toBe(2 + 50 + 100);
    const kept = await engine.call('clients.list');
    expect(kept.map((client) => client.clientId)).toEqual(
      expect.arrayContaining([earlier.clientId, newcomer]),
    );
    // The first 300 were past the few minutes and unused: forgotten. The younger 150 stay for now.
    expect(
      kept
        .filter((client) => client.name.startsWith('Flood '))
        .map((client) => client.name)
        .sort(),
    ).toEqual(Array.from({ length: 150 }, (_, i) => `Flood ${300 + i}`).sort());

    // The newcomer's consent is raised, approved, and its browser gets its code.
    await browser.navigate(page.url, REDIRECT);
    const consent = (await engine.call('consents.list')).find((c) => c.clientId === newcomer)!;
    await engine.call('consents.approve', { id: consent.id, access: 'read', expiresInSeconds: null });
    const landed = new URL((await browser.reload(REDIRECT)).url);
    expect(landed.searchParams.get('code')).toMatch(/^[\w-]+$/);

    // 300 evictions, one row for the first and one for the rest of its minute.
    minutes(1);
    expect((await register(engine, { client_name: 'After the minute' })).status).toBe(201);
    await expect
      .poll(async () => (await engine.call('audit.list', { type: 'client.registration_evicted' })).length)
      .toBe(2);
    const [summary, first] = await engine.call('audit.list', { type: 'client.registration_evicted' });
    expect(first!.reason).toMatch(
      /^Forgot Flood 0 \(\S+\): it registered and was never used, and 20 unused registrations are kept at most$/,
    );
    expect(summary!.reason).toMatch(
      /^Forgot 299 registrations nobody used \(Flood 1 \(\S+\), Flood 2 \(\S+\), .*Flood 10 \(\S+\), and 289 more\): 20 unused registrations are kept at most, and none younger than 5 minutes is forgotten$/,
    );
    expect(summary!.detail).toEqual({ count: 299 });
    // A forgotten registration is gone for oidc-provider too.
    const forgotten = first!.reason.match(/\((\S+)\)/)![1]!;
    const { page: refused } = await openAuthorization(engine, forgotten);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('invalid_client');
  }, 90_000);

  it('holds at most 3 questions per source in "ask" mode; another source is still asked', async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    const waiting = [1, 2, 3].map((n) =>
      register(engine, { client_name: 'Flood', redirect_uris: [`http://127.0.0.1:${6000 + n}/cb`] }),
    );
    await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(3);
    expect(
      await register(engine, { client_name: 'Flood', redirect_uris: ['http://127.0.0.1:6009/cb'] }),
    ).toEqual({
      status: 429,
      body: {
        error: 'temporarily_unavailable',
        error_description:
          'Too many registration requests from "Flood" are waiting for an answer (3); answer or deny them in Gatehouse, or let them expire.',
      },
    });
    const legitimate = register(engine, { client_name: 'Legitimate' });
    await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(4);
    const question = (await engine.call('registrations.list')).find((r) => r.clientName === 'Legitimate')!;
    expect(question.id).not.toMatch(/^-/);
    await engine.call('registrations.approve', { id: question.id });
    expect((await legitimate).status).toBe(201);
    for (const { id } of await engine.call('registrations.list'))
      await engine.call('registrations.deny', { id });
    expect((await Promise.all(waiting)).map((result) => result.status)).toEqual([403, 403, 403]);
  });
});
