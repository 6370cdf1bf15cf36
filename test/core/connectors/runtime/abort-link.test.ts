// The link between the SDK transport's long-lived signal and each request's own controller: gone once
// the request is over (no listener left behind per call), kept while an SSE body is open.
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkAbort, whenRead } from '../../../../main/core/connectors/runtime/abort-link.js';

let server: http.Server;
let base: string;
const openStreams = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      openStreams.add(res);
    } else if (req.url === '/empty') {
      res.writeHead(202).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

async function linkedFetch(outer: AbortSignal, path: string): Promise<Response> {
  const inner = new AbortController();
  const unlink = linkAbort(outer, inner);
  try {
    return whenRead(await fetch(`${base}${path}`, { signal: inner.signal }), unlink);
  } catch (error) {
    unlink();
    throw error;
  }
}

describe('linkAbort and whenRead', () => {
  it('leave no listener on the long-lived signal after answers read in one go', async () => {
    const outer = new AbortController();
    for (let i = 0; i < 200; i++) {
      const res = await linkedFetch(outer.signal, i % 2 ? '/json' : '/empty');
      await res.text();
    }
    expect(listeners(outer.signal)).toBe(0);
  });

  it('keep an open SSE body linked, so aborting the transport ends it; unlinked after', async () => {
    const outer = new AbortController();
    const res = await linkedFetch(outer.signal, '/sse');
    const reader = res.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('data: first\n\n');
    expect(listeners(outer.signal)).toBe(1);
    outer.abort(new Error('transport closed'));
    await expect(reader.read()).rejects.toThrow();
    expect(listeners(outer.signal)).toBe(0);
  });

  it('unlink when an SSE body ends or is cancelled', async () => {
    const outer = new AbortController();
    const ended = await linkedFetch(outer.signal, '/sse');
    const cancelled = await linkedFetch(outer.signal, '/sse');
    expect(listeners(outer.signal)).toBe(2);
    for (const stream of openStreams) stream.end('data: last\n\n');
    openStreams.clear();
    expect(await ended.text()).toBe('data: first\n\ndata: last\n\n');
    await cancelled.body!.cancel();
    expect(listeners(outer.signal)).toBe(0);
  });

  it('abort at once, with nothing to unlink, when the long-lived signal is already aborted', () => {
    const outer = new AbortController();
    outer.abort(new Error('closed before'));
    const inner = new AbortController();
    linkAbort(outer.signal, inner)();
    expect(inner.signal.aborted).toBe(true);
    expect((inner.signal.reason as Error).message).toBe('closed before');
  });
});
