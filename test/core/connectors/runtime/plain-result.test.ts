// Which upstream lines skip the zod parse: only result responses the SDK's own parse would
// return unchanged; everything else (and anything odd) still goes through parseJSONRPCMessage.
import { describe, expect, it } from 'vitest';
import { parseJSONRPCMessage } from '@modelcontextprotocol/client';
import { isPlainResult } from '../../../../main/core/connectors/runtime/plain-result.js';

const plain: unknown[] = [
  { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hi' }] } },
  { jsonrpc: '2.0', id: 'a-7', result: {} },
  {
    jsonrpc: '2.0',
    id: 0,
    result: { content: [], isError: true, structuredContent: { x: [1, { y: null }] } },
  },
];

const notPlain: Array<[string, unknown]> = [
  ['an extra key', { jsonrpc: '2.0', id: 1, result: {}, extra: true }],
  ['a missing result', { jsonrpc: '2.0', id: 1 }],
  ['a fractional id', { jsonrpc: '2.0', id: 1.5, result: {} }],
  ['an id beyond safe integers', { jsonrpc: '2.0', id: 2 ** 60, result: {} }],
  ['a null id', { jsonrpc: '2.0', id: null, result: {} }],
  ['another jsonrpc version', { jsonrpc: '1.0', id: 1, result: {} }],
  ['an array result', { jsonrpc: '2.0', id: 1, result: [] }],
  ['a null result', { jsonrpc: '2.0', id: 1, result: null }],
  [
    'a result with _meta',
    { jsonrpc: '2.0', id: 1, result: { _meta: { 'io.modelcontextprotocol/serverInfo': 5 } } },
  ],
  ['an error response', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no' } }],
  ['a request', { jsonrpc: '2.0', id: 1, method: 'sampling/createMessage', params: {} }],
  ['a notification', { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 1 } }],
  ['a batch', [{ jsonrpc: '2.0', id: 1, result: {} }]],
  ['null', null],
  ['a string', '{"jsonrpc":"2.0"}'],
];

describe('isPlainResult', () => {
  it.each(plain.map((message) => [JSON.stringify(message), message]))(
    'takes %s, which the SDK parses to the same message',
    (_, message) => {
      expect(isPlainResult(message)).toBe(true);
      expect(parseJSONRPCMessage(message)).toEqual(message);
    },
  );

  it.each(notPlain)('leaves %s to the SDK', (_, message) => {
    expect(isPlainResult(message)).toBe(false);
  });

  it('leaves a prototype-polluting line to the SDK too', () => {
    const line = '{"jsonrpc":"2.0","id":1,"result":{},"__proto__":{"polluted":true}}';
    expect(isPlainResult(JSON.parse(line))).toBe(false);
  });
});
