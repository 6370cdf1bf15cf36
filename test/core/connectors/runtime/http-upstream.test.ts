// HTTP connectors against real loopback servers: SDK McpServers over Streamable HTTP and legacy SSE
// on node:http (asserting on the server side what credentials arrived), the reference server-everything
// in its Streamable HTTP mode, a dead port, a silent server, a server that drops and comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
// The legacy HTTP+SSE server is SDK v1's: v2 serves no SSE, and a real 2024-11-05 server is what
// the connector's fallback must reach.
import { McpServer as LegacyMcpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpSettings } from '../../../../main/core/api/connector-config.js';
import {
  createHttpUpstream,
  type HttpUpstreamInput,
} from '../../../../main/core/connectors/runtime/http-upstream.js';
import {
  bearerAuth,
  noAuth,
  type UpstreamAuthorizer,
} from '../../../../main/core/connectors/runtime/upstream-auth.js';
import type { Upstream, UpstreamEvent } from '../../../../main/core/connectors/runtime/upstream.js';
import type { AuthState } from '../../../../main/core/connectors/runtime/upstream.js';
import { until } from '../../../support/upstream-status.js';

const TOKEN = 'gh-test-token-7f3a9c';
const HEADER_SECRET = 'team-secret-41d2';
const bearer = { type: 'bearer', token: TOKEN };

const logged: string[] = [];
const logger = {
  info: (message: string, fields?: Record<string, unknown>) =>
    logged.push(`${message} ${JSON.stringify(fields)}`),
  warn: (message: string, fields?: Record<string, unknown>) =>
    logged.push(`${message} ${JSON.stringify(fields)}`),
  error: (message: string, fields?: Record<string, unknown>) =>
    logged.push(`${message} ${JSON.stringify(fields)}`),
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function echoServer(): McpServer {
  const server = new McpServer({ name: 'loopback-echo', version: '1.2.3' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  team: string | undefined;
}

type Gate = (req: IncomingMessage, res: ServerResponse) => boolean;

async function listen(
  handler: http.RequestListener,
  port = 0,
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { server, port: (server.address() as AddressInfo).port };
}

/** A stateful Streamable HTTP MCP server on loopback; `gate` may answer first (e.g. 401). */
async function streamableServer(gate?: Gate, port = 0) {
  const seen: Seen[] = [];
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const { server, port: bound } = await listen(async (req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      team: req.headers['x-team'] as string | undefined,
    });
    if (gate?.(req, res)) return;
    const sessionId = req.headers['mcp-session-id'] as string | undefined;
    let transport = sessionId ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId) {
        res.writeHead(404).end();
        return;
      }
      const created = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, created),
      });
      await echoServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  }, port);
  return { server, seen, url: `http://127.0.0.1:${bound}/mcp`, port: bound };
}

function legacyEchoServer(): LegacyMcpServer {
  const server = new LegacyMcpServer({ name: 'loopback-echo', version: '1.2.3' });
  server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

/** A legacy HTTP+SSE MCP server (protocol 2024-11-05): GET /sse opens the stream, POST /messages. */
async function sseOnlyServer() {
  const seen: Seen[] = [];
  const sessions = new Map<string, SSEServerTransport>();
  const { port } = await listen(async (req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      team: req.headers['x-team'] as string | undefined,
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      await legacyEchoServer().connect(transport);
    } else if (req.method === 'POST' && url.pathname === '/messages') {
      await sessions.get(url.searchParams.get('sessionId') ?? '')?.handlePostMessage(req, res);
    } else {
      res.writeHead(405, { allow: 'GET' }).end();
    }
  });
  return { seen, url: `http://127.0.0.1:${port}/sse` };
}

