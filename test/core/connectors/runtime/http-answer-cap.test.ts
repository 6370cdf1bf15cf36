// What a hostile HTTP upstream can make Gatehouse read (answer-cap.ts), against a real server in a
// process of its own (test/fixtures/oversized-http-server.mjs): a 2026-07-28 SDK server whose chosen
// tools answer by hand — a 20 MB JSON result, a 20 MB SSE event, one event that never ends, an endless
// stream of small events, a gzip bomb — and a 20 MB tools/list. Each fails that request with the
// sentence while the connection, the next call and another connector go on, and this process's heap
// stays bounded. A 5 MB answer passes intact, and the bound is on the message: one of exactly the cap
// passes, one byte more fails, as JSON and as an SSE event alike. A 20 MB event on a stream the server
// opened itself (legacy SSE's, which carries every answer; Streamable HTTP's GET stream) loses the
// connection: the call in flight fails with the sentence (not the SDK's "Connection closed"), the
// status shows it, and the connector comes back.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSettings } from '../../../../main/core/api/connector-config.js';
import { MAX_UPSTREAM_MESSAGE_BYTES } from '../../../../main/core/connectors/runtime/answer-cap.js';
import { createHttpUpstream } from '../../../../main/core/connectors/runtime/http-upstream.js';
import { noAuth } from '../../../../main/core/connectors/runtime/upstream-auth.js';
import type { Upstream } from '../../../../main/core/connectors/runtime/upstream.js';
import {
  startOversizedHttpServer,
  type OversizedHttpServer,
} from '../../../support/oversized-http-server.js';

const MB = 1024 * 1024;
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: OversizedHttpServer;
let url: string;

beforeAll(async () => {
  server = await startOversizedHttpServer();
  url = server.url;
}, 30_000);

afterAll(() => {
  server?.stop();
});

const control = (path: string) => server.control(path);

