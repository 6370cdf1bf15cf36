// Both eras on both sides of the same /mcp: a 2026-07-28-only upstream and a 2025-era-only upstream
// behind Gatehouse, called by real SDK clients of every kind — SDK v1 (2025-era), SDK v2 with the
// 2025 handshake, SDK v2 negotiating (auto) and SDK v2 pinned to 2026-07-28. Tool calls, a user's
// input asked for in the middle of a call (elicitation) in all four era combinations, list changes
// and resource updates, and revoke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';
import { mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import { startEraUpstream, type EraUpstream } from '../../fixtures/era-upstreams.js';

let fixture: EngineFixture;
let modern: EraUpstream;
let legacy: EraUpstream;
/** Every kind of client, connected to /mcp with a read grant. */
const clients = new Map<string, { call: Caller; era: 'modern' | 'legacy' }>();
/** The SDK v2 clients by how they negotiated. */
const v2clients = new Map<ClientEra, Client>();

/** What the tests need of a client, whichever SDK made it. */
interface Caller {
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** The user says yes to a confirmation and picks a short briefing. */
const answerYes = async () => ({ action: 'accept' as const, content: { ok: true, depth: 'short' } });

beforeAll(async () => {
  [modern, legacy] = await Promise.all([startEraUpstream('modern-only'), startEraUpstream('legacy-only')]);
  fixture = await startEngine();
  const { engine } = fixture;
  for (const [name, upstream] of [
    ['modern', modern],
    ['legacy', legacy],
  ] as const) {
    const added = await engine.call('connectors.add', {
      name,
      settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
    });
    expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  }
  expect((await engine.call('connectors.get', { name: 'modern' })).status.protocolVersion).toBe('2026-07-28');
  expect((await engine.call('connectors.get', { name: 'legacy' })).status.protocolVersion).toBe('2025-11-25');

  for (const era of ['legacy', 'auto', '2026-07-28'] as ClientEra[]) {
    const { client } = await authorizeClient(engine, { era, capabilities: { elicitation: {} } });
    client.setRequestHandler('elicitation/create', answerYes);
    v2clients.set(era, client);
    clients.set(`SDK v2 (${era})`, { call: v2(client), era: client.getProtocolEra()! });
  }
  const tokens = await obtainTokens(engine, { access: 'read' });
  const v1 = new V1Client({ name: 'sdk-v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  v1.setRequestHandler(ElicitRequestSchema, answerYes);
  await v1.connect(
    new V1Transport(new URL(engine.mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${tokens.accessToken}` } },
    }),
  );
  clients.set('SDK v1', {
    era: 'legacy',
    call: {
      callTool: async (name, args) => (await v1.callTool({ name, arguments: args })) as CallToolResult,
      close: () => v1.close(),
    },
  });
}, 60_000);

afterAll(async () => {
  for (const { call } of clients.values()) await call.close().catch(() => undefined);
  await fixture?.stop();
  await Promise.all([modern?.close(), legacy?.close()]);
});

function v2(client: Client): Caller {
  return {
    callTool: (name, args) => client.callTool({ name, arguments: args }),
    close: () => client.close(),
  };
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('one /mcp for clients and servers of both eras', () => {
  it('negotiates each client into its era', () => {
    expect(Object.fromEntries([...clients].map(([name, { era }]) => [name, era]))).toEqual({
      'SDK v1': 'legacy',
      'SDK v2 (legacy)': 'legacy',
      'SDK v2 (auto)': 'modern',
      'SDK v2 (2026-07-28)': 'modern',
    });
  });

  it('lets every client call tools on the 2026-07-28 upstream and the 2025-era one', async () => {
    for (const [name, { call }] of clients) {
      expect(text(await call.callTool('modern__echo', { text: name })), name).toBe(
        `modern-only-fixture: ${name}`,
      );
      expect(text(await call.callTool('legacy__echo', { text: name })), name).toBe(
        `legacy-only-fixture: ${name}`,
      );
    }
  });

  it("carries an upstream's question to the user across eras both ways, and the answer back", async () => {
    // modern upstream → legacy client: its InputRequiredResult becomes an elicitation/create request;
    // legacy upstream → modern client: its elicitation/create becomes an InputRequiredResult.
    for (const [name, { call }] of clients) {
      expect(text(await call.callTool('modern__confirm', { action: 'deploy' })), name).toBe('deploy: done');
      expect(text(await call.callTool('legacy__confirm', { action: 'deploy' })), name).toBe('deploy: done');
    }
  });

  it('asks the user for input a prompt needs, for clients and upstreams of both eras', async () => {
    const briefing = (client: Client, connector: string) =>
      client.getPrompt({ name: `${connector}__briefing`, arguments: { topic: 'tides' } });
    const legacyClient = v2clients.get('legacy')!;
    expect((await briefing(legacyClient, 'legacy')).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'A short briefing on tides' } },
    ]);
    // And from a 2026-07-28 upstream, whose InputRequiredResult the gateway turns into the question.
    expect((await briefing(legacyClient, 'modern')).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'A short briefing on tides' } },
    ]);
    // A 2026-07-28 client gets the 2025-era upstream's question in an InputRequiredResult, and its
    // retry answers the prompts/get waiting parked in Gatehouse (more in prompt-input.test.ts).
    expect((await briefing(v2clients.get('2026-07-28')!, 'legacy')).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'A short briefing on tides' } },
    ]);
  });
});

describe('changes reach clients of both eras from upstreams of both eras', () => {
  it('says a list changed to a 2025-era session and to a 2026-07-28 listen stream', async () => {
    const modernClient = v2clients.get('auto')!;
    const legacyClient = v2clients.get('legacy')!;
    const heard = { modern: 0, legacy: 0 };
    modernClient.setNotificationHandler('notifications/tools/list_changed', () => void heard.modern++);
    legacyClient.setNotificationHandler('notifications/tools/list_changed', () => void heard.legacy++);
    const subscription = await modernClient.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
    modern.addTool();
    await expect.poll(() => heard).toEqual({ modern: 1, legacy: 1 });
    legacy.addTool();
    await expect.poll(() => heard).toEqual({ modern: 2, legacy: 2 });
    const names = (await modernClient.listTools(undefined, { cacheMode: 'refresh' })).tools.map(
      (t) => t.name,
    );
    expect(names).toEqual(expect.arrayContaining(['modern__extra_1', 'legacy__extra_1']));
    await subscription.close();
  });

  it('delivers resource updates from either upstream to subscribers of either era, by the URI they know', async () => {
    const modernClient = v2clients.get('2026-07-28')!;
    const legacyClient = v2clients.get('legacy')!;
    // Both upstreams list fixture://counter, so each is exposed in the explicit form.
    const uris = (await modernClient.listResources()).resources.map((r) => r.uri).sort();
    expect(uris).toEqual([
      `gatehouse://legacy/${encodeURIComponent('fixture://counter')}`,
      `gatehouse://modern/${encodeURIComponent('fixture://counter')}`,
    ]);
    const updates: Record<'modern' | 'legacy', string[]> = { modern: [], legacy: [] };
    modernClient.setNotificationHandler(
      'notifications/resources/updated',
      (n) => void updates.modern.push(n.params.uri),
    );
    legacyClient.setNotificationHandler(
      'notifications/resources/updated',
      (n) => void updates.legacy.push(n.params.uri),
    );
    const subscription = await modernClient.listen({ resourceSubscriptions: uris });
    expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: uris });
    for (const uri of uris) await legacyClient.subscribeResource({ uri });
    modern.bump();
    legacy.bump();
    await expect.poll(() => updates.modern.sort()).toEqual(uris);
    await expect.poll(() => updates.legacy.sort()).toEqual(uris);
    await subscription.close();
    for (const uri of uris) await legacyClient.unsubscribeResource({ uri });
  });
});

describe('revoke', () => {
  it("ends a 2026-07-28 client's listen streams at once and refuses its next request", async () => {
    const { engine } = fixture;
    const { client, provider } = await authorizeClient(engine, { era: '2026-07-28' });
    const subscription = await client.listen({ toolsListChanged: true });
    expect((await engine.call('clients.get', { clientId: provider.info!.client_id })).openConnections).toBe(
      1,
    );
    const revoked = await engine.call('clients.revoke', { clientId: provider.info!.client_id });
    // "At once": nothing else ends a listen stream within seconds, so a bound of seconds still tells
    // "closed by the revoke" from "left open", and a loaded 2-core machine does not trip it.
    const at = performance.now();
    expect(await subscription.closed).toBe('graceful');
    expect(performance.now() - at).toBeLessThan(2_000);
    expect(revoked.sessionsClosed).toBe(1);
    // Its token is refused, and the SDK's attempt to refresh it is refused too.
    const { status } = await mcpPost(engine, provider.savedTokens!.access_token, {
      jsonrpc: '2.0',
      id: 1,
      method: 'server/discover',
      params: {},
    });
    expect(status).toBe(401);
    await expect(client.callTool({ name: 'modern__echo', arguments: { text: 'x' } })).rejects.toThrow(
      'You revoked this client in Gatehouse',
    );
  });
});
