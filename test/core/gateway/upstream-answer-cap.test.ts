// A hostile upstream's 20 MB answer (answer-cap.ts), through the real engine to a real SDK client at
// Gatehouse's MCP endpoint: the call becomes the refusal a failed upstream call always becomes,
// carrying the cap's sentence; the connector's status shows the sentence as its last error; and the
// same client's next calls, to another connector and to the same one, work. Over HTTP the connection
// goes on; a stdio server's 20 MB line loses it, and the connector is started again. So does a 20 MB
// event on a legacy HTTP+SSE server's own stream, which carries every answer: the call waiting on it
// is refused with the sentence, not with "Connection closed".
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { fixture as fixturePath } from '../../support/paths.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { startOversizedHttpServer, type OversizedHttpServer } from '../../support/oversized-http-server.js';

let hostile: OversizedHttpServer;
let fixture: EngineFixture;
let client: Client;

beforeAll(async () => {
  hostile = await startOversizedHttpServer();
  fixture = await startEngine();
  const { engine } = fixture;
  const added = await Promise.all([
    engine.call('connectors.add', {
      name: 'hostile',
      settings: { kind: 'http', url: hostile.url, transport: 'streamable-http' },
    }),
    engine.call('connectors.add', {
      name: 'stream',
      settings: { kind: 'http', url: `${hostile.origin}/legacy/sse`, transport: 'sse' },
    }),
    engine.call('connectors.add', {
      name: 'big',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [fixturePath('oversized-line-server.mjs')],
      },
    }),
    engine.call('connectors.add', {
      name: 'healthy',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [fixturePath('era-stdio-server.mjs'), 'dual'],
      },
    }),
  ]);
  for (const { status } of added) expect(status.connection, JSON.stringify(status)).toBe('connected');
  client = (await authorizeClient(engine, { access: 'read', name: 'Reader' })).client;
}, 60_000);

afterAll(async () => {
  await client?.close();
  await fixture?.stop();
  hostile?.stop();
});

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

/** What an echo tool answered through Gatehouse, checked to be no error. */
async function echoed(tool: string, said: string): Promise<string> {
  const result = (await client.callTool({ name: tool, arguments: { text: said } })) as CallToolResult;
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  return text(result);
}

/**
 * Calls `connector`'s `tool` and expects the refusal carrying `sentence`, within seconds; the
 * connector's status after.
 */
/** While `connector` is down the healthy one answers; then it reconnects and answers its own echo. */
async function othersAnswerAndItComesBack(connector: string) {
  expect(await echoed('healthy__echo', 'meanwhile')).toBe('dual: meanwhile');
  await expect
    .poll(async () => (await fixture.engine.call('connectors.get', { name: connector })).status.connection, {
      timeout: 10_000,
    })
    .toBe('connected');
  expect(await echoed(`${connector}__echo`, 'back')).toBe('back');
}

async function refusedWith(connector: string, tool: string, sentence: string) {
  const started = performance.now();
  const result = (await client.callTool({ name: `${connector}__${tool}`, arguments: {} })) as CallToolResult;
  const ms = performance.now() - started;
  console.log(`${connector}__${tool} through the engine: refused in ${ms.toFixed(0)} ms`);
  expect(result).toMatchObject({
    isError: true,
    content: [{ type: 'text', text: `gatehouse: ${connector} did not complete the call: ${sentence}` }],
  });
  // Refused as the cap is passed, not when the call's time runs out (30 s, the connector's default):
  // a loaded machine may take seconds to move 16 MB.
  expect(ms).toBeLessThan(15_000);
  return (await fixture.engine.call('connectors.get', { name: connector })).status;
}

describe('an upstream answer past the cap, through the engine', () => {
  it('fails that call with the sentence, shows it in the status, and the next calls work', async () => {
    const sentence = `The server at ${hostile.url} answered to tools/call with more than 16 MB in one message (Gatehouse's cap for one MCP message), so Gatehouse stopped reading and failed that request. If the server is yours, make its answers smaller (page its lists; return large content as resources); otherwise tell its maintainers.`;
    const status = await refusedWith('hostile', 'json-20mb', sentence);
    expect(status).toMatchObject({ connection: 'connected', lastError: sentence });

    expect(await echoed('healthy__echo', 'still here')).toBe('dual: still here');
    expect(await echoed('hostile__echo', 'small')).toBe('small');
  }, 30_000);

  it('fails a stdio call with the sentence, shows it, and the connector comes back', async () => {
    const sentence = `The server "big" sent more than 16 MB in one message (Gatehouse's cap for one MCP message) on its standard output, so Gatehouse stopped it and failed the requests waiting for its answers. If the server is yours, make its answers smaller (page its lists; return large content as resources); otherwise tell its maintainers.`;
    const status = await refusedWith('big', 'huge', sentence);
    expect(status).toMatchObject({ connection: 'error', lastError: sentence });

    await othersAnswerAndItComesBack('big');
  }, 30_000);

  it("fails a call waiting on an HTTP server's own stream with the sentence, and it comes back", async () => {
    const sentence = `The server at ${hostile.origin}/legacy/sse sent more than 16 MB in one message (Gatehouse's cap for one MCP message) on its event stream, so Gatehouse closed the connection and failed the requests waiting for its answers. If the server is yours, send smaller messages; otherwise tell its maintainers.`;
    const status = await refusedWith('stream', 'flood-while-waiting', sentence);
    expect(status).toMatchObject({ connection: 'error', lastError: sentence });

    await othersAnswerAndItComesBack('stream');
  }, 30_000);
});
