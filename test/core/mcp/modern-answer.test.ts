// A 2026-07-28 request's response is written from the message its server sent (modern-requests.ts)
// instead of reading the SDK's web Response back: that is only right while the SDK's JSON body is
// exactly JSON.stringify of that message. Checked here against the real SDK entry, for a result, a
// handler's error and a ladder error (another HTTP status).
import { describe, expect, it } from 'vitest';
import { createMcpHandler, ProtocolError, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { RelayServer } from '../../../main/core/mcp/relay-server.js';
import { envelope, modernHeaders } from '../../support/eras.js';

const MODERN = '2026-07-28';

function handler(heard: JSONRPCMessage[]) {
  return createMcpHandler(
    () => {
      const server = new RelayServer(
        { name: 'answer-test', version: '1.0.0' },
        { capabilities: { tools: {} } },
      );
      server.setRequestHandler('tools/list', () => ({ tools: [] }));
      server.setRequestHandler('tools/call', (request) => {
        if (request.params.name === 'fails') throw new ProtocolError(-32602, 'no such tool "fails" ✗');
        return { content: [{ type: 'text', text: `echo: ${JSON.stringify(request.params.arguments)} ✓` }] };
      });
      server.onResponse = (message) => heard.push(message);
      return server;
    },
    { legacy: 'reject' },
  );
}

async function exchange(body: {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params: { name?: string; [key: string]: unknown };
}): Promise<{ status: number; text: string; heard: JSONRPCMessage[] }> {
  const heard: JSONRPCMessage[] = [];
  const entry = handler(heard);
  const response = await entry.fetch(
    new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: modernHeaders(body.method, body.params.name || undefined, MODERN),
      body: JSON.stringify(body),
    }),
  );
  expect(response.headers.get('content-type')).toBe('application/json');
  const text = await response.text();
  await entry.close();
  return { status: response.status, text, heard };
}

describe("a 2026-07-28 request's response as a message", () => {
  it.each([
    ['a result', { name: 'echo', arguments: { text: '"quoted" ✓', n: 1.5 } }],
    ['an error from the handler', { name: 'fails', arguments: {} }],
  ])('%s: the JSON body is exactly JSON.stringify of the message the server sent', async (_what, params) => {
    const { text, heard } = await exchange({
      jsonrpc: '2.0',
      id: 'r-1',
      method: 'tools/call',
      params: { ...params, _meta: envelope(MODERN) },
    });
    expect(heard).toHaveLength(1);
    expect(text).toBe(JSON.stringify(heard[0]));
  });

  it('a method the server lacks: the ladder error, with its own status, is the message too', async () => {
    const { status, text, heard } = await exchange({
      jsonrpc: '2.0',
      id: 9,
      method: 'prompts/list',
      params: { _meta: envelope(MODERN) },
    });
    expect(heard).toHaveLength(1);
    expect(text).toBe(JSON.stringify(heard[0]));
    expect(JSON.parse(text)).toMatchObject({ id: 9, error: { code: -32601 } });
    expect(status).not.toBe(200);
  });
});
