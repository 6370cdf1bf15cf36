// A 2026-07-28 connection has no session: each request is its own HTTP exchange, so a socket the server
// (or anything between) closes under one request ends that request only. Performed against the real
// engine: a real SDK client calls a slow tool through a connector to a real 2026-07-28 upstream, and
// meanwhile another call's socket is destroyed by the server before it answers. The slow call still
// gets its answer, the connector stays connected without reconnecting, and the cut call fails alone,
// saying so. A subscriptions/listen stream cut the same way is listened to again, and what changed
// meanwhile reaches the client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { authorizeClient } from '../../../support/oauth-client.js';

let fixture: EngineFixture;
let upstream: Server;
let client: Client;
/** How many tools/list requests reached the upstream (a reconnection lists again). */
let listings = 0;
/** The sockets of the subscriptions/listen streams open now, and whether the server offers one tool more. */
const listenSockets = new Set<Socket>();
let grown = false;

beforeAll(async () => {
  const build = () => {
    const server = new McpServer({ name: 'cutting', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.registerTool(
      'slow',
      {
        description: 'Answers after a while',
        inputSchema: z.object({ ms: z.number() }),
        annotations: { readOnlyHint: true },
      },
      async ({ ms }) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { content: [{ type: 'text', text: `slept ${ms} ms` }] };
      },
    );
    server.registerTool(
      'cut',
      { description: 'Never answers: its socket is cut', annotations: { readOnlyHint: true } },
      async () => ({
        content: [{ type: 'text', text: 'unreachable' }],
      }),
    );
    if (grown)
      server.registerTool(
        'added',
        { description: 'Offered later', annotations: { readOnlyHint: true } },
        async () => ({ content: [{ type: 'text', text: 'added' }] }),
      );
    return server;
  };
  const handle = toNodeHandler(createMcpHandler(build, { legacy: 'reject' }));
  upstream = createServer((req, res) => {
    if (req.headers['mcp-method'] === 'tools/list') listings += 1;
    if (req.headers['mcp-method'] === 'subscriptions/listen') {
      listenSockets.add(req.socket);
      res.on('close', () => listenSockets.delete(req.socket));
    }
    // The server drops the connection under this one request (the Mcp-Name header names the tool).
    if (req.headers['mcp-name'] === 'cut') {
      req.socket.destroy();
      return;
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`;
  fixture = await startEngine();
  const added = await fixture.engine.call('connectors.add', {
    name: 'cutting',
    settings: { kind: 'http', url, transport: 'streamable-http' },
  });
  expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  expect(added.status.protocolVersion).toBe('2026-07-28');
  client = (await authorizeClient(fixture.engine, { era: '2026-07-28', access: 'read' })).client;
}, 60_000);

afterAll(async () => {
  await client?.close();
  await fixture?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

it('a socket cut under one call ends that call only: the others answer, and the connection stays', async () => {
  const listedBefore = listings;
  const slow = client.callTool({ name: 'cutting__slow', arguments: { ms: 800 } });
  // The slow call is upstream before the other one is cut.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const cut = await client.callTool({ name: 'cutting__cut', arguments: {} });
  expect(cut.isError).toBe(true);
  expect(cut.content).toEqual([
    { type: 'text', text: 'gatehouse: cutting did not complete the call: fetch failed: other side closed' },
  ]);
  expect(await slow).toMatchObject({ content: [{ type: 'text', text: 'slept 800 ms' }] });
  const status = (await fixture.engine.call('connectors.get', { name: 'cutting' })).status;
  expect(status.connection).toBe('connected');
  // Not reconnected: a new connection would have listed the tools again.
  expect(listings).toBe(listedBefore);
  // And the next call goes through at once.
  expect(await client.callTool({ name: 'cutting__slow', arguments: { ms: 1 } })).toMatchObject({
    content: [{ type: 'text', text: 'slept 1 ms' }],
  });
});

it('a listen stream cut under it is opened again, and what changed meanwhile reaches the client', async () => {
  await expect.poll(() => listenSockets.size, { timeout: 10_000 }).toBeGreaterThan(0);
  grown = true;
  for (const socket of listenSockets) socket.destroy();
  // Listened to again (after a second), then listed again: the tool added meanwhile is offered.
  await expect
    .poll(async () => (await client.listTools()).tools.map((tool) => tool.name), { timeout: 15_000 })
    .toContain('cutting__added');
  expect((await fixture.engine.call('connectors.get', { name: 'cutting' })).status.connection).toBe(
    'connected',
  );
});
