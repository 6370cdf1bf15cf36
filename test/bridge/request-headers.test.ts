// The 2026-07-28 request metadata headers the bridge derives for a stdio client: the spec's value
// encoding examples, Mcp-Name per method, and x-mcp-header markings — valid ones mirrored, invalid
// tools left out of the list as an HTTP client must.
import { describe, expect, it } from 'vitest';
import {
  headerValue,
  modernRequestHeaders,
  modernVersion,
  ToolHeaders,
} from '../../main/bridge/request-headers.js';

const envelope = (version: string) => ({ _meta: { 'io.modelcontextprotocol/protocolVersion': version } });

describe('headerValue', () => {
  // MCP 2026-07-28, Streamable HTTP, "Value Encoding" examples.
  it.each([
    ['us-west1', 'us-west1'],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
  ])('encodes %j as %j', (value, encoded) => {
    expect(headerValue(value)).toBe(encoded);
  });
});

describe('modernVersion', () => {
  it('reads the envelope of a 2026-era request, and nothing from a 2025-era one', () => {
    expect(modernVersion({ method: 'tools/list', params: envelope('2026-07-28') })).toBe('2026-07-28');
    expect(
      modernVersion({ method: 'initialize', params: { protocolVersion: '2025-11-25' } }),
    ).toBeUndefined();
    expect(modernVersion({ method: 'tools/list', params: envelope('2025-11-25') })).toBeUndefined();
    expect(modernVersion({ method: 'tools/list' })).toBeUndefined();
  });
});

describe('modernRequestHeaders', () => {
  const tools = new ToolHeaders();
  tools.learn(
    {
      tools: [
        {
          name: 'execute_sql',
          inputSchema: {
            type: 'object',
            properties: {
              region: { type: 'string', 'x-mcp-header': 'Region' },
              options: {
                type: 'object',
                properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' } },
              },
              limit: { type: 'integer', 'x-mcp-header': 'Limit' },
            },
          },
        },
      ],
    },
    () => undefined,
  );

  it('names the method, the tool and its marked arguments', () => {
    const request = {
      method: 'tools/call',
      params: {
        ...envelope('2026-07-28'),
        name: 'execute_sql',
        arguments: { region: 'us-west1', options: { dry: true }, limit: 7 },
      },
    };
    expect(modernRequestHeaders(request, '2026-07-28', tools)).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'execute_sql',
      'mcp-param-region': 'us-west1',
      'mcp-param-dry-run': 'true',
      'mcp-param-limit': '7',
    });
  });

  it('omits the header of an argument that is absent', () => {
    const request = { method: 'tools/call', params: { name: 'execute_sql', arguments: { limit: 1 } } };
    expect(modernRequestHeaders(request, '2026-07-28', tools)).not.toHaveProperty('mcp-param-region');
  });

  it('names the URI for resources/read and nothing for a list', () => {
    expect(
      modernRequestHeaders(
        { method: 'resources/read', params: { uri: 'file:///ü.txt' } },
        '2026-07-28',
        tools,
      ),
    ).toMatchObject({ 'mcp-name': `=?base64?${Buffer.from('file:///ü.txt').toString('base64')}?=` });
    expect(modernRequestHeaders({ method: 'tools/list', params: {} }, '2026-07-28', tools)).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    });
  });
});

describe('ToolHeaders.learn', () => {
  it('leaves out tools whose markings break the rules, and says why', () => {
    const reasons: string[] = [];
    const tool = (
      name: string,
      properties: Record<string, unknown>,
      extra: Record<string, unknown> = {},
    ) => ({
      name,
      inputSchema: { type: 'object', properties, ...extra },
    });
    const page = {
      tools: [
        tool('fine', { a: { type: 'string', 'x-mcp-header': 'A' } }),
        tool('number', { a: { type: 'number', 'x-mcp-header': 'A' } }),
        tool('twice', {
          a: { type: 'string', 'x-mcp-header': 'X' },
          b: { type: 'string', 'x-mcp-header': 'x' },
        }),
        tool('bad-name', { a: { type: 'string', 'x-mcp-header': 'Has Space' } }),
        tool('in-items', { a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }),
      ],
      nextCursor: 'next',
    };
    const kept = new ToolHeaders().learn(page, (name, reason) => reasons.push(`${name}: ${reason}`));
    expect(kept).toEqual({ tools: [page.tools[0]], nextCursor: 'next' });
    expect(reasons).toEqual([
      'number: x-mcp-header marks "a", which is not a string, integer or boolean',
      'twice: x-mcp-header "x" is used twice',
      'bad-name: x-mcp-header of "a" is not a valid header name',
      'in-items: x-mcp-header is only allowed on properties reachable through "properties" alone',
    ]);
  });
});
