// Plain upstream results skip the SDK client's message handler and its zod classification, straight to
// its response dispatch (pinned in test/core/sdk/sdk-pins.test.ts): taken on real connections of both eras
// with the same answers and errors as before, and never while another handler (a probe window) holds
// the transport or for a message that is not one of the client's own plain results.
import {
  Client,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DirectResults, tapTaskResults } from '../../../../main/core/connectors/runtime/task-results.js';
import { testUpstreamClient } from '../../../support/test-upstream-client.js';
import { startEraUpstream } from '../../../fixtures/era-upstreams.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const upstream = () => testUpstreamClient();

/** A transport that records nothing and delivers what the test hands it. */
function fakeTransport(): Transport & { deliver(message: JSONRPCMessage): void } {
  const transport = {
    start: async () => undefined,
    send: async () => undefined,
    close: async () => undefined,
    deliver(message: JSONRPCMessage) {
      transport.onmessage?.(message);
    },
  } as Transport & { deliver(message: JSONRPCMessage): void };
  return transport;
}

describe('plain results past the SDK client’s message handler', () => {
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`takes a connected client's plain tool results, with the same answers and errors (${era})`, async () => {
      const server = await startEraUpstream(era === '2025-11-25' ? 'legacy-only' : 'modern-only');
      const client = upstream();
      closers.push(async () => {
        await client.close();
        await server.close();
      });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      // The era probe and the handshake went through the SDK's handler: the era is the server's.
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      // Each message the tap offers the direct path, and whether it was taken.
      const take = vi.spyOn(DirectResults.prototype, 'take');
      closers.push(async () => take.mockRestore());
      const taken = () => take.mock.results.filter((result) => result.value === true).length;
      for (let i = 0; i < 10; i++) {
        expect(await client.callTool({ name: 'echo', arguments: { text: `hi ${i}` } })).toMatchObject({
          content: [{ type: 'text', text: expect.stringContaining(`hi ${i}`) as string }],
        });
      }
      // A 2026-07-28 server's results carry `_meta` (its serverInfo), which the SDK's own parse may
      // change: those still go through its handler (plain-result.ts).
      const direct = era === '2025-11-25' ? 10 : 0;
      expect(taken()).toBe(direct);
      // An error response is not a plain result: the SDK's handler turns it into the same error.
      const missing = await client.callTool({ name: 'no-such-tool', arguments: {} }).catch((e: Error) => e);
      const plain = new Client({ name: 'plain', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      closers.unshift(() => plain.close());
      await plain.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const theirs = await plain.callTool({ name: 'no-such-tool', arguments: {} }).catch((e: Error) => e);
      expect(JSON.stringify(missing)).toBe(JSON.stringify(theirs));
      expect(taken()).toBe(direct);
    });
  }

  it('takes only the client’s own plain results, and only from the handler it was armed with', () => {
    const transport = fakeTransport();
    const dispatched: JSONRPCMessage[] = [];
    const direct = new DirectResults((message) => dispatched.push(message));
    tapTaskResults(transport, direct);
    const seen: JSONRPCMessage[] = [];
    const sdkHandler: Transport['onmessage'] = (message) => seen.push(message);
    transport.onmessage = sdkHandler;

    const result: JSONRPCMessage = { jsonrpc: '2.0', id: 7, result: { content: [] } };
    // Not armed yet (the client is still connecting): through the handler.
    transport.deliver(result);
    expect([dispatched.length, seen.length]).toEqual([0, 1]);

    direct.arm();
    transport.deliver(result);
    expect(dispatched).toEqual([result]);
    expect(seen).toHaveLength(1);

    // What is not one of the client's plain results goes through the handler as before.
    const others: JSONRPCMessage[] = [
      { jsonrpc: '2.0', id: 'server-discover-probe-1', result: {} },
      { jsonrpc: '2.0', id: 8, result: { content: [], _meta: { a: 1 } } },
      { jsonrpc: '2.0', id: 9, error: { code: -32601, message: 'Method not found' } },
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
    ];
    for (const message of others) transport.deliver(message);
    expect(seen.slice(1)).toEqual(others);
    expect(dispatched).toHaveLength(1);

    // A task result is rewritten for the handler (task-results.ts), never dispatched raw.
    transport.deliver({
      jsonrpc: '2.0',
      id: 10,
      result: { resultType: 'task', taskId: 't1' },
    } as JSONRPCMessage);
    expect(seen.at(-1)).toMatchObject({ id: 10, result: { resultType: 'complete' } });
    expect(dispatched).toHaveLength(1);

    // Another handler installed later (a probe window): it sees every message, results too.
    const probe: JSONRPCMessage[] = [];
    transport.onmessage = (message) => probe.push(message);
    transport.deliver(result);
    expect(probe).toEqual([result]);
    expect(dispatched).toHaveLength(1);
    // The armed handler back: results skip it again.
    transport.onmessage = sdkHandler;
    transport.deliver(result);
    expect(dispatched).toHaveLength(2);
  });
});
