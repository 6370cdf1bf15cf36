// `gatehouse bridge` relays a stdio client of either era. The client is the SDK v2 Client over its
// own StdioClientTransport (as a host launches the bridge), in `auto`, pinned-2026 and legacy mode;
// behind the bridge (`--url`) is a real SDK v2 server, `createMcpHandler`, which serves both eras on
// one URL and checks the 2026 request headers. The server records every request it gets, so the
// tests see what went over HTTP: no initialize and no session for a modern client, the request
// metadata headers, `subscriptions/listen` streams, cancellation by closing a stream.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  createMcpHandler,
  fromJsonSchema,
  McpServer,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bridgeEnv, CLI, waitFor } from '../support/bridge-fixture.js';

interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: { method?: string; params?: { _meta?: Record<string, unknown> } } | undefined;
}

let handler: McpHttpHandler;
let http: Server;
let url: string;
const seen: Seen[] = [];
const cancelled: string[] = [];
let dataDir: string;

/** The SDK v2 server: an echo tool, a tool with an `x-mcp-header` argument, and one that waits until cancelled. */
function buildServer(): McpServer {
  const server = new McpServer({ name: 'era-server', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }, ctx) => ({
    content: [{ type: 'text', text: `${text} (${ctx.mcpReq.envelope ? 'modern' : 'legacy'})` }],
  }));
  server.registerTool(
    'query',
    {
      // x-mcp-header is an extension keyword the JSON Schema types do not list.
      inputSchema: fromJsonSchema({
        type: 'object',
        properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, sql: { type: 'string' } },
        required: ['region', 'sql'],
      } as Parameters<typeof fromJsonSchema>[0]),
    },
    async (args) => ({ content: [{ type: 'text', text: `ran in ${(args as { region: string }).region}` }] }),
  );
  server.registerTool('wait', { inputSchema: z.object({ label: z.string() }) }, async ({ label }, ctx) => {
    await new Promise<void>((resolve) => ctx.mcpReq.signal.addEventListener('abort', () => resolve()));
    cancelled.push(label);
    return { content: [{ type: 'text', text: 'cancelled' }] };
  });
  return server;
}

beforeAll(async () => {
  handler = createMcpHandler(() => buildServer());
  http = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Seen['body'];
      try {
        body = text ? (JSON.parse(text) as Seen['body']) : undefined;
      } catch {
        body = undefined;
      }
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      const aborted = new AbortController();
      res.on('close', () => aborted.abort());
      const response = await handler.fetch(
        new Request(`${url}${req.url?.replace(/^\/mcp/, '') ?? ''}`, {
          method: req.method ?? 'GET',
          headers: Object.entries(req.headers).flatMap(([name, value]) =>
            value === undefined
              ? []
              : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
          ),
          ...(text && req.method !== 'GET' ? { body: text } : {}),
          signal: aborted.signal,
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      const stream = Readable.fromWeb(response.body as never);
      res.on('close', () => stream.destroy());
      stream.pipe(res);
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bridge-eras-'));
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await handler.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  seen.length = 0;
});

/** An SDK v2 client that launches `gatehouse bridge --url <the SDK server>` over stdio. */
async function bridgedClient(
  versionNegotiation?: ConstructorParameters<typeof Client>[1] extends infer O
    ? O extends { versionNegotiation?: infer V }
      ? V
      : never
    : never,
): Promise<Client> {
  const client = new Client(
    { name: 'stdio-host-under-test', version: '1.0.0' },
    versionNegotiation ? { versionNegotiation } : {},
  );
  clients.push(client);
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'bridge', '--data-dir', dataDir, '--name', 'Era Test', '--url', url],
      env: bridgeEnv(),
      stderr: 'pipe',
    }),
  );
  return client;
}

const methods = () =>
  seen.filter((request) => request.method === 'POST').map((request) => request.body?.method);
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]!.text;

