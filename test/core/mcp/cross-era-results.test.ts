// The proof behind relay-server.ts's one validation of a 2025 upstream's result for a 2026-07-28
// client: over generated results of every shape a tools/call result can take (valid and broken) and
// real ones from server-everything, whatever the SDK's 2025 tools/call result check accepts, the
// 2026-07-28 check accepts and returns unchanged — unless `_meta` carries a serverInfo stamp, which
// `holdsIn` sends to the check.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_INFO_META_KEY } from '@modelcontextprotocol/server';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Client } from '@modelcontextprotocol/client';
import { holdsIn, RelayServer } from '../../../main/core/mcp/relay-server.js';
import { toolResultValidatedIn } from '../../../main/core/connectors/runtime/validated-results.js';
import { testUpstreamClient } from '../../support/test-upstream-client.js';

type Checked = { ok: true; value: unknown } | { ok: false; reason: string };
interface Codec {
  era: string;
  validateResult(method: string, raw: unknown): Checked;
}
function codecOf(revision?: string): Codec {
  const server = new RelayServer({ name: 'c', version: '1' }, { capabilities: { tools: {} } });
  if (revision) server.bindRevision(revision);
  return (server as unknown as { _negotiatedWireCodec(): Codec })._negotiatedWireCodec();
}
const legacy = codecOf();
const modern = codecOf('2026-07-28');

/** A seeded generator (mulberry32), so a failure names a case that can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const maybe = (p = 0.5) => next() < p;
  const odd = () => pick([5, null, true, 'x', [], {}, { a: 1 }, -1, 1.5, '', [1, 'a']] as const);
  const annotations = () =>
    pick([
      { audience: ['user'] },
      { audience: ['assistant', 'user'], priority: 0.5 },
      { priority: 1, lastModified: '2025-01-01T00:00:00Z' },
      { audience: ['robot'] },
      { priority: 2 },
      { priority: 'high' },
      { extra: 1 },
      odd(),
    ]);
  const extras = (block: Record<string, unknown>) => {
    if (maybe(0.2)) block.annotations = annotations();
    if (maybe(0.2)) block._meta = pick([{}, { 'example.com/k': 1 }, odd()]);
    if (maybe(0.15)) block.extraKey = odd();
    return block;
  };
  const resource = () =>
    pick([
      { uri: 'file:///a.txt', text: 'hi' },
      { uri: 'file:///a.bin', blob: 'AAEC', mimeType: 'application/octet-stream' },
      { uri: 'file:///a', text: 'x', _meta: { k: 1 } },
      { uri: 'file:///b' },
      { text: 'no uri' },
      { uri: 5, text: 'x' },
      { uri: 'file:///c', blob: 7 },
      odd(),
    ]);
  const block = (): unknown => {
    switch (pick(['text', 'image', 'audio', 'resource_link', 'resource', 'other', 'broken'])) {
      case 'text':
        return extras({ type: 'text', text: pick(['hi', '', 'ünïcode ✓', odd()]) });
      case 'image':
        return extras({
          type: 'image',
          data: pick(['iVBORw0KGgo=', '', odd()]),
          mimeType: pick(['image/png', odd()]),
        });
      case 'audio':
        return extras({
          type: 'audio',
          data: pick(['UklGRg==', odd()]),
          mimeType: pick(['audio/wav', odd()]),
        });
      case 'resource_link': {
        const link: Record<string, unknown> = {
          type: 'resource_link',
          uri: pick(['file:///x', 'https://e.x/y', odd()]),
        };
        link.name = pick(['x', odd()]);
        if (maybe(0.3)) link.title = pick(['T', odd()]);
        if (maybe(0.3)) link.description = pick(['d', odd()]);
        if (maybe(0.3)) link.mimeType = pick(['text/plain', odd()]);
        if (maybe(0.3)) link.size = pick([12, -1, 1.5, odd()]);
        if (maybe(0.3))
          link.icons = pick([
            [{ src: 'https://e.x/i.png' }],
            [{ src: 'https://e.x/i.png', sizes: ['48x48'] }],
            [{}],
            odd(),
          ]);
        return extras(link);
      }
      case 'resource':
        return extras({ type: 'resource', resource: resource() });
      case 'other':
        return extras({ type: pick(['video', 'TEXT', '', odd()]), text: 'x' });
      default:
        return odd();
    }
  };
  return (): unknown => {
    if (maybe(0.03)) return odd();
    const result: Record<string, unknown> = {};
    if (!maybe(0.1))
      result.content = maybe(0.05) ? odd() : Array.from({ length: Math.floor(next() * 4) }, block);
    if (maybe(0.3)) result.structuredContent = pick([{ a: 1 }, { nested: { b: [1, 2] } }, {}, odd()]);
    if (maybe(0.3)) result.isError = pick([true, false, odd()]);
    if (maybe(0.3))
      result._meta = pick([
        {},
        { progressToken: 'p' },
        { progressToken: odd() },
        { 'example.com/x': { y: 1 } },
        { [SERVER_INFO_META_KEY]: { name: 'up', version: '1' } },
        { [SERVER_INFO_META_KEY]: odd() },
        odd(),
      ]);
    if (maybe(0.15))
      result[pick(['extraKey', 'resultType', 'task', 'inputRequests', 'requestState', 'ttlMs'])] = odd();
    return result;
  };
}

/** The cross-era claim for one result: where 2025 accepts and holdsIn skips, 2026-07-28 accepts it as it is. */
function judge(raw: unknown): 'rejected' | 'checked' | 'held' {
  const past = legacy.validateResult('tools/call', raw);
  if (!past.ok) return 'rejected';
  if (!holdsIn(legacy.era, modern.era, past.value)) return 'checked';
  const now = modern.validateResult('tools/call', past.value);
  expect(now, JSON.stringify(raw)).toMatchObject({ ok: true });
  expect((now as { value: unknown }).value, JSON.stringify(raw)).toEqual(past.value);
  expect(JSON.stringify((now as { value: unknown }).value)).toBe(JSON.stringify(past.value));
  return 'held';
}

