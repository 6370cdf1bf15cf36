// The pins of the seam to the MCP TypeScript SDK's internals (main/core/sdk/): each private or
// protected member Gatehouse reaches, and each internal constant or routine it copies, is still in the
// installed SDK with the shape Gatehouse relies on. A release that moves or changes one fails here,
// with what to re-check, not on a user's tools/call. docs/sdk-seam.md lists them with the public API
// that would replace each.
import { JsonRpcCode } from '../../../main/core/json-rpc-errors.js';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import {
  ProtocolErrorCode,
  Server,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import {
  excludeUnmirrorableTools,
  outboundCodec,
  responseDispatch,
} from '../../../main/core/sdk/client-internals.js';
import {
  bindRevision,
  handlerControllers,
  requestDispatch,
} from '../../../main/core/sdk/server-internals.js';
import { hasRequestStreams, SESSION_STREAM_MEMBERS } from '../../../main/core/sdk/session-streams.js';
import { FOREIGN_FAMILY_KEYS, TOOL_CALL_WRAPPER_MEMBERS } from '../../../main/core/sdk/tool-call-wrapper.js';
import {
  FIRST_MODERN_REVISION,
  KEEP_ALIVE_MS,
  LADDER_STATUS,
  SERVED_REVISION,
  SSE_HEADERS,
  stripOws,
} from '../../../main/core/sdk/wire-constants.js';

const require = createRequire(import.meta.url);

/** The folder of an installed package (its package.json's). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!dir.endsWith(name) && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** The SDK server package's built ESM source, every chunk. */
const serverSource = readdirSync(join(packageDir('@modelcontextprotocol/server'), 'dist'))
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => readFileSync(join(packageDir('@modelcontextprotocol/server'), 'dist', file), 'utf8'))
  .join('\n');

/** The text of `const name = …;` in the SDK's source (its first definition), or undefined. */
function sdkConstant(name: string): string | undefined {
  return new RegExp(`\\bconst ${name} = ([^;]*);`).exec(serverSource)?.[1];
}

/** Says what to re-check when a pin fails. */
const recheck = (what: string, where: string) =>
  `The installed SDK changed ${what}: re-check ${where} against the new SDK (docs/sdk-seam.md), then update this pin.`;

const instance = () => new Server({ name: 'pins', version: '1' }, { capabilities: { tools: {} } });

describe('the SDK release Gatehouse is pinned to', () => {
  it('is the one installed, client and server alike, pinned exactly in package.json', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const pins = { ...manifest.devDependencies, ...manifest.dependencies };
    for (const name of [
      '@modelcontextprotocol/client',
      '@modelcontextprotocol/server',
      '@modelcontextprotocol/node',
    ])
      expect(pins[name], `${name} must be pinned to the installed version (no range)`).toBe(
        installedVersion(name),
      );
    expect(
      installedVersion('@modelcontextprotocol/client'),
      recheck('its release', 'every file of main/core/sdk/'),
    ).toBe(installedVersion('@modelcontextprotocol/server'));
  });
});

describe('the server-side members main/core/sdk/ reaches', () => {
  it('has the Protocol request dispatch and its table of running handlers', () => {
    const server = instance();
    expect(
      requestDispatch(server),
      recheck('Protocol._onrequest', 'sdk/server-internals.ts requestDispatch'),
    ).toBeTypeOf('function');
    expect(
      handlerControllers(server),
      recheck('Protocol._requestHandlerAbortControllers', 'sdk/server-internals.ts handlerControllers'),
    ).toBeInstanceOf(Map);
  });

  it('binds a revision through the field the wire codec reads, and wraps handlers in Server._wrapHandler', () => {
    const server = instance();
    const members = server as unknown as Record<string, unknown>;
    expect(
      typeof members._wrapHandler,
      recheck('Server._wrapHandler', 'sdk/server-internals.ts WrappingServer'),
    ).toBe('function');
    bindRevision(server, '2026-07-28');
    const codec = (members._negotiatedWireCodec as () => { era: string }).call(server);
    expect(
      codec.era,
      recheck('Protocol._negotiatedProtocolVersion', 'sdk/server-internals.ts bindRevision'),
    ).toBe('2026-07-28');
  });

  it('has the members the copied tools/call wrapper calls, with their shapes', () => {
    const members = Server.prototype as unknown as Record<string, unknown>;
    for (const name of TOOL_CALL_WRAPPER_MEMBERS)
      expect(typeof members[name], recheck(`Server.${name}`, 'sdk/tool-call-wrapper.ts')).toBe('function');
    const codec = (instance() as unknown as Record<string, () => unknown>)._negotiatedWireCodec!.call(
      instance(),
    ) as Record<string, unknown>;
    expect(typeof codec.era, recheck('the wire codec (era)', 'sdk/tool-call-wrapper.ts')).toBe('string');
    for (const method of ['validateRequest', 'validateResult'])
      expect(typeof codec[method], recheck(`the wire codec (${method})`, 'sdk/tool-call-wrapper.ts')).toBe(
        'function',
      );
  });

  it('copies TOOL_RESULT_FOREIGN_FAMILY_KEYS as the SDK has them', () => {
    const keys = sdkConstant('TOOL_RESULT_FOREIGN_FAMILY_KEYS');
    expect(
      keys,
      recheck('TOOL_RESULT_FOREIGN_FAMILY_KEYS', 'sdk/tool-call-wrapper.ts contentless'),
    ).toBeDefined();
    expect(
      JSON.parse(keys!.replace(/\s/g, '')),
      recheck('TOOL_RESULT_FOREIGN_FAMILY_KEYS', 'sdk/tool-call-wrapper.ts'),
    ).toEqual([...FOREIGN_FAMILY_KEYS]);
  });
});