describe('a 2026-07-28 stdio client through the bridge', () => {
  it('opens with server/discover, not initialize, and relays calls with the request headers and no session', async () => {
    const client = await bridgedClient({ mode: 'auto' });
    expect(client.getProtocolEra()).toBe('modern');
    expect(methods()).toContain('server/discover');
    expect(methods()).not.toContain('initialize');

    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['echo', 'query', 'wait']);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi (modern)');

    const call = seen.find((request) => request.body?.method === 'tools/call')!;
    expect(call.headers).toMatchObject({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    });
    expect(call.body?.params?._meta?.['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28');
    expect(seen.some((request) => request.headers['mcp-session-id'] !== undefined)).toBe(false);
    // The only GETs are each bridge process's authorization discovery (the server asked for none):
    // no standalone stream, no resumption.
    for (const request of seen.filter((r) => r.method === 'GET'))
      expect(request.headers['last-event-id']).toBeUndefined();
  });

  it('mirrors x-mcp-header arguments into Mcp-Param headers, Base64 where the value needs it', async () => {
    const client = await bridgedClient({ mode: 'auto' });
    await client.listTools();
    const result = await client.callTool({
      name: 'query',
      arguments: { region: 'eu-west 1 ', sql: 'select 1' },
    });
    expect(textOf(result)).toBe('ran in eu-west 1 ');
    const call = seen.find((request) => request.body?.method === 'tools/call')!;
    expect(call.headers['mcp-param-region']).toBe(
      `=?base64?${Buffer.from('eu-west 1 ').toString('base64')}?=`,
    );
  });

  it('serves a marked tool called before any listing (the headers are learned on the way)', async () => {
    const client = await bridgedClient({ mode: 'auto' });
    const result = await client.callTool({
      name: 'query',
      arguments: { region: 'us-west1', sql: 'select 2' },
    });
    expect(textOf(result)).toBe('ran in us-west1');
    const calls = seen.filter((request) => request.body?.method === 'tools/call');
    expect(calls.at(-1)!.headers['mcp-param-region']).toBe('us-west1');
  });

  it('relays a subscriptions/listen stream, and closes it when the client does', async () => {
    const client = await bridgedClient({ mode: { pin: '2026-07-28' } });
    expect(client.getProtocolEra()).toBe('modern');
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed', async () => {
      changes++;
    });
    const subscription = await client.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toMatchObject({ toolsListChanged: true });
    expect(methods()).toContain('subscriptions/listen');
    handler.notify.toolsChanged();
    await waitFor('the list_changed notification', () => changes === 1 || undefined);
    handler.notify.toolsChanged();
    await waitFor('a second one on the same stream', () => changes === 2 || undefined);
    await subscription.close();
    expect(await subscription.closed).toBe('local');
    expect(methods().filter((method) => method === 'subscriptions/listen')).toHaveLength(1);
  });

  it('cancels a call by closing its stream, which the server sees as cancellation', async () => {
    const client = await bridgedClient({ mode: 'auto' });
    const stop = new AbortController();
    const call = client.callTool({ name: 'wait', arguments: { label: 'first' } }, { signal: stop.signal });
    await waitFor(
      'the call to reach the server',
      () => seen.some((request) => request.body?.method === 'tools/call') || undefined,
    );
    stop.abort();
    await expect(call).rejects.toThrow();
    await waitFor('the server to see the cancellation', () => cancelled.includes('first') || undefined);
    // The bridge keeps serving after the cancellation.
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe(
      'after (modern)',
    );
  });

  it('passes the server’s JSON-RPC errors through whole', async () => {
    const client = await bridgedClient({ mode: 'auto' });
    // A method the server does not have: the 2026 era answers HTTP 404 with -32601, which the client must get.
    const failure = await client
      .request({ method: 'gatehouse/no-such-method', params: {} }, z.object({}))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: -32601 });
    expect(
      seen.find((request) => request.body?.method === 'gatehouse/no-such-method')?.headers,
    ).toMatchObject({
      'mcp-method': 'gatehouse/no-such-method',
      'mcp-protocol-version': '2026-07-28',
    });
  });
});

describe('a 2025-era stdio client through the bridge', () => {
  it('still opens with initialize and is served in the legacy era', async () => {
    const client = await bridgedClient();
    expect(client.getProtocolEra()).toBe('legacy');
    expect(methods()[0]).toBe('initialize');
    expect(methods()).not.toContain('server/discover');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'old' } }))).toBe('old (legacy)');
    const call = seen.find((request) => request.body?.method === 'tools/call')!;
    expect(call.headers['mcp-method']).toBeUndefined();
  });
});
