// The upstream client validates each result with a validator made once per era and method, through
// a protected SDK method (pinned in test/core/sdk/sdk-pins.test.ts); a result the SDK's own path
// would refuse is still refused, with the same error, in both eras.
import {
  Client,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testUpstreamClient } from '../../../support/test-upstream-client.js';
import { startEraUpstream, type EraKind } from '../../../fixtures/era-upstreams.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Era = '2025-11-25' | '2026-07-28';
const KIND: Record<Era, EraKind> = { '2025-11-25': 'legacy-only', '2026-07-28': 'modern-only' };

/**
 * Connects `client` to a loopback fixture server of the given era; with `corrupt`, every tools/call
 * result reaches the client with `content` that is not an array (what a broken or hostile server
 * might send).
 */
async function connect(client: Client, era: Era, corrupt = false): Promise<void> {
  const server = await startEraUpstream(KIND[era]);
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  if (!corrupt) return client.connect(transport);
  const calls = new Set<unknown>();
  const broken = (message: JSONRPCMessage): JSONRPCMessage =>
    'id' in message && calls.has(message.id) && 'result' in message
      ? { ...message, result: { ...message.result, content: 'not an array' } }
      : message;
  // Between the transport and whoever reads it: everything the transport delivers is broken first, so
  // every handler above it — the client's, and the tap that takes plain results past it
  // (task-results.ts) — sees what a broken server sent.
  const above: { onmessage?: Transport['onmessage'] } = {};
  const deliver: NonNullable<Transport['onmessage']> = (message, extra) =>
    above.onmessage?.(broken(message), extra);
  transport.onmessage = deliver;
  const between = new Proxy(transport, {
    get(target, key) {
      if (key === 'onmessage') return Reflect.get(above, key);
      if (key === 'send') {
        return async (message: JSONRPCMessage, options?: TransportSendOptions) => {
          if ('method' in message && message.method === 'tools/call' && 'id' in message)
            calls.add(message.id);
          return target.send(message, options);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(target, key, value: unknown) {
      if (key === 'onmessage') return Reflect.set(above, key, value);
      return Reflect.set(target, key, value, target);
    },
    defineProperty(target, key, descriptor) {
      if (key === 'onmessage') return Reflect.defineProperty(above, key, descriptor);
      return Reflect.defineProperty(target, key, descriptor);
    },
  });
  await client.connect(between);
}

const upstream = () => testUpstreamClient();

describe('the upstream client’s result validators', () => {
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`makes one validator for many tools/call results (${era})`, async () => {
      const client = upstream();
      await connect(client, era);
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      // What the upstream client hands the SDK's own request(): the validator of each call.
      const sdkRequest = vi.spyOn(Object.getPrototypeOf(Object.getPrototypeOf(client)) as Client, 'request');
      closers.push(async () => sdkRequest.mockRestore());
      for (let i = 0; i < 20; i++) {
        expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({
          content: [{ type: 'text' }],
        });
      }
      const validators = sdkRequest.mock.calls
        .filter(([request]) => (request as { method?: string }).method === 'tools/call')
        .map(([, validator]) => validator as { '~standard'?: { vendor?: string } } | undefined);
      expect(validators).toHaveLength(20);
      // Gatehouse's cached validator, not the SDK's own schema, and the same one for every call.
      expect(validators[0]?.['~standard']?.vendor).toBe('gatehouse');
      expect(new Set(validators).size).toBe(1);
    });

    it(`refuses a malformed result exactly as the SDK's own path does (${era})`, async () => {
      const ours = upstream();
      await connect(ours, era, true);
      const plain = new Client({ name: 'plain', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await connect(plain, era, true);
      const theirs = await plain
        .callTool({ name: 'echo', arguments: { text: 'hi' } })
        .catch((error: Error) => error);
      expect(theirs).toBeInstanceOf(Error);
      const mine = await ours
        .callTool({ name: 'echo', arguments: { text: 'hi' } })
        .catch((error: Error) => error);
      expect(mine).toBeInstanceOf(Error);
      expect((mine as Error).message).toBe((theirs as Error).message);
      expect((mine as Error).constructor).toBe((theirs as Error).constructor);
      expect((mine as Error).message).toMatch(/content/);
    });
  }
});
