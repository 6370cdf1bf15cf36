// How the MCP endpoint answers a POST: one JSON body when the call completes with nothing but its
// response, the SDK's SSE stream (priming event first) the moment a handler sends anything else or
// the call runs long; and the request view the SDK's transport reads, checked against the real SDK.
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/server';
import {
  exchange,
  ExchangeTransport,
  requestView,
  serializeOnce,
} from '../../../main/core/mcp/web-exchange.js';
import { sseData } from '../../../main/core/mcp/sse-relay.js';
import { SessionEventStore } from '../../../main/core/mcp/session-event-store.js';

const STREAM_AFTER_MS = 60;
/** Holds the `gated` tool until the test opens it. */
let gate = newGate();
function newGate(): { promise: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
const unknownReads: string[] = [];

/** requestView, reporting any property the SDK reads that the view does not have. */
function strictView(req: IncomingMessage): Request {
  const watch = <T extends object>(target: T, name: string): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        if (typeof property === 'string' && !(property in object)) unknownReads.push(`${name}.${property}`);
        const value: unknown = Reflect.get(object, property, receiver);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  const view = requestView(req) as unknown as { headers: object };
  return watch({ ...view, headers: watch(view.headers, 'headers') }, 'request') as unknown as Request;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A prompts/list result sent from its cached JSON: changing it afterwards shows whether the cache was used. */
const promptsOnce = serializeOnce({ prompts: [{ name: 'first' }] });

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'exchange-test', version: '1.0.0' });
  server.server.registerCapabilities({ prompts: {} });
  server.server.setRequestHandler('prompts/list', () => promptsOnce);
  server.registerTool('quick', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text: `quick: ${text}` }],
  }));
  server.registerTool('progress', {}, async (extra) => {
    const token = extra.mcpReq._meta?.progressToken;
    if (token !== undefined) {
      for (const progress of [1, 2]) {
        await extra.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress, total: 2 },
        });
      }
    }
    return { content: [{ type: 'text', text: 'done' }] };
  });
  server.registerTool('slow', {}, async () => {
    await sleep(STREAM_AFTER_MS * 3);
    return { content: [{ type: 'text', text: 'slow done' }] };
  });
  // Runs until the test lets it finish: what arrives before that cannot be its result.
  server.registerTool('gated', {}, async () => {
    await gate.promise;
    return { content: [{ type: 'text', text: 'gated done' }] };
  });
  return server;
}

let http: HttpServer;
let url: string;
beforeAll(async () => {
  const sessions = new Map<string, ExchangeTransport>();
  http = createServer((req, res) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body: unknown = text ? JSON.parse(text) : undefined;
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        const created: ExchangeTransport = new ExchangeTransport({
          sessionIdGenerator: () => randomUUID(),
          eventStore: new SessionEventStore(),
          retryInterval: 1_000,
          onsessioninitialized: (sessionId): void => {
            sessions.set(sessionId, created);
          },
        });
        await mcpServer().connect(created);
        transport = created;
      }
      await exchange(
        transport,
        req,
        res,
        body,
        { token: 't', clientId: 'c', scopes: [] },
        {
          // A test asks for the stream at once (no hold) to compare both answers to one request.
          streamAfterMs: req.headers['x-stream-at-once'] ? 0 : STREAM_AFTER_MS,
          view: strictView,
        },
      );
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
};

async function session(): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    }),
  });
  await res.text();
  const id = res.headers.get('mcp-session-id')!;
  await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': id },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  return id;
}

function call(
  sessionId: string,
  body: unknown,
  signal?: AbortSignal,
  extra: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': sessionId, ...extra },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

const callTool = (id: number, name: string, args: Record<string, unknown> = {}, meta?: object) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
});

/** The events of an SSE body: each with its id and data. */
function events(text: string): Array<{ id?: string; data: string }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return { ...(fields.id ? { id: fields.id } : {}), data: fields.data ?? '' };
    });
}