describe("the session transport's stream parts main/core/sdk/ joins", () => {
  it('has its stream tables, priming event, keep-alive and SSE event writer', () => {
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => 'pins' });
    const members = transport as unknown as Record<string, unknown>;
    for (const name of SESSION_STREAM_MEMBERS)
      expect(
        members[name],
        recheck(`the transport's ${name}`, 'sdk/session-streams.ts joinRequestStream'),
      ).toBeDefined();
    expect(hasRequestStreams(transport), recheck('the stream tables', 'sdk/session-streams.ts')).toBe(true);
    expect(
      typeof members.writeSSEEvent,
      recheck('writeSSEEvent', 'sdk/session-streams.ts hookSseEvents'),
    ).toBe('function');
  });
});

describe('the client-side members main/core/sdk/ reaches', () => {
  it("has the response dispatch and the outbound codec lookup, with the codec's shape", () => {
    const client = new Client({ name: 'pins', version: '1' });
    expect(
      responseDispatch(client),
      recheck('Protocol._onresponse', 'sdk/client-internals.ts responseDispatch'),
    ).toBeTypeOf('function');
    const codec = outboundCodec(client, 'tools/call');
    expect(
      codec,
      recheck('Protocol._resolveOutboundCodec', 'sdk/client-internals.ts outboundCodec'),
    ).toBeDefined();
    expect(typeof codec!.era, recheck('the outbound codec (era)', 'sdk/client-internals.ts')).toBe('string');
    expect(
      typeof codec!.validateResult,
      recheck('the outbound codec (validateResult)', 'sdk/client-internals.ts'),
    ).toBe('function');
  });

  it("has the tools/list exclusion of invalid x-mcp-header declarations, taking one page's result", () => {
    const member = (Client.prototype as unknown as Record<string, unknown>)._excludeInvalidXMcpHeaderTools;
    const where = 'sdk/client-internals.ts excludeUnmirrorableTools';
    expect(typeof member, recheck('Client._excludeInvalidXMcpHeaderTools', where)).toBe('function');
    expect((member as () => void).length, recheck('its one parameter (the result)', where)).toBe(1);
    const page = { tools: [] };
    expect(
      excludeUnmirrorableTools(new Client({ name: 'pins', version: '1' }), page),
      recheck('it', where),
    ).toBe(true);
  });
});

describe('the internal constants and routines main/core/sdk/wire-constants.ts copies', () => {
  it('has the revisions the entry serves and the era boundary', () => {
    const first = sdkConstant('FIRST_MODERN_PROTOCOL_VERSION');
    expect(first, recheck('FIRST_MODERN_PROTOCOL_VERSION', 'FIRST_MODERN_REVISION')).toBe(
      `"${FIRST_MODERN_REVISION}"`,
    );
    expect(
      sdkConstant('SUPPORTED_MODERN_PROTOCOL_VERSIONS'),
      recheck('SUPPORTED_MODERN_PROTOCOL_VERSIONS', 'SERVED_REVISION'),
    ).toBe('[FIRST_MODERN_PROTOCOL_VERSION]');
    expect(SERVED_REVISION).toBe(FIRST_MODERN_REVISION);
  });

  it('has the ladder statuses and the header mismatch code', () => {
    expect(
      sdkConstant('HEADER_MISMATCH_ERROR_CODE'),
      recheck('HEADER_MISMATCH_ERROR_CODE', 'HEADER_MISMATCH'),
    ).toBe(String(JsonRpcCode.HeaderMismatch));
    const text = sdkConstant('LADDER_ERROR_HTTP_STATUS');
    expect(text, recheck('LADDER_ERROR_HTTP_STATUS', 'LADDER_STATUS')).toBeDefined();
    const codes = ProtocolErrorCode as unknown as Record<string, number>;
    const ladder = new Map<number, number>();
    for (const [, key, status] of text!.matchAll(/\[([\w.]+)\]:\s*(\d+)/g)) {
      const code =
        key === 'HEADER_MISMATCH_ERROR_CODE'
          ? JsonRpcCode.HeaderMismatch
          : codes[key!.replace('ProtocolErrorCode.', '')];
      expect(code, recheck(`LADDER_ERROR_HTTP_STATUS (${key})`, 'LADDER_STATUS')).toBeTypeOf('number');
      ladder.set(code!, Number(status));
    }
    expect(ladder, recheck('LADDER_ERROR_HTTP_STATUS', 'LADDER_STATUS')).toEqual(new Map(LADDER_STATUS));
  });

  it('has the keep-alive interval and the SSE headers', () => {
    expect(
      Number(sdkConstant('DEFAULT_SSE_KEEP_ALIVE_MS')),
      recheck('DEFAULT_SSE_KEEP_ALIVE_MS', 'KEEP_ALIVE_MS'),
    ).toBe(KEEP_ALIVE_MS);
    for (const [name, value] of Object.entries(SSE_HEADERS)) {
      const spelled = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
      expect(serverSource, recheck(`its SSE header ${spelled}`, 'SSE_HEADERS')).toMatch(
        new RegExp(`"?${spelled}"?: "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'i'),
      );
    }
  });

  it('strips optional whitespace as stripHttpOws does', () => {
    expect(serverSource, recheck('stripHttpOws', 'stripOws')).toMatch(/function stripHttpOws\(value\)/);
    expect(serverSource, recheck('stripHttpOws (space and tab only)', 'stripOws')).toMatch(
      /if \(code !== 9 && code !== 32\) break;/,
    );
    expect(stripOws(' \t2026-07-28\t ')).toBe('2026-07-28');
    expect(stripOws('\n2026-07-28')).toBe('\n2026-07-28');
  });
});
