// A hostile local process floods Gatehouse's questions. The queues are fair: caps per client (per
// registration source), and a full queue makes room for a newcomer at the heaviest source's expense,
// so another client's consent is still asked, approved and delivered. Bulk deny clears a flood.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import {
  initializeMessage,
  mcpPost,
  obtainCode,
  obtainTokens,
  openAuthorization,
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

  it("never refuses a newcomer for others' flood: past the bound, the oldest unused registrations are forgotten", async () => {
    fixture = await startEngine({
      registrationLimit: { count: 10, windowMs: 600_000 },
      maxUnusedRegistrations: 20,
    });
    const { engine } = fixture;
    // A client that authorized before the flood keeps its registration: it is used.
    const earlier = await obtainTokens(engine, { access: 'read' });
    // One process, a new name every time: a new "source" each time, so no per-source limit holds it.
    const statuses = [];
    for (let i = 0; i < 300; i++)
      statuses.push((await register(engine, { client_name: `Flood ${i}` })).status);
    expect(new Set(statuses)).toEqual(new Set([201]));

    // The legitimate client registers at once, and its consent goes through.
    const legitimate = await obtainTokens(engine, { access: 'read' });
    const tools = await mcpPost(engine, legitimate.accessToken, initializeMessage);
    expect(tools.status).toBe(200);

    const clients = await engine.call('clients.list');
    expect(clients.map((client) => client.clientId)).toEqual(
      expect.arrayContaining([earlier.clientId, legitimate.clientId]),
    );
    // The table stays bounded: at most 20 unused registrations, the newest one counted (the
    // legitimate client's made room for itself before it was used), plus the clients that were used.
    expect(clients).toHaveLength(21);
    expect(clients.filter((client) => client.name.startsWith('Flood ')).map((client) => client.name)).toEqual(
      Array.from({ length: 19 }, (_, i) => `Flood ${299 - i}`),
    );
    const evicted = await engine.call('audit.list', { type: 'client.registration_evicted', limit: 1000 });
    expect(evicted).toHaveLength(281);
    expect(evicted.at(-1)!.reason).toMatch(
      /^Forgot Flood 0 \(\S+\): it registered and was never used, and 20 unused registrations are kept at most$/,
    );
    // A forgotten registration is gone for oidc-provider too.
    const forgotten = evicted.at(-1)!.reason.match(/\((\S+)\)/)![1]!;
    const { page } = await openAuthorization(engine, forgotten);
    expect(page.status).toBe(400);
    expect(page.body).toContain('invalid_client');
  });

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
