// The zod-free era check against the SDK's own classifier: wherever it decides, it must decide as
// isLegacyRequest does, and it must decide the plain calls both eras make on every tools/call.
import { describe, expect, it } from 'vitest';
import { isLegacyRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { isPlainRequest, plainRequestEra } from '../../../main/core/mcp/request-era.js';

const MODERN = '2026-07-28';
const envelope = {
  [PROTOCOL_VERSION_META_KEY]: MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const call = (extra: Record<string, unknown> = {}, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'echo', arguments: { message: 'hi' }, ...params },
  ...extra,
});

/** [what, headers, body, decided here (true) or left to the SDK (false)] */
const cases: Array<[string, Record<string, string>, unknown, boolean]> = [
  ['a 2025 session call', { 'mcp-session-id': 's', 'mcp-protocol-version': '2025-11-25' }, call(), true],
  ['a 2025 call without a version header', { 'mcp-session-id': 's' }, call(), true],
  ['a 2025 call with a progress token', {}, call({}, { _meta: { progressToken: 'p' } }), true],
  ['a 2025 call with a numeric progress token', {}, call({}, { _meta: { progressToken: 7 } }), true],
  ['a 2026 call', { 'mcp-protocol-version': MODERN }, call({}, { _meta: envelope }), true],
  ['a 2026 call without the header', {}, call({}, { _meta: envelope }), true],
  [
    'an envelope with a bad version',
    {},
    call({}, { _meta: { ...envelope, [PROTOCOL_VERSION_META_KEY]: 7 } }),
    true,
  ],
  [
    'an envelope missing its client info',
    {},
    call({}, { _meta: { [PROTOCOL_VERSION_META_KEY]: MODERN } }),
    true,
  ],
  [
    'an envelope naming a 2025 revision',
    {},
    call({}, { _meta: { [PROTOCOL_VERSION_META_KEY]: '2025-11-25' } }),
    true,
  ],
  ['a modern header without the envelope', { 'mcp-protocol-version': MODERN }, call(), true],
  ['a modern header with spaces around it', { 'mcp-protocol-version': ` ${MODERN}\t` }, call(), true],
  ['a string id', {}, call({ id: 'abc' }), true],
  ['a call with no params', {}, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, true],
  [
    'initialize',
    {},
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25' } },
    false,
  ],
  [
    'initialize with an envelope',
    {},
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { _meta: envelope } },
    false,
  ],
  ['a batch', {}, [call(), call({ id: 2 })], false],
  ['a notification', {}, { jsonrpc: '2.0', method: 'notifications/initialized' }, false],
  ['a posted response', {}, { jsonrpc: '2.0', id: 3, result: {} }, false],
  ['an extra top-level key', {}, call({ extra: true }), false],
  ['a __proto__ key', {}, JSON.parse('{"jsonrpc":"2.0","id":1,"method":"x","__proto__":{}}'), false],
  ['a fractional id', {}, call({ id: 1.5 }), false],
  ['a null id', {}, call({ id: null }), false],
  ['an id past the safe integers', {}, call({ id: 2 ** 60 }), false],
  ['jsonrpc 1.0', {}, call({ jsonrpc: '1.0' }), false],
  ['a numeric method', {}, call({ method: 5 }), false],
  ['params an array', {}, call({ params: [1] }), false],
  ['_meta an array', {}, call({}, { _meta: [] }), false],
  ['a fractional progress token', {}, call({}, { _meta: { progressToken: 1.5 } }), false],
  [
    'a related-task key',
    {},
    call({}, { _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't' } } }),
    false,
  ],
  ['a string body', {}, 'tools/call', false],
  ['null', {}, null, false],
];

describe('plainRequestEra', () => {
  it.each(cases)('%s: decided as the SDK decides, or left to it', async (_what, headers, body, decided) => {
    const era = plainRequestEra(headers, body);
    expect(era !== undefined).toBe(decided);
    const request = new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    const legacy = await isLegacyRequest(request, body);
    if (era !== undefined) expect(era).toBe(legacy ? 'legacy' : 'modern');
  });

  it('leaves a repeated protocol-version header to the SDK', () => {
    expect(plainRequestEra({ 'mcp-protocol-version': [MODERN, MODERN] as unknown as string }, call())).toBe(
      undefined,
    );
  });

  it('takes only what the strict JSON-RPC request schema takes', () => {
    expect(isPlainRequest(call())).toBe(true);
    expect(isPlainRequest({ ...call(), result: {} })).toBe(false);
    expect(isPlainRequest({ jsonrpc: '2.0', id: 1 })).toBe(false);
  });
});
