// A 2025-era session's tools/list goes out from the JSON made on its first send (serializeOnce): with
// thousands of tools, serializing the list again on every list_changed is most of the answer time.
// The engine runs in this process, so JSON.stringify is watched for a whole tools/list result.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens } from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await fixture?.stop();
});

/** Whether `value` is a tools/list result, or a JSON-RPC message carrying one. */
function holdsToolList(value: unknown): boolean {
  const object = value as { tools?: unknown; result?: { tools?: unknown } } | null;
  return Array.isArray(object?.tools) || Array.isArray(object?.result?.tools);
}

it('serializes a session’s tools/list once, however often the session lists', async () => {
  const { engine } = fixture;
  const token = (await obtainTokens(engine)).accessToken;
  const opened = await mcpPost(engine, token, initializeMessage);
  const session = { 'mcp-session-id': opened.sessionId!, 'mcp-protocol-version': '2025-11-25' };
  await mcpPost(engine, token, { jsonrpc: '2.0', method: 'notifications/initialized' }, '/mcp', session);

  const stringify = vi.spyOn(JSON, 'stringify');
  const lists = [];
  for (let id = 10; id < 13; id++) {
    lists.push(await mcpPost(engine, token, { jsonrpc: '2.0', id, method: 'tools/list' }, '/mcp', session));
  }
  const listSerializations = stringify.mock.calls.filter(([value]) => holdsToolList(value)).length;
  stringify.mockRestore();

  for (const list of lists) {
    const tools = (JSON.parse(list.body) as { result: { tools: Array<{ name: string }> } }).result.tools;
    expect(tools.map((tool) => tool.name)).toContain('gatehouse__whoami');
  }
  expect(listSerializations).toBe(1);
});
