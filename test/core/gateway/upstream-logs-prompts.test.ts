// Log messages a 2025-era upstream sends while it builds a prompt (prompts/get) or reads a resource
// (resources/read), through Gatehouse to both client eras, with the ordering tool calls have
// (upstream-logs.test.ts): the real SDK v1 server (test/fixtures/log-burst-server.mjs)
// on stdio and on Streamable HTTP sends a burst on the request's stream or its session's, just before
// its answer. A 2026-07-28 client that asked for logs hears each, in order, before the answer; a
// 2025-era client hears them all, in order, on its session.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

const server = join(FIXTURES, 'log-burst-server.mjs');
const COUNT = 50;
const expected = Array.from({ length: COUNT }, (_, n) => `log ${n + 1} of ${COUNT}`);
const LOG_LEVEL = { 'io.modelcontextprotocol/logLevel': 'info' };

let fixture: EngineFixture;
let httpServer: ChildProcess;
/** One client per era and connector, on /mcp/<connector> (the template is the same on both). */
const clients = new Map<string, Client>();

beforeAll(async () => {
  httpServer = spawn(process.execPath, [server, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: httpServer.stdout! }).once('line', resolve);
    httpServer.once('exit', (code) => reject(new Error(`log-burst-server exited (${code})`)));
  });
  fixture = await startEngine();
  const { engine } = fixture;
  const connectors = {
    stdio: { kind: 'stdio' as const, command: process.execPath, args: [server, 'stdio'] },
    http: { kind: 'http' as const, url, transport: 'streamable-http' as const },
  };
  for (const [name, settings] of Object.entries(connectors)) {
    const added = await engine.call('connectors.add', { name, settings });
    expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
    expect(added.status.protocolVersion).toBe('2025-11-25');
    for (const era of ['2026-07-28', 'legacy'] as ClientEra[]) {
      const { client } = await authorizeClient(engine, {
        era,
        access: 'read',
        url: `${engine.mcpUrl}/${name}`,
      });
      if (era === 'legacy') await client.setLoggingLevel('info');
      clients.set(`${era} ${name}`, client);
    }
  }
}, 90_000);

afterAll(async () => {
  await Promise.all([...clients.values()].map((client) => client.close()));
  await fixture?.stop();
  httpServer?.kill();
});

type Burst = { connector: string; related: boolean; pause: string };

/** The log messages a client had heard when the answer reached it, and what it heard in all. */
async function hearing(
  era: ClientEra,
  method: 'prompts/get' | 'resources/read',
  { connector, related, pause }: Burst,
): Promise<{ beforeAnswer: string[]; heard: string[] }> {
  const client = clients.get(`${era} ${connector}`)!;
  const heard: string[] = [];
  client.setNotificationHandler('notifications/message', (n) => void heard.push(String(n.params.data)));
  const _meta = era === '2026-07-28' ? LOG_LEVEL : undefined;
  if (method === 'prompts/get') {
    const prompt = await client.getPrompt({
      name: 'burst',
      arguments: { count: String(COUNT), related: String(related), pause },
      ...(_meta ? { _meta } : {}),
    });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: `sent ${COUNT}` } }]);
  } else {
    const uri = `burst://${COUNT}/${related}/${pause}`;
    const read = await client.readResource({ uri, ...(_meta ? { _meta } : {}) });
    expect(read.contents).toEqual([{ uri, text: `sent ${COUNT}` }]);
  }
  return { beforeAnswer: [...heard], heard };
}

const cases = (['prompts/get', 'resources/read'] as const).flatMap((method) =>
  ['stdio', 'http'].flatMap((connector) =>
    [true, false].flatMap((related) =>
      ['none', 'macrotask'].map((pause) => ({ method, connector, related, pause })),
    ),
  ),
);

describe('a 2026-07-28 client', () => {
  it.each(cases)(
    '$method: gets every log message a 2025-era $connector upstream sent before its answer (related: $related, pause: $pause), in order, before the answer',
    async ({ method, ...burst }) => {
      for (let round = 0; round < 3; round++) {
        const { beforeAnswer } = await hearing('2026-07-28', method, burst);
        expect(beforeAnswer).toEqual(expected);
      }
    },
  );

  it('hears none when it did not ask for logs', async () => {
    const client = clients.get('2026-07-28 http')!;
    const heard: string[] = [];
    client.setNotificationHandler('notifications/message', (n) => void heard.push(String(n.params.data)));
    await client.getPrompt({ name: 'burst', arguments: { count: '5', related: 'false', pause: 'none' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([]);
  });
});

describe('a 2025-era client', () => {
  it.each(cases)(
    '$method: hears every log message of a 2025-era $connector upstream (related: $related, pause: $pause), in order',
    async ({ method, ...burst }) => {
      for (let round = 0; round < 2; round++) {
        const { heard } = await hearing('legacy', method, burst);
        await expect.poll(() => heard).toEqual(expected);
      }
    },
  );
});
