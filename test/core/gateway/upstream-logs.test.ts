// Log messages a 2025-era upstream sends during a tool call, through Gatehouse to both client eras
// (item 8): a real SDK v1 server (test/fixtures/log-burst-server.mjs) on stdio and on
// Streamable HTTP sends a burst of them, on the call's stream or on its session's, just before its
// result. A 2026-07-28 client has no stream but its call's: each message must be on it before the
// result, in order, every time. A 2025-era client hears them all, in order, on its session.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

const server = join(FIXTURES, 'log-burst-server.mjs');
const COUNT = 50;
const expected = Array.from({ length: COUNT }, (_, n) => `log ${n + 1} of ${COUNT}`);

let fixture: EngineFixture;
let httpServer: ChildProcess;
let modern: Client;
let legacy: Client;

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
  }
  modern = (await authorizeClient(engine, { era: '2026-07-28', access: 'read' })).client;
  legacy = (await authorizeClient(engine, { era: 'legacy', access: 'read' })).client;
  await legacy.setLoggingLevel('info');
}, 90_000);

afterAll(async () => {
  await Promise.all([modern?.close(), legacy?.close()]);
  await fixture?.stop();
  httpServer?.kill();
});

/** The log messages a client had heard when its call's result reached it, and what it heard later. */
async function callHearing(
  client: Client,
  args: { connector: string; related: boolean; pause: string; trailMs?: number },
): Promise<{ beforeResult: string[]; heard: string[] }> {
  const { connector, ...burst } = args;
  const heard: string[] = [];
  client.setNotificationHandler('notifications/message', (n) => void heard.push(String(n.params.data)));
  const result = await client.callTool({
    name: `${connector}__burst`,
    arguments: { count: COUNT, ...burst },
    ...(client === modern ? { _meta: { 'io.modelcontextprotocol/logLevel': 'info' } } : {}),
  });
  expect(result.content).toEqual([{ type: 'text', text: `sent ${COUNT}` }]);
  return { beforeResult: [...heard], heard };
}

const cases = ['stdio', 'http'].flatMap((connector) =>
  [true, false].flatMap((related) => ['none', 'macrotask'].map((pause) => ({ connector, related, pause }))),
);

describe('a 2026-07-28 client', () => {
  it.each(cases)(
    'gets every log message a 2025-era $connector upstream sent before its result (related: $related, pause: $pause) on its call, in order, before the result',
    async (args) => {
      for (let round = 0; round < 5; round++) {
        const { beforeResult } = await callHearing(modern, args);
        expect(beforeResult).toEqual(expected);
      }
    },
  );

  it('is not held by a 2025-era HTTP upstream that goes on logging after its result', async () => {
    // The wait for the GET stream to go quiet is bounded (250 ms): this server logs every 5 ms for
    // three seconds after its result, and the result still comes well before it stops.
    const started = performance.now();
    const { beforeResult } = await callHearing(modern, {
      connector: 'http',
      related: false,
      pause: 'none',
      trailMs: 3_000,
    });
    const took = performance.now() - started;
    expect(beforeResult.slice(0, COUNT)).toEqual(expected);
    expect(beforeResult.slice(COUNT).length).toBeGreaterThan(0);
    expect(took).toBeLessThan(2_000);
    // Its trailing messages would be taken for the next call's: let them end first.
    await new Promise((resolve) => setTimeout(resolve, 3_200 - took));
  });
});

describe('a 2025-era client', () => {
  // The call's own stream: the result waits only for what the upstream logged during the call
  // (no turn of the event loop when it logged nothing), and these must all precede it.
  it.each(cases.filter((one) => one.related))(
    'gets every log message a 2025-era $connector upstream sent on the call before its result (pause: $pause), in order, before the result',
    async (args) => {
      for (let round = 0; round < 5; round++) {
        const { beforeResult } = await callHearing(legacy, args);
        expect(beforeResult).toEqual(expected);
      }
    },
  );

  it.each(cases)(
    'hears every log message of a 2025-era $connector upstream (related: $related, pause: $pause), in order',
    async (args) => {
      for (let round = 0; round < 3; round++) {
        const { heard } = await callHearing(legacy, args);
        await expect.poll(() => heard).toEqual(expected);
      }
    },
  );
});