describe('answers to a POST', () => {
  it('a call that completes with only its response is one JSON body with a length', async () => {
    const id = await session();
    const res = await call(id, callTool(7, 'quick', { text: 'hi' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBe(id);
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { content: [{ type: 'text', text: 'quick: hi' }] },
    });
  });

  it("a held response is taken as a message: its JSON is byte for byte the SSE event's data", async () => {
    const id = await session();
    const request = callTool(14, 'quick', { text: 'same bytes ✓ "quoted"' });
    const direct = await call(id, request);
    expect(direct.headers.get('content-type')).toBe('application/json');
    const json = Buffer.from(await direct.arrayBuffer());
    const streamed = await call(id, request, undefined, { 'x-stream-at-once': '1' });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    const data = sseData(Buffer.from(await streamed.arrayBuffer()));
    expect(data).toHaveLength(1);
    expect(json.equals(data[0]!)).toBe(true);
    // An error response takes the same way.
    const unknown = { jsonrpc: '2.0', id: 15, method: 'no/such/method' };
    const directError = Buffer.from(await (await call(id, unknown)).arrayBuffer());
    const streamedError = sseData(
      Buffer.from(await (await call(id, unknown, undefined, { 'x-stream-at-once': '1' })).arrayBuffer()),
    );
    expect(JSON.parse(directError.toString())).toMatchObject({ id: 15, error: { code: -32601 } });
    expect(directError.equals(streamedError[0]!)).toBe(true);
  });

  it('a session ended while a call is held answers with the stream as it was: no result, no hang', async () => {
    const id = await session();
    const held = call(id, callTool(16, 'slow'));
    await sleep(10);
    const ended = await fetch(url, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': id } });
    expect(ended.status).toBe(200);
    const res = await held;
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(sseData(Buffer.from(await res.arrayBuffer()))).toEqual([]);
  });

  it('a call that sends progress is the SSE stream: priming event, progress, then the result', async () => {
    const id = await session();
    const res = await call(id, callTool(8, 'progress', {}, { progressToken: 'p1' }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const sent = events(await res.text());
    expect(sent[0]).toMatchObject({ data: '' });
    expect(sent[0]!.id).toBeTruthy();
    expect(sent.slice(1).map((event) => JSON.parse(event.data) as { method?: string; id?: number })).toEqual([
      expect.objectContaining({
        method: 'notifications/progress',
        params: expect.objectContaining({ progress: 1 }),
      }),
      expect.objectContaining({
        method: 'notifications/progress',
        params: expect.objectContaining({ progress: 2 }),
      }),
      expect.objectContaining({ id: 8, result: { content: [{ type: 'text', text: 'done' }] } }),
    ]);
  });

  it('a call still running after the hold opens its stream: the priming event comes before the result', async () => {
    const id = await session();
    gate = newGate();
    // The tool cannot finish until the gate opens, so headers that arrive now came with the hold.
    const res = await call(id, callTool(9, 'gated'));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = Buffer.from((await reader.read()).value!).toString();
    expect(events(first)[0]).toMatchObject({ data: '' });
    gate.open();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += Buffer.from(chunk.value).toString();
    const result = events(rest).find((event) => event.data);
    expect(JSON.parse(result!.data)).toMatchObject({ id: 9, result: { content: [{ text: 'gated done' }] } });
  });

  it('a batch of requests is one JSON array of their responses', async () => {
    const id = await session();
    const res = await call(id, [callTool(10, 'quick', { text: 'a' }), callTool(11, 'quick', { text: 'b' })]);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Array<{ id: number; result: { content: Array<{ text: string }> } }>;
    expect(body.map((r) => [r.id, r.result.content[0]!.text])).toEqual([
      [10, 'quick: a'],
      [11, 'quick: b'],
    ]);
  });

  it('notifications alone are accepted with 202 and no body', async () => {
    const id = await session();
    const res = await call(id, { jsonrpc: '2.0', method: 'notifications/roots/list_changed' });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  it('a client that goes away while its answer is held leaves the session working', async () => {
    const id = await session();
    const abort = new AbortController();
    const gone = call(id, callTool(12, 'slow'), abort.signal).catch((error: unknown) => error);
    await sleep(10);
    abort.abort();
    expect(await gone).toBeInstanceOf(Error);
    const res = await call(id, callTool(13, 'quick', { text: 'still here' }));
    expect(JSON.parse(await res.text())).toMatchObject({
      id: 13,
      result: { content: [{ text: 'quick: still here' }] },
    });
  });

  it("the SDK's own client gets results, progress and the standalone stream through it", async () => {
    const client = new Client({ name: 'exchange-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const progress: number[] = [];
    const quick = await client.callTool({ name: 'quick', arguments: { text: 'sdk' } });
    const withProgress = await client.callTool(
      { name: 'progress', arguments: {} },
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    const slow = await client.callTool({ name: 'slow', arguments: {} });
    expect([quick, withProgress, slow].map((r) => (r.content as Array<{ text: string }>)[0]!.text)).toEqual([
      'quick: sdk',
      'done',
      'slow done',
    ]);
    expect(progress).toEqual([1, 2]);
    await client.close();
  });

  it('a result marked serializeOnce goes out from the JSON made on its first send', async () => {
    const id = await session();
    const first = await call(id, { jsonrpc: '2.0', id: 20, method: 'prompts/list' });
    expect(JSON.parse(await first.text())).toEqual({
      jsonrpc: '2.0',
      id: 20,
      result: { prompts: [{ name: 'first' }] },
    });
    // A marked result must not change; doing so here shows the second answer did not serialize it again.
    promptsOnce.prompts.push({ name: 'added later' });
    const second = await call(id, { jsonrpc: '2.0', id: 21, method: 'prompts/list' });
    expect(JSON.parse(await second.text())).toEqual({
      jsonrpc: '2.0',
      id: 21,
      result: { prompts: [{ name: 'first' }] },
    });
  });

  it('the SDK transport reads nothing of the request view beyond method, url and headers', () => {
    // Every exchange above (initialize, calls, notifications, the client's GET stream and DELETE)
    // went through the strict view.
    expect(unknownReads).toEqual([]);
  });
});

describe('sseData', () => {
  it('returns the data of each event, skipping events without data (the priming event)', () => {
    const bytes = Buffer.from('id: a.0\nretry: 1000\ndata: \n\nevent: message\nid: a.1\ndata: {"x":1}\n\n');
    expect(sseData(bytes).map(String)).toEqual(['{"x":1}']);
  });

  it('joins several data lines with a newline, takes CRLF and data without a space', () => {
    const bytes = Buffer.from('data: one\r\ndata:two\r\n\r\ndata: three');
    expect(sseData(bytes).map(String)).toEqual(['one\ntwo', 'three']);
  });
});
