// completion/complete forwarded as prompts/get is, against a 2025-era upstream (SDK v1) that logs and
// asks its client (elicitation/create) while it completes. A 2025-era session is asked on its own
// session and hears the log before its answer; a 2026-07-28 client, whose completion cannot carry
// input requests, gets a completion that ends saying why, and hears the log of one that asks nothing.
// Attacked on the real engine: a completion's question never reaches another client whose prompt is
// in flight to the same connector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';
import { startAskingLegacyServer, type AskingLegacyServer } from '../../fixtures/asking-legacy-server.js';

let fixture: EngineFixture;
let upstream: AskingLegacyServer;
const clients: Client[] = [];
const LOG_LEVEL = { 'io.modelcontextprotocol/logLevel': 'info' };
const briefing = { type: 'ref/prompt' as const, name: 'asking__briefing' };

beforeAll(async () => {
  upstream = await startAskingLegacyServer();
  fixture = await startEngine();
  const added = await fixture.engine.call('connectors.add', {
    name: 'asking',
    settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
  });
  expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await fixture?.stop();
  await upstream?.close();
});

/** A client of the era that answers elicitation with `topic`, noting every question and log it gets. */
async function client(era: ClientEra, topic = 'tides of march') {
  const heard: string[] = [];
  const { client } = await authorizeClient(fixture.engine, { era, capabilities: { elicitation: {} } });
  clients.push(client);
  client.setRequestHandler('elicitation/create', async (request) => {
    heard.push(`asked: ${request.params.message}`);
    return { action: 'accept', content: { topic } };
  });
  client.setNotificationHandler('notifications/message', async (notification) => {
    heard.push(`log: ${String(notification.params.data)}`);
  });
  if (era === 'legacy') await client.setLoggingLevel('info');
  return { client, heard };
}

describe("a 2025-era server's question while it completes", () => {
  it('is asked of a 2025-era client on its own session, whose log comes before the answer', async () => {
    const { client: legacy, heard } = await client('legacy');
    const result = await legacy.complete({ ref: briefing, argument: { name: 'topic', value: 'ti' } });
    heard.push('answer');
    expect(result.completion.values).toEqual(['tides of march', 'tides', 'tidal power']);
    expect(heard).toEqual(['log: completing topic=ti', 'asked: Which topic do you follow?', 'answer']);
  });

  it('ends a 2026-07-28 client’s completion saying why: its answer cannot carry the question', async () => {
    const { client: modern, heard } = await client('2026-07-28');
    await expect(
      modern.complete({ ref: briefing, argument: { name: 'topic', value: 'ti' } }),
    ).rejects.toMatchObject({
      code: -32600,
      message: expect.stringContaining(
        "gatehouse: asking asked for elicitation while completing asking__briefing; a 2026-07-28 client can answer a server's questions only during a tool call, prompt or resource read, so the completion ended",
      ),
    });
    expect(heard.filter((line) => line.startsWith('asked'))).toEqual([]);
  });

  it('gives a 2026-07-28 client that asked for logs the log of a completion before its answer', async () => {
    const { client: modern, heard } = await client('2026-07-28');
    const result = await modern.complete({
      ref: briefing,
      argument: { name: 'style', value: 't' },
      _meta: LOG_LEVEL,
    });
    heard.push('answer');
    expect(result.completion.values).toEqual(['tides', 'tidal power']);
    expect(heard).toEqual(['log: completing style=t', 'answer']);
  });

  it("never puts one client's completion question to another client whose prompt is in flight", async () => {
    const { client: other, heard: otherHeard } = await client('legacy', 'not yours');
    const slow = other.getPrompt({ name: 'asking__briefing', arguments: { topic: 'slow' } });
    slow.catch(() => undefined);
    await expect.poll(() => upstream.started.includes('prompts/get slow')).toBe(true);
    const { client: completing, heard } = await client('legacy');
    await expect(
      completing.complete({ ref: briefing, argument: { name: 'topic', value: 'ti' } }),
    ).rejects.toThrow(
      /gatehouse: elicitation\/create from asking could belong to several clients' calls; Gatehouse will not guess/,
    );
    expect(otherHeard.filter((line) => line.startsWith('asked'))).toEqual([]);
    expect(heard.filter((line) => line.startsWith('asked'))).toEqual([]);
    await other.close();
  });
});