/** The authorizer defaults to what the settings say, as the engine would build it. */
function upstreamFor(
  settings: Record<string, unknown>,
  authorizer?: UpstreamAuthorizer,
  options: HttpUpstreamInput['options'] = {},
) {
  const parsed = httpSettings.parse({ kind: 'http', ...settings });
  const upstream = createHttpUpstream({
    name: 'remote',
    settings: parsed,
    authorizer: authorizer ?? (parsed.auth.type === 'bearer' ? bearerAuth(parsed.auth.token) : noAuth),
    deps: { clock: { now: () => Date.now() }, logger },
    options,
  });
  const events: UpstreamEvent[] = [];
  upstream.on((event) => events.push(event));
  cleanups.push(() => upstream.stop());
  return { upstream, events };
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

function expectNoSecrets(upstream: Upstream, events: UpstreamEvent[]): void {
  const everything = JSON.stringify({ status: upstream.status(), events, logged });
  expect(everything).not.toContain(TOKEN);
  expect(everything).not.toContain(HEADER_SECRET);
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HTTP upstream over Streamable HTTP', () => {
  it('connects with the bearer token and extra headers on every request, and calls a tool', async () => {
    const remote = await streamableServer();
    const { upstream, events } = upstreamFor({
      url: remote.url,
      headers: { 'X-Team': HEADER_SECRET },
      auth: bearer,
    });
    await upstream.start();
    expect(upstream.status()).toMatchObject({
      connection: 'connected',
      auth: 'ready',
      transport: 'streamable-http',
      serverInfo: { name: 'loopback-echo', version: '1.2.3' },
      pid: null,
      memoryBytes: null,
    });
    expect(upstream.offering().tools.map((t) => t.name)).toEqual(['echo']);
    expect(text(await upstream.client()?.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
    expect(remote.seen.length).toBeGreaterThanOrEqual(3);
    for (const request of remote.seen) {
      expect(request).toMatchObject({ authorization: `Bearer ${TOKEN}`, team: HEADER_SECRET });
    }
    expectNoSecrets(upstream, events);
  });

  it("leaves no abort listener behind per call on the SDK transport's signal", async () => {
    const remote = await streamableServer();
    const { upstream } = upstreamFor({ url: remote.url });
    // Every AbortSignal that gets an abort listener while the calls run; the SDK's long-lived one
    // (aborted when the transport closes) is among them.
    const signals = new Set<AbortSignal>();
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
      if (args[0] === 'abort' && this instanceof AbortSignal) signals.add(this);
      return add.apply(this, args);
    };
    try {
      await upstream.start();
      for (let i = 0; i < 150; i++)
        await upstream.client()?.callTool({ name: 'echo', arguments: { text: 'x' } });
    } finally {
      EventTarget.prototype.addEventListener = add;
    }
    const most = Math.max(...[...signals].map((signal) => getEventListeners(signal, 'abort').length));
    expect(signals.size).toBeGreaterThan(0);
    // The GET stream and a request in flight may hold one each; 150 calls must not have left 150.
    expect(most).toBeLessThan(5);
  });

  it('a 401 flips auth to action-required, says what to do, and waits for the user instead of retrying', async () => {
    const remote = await streamableServer((req, res) => {
      if (req.headers.authorization === 'Bearer the-right-token') return false;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      return true;
    });
    const { upstream, events } = upstreamFor({ url: remote.url, auth: bearer }, undefined, {
      backoff: { initialMs: 50 },
    });
    await upstream.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      auth: 'action-required',
      restarts: 0,
      lastError:
        "The server refused the connector's bearer token (HTTP 401). Check the token in the connector's settings, or get a new one from the server.",
    });
    expect(remote.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expectNoSecrets(upstream, events);
  });

  it('retries once with fresh credentials when the authorizer obtained them, and reconnects when auth turns ready', async () => {
    const remote = await streamableServer((req, res) => {
      if (req.headers.authorization === 'Bearer fresh') return false;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      return true;
    });
    let token = 'stale';
    let state: AuthState = 'ready';
    const listeners = new Set<(s: AuthState) => void>();
    const setState = (next: AuthState) => {
      state = next;
      for (const listener of listeners) listener(next);
    };
    let refreshesAllowed = 1;
    const refreshing: UpstreamAuthorizer = {
      authorize: async (headers) => headers.set('authorization', `Bearer ${token}`),
      unauthorized: async () => {
        if (refreshesAllowed-- > 0) {
          token = 'fresh';
          return true;
        }
        setState('action-required');
        return false;
      },
      state: () => state,
      onStateChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const { upstream } = upstreamFor({ url: remote.url }, refreshing);
    await upstream.start();
    expect(upstream.status().connection).toBe('connected');
    expect(remote.seen.slice(0, 2).map((s) => s.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);

    // The token is revoked upstream; a new connection fails, then the user re-authorizes.
    token = 'revoked';
    await upstream.start();
    expect(upstream.status()).toMatchObject({ connection: 'error', auth: 'action-required' });
    token = 'fresh';
    setState('ready');
    await until(upstream, (s) => s.connection === 'connected');
    expect(upstream.status().auth).toBe('ready');
  });

  it('says plainly, with the URL and without secrets, when nothing listens there, and keeps retrying', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    const { upstream, events } = upstreamFor(
      { url: `${url}?key=${TOKEN}`, headers: { 'X-Team': HEADER_SECRET }, auth: bearer },
      undefined,
      { backoff: { initialMs: 100 } },
    );
    await upstream.start();
    expect(upstream.status()).toMatchObject({
      connection: 'error',
      lastError: `Cannot reach the server at ${url}?… (connection refused). Check that it is running and that the URL is right.`,
    });
    await until(upstream, (s) => s.restarts >= 1);
    expectNoSecrets(upstream, events);
  });

  it('gives up on a request after timeoutSeconds', async () => {
    const { port } = await listen(() => undefined); // accepts, never answers
    const { upstream } = upstreamFor({ url: `http://127.0.0.1:${port}/mcp`, timeoutSeconds: 1 }, undefined, {
      backoff: { initialMs: 60_000 },
    });
    const began = Date.now();
    await upstream.start();
    expect(Date.now() - began).toBeLessThan(3000);
    expect(upstream.status().lastError).toBe(
      `The server at http://127.0.0.1:${port}/mcp did not answer within 1 s.`,
    );
  });

  it('keeps a server error body (which may echo credentials) out of the status line and logs', async () => {
    const { port } = await listen((req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`oops, got ${req.headers.authorization}`);
    });
    const { upstream, events } = upstreamFor(
      { url: `http://127.0.0.1:${port}/mcp`, auth: bearer },
      undefined,
      {
        backoff: { initialMs: 60_000 },
      },
    );
    await upstream.start();
    expect(upstream.status().lastError).toBe(
      `The server at http://127.0.0.1:${port}/mcp answered HTTP 500. Check the URL.`,
    );
    expectNoSecrets(upstream, events);
  });

  it('notices the server going away and reconnects with backoff when it is back', async () => {
    const first = await streamableServer();
    const { upstream } = upstreamFor({ url: first.url }, undefined, {
      backoff: { initialMs: 200, maxMs: 400 },
      pingIntervalMs: 200,
    });
    await upstream.start();
    expect(upstream.status().connection).toBe('connected');
    first.server.closeAllConnections();
    await new Promise<void>((resolve) => first.server.close(() => resolve()));
    const lost = await until(upstream, (s) => s.connection === 'error');
    expect(lost.lastError).toMatch(/^Cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/mcp \(/);
    await streamableServer(undefined, first.port);
    await until(upstream, (s) => s.connection === 'connected');
    expect(upstream.status().restarts).toBeGreaterThanOrEqual(1);
    expect(text(await upstream.client()?.callTool({ name: 'echo', arguments: { text: 'back' } }))).toBe(
      'back',
    );
  });
});

describe('HTTP upstream over legacy SSE', () => {
  it("'auto' falls back to SSE when the POST answers 4xx, with the token on the stream and the posts", async () => {
    const remote = await sseOnlyServer();
    const { upstream, events } = upstreamFor({
      url: remote.url,
      headers: { 'X-Team': HEADER_SECRET },
      auth: bearer,
    });
    await upstream.start();
    expect(upstream.status()).toMatchObject({ connection: 'connected', transport: 'sse' });
    expect(text(await upstream.client()?.callTool({ name: 'echo', arguments: { text: 'old school' } }))).toBe(
      'old school',
    );
    expect(remote.seen[0]).toMatchObject({ method: 'POST', url: '/sse' });
    expect(remote.seen.some((s) => s.method === 'GET' && s.url === '/sse')).toBe(true);
    expect(remote.seen.filter((s) => s.url.startsWith('/messages')).length).toBeGreaterThanOrEqual(2);
    for (const request of remote.seen) {
      expect(request).toMatchObject({ authorization: `Bearer ${TOKEN}`, team: HEADER_SECRET });
    }
    expectNoSecrets(upstream, events);
  });

  it("'streamable-http' does not fall back", async () => {
    const remote = await sseOnlyServer();
    const { upstream } = upstreamFor({ url: remote.url, transport: 'streamable-http' }, undefined, {
      backoff: { initialMs: 60_000 },
    });
    await upstream.start();
    expect(upstream.status().lastError).toBe(`The server at ${remote.url} answered HTTP 405. Check the URL.`);
  });

  it("'sse' goes straight to the stream", async () => {
    const remote = await sseOnlyServer();
    const { upstream } = upstreamFor({ url: remote.url, transport: 'sse' });
    await upstream.start();
    expect(upstream.status()).toMatchObject({ connection: 'connected', transport: 'sse' });
    expect(remote.seen[0]).toMatchObject({ method: 'GET', url: '/sse' });
  });
});

describe('HTTP upstream against the reference server', () => {
  it("connects to server-everything's Streamable HTTP mode and calls echo", async () => {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(path.dirname(manifestPath), Object.values(manifest.bin)[0] ?? '');
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [bin, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('listening on port') && resolve(),
      );
      child.once('exit', (code) => reject(new Error(`server-everything exited with ${code}`)));
    });
    const { upstream } = upstreamFor({ url: `http://127.0.0.1:${port}/mcp` });
    const began = performance.now();
    await upstream.start();
    console.info(
      `[measure] server-everything over Streamable HTTP: connected with catalog in ${Math.round(performance.now() - began)} ms`,
    );
    expect(upstream.status()).toMatchObject({ connection: 'connected', transport: 'streamable-http' });
    expect(upstream.offering().tools.map((t) => t.name)).toContain('echo');
    const result = await upstream.client()?.callTool({ name: 'echo', arguments: { message: 'over http' } });
    expect(text(result)).toContain('over http');
  });
});