function upstreamFor(
  name: string,
  at: { url: string; transport: 'streamable-http' | 'sse'; restartMs: number } = {
    url,
    transport: 'streamable-http',
    restartMs: 60_000,
  },
): Upstream {
  return createHttpUpstream({
    name,
    settings: httpSettings.parse({ kind: 'http', url: at.url, transport: at.transport, timeoutSeconds: 60 }),
    authorizer: noAuth,
    deps: { clock: { now: () => Date.now() }, logger },
    options: { backoff: { initialMs: at.restartMs } },
  });
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

function sentence(answered: 'message' | 'messages'): string {
  const what =
    answered === 'message'
      ? "more than 16 MB in one message (Gatehouse's cap for one MCP message)"
      : "more than 10,000 messages in answer to one request (Gatehouse's cap for one answer)";
  return `The server at ${url} answered to tools/call with ${what}, so Gatehouse stopped reading and failed that request. If the server is yours, make its answers smaller (page its lists; return large content as resources); otherwise tell its maintainers.`;
}

/** The heap after a full collection. */
function heapNow(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

describe('an HTTP upstream answer past the cap', () => {
  let hostile: Upstream;
  let other: Upstream;

  beforeAll(async () => {
    hostile = upstreamFor('hostile');
    other = upstreamFor('other');
    await Promise.all([hostile.start(), other.start()]);
    expect(hostile.status().connection).toBe('connected');
    expect(other.status().connection).toBe('connected');
  });
  afterAll(async () => {
    await Promise.all([hostile.stop(), other.stop()]);
  });

  const cases: Array<[string, 'message' | 'messages']> = [
    ['json-20mb', 'message'],
    ['sse-20mb', 'message'],
    ['endless-event', 'message'],
    ['endless-small-events', 'messages'],
    ['gzip-bomb', 'message'],
  ];
  for (const [tool, answered] of cases) {
    it(`fails that request only: ${tool}`, async () => {
      const before = heapNow();
      const started = performance.now();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const call = hostile.client()!.callTool({ name: tool, arguments: {} });
      await expect(call).rejects.toThrow(sentence(answered));
      clearInterval(sampler);
      const failedInMs = performance.now() - started;
      const after = heapNow();
      console.log(
        `${tool}: failed in ${failedInMs.toFixed(0)} ms; heap peak +${((peak - before) / MB).toFixed(1)} MB, after +${((after - before) / MB).toFixed(1)} MB`,
      );
      // The status says it; the connection, the next call and the other connector go on.
      expect(hostile.status()).toMatchObject({ connection: 'connected', lastError: sentence(answered) });
      expect(text(await hostile.client()!.callTool({ name: 'echo', arguments: { text: 'next' } }))).toBe(
        'next',
      );
      expect(text(await other.client()!.callTool({ name: 'echo', arguments: { text: 'other' } }))).toBe(
        'other',
      );
      // The server stopped being read: nothing of it is still being written.
      await expect.poll(() => control('writing'), { timeout: 5_000 }).toBe('0');
      // Bounded: the cap's worth (the message held as text, then parsed) and garbage not yet
      // collected, not what the server sent; nothing is left after.
      expect(peak - before).toBeLessThan(8 * MAX_UPSTREAM_MESSAGE_BYTES);
      expect(after - before).toBeLessThan(8 * MB);
    }, 60_000);
  }

  it('passes a 5 MB answer through intact', async () => {
    const result = await hostile.client()!.callTool({ name: 'json-5mb', arguments: {} });
    expect(text(result)).toBe('x'.repeat(Number(await control('last-text'))));
  }, 30_000);

  for (const shape of ['json', 'sse'] as const) {
    it(`bounds the message, not its text: exactly the cap passes, one byte more fails (${shape})`, async () => {
      const atCap = await hostile.client()!.callTool({ name: `${shape}-at-cap`, arguments: {} });
      expect(text(atCap)).toBe('x'.repeat(Number(await control('last-text'))));
      await expect(hostile.client()!.callTool({ name: `${shape}-over-cap`, arguments: {} })).rejects.toThrow(
        sentence('message'),
      );
    }, 60_000);
  }
});

describe('a listing past the cap', () => {
  it('fails the connection attempt with the sentence', async () => {
    await control('huge-listing=on');
    const upstream = upstreamFor('lister');
    try {
      await upstream.start();
      expect(upstream.status()).toMatchObject({
        connection: 'error',
        lastError: `The server at ${url} answered to tools/list with more than 16 MB in one message (Gatehouse's cap for one MCP message), so Gatehouse stopped reading and failed that request. If the server is yours, make its answers smaller (page its lists; return large content as resources); otherwise tell its maintainers.`,
      });
    } finally {
      await control('huge-listing=off');
      await upstream.stop();
    }
  }, 30_000);
});

describe("a server's own event stream past the cap", () => {
  const streams: Array<[string, 'sse' | 'streamable-http', string]> = [
    ['legacy HTTP+SSE', 'sse', '/legacy/sse'],
    ["Streamable HTTP's GET stream", 'streamable-http', '/mcp-2025'],
  ];
  for (const [label, transport, path] of streams) {
    it(`fails the call in flight with the sentence, and reconnects: ${label}`, async () => {
      const at = `${server.origin}${path}`;
      const sentence = `The server at ${at} sent more than 16 MB in one message (Gatehouse's cap for one MCP message) on its event stream, so Gatehouse closed the connection and failed the requests waiting for its answers. If the server is yours, send smaller messages; otherwise tell its maintainers.`;
      const upstream = upstreamFor('stream', { url: at, transport, restartMs: 200 });
      try {
        await upstream.start();
        expect(upstream.status()).toMatchObject({ connection: 'connected', transport });
        const started = performance.now();
        const failure = await upstream
          .client()!
          .callTool({ name: 'flood-while-waiting', arguments: {} })
          .then(
            () => null,
            (error: unknown) => error,
          );
        const failedInMs = performance.now() - started;
        console.log(`${label}: the call in flight failed in ${failedInMs.toFixed(0)} ms`);
        expect((failure as Error | null)?.message).toBe(sentence);
        // The server sends its event 200 ms after the call.
        expect(failedInMs).toBeLessThan(2_500);
        expect(upstream.status()).toMatchObject({ connection: 'error', lastError: sentence });
        await expect.poll(() => upstream.status().connection, { timeout: 10_000 }).toBe('connected');
        expect(text(await upstream.client()!.callTool({ name: 'echo', arguments: { text: 'back' } }))).toBe(
          'back',
        );
      } finally {
        await upstream.stop();
      }
    }, 30_000);
  }
});
