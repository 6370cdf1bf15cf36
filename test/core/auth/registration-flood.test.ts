// One local process floods /reg with registrations under ever-new names, against the real engine.
// Registration from all sources together is bounded (300 in 10 minutes by default), far above what
// real clients do: the SDK client's DCR and the bridge register before and after a flood unrefused.
// The flood costs the activity log a bounded number of rows (summed up per minute), and forgetting
// the registrations it left behind goes in slices: a client on a kept-alive connection is answered
// while it works, and never sees its connection reset.
import { rmSync, watch } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { pendingConsent, startBridge } from '../../support/bridge-fixture.js';
import { register } from '../../support/raw-oauth.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { memoryVault } from '../../support/memory-stores.js';

let fixture: EngineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

/** `count` registrations named `<prefix> <n>`, `parallel` at a time, as one flooding process sends them. */
async function flood(prefix: string, count: number, parallel = 8): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const { status } = await register(fixture!.engine, { client_name: `${prefix} ${next++}` });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

const rows = async (type: string) =>
  fixture!.engine.call('audit.list', { type, limit: 1000 }).then((events) => events.reverse());

describe('registration flood', () => {
  it('refuses registrations from all sources past the bound, sums up its rows, and real clients never notice', async () => {
    // The default limits (the fixture's own per-callback limit left out).
    fixture = await startEngine({ registrationLimit: undefined });
    const { engine, clock } = fixture;
    const minutes = (n: number) => clock.advance(n * 60_000);
    // A real client before the flood: the SDK's discovery, DCR, PKCE and consent.
    const before = await authorizeClient(engine, { name: 'Before the flood' });
    await before.client.listTools();
    await before.client.close();

    const statuses = await flood('Flood', 400);
    expect(Object.fromEntries(statuses)).toEqual({ 201: 299, 429: 101 });
    const refused = await rows('client.registration_refused');
    // Five refusals of the minute on rows of their own; the others wait for the minute's end.
    expect(refused).toHaveLength(5);
    for (const row of refused)
      expect(row.reason).toMatch(
        /^Registration rate limit reached: Too many registrations from all clients together \(300 in 10 minutes\); try again in \d+ seconds\.$/,
      );
    // Ten registrations of the minute on rows of their own (the SDK client's among them).
    const registered = await rows('client.registered');
    expect(registered).toHaveLength(10);
    expect(registered[0]!.clientId).toBe(before.provider.info?.client_id);

    // A minute later the flood's next attempt is still refused (the window is 10 minutes); the
    // minute's other refusals are summed up in one row before it.
    minutes(1);
    expect(Object.fromEntries(await flood('Flood again', 1))).toEqual({ 429: 1 });
    const later = await rows('client.registration_refused');
    expect(later).toHaveLength(7);
    expect(later[5]!.reason).toMatch(
      /^Registration rate limit reached: refused 96 more registrations within a minute \("Flood \d+", .*, …\); the first 5 of a minute get a row each$/,
    );
    expect(later[5]!.detail).toEqual({ count: 96 });

    // Past the window the bound is free again: the bridge and another SDK client register and connect.
    minutes(10);
    const bridge = startBridge({ dataDir: fixture.dataDir });
    try {
      const consent = await pendingConsent(engine, 'Claude Desktop (via gatehouse bridge)');
      await engine.call('consents.approve', { id: consent.id, access: 'read' });
      await bridge.connected;
      expect((await bridge.client.listTools()).tools.map((tool) => tool.name)).toContain(
        'gatehouse__list_my_permissions',
      );
    } finally {
      await bridge.close();
    }
    const after = await authorizeClient(engine, { name: 'After the flood' });
    await after.client.listTools();
    await after.client.close();

    // The flood's registrations of its minute in one row, written with the next registration.
    const summaries = (await rows('client.registered')).filter((row) => row.clientId === null);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.reason).toMatch(
      /^290 more clients registered themselves within a minute \(Flood \d+ \(\S+\), .*, …\); the first 10 of a minute get a row each$/,
    );
    expect(summaries[0]!.detail).toEqual({ count: 290 });
    // 400 flooding registrations cost 10 + 1 + 7 rows.
    expect((await rows('client.registered')).length).toBe(10 + 1 + 2);
  }, 120_000);

  it("forgets a flood's leftovers in slices: a kept-alive client is answered meanwhile, and keeps its connection", async () => {
    fixture = await startEngine({
      registrationLimit: { count: 10, windowMs: 60_000, total: 100_000 },
      maxUnusedRegistrations: 20,
    });
    const { engine, clock } = fixture;
    expect(Object.fromEntries(await flood('Flood', 1000))).toEqual({ 201: 1000 });
    expect((await engine.call('clients.list')).length).toBe(1000);
    // Past the few minutes in which a registration is never forgotten.
    clock.advance(6 * 60_000);

    // A client on one kept-alive connection, asking again and again while the next registration
    // makes room.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const ask = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${engine.issuer}/`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('socket', (socket) => sockets.add(socket));
        req.on('error', reject);
        req.end();
      });
    expect(await ask()).toBe(200);
    const remaining = () => engineParts(engine).clients.count();
    expect((await register(engine, { client_name: 'After the minutes' })).status).toBe(201);
    let answeredMeanwhile = 0;
    while (remaining() > 20) {
      expect(await ask()).toBe(200);
      if (remaining() > 20) answeredMeanwhile += 1;
    }
    agent.destroy();
    // Answered between slices, on the one connection it opened first (no reset, no new socket).
    expect(answeredMeanwhile).toBeGreaterThan(0);
    expect(sockets.size).toBe(1);
    expect(remaining()).toBe(20);
    // 981 forgotten: one row for the first, the rest summed up when the minute is over.
    clock.advance(60_000);
    expect((await register(engine, { client_name: 'Next minute' })).status).toBe(201);
    await expect
      .poll(async () => (await rows('client.registration_evicted')).map((row) => row.detail))
      .toEqual([{ count: 1 }, { count: 980 }, { count: 1 }]);
  }, 120_000);

  // Quit while it forgets: as soon as the first slice has gone (most of the flood not yet forgotten),
  // and as soon as the last has (its checkpoint thread, with the database file open, just started).
  it.each([
    ['after its first slice', (left: number) => left < 1001],
    ['after its last slice', (left: number) => left === 20],
  ])(
    'stopped %s, waits for the forgetting and its checkpoint, and keeps what it did not forget',
    async (_, quitAt) => {
      const vault = memoryVault();
      fixture = await startEngine({
        registrationLimit: { count: 10, windowMs: 60_000, total: 100_000 },
        maxUnusedRegistrations: 20,
        keepDataDir: true,
        effects: { vault } as never,
      });
      const { engine, clock, dataDir } = fixture;
      expect(Object.fromEntries(await flood('Flood', 1000))).toEqual({ 201: 1000 });
      clock.advance(6 * 60_000);
      const { clients } = engineParts(engine);
      // Quit at once when the slice is committed (the client table's listeners hear of each slice).
      const running = fixture;
      const stopped = new Promise<void>((resolve, reject) =>
        clients.onChange(() => {
          if (quitAt(clients.count())) running.stop().then(resolve, reject);
        }),
      );
      expect((await register(engine, { client_name: 'Just before quitting' })).status).toBe(201);
      await stopped;
      fixture = undefined;
      // Nothing touches the data folder once the engine has stopped (the checkpoint's thread included).
      const touched: string[] = [];
      const watcher = watch(dataDir, (event, name) => touched.push(`${event} ${name}`));
      await new Promise((resolve) => setTimeout(resolve, 300));
      watcher.close();
      expect(touched).toEqual([]);

      // Started again on the same folder: every forgotten registration is in the activity log, and the
      // ones not forgotten are still there.
      fixture = await startEngine({
        dataDir,
        keepDataDir: true,
        maxUnusedRegistrations: 20,
        effects: { vault } as never,
      });
      const kept = (await fixture.engine.call('clients.list')).length;
      const forgotten = (await rows('client.registration_evicted')).reduce(
        (sum, row) => sum + (row.detail as { count: number }).count,
        0,
      );
      expect(kept).toBeGreaterThanOrEqual(20);
      expect(kept + forgotten).toBe(1001);
      await fixture.stop();
      fixture = undefined;
      // The folder goes without a retry: nothing is left open in it.
      expect(() => rmSync(dataDir, { recursive: true })).not.toThrow();
    },
    120_000,
  );
});
