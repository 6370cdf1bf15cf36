// A connection lost while a client's call is in flight, through the real engine to a real SDK client
// at Gatehouse's MCP endpoint: the call becomes the refusal a failed upstream call always becomes,
// carrying the reason the connector's status shows (not "Connection closed"). A stdio server that exits
// (test/fixtures/tree-server.mjs, `crash`) names its exit and its stderr line, and the connector comes
// back; a sessionful HTTP server killed with SIGKILL (test/fixtures/slow-http-server.mjs) names the drop.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { fixture as fixturePath } from '../../support/paths.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { killHard } from '../../support/serve-process.js';

let server: ChildProcess;
let url: string;
let fixture: EngineFixture;
let client: Client;

beforeAll(async () => {
  server = spawn(process.execPath, [fixturePath('slow-http-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(server.stdout!, 'data')) as [Buffer];
  url = `http://127.0.0.1:${port.toString().trim()}/mcp`;
  fixture = await startEngine();
  const { engine } = fixture;
  const added = await Promise.all([
    engine.call('connectors.add', {
      name: 'crashing',
      settings: { kind: 'stdio', command: process.execPath, args: [fixturePath('tree-server.mjs')] },
    }),
    engine.call('connectors.add', {
      name: 'killed',
      settings: { kind: 'http', url, transport: 'streamable-http' },
    }),
  ]);
  for (const { status } of added) expect(status.connection, JSON.stringify(status)).toBe('connected');
  ({ client } = await authorizeClient(engine, { access: 'read' }));
}, 60_000);

afterAll(async () => {
  if (server) await killHard(server);
  await client?.close();
  await fixture?.stop();
});

const call = async (tool: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
const refusal = (connector: string, reason: string) => ({
  isError: true,
  content: [{ type: 'text', text: `gatehouse: ${connector} did not complete the call: ${reason}` }],
});
const statusOf = async (name: string) => (await fixture.engine.call('connectors.get', { name })).status;

describe('a connection lost while a call is in flight, through the engine', () => {
  it('refuses the call with the exit sentence; the stdio connector comes back', async () => {
    const sentence = 'The server exited with code 3. Its stderr says: "tree-server: crashing on purpose"';
    const slow = call('crashing__slow');
    // The slow call is on its way to the server before the crash is asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await call('crashing__crash');
    const result = await slow;
    console.log(
      `stdio exit through the engine: refused ${(performance.now() - started).toFixed(0)} ms after the crash call`,
    );
    expect(result).toMatchObject(refusal('crashing', sentence));
    expect(await statusOf('crashing')).toMatchObject({ lastError: sentence });
    await expect
      .poll(async () => (await statusOf('crashing')).connection, { timeout: 10_000 })
      .toBe('connected');
    const pids = await call('crashing__pids');
    expect(pids.isError, JSON.stringify(pids)).toBeFalsy();
  }, 30_000);

  it("refuses the call with the drop's sentence when the HTTP server is killed", async () => {
    const slow = call('killed__slow');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killed = performance.now();
    await killHard(server);
    const result = await slow;
    console.log(
      `killed HTTP server through the engine: refused ${(performance.now() - killed).toFixed(0)} ms after the kill`,
    );
    const reason = (await statusOf('killed')).lastError;
    expect(reason).toMatch(/^Cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/mcp \(/);
    expect(result).toMatchObject(refusal('killed', reason!));
  }, 30_000);
});