describe('a 2025-valid tools/call result going to a 2026-07-28 client', () => {
  it('is accepted unchanged by the 2026-07-28 check, over 20,000 generated results', () => {
    expect([legacy.era, modern.era]).toEqual(['2025-11-25', '2026-07-28']);
    const counts = { rejected: 0, checked: 0, held: 0 };
    for (const seed of [1, 2, 3, 4]) {
      const make = generator(seed);
      for (let i = 0; i < 5_000; i++) counts[judge(make())]++;
    }
    // The generator reaches all three outcomes, so the claim is tested, not vacuous.
    expect(counts.held).toBeGreaterThan(2_000);
    expect(counts.rejected).toBeGreaterThan(2_000);
    expect(counts.checked).toBeGreaterThan(50);
  });

  it('needs the serverInfo exception: 2026-07-28 drops a malformed stamp that 2025 accepts', () => {
    const stamped = { content: [], _meta: { [SERVER_INFO_META_KEY]: 5 } };
    const past = legacy.validateResult('tools/call', stamped);
    expect(past.ok).toBe(true);
    const now = modern.validateResult('tools/call', (past as { value: unknown }).value);
    expect((now as { value: { _meta: object } }).value._meta).not.toHaveProperty(SERVER_INFO_META_KEY, 5);
    expect(holdsIn('2025-11-25', '2026-07-28', stamped)).toBe(false);
  });

  it('is only skipped from 2025 to 2026-07-28 or within one era', () => {
    const plain = { content: [] };
    expect(holdsIn('2025-11-25', '2025-11-25', plain)).toBe(true);
    expect(holdsIn('2026-07-28', '2026-07-28', plain)).toBe(true);
    expect(holdsIn('2025-11-25', '2026-07-28', plain)).toBe(true);
    expect(holdsIn('2026-07-28', '2025-11-25', plain)).toBe(false);
    expect(holdsIn(undefined, '2026-07-28', plain)).toBe(false);
  });

  describe("server-everything's real results", () => {
    let client: Client;
    beforeAll(async () => {
      client = testUpstreamClient();
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [
            createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js'),
            'stdio',
          ],
          stderr: 'ignore',
        }),
      );
    }, 30_000);
    afterAll(async () => client?.close());

    it('hold in 2026-07-28 for every tool that needs no input from the client', async () => {
      const { tools } = await client.listTools();
      let held = 0;
      for (const tool of tools) {
        const args = EXAMPLE_ARGUMENTS[tool.name];
        if (!args) continue;
        const result = await client.callTool({ name: tool.name, arguments: args });
        expect(toolResultValidatedIn(result), tool.name).toBe('2025-11-25');
        expect(judge(result), tool.name).toBe('held');
        held++;
      }
      expect(held).toBeGreaterThanOrEqual(5);
    }, 30_000);
  });
});

/** Arguments for server-everything's tools that answer at once without asking the client anything. */
const EXAMPLE_ARGUMENTS: Record<string, Record<string, unknown>> = {
  echo: { message: 'hi ✓' },
  'get-sum': { a: 1, b: 2 },
  'get-tiny-image': {},
  'get-annotated-message': { messageType: 'error', includeImage: true },
  'get-resource-links': { count: 3 },
  'get-resource-reference': { resourceType: 'Text', resourceId: 1 },
  'get-structured-content': { location: 'New York' },
  'get-env': {},
  'gzip-file-as-resource': { name: 'a.gz', data: 'data:text/plain;base64,aGVsbG8=', outputType: 'resource' },
};
