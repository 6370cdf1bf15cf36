// The one response writer (sdk/response-writer.ts), as a 2026-07-28 clear-cut tools/call uses it,
// against the SDK's own entry, answer for answer:
// the same server instance behind both, the same tools/call sent to createMcpHandler's fetch and to a
// loopback HTTP server that serves it the way modern-requests.ts does. Status, content type and bytes
// must agree for each shape the SDK's per-request transport gives: a result, a handler's error, an
// error a handler relays (in-band), -32021 (400 at any time), a method the instance lacks (404, the
// dispatch window), notifications before the result or the error (SSE).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMcpHandler,
  inputRequired,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { RelayServer } from '../../../main/core/mcp/relay-server.js';
import { clearCutToolCall } from '../../../main/core/mcp/clear-cut-call.js';
import { requestView, responseJson } from '../../../main/core/mcp/web-exchange.js';
import { ResponseWriter, statelessStream } from '../../../main/core/sdk/response-writer.js';

const REVISION = '2026-07-28';
const envelope = {
  [PROTOCOL_VERSION_META_KEY]: REVISION,
  'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** The signals of the calls to `waits`, in order. */
const waiting: AbortSignal[] = [];
/** The instances the direct server made, in order. */
const served: RelayServer[] = [];

const tools: Record<string, (ctx: ServerContext) => Promise<unknown>> = {
  echo: async () => ({ content: [{ type: 'text', text: 'echo ✓' }] }),
  fails: async () => {
    throw new ProtocolError(-32602, 'no such thing "fails" ✗');
  },
  relays: async () => {
    throw new ProtocolError(-32022, 'the upstream named a revision it does not serve', { supported: [] });
  },
  asks: async () =>
    inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({
          message: 'Sure?',
          requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
        }),
      },
    }),
  chatty: async (ctx) => {
    for (const progress of [1, 2, 3])
      await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: 'p', progress } });
    await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: 'done' } });
    return { content: [{ type: 'text', text: 'after the noise' }] };
  },
  waits: (ctx) =>
    new Promise((resolve) => {
      waiting.push(ctx.mcpReq.signal);
      ctx.mcpReq.signal.addEventListener('abort', () => resolve({ content: [] }));
    }),
  'chatty-fails': async (ctx) => {
    await ctx.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 1 },
    });
    throw new ProtocolError(-32603, 'broke halfway');
  },
};

/** A fresh instance per request, as Gatehouse makes them; `bare` has no tools at all. */
function instance(bare: boolean): RelayServer {
  const server = new RelayServer(
    { name: 'exchange-test', version: '1.0.0' },
    { capabilities: bare ? {} : { tools: {}, logging: {} } },
  );
  if (!bare)
    server.setRequestHandler('tools/call', (request, ctx) => tools[request.params.name]!(ctx) as never);
  return server;
}

let direct: HttpServer;
let directUrl: string;
beforeAll(async () => {
  direct = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    const toolCall = clearCutToolCall(req, body);
    if (!toolCall) {
      res.writeHead(500).end('not clear-cut');
      return;
    }
    const server = instance(req.headers['x-bare'] === '1');
    served.push(server);
    server.bindRevision(REVISION);
    const exchange = new ResponseWriter(res, statelessStream(), responseJson);
    await server.connect(exchange);
    await exchange.serve(toolCall.message, {
      classification: toolCall.classification,
      request: requestView(req),
    });
  });
  await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve));
  directUrl = `http://127.0.0.1:${(direct.address() as AddressInfo).port}/mcp`;
});
afterAll(() => new Promise<void>((resolve) => direct.close(() => resolve())));

function request(name: string) {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 'x-1',
    method: 'tools/call',
    params: { name, arguments: {}, _meta: { ...envelope, progressToken: 'p' } },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': REVISION,
    'mcp-method': 'tools/call',
    'mcp-name': name,
  };
  return { body, headers };
}

async function both(name: string, bare = false) {
  const { body, headers } = request(name);
  const read = async (response: Response) => ({
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  });
  const entry = createMcpHandler(() => instance(bare), { legacy: 'reject' });
  const viaEntry = await read(
    await entry.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body })),
  );
  await entry.close();
  const viaExchange = await read(
    await fetch(directUrl, {
      method: 'POST',
      headers: { ...headers, ...(bare ? { 'x-bare': '1' } : {}) },
      body,
    }),
  );
  return { viaEntry, viaExchange };
}

describe('a tools/call through the response writer and through the SDK entry', () => {
  it.each([
    ['a result', 'echo', 200, 'application/json'],
    ["a handler's error (in-band)", 'fails', 200, 'application/json'],
    ['a -32022 a handler relays (in-band)', 'relays', 200, 'application/json'],
    ['input required without the capability (-32021)', 'asks', 400, 'application/json'],
    ['notifications, then the result', 'chatty', 200, 'text/event-stream'],
    ['a notification, then an error', 'chatty-fails', 200, 'text/event-stream'],
  ])('%s: the same status, type and bytes', async (_what, name, status, type) => {
    const { viaEntry, viaExchange } = await both(name);
    expect(viaExchange).toEqual(viaEntry);
    expect([viaExchange.status, viaExchange.type]).toEqual([status, type]);
  });

  it('an instance without tools/call: 404 and -32601 from the dispatch window, as the entry', async () => {
    const { viaEntry, viaExchange } = await both('echo', true);
    expect(viaExchange).toEqual(viaEntry);
    expect(viaExchange.status).toBe(404);
    expect(JSON.parse(viaExchange.text)).toMatchObject({ id: 'x-1', error: { code: -32601 } });
  });

  it('the SSE answer carries each notification before the result, in order', async () => {
    const { viaExchange } = await both('chatty');
    const messages = viaExchange.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { method?: string; result?: unknown });
    expect(
      messages.map((message) => message.method ?? Object.keys(message).find((key) => key === 'result')),
    ).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/progress',
      'notifications/message',
      'result',
    ]);
  });

  it('an exchange closed before its answer (the engine stops): 499 and the handler aborted, as the entry', async () => {
    const { body, headers } = request('waits');
    const entry = createMcpHandler(() => instance(false), { legacy: 'reject' });
    const viaEntry = entry.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body }));
    await expect.poll(() => waiting.length).toBe(1);
    await entry.close();
    const viaExchange = fetch(directUrl, { method: 'POST', headers, body });
    await expect.poll(() => waiting.length).toBe(2);
    await served.at(-1)!.close();
    const [a, b] = [await viaEntry, await viaExchange];
    expect([b.status, await b.text()]).toEqual([a.status, await a.text()]);
    expect(b.status).toBe(499);
    expect(waiting.map((signal) => signal.aborted)).toEqual([true, true]);
  });
});
