// The JSON-RPC codes by name (main/core/json-rpc-errors.ts): the same numbers the SDK gives the codes
// it also names, and the one error response shape every layer answers with.
import { describe, expect, it } from 'vitest';
import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { jsonRpcError, JsonRpcCode } from '../../main/core/json-rpc-errors.js';

describe('the JSON-RPC error vocabulary', () => {
  it('gives every code the SDK also names the SDK’s number, so the gateway’s ProtocolErrors answer as before', () => {
    const shared = Object.entries(JsonRpcCode).filter(([name]) => name in ProtocolErrorCode);
    expect(shared.map(([name]) => name).sort()).toEqual(
      [
        'InternalError',
        'InvalidParams',
        'InvalidRequest',
        'MethodNotFound',
        'MissingRequiredClientCapability',
        'ParseError',
        'UnsupportedProtocolVersion',
      ].sort(),
    );
    for (const [name, code] of shared) {
      expect(code, name).toBe(ProtocolErrorCode[name as keyof typeof ProtocolErrorCode]);
    }
  });

  it('names each code once', () => {
    const codes = Object.values(JsonRpcCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('builds one error response shape: the id (null when unread), the code and message, data only when given', () => {
    expect(jsonRpcError(7, JsonRpcCode.InvalidParams, 'no such tool')).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32602, message: 'no such tool' },
    });
    expect(JSON.stringify(jsonRpcError(undefined, JsonRpcCode.ParseError, 'not JSON'))).toBe(
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"not JSON"}}',
    );
    expect(
      jsonRpcError('a', JsonRpcCode.UnsupportedProtocolVersion, 'old', { supported: ['2026-07-28'] }),
    ).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      error: { code: -32022, message: 'old', data: { supported: ['2026-07-28'] } },
    });
  });
});
