// The loopback server's timeouts, over real sockets with shortened limits: slowloris headers, bodies
// that never end and idle keep-alive connections are cut off with a reason, while answers that take
// long — the engine's event stream, an MCP GET stream, a tool call that runs for seconds — are not.
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SECRET_FILE } from '../../../main/core/engine/engine-record.js';
import { EVERYTHING } from '../../support/real-servers.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { mcpPost, obtainTokens, initializeMessage } from '../../support/raw-oauth.js';

const TIMEOUTS = { headersMs: 300, requestMs: 600, keepAliveMs: 200 };
// Node checks the header and request limits every headersMs / 4 and adds a second to keep-alive.
const SLACK_MS = 1_500;

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ httpTimeouts: TIMEOUTS });
});
afterAll(async () => fixture?.stop());

interface Probe {
  socket: Socket;
  /** Everything the server wrote. */
  received(): string;
  /** Resolves with the milliseconds from connect to close. */
  closed: Promise<number>;
}

function open(send: (socket: Socket) => void): Probe {
  const socket = connect(fixture.engine.port, '127.0.0.1');
  const started = Date.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  socket.once('connect', () => send(socket));
  return { socket, received: () => text, closed };
}

/** Writes `line` every `ms` until the socket closes. */
function drip(socket: Socket, line: string, ms = 50): void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write(line);
  }, ms);
  socket.once('close', () => clearInterval(timer));
}

const apiSecret = () => readFileSync(join(fixture.dataDir, API_SECRET_FILE), 'utf8').trim();
const host = () => `Host: 127.0.0.1:${fixture.engine.port}\r\n`;
const REQUEST_TIMEOUT_BODY = `Gatehouse closed this connection: a request must arrive within ${TIMEOUTS.requestMs / 1000} seconds (its headers within ${TIMEOUTS.headersMs / 1000}).\n`;

describe('slow clients', () => {
  it('cuts off 200 slowloris sockets with 408 and a reason', async () => {
    const probes = Array.from({ length: 200 }, (_, i) =>
      open((socket) => {
        socket.write(`GET /mcp HTTP/1.1\r\n${host()}`);
        drip(socket, `X-Slow-${i}: a\r\n`);
      }),
    );
    const times = await Promise.all(probes.map((probe) => probe.closed));
    expect(Math.max(...times)).toBeLessThan(TIMEOUTS.headersMs + SLACK_MS);
    for (const probe of probes) {
      expect(probe.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(probe.received().endsWith(REQUEST_TIMEOUT_BODY)).toBe(true);
    }
  });

  it('cuts off a connection that never sends a byte', async () => {
    const probe = open(() => undefined);
    expect(await probe.closed).toBeLessThan(TIMEOUTS.headersMs + SLACK_MS);
  });

  it('cuts off 100 request bodies that never end', async () => {
    const secret = apiSecret();
    const probes = Array.from({ length: 100 }, () =>
      open((socket) => {
        socket.write(
          `POST /api/rpc/status.get HTTP/1.1\r\n${host()}authorization: Bearer ${secret}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`,
        );
        drip(socket, ' ');
      }),
    );
    const times = await Promise.all(probes.map((probe) => probe.closed));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50);
    expect(Math.max(...times)).toBeLessThan(TIMEOUTS.requestMs + SLACK_MS);
    for (const probe of probes) expect(probe.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const probe = open((socket) => socket.write(`GET / HTTP/1.1\r\n${host()}\r\n`));
    expect(await probe.closed).toBeLessThan(TIMEOUTS.keepAliveMs + SLACK_MS);
    expect(probe.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Gatehouse is running/);
  });

  it('still serves after the flood', async () => {
    const res = await fetch(`${fixture.engine.issuer}/`);
    expect(res.status).toBe(200);
  });
});

describe('long answers are not cut off', () => {
  it("keeps the engine's event stream open past every limit, and delivers events on it", async () => {
    const secret = apiSecret();
    const stream = open((socket) =>
      socket.write(`GET /api/events HTTP/1.1\r\n${host()}authorization: Bearer ${secret}\r\n\r\n`),
    );
    let ended = false;
    void stream.closed.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, TIMEOUTS.requestMs + SLACK_MS + 500));
    expect(ended).toBe(false);
    await fixture.engine.call('access.pause');
    await fixture.engine.call('access.resume');
    await expect.poll(() => stream.received()).toContain('"type":"settings.changed"');
    stream.socket.destroy();
  });

  it('keeps an MCP GET stream open, and lets a tool call run longer than the request limit', async () => {
    const { engine } = fixture;
    await engine.call('connectors.add', {
      name: 'everything',
      enabled: true,
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'everything' })).status.connection, {
        timeout: 20_000,
      })
      .toBe('connected');
    const { accessToken } = await obtainTokens(engine);
    const initialize = await mcpPost(engine, accessToken, initializeMessage);
    expect(initialize.status).toBe(200);
    const session = { 'mcp-session-id': initialize.sessionId!, 'mcp-protocol-version': '2025-11-25' };
    await mcpPost(
      engine,
      accessToken,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      '/mcp',
      session,
    );

    const listen = open((socket) =>
      socket.write(
        `GET /mcp HTTP/1.1\r\n${host()}accept: text/event-stream\r\nauthorization: Bearer ${accessToken}\r\nmcp-session-id: ${session['mcp-session-id']}\r\nmcp-protocol-version: 2025-11-25\r\n\r\n`,
      ),
    );
    let listenEnded = false;
    void listen.closed.then(() => (listenEnded = true));

    const started = Date.now();
    const call = await mcpPost(
      engine,
      accessToken,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'everything__trigger-long-running-operation', arguments: { duration: 2, steps: 2 } },
      },
      '/mcp',
      session,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(call.status).toBe(200);
    expect(call.body).toContain('Long running operation completed');
    expect(listen.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*text\/event-stream/);
    expect(listenEnded).toBe(false);
    listen.socket.destroy();
  });
});
