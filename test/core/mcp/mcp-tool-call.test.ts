// A clear-cut 2026-07-28 tools/call skips the SDK entry's web Request/Response machinery
// (sdk/response-writer.ts): on the real engine, with a real 2025-era upstream (the conformance
// fixture) and server-everything, each call is sent twice — clear-cut, and with its Mcp-Name in the
// Base64 form, which the SDK's entry accepts and the direct path leaves to it — and the two answers
// must be the same bytes: a plain result, logs and progress before the result (SSE, in order), an
// error, a parked InputRequired round trip. Bad requests still get the entry's exact errors, a
// parked state is still refused when replayed, forged or another client's, and a client that hangs
// up still cancels the upstream call.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope } from '../../support/eras.js';
import { obtainTokens } from '../../support/raw-oauth.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { startConformanceUpstream, type ConformanceUpstream } from '../../fixtures/conformance-upstream.js';
import { startAskingLegacyServer, type AskingLegacyServer } from '../../fixtures/asking-legacy-server.js';
import { ResponseWriter } from '../../../main/core/sdk/response-writer.js';
import { EVERYTHING } from '../../support/real-servers.js';

const REVISION = '2026-07-28';

let fixture: EngineFixture;
let upstream: ConformanceUpstream;
/** A 2025-era upstream with prompts and resources and no tools: /mcp/asking declares no tools. */
let toolless: AskingLegacyServer;
let token: string;

beforeAll(async () => {
  upstream = await startConformanceUpstream();
  toolless = await startAskingLegacyServer();
  fixture = await startEngine();
  const { engine } = fixture;
  await engine.call('settings.set', { accessCeiling: 'write', rateLimitPerMinute: 10_000 });
  const added = await Promise.all([
    engine.call('connectors.add', {
      name: 'conf',
      settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
    }),
    engine.call('connectors.add', {
      name: 'asking',
      settings: { kind: 'http', url: toolless.url, transport: 'streamable-http' },
    }),
    engine.call('connectors.add', {
      name: 'everything',
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    }),
  ]);
  for (const { status } of added) expect(status.connection, JSON.stringify(status)).toBe('connected');
  for (const tool of await engine.call('tools.list', {}))
    await engine.call('tools.set', { connector: tool.connector, tool: tool.name, approval: 'never' });
  token = (await obtainTokens(engine, { access: 'write' })).accessToken;
}, 90_000);

afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
  await toolless?.close();
});

const served = vi.spyOn(ResponseWriter.prototype, 'serve');
afterEach(() => served.mockClear());

/** The standard headers of a tools/call (SEP-2243); `encoded` sends Mcp-Name in its Base64 form. */
function standardHeaders(name: string, encoded = false): Record<string, string> {
  return {
    'mcp-protocol-version': REVISION,
    'mcp-method': 'tools/call',
    'mcp-name': encoded ? `=?base64?${Buffer.from(name).toString('base64')}?=` : name,
  };
}

interface Answer {
  status: number;
  type: string | null;
  text: string;
}

async function post(
  body: unknown,
  headers: Record<string, string>,
  as = token,
  url = fixture.engine.mcpUrl,
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${as}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function toolCall(name: string, args: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  return {
    jsonrpc: '2.0',
    id: 'c-1',
    method: 'tools/call',
    params: { name, arguments: args, _meta: { ...envelope(REVISION), ...meta } },
  };
}

/**
 * The answer of the direct path and the SDK entry's to the same call, each checked to have taken its
 * path; `meta` goes into both bodies' `_meta`. The upstream's progress token (Gatehouse's own, one per
 * call) is the one thing that may differ.
 */
async function bothPaths(name: string, args: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  served.mockClear();
  const direct = await post(toolCall(name, args, meta), standardHeaders(name));
  expect(served).toHaveBeenCalledTimes(1);
  const entry = await post(toolCall(name, args, meta), standardHeaders(name, true));
  expect(served).toHaveBeenCalledTimes(1);
  const upstreamToken = (answer: Answer) => ({
    ...answer,
    text: answer.text.replace(/reported for token \d+/, 'reported for token N'),
  });
  return { direct: upstreamToken(direct), entry: upstreamToken(entry) };
}

/** The JSON-RPC messages of an SSE answer, in order. */
function frames(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

describe('a clear-cut 2026-07-28 tools/call', () => {
  it('is answered as one JSON body, the same bytes as the SDK entry writes', async () => {
    const { direct, entry } = await bothPaths('conf__test_simple_text', {});
    expect(direct).toEqual(entry);
    expect(direct.status).toBe(200);
    expect(direct.type).toBe('application/json');
    expect(JSON.parse(direct.text)).toMatchObject({
      jsonrpc: '2.0',
      id: 'c-1',
      result: { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] },
    });
  });

  it("answers a tool's error result and an unknown tool like the entry", async () => {
    for (const name of ['conf__test_error_handling', 'conf__no_such_tool']) {
      const { direct, entry } = await bothPaths(name, {});
      expect(direct, name).toEqual(entry);
    }
  });

  it("answers a tools/call on a connector that offers no tools like the entry's instance: 404, -32601", async () => {
    // The direct path's instance declares only what a tools/call reads (toolCallCapabilities): no
    // tools here, so no handler, as on the entry's full instance.
    const url = `${fixture.engine.mcpUrl}/asking`;
    const own = (await obtainTokens(fixture.engine, { access: 'write', resource: url })).accessToken;
    served.mockClear();
    const direct = await post(toolCall('briefing', {}), standardHeaders('briefing'), own, url);
    expect(served).toHaveBeenCalledTimes(1);
    const entry = await post(toolCall('briefing', {}), standardHeaders('briefing', true), own, url);
    expect(served).toHaveBeenCalledTimes(1);
    expect(direct).toEqual(entry);
    expect(direct.status).toBe(404);
    expect(JSON.parse(direct.text)).toMatchObject({ id: 'c-1', error: { code: -32601 } });
  });

  it('streams the logs a 2025-era upstream sends before its result, in order, then the result', async () => {
    const { direct, entry } = await bothPaths(
      'conf__test_tool_with_logging',
      {},
      { 'io.modelcontextprotocol/logLevel': 'info' },
    );
    expect(direct).toEqual(entry);
    expect(direct.type).toBe('text/event-stream');
    const messages = frames(direct.text) as Array<{ method?: string; params?: { data?: string } }>;
    expect(messages.map((message) => message.params?.data ?? 'result')).toEqual([
      'Tool execution started',
      'Tool processing data',
      'Tool execution completed',
      'result',
    ]);
  });

  it('streams progress before the result, in order', async () => {
    const { direct, entry } = await bothPaths('conf__test_tool_with_progress', {}, { progressToken: 'p-7' });
    expect(direct).toEqual(entry);
    const messages = frames(direct.text) as Array<{ params?: { progress?: number }; result?: unknown }>;
    expect(messages.map((message) => message.params?.progress ?? 'result')).toEqual([0, 50, 100, 'result']);
  });

  it('leaves a call without logging wishes as JSON even when the upstream logs', async () => {
    const { direct, entry } = await bothPaths('conf__test_tool_with_logging', {});
    expect(direct).toEqual(entry);
    expect(direct.type).toBe('application/json');
  });
});

describe('a parked InputRequired round trip on the direct path', () => {
  const withElicitation = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
  const name = 'conf__test_elicitation';
  const args = { message: 'Who are you?' };
  const REFUSED = {
    code: -32602,
    message: 'Invalid or expired requestState',
    data: { reason: 'invalid_request_state' },
  };

  async function firstRound(): Promise<{ key: string; requestState: string }> {
    const round = await post(toolCall(name, args, withElicitation), standardHeaders(name));
    const { result } = JSON.parse(round.text) as {
      result: { resultType: string; inputRequests: Record<string, unknown>; requestState: string };
    };
    expect(result.resultType).toBe('input_required');
    return { key: Object.keys(result.inputRequests)[0]!, requestState: result.requestState };
  }

  function retry(key: string, requestState: string) {
    const call = toolCall(name, args, withElicitation);
    return {
      ...call,
      params: {
        ...call.params,
        inputResponses: {
          [key]: { action: 'accept', content: { username: 'ada', email: 'ada@example.com' } },
        },
        requestState,
      },
    };
  }

  async function answer(body: unknown, as = token) {
    return JSON.parse((await post(body, standardHeaders(name), as)).text) as {
      result?: { content?: unknown };
      error?: unknown;
    };
  }

  it('is finished by its own client once; a replay, a forged state and another client are refused', async () => {
    const { key, requestState } = await firstRound();
    const other = (await obtainTokens(fixture.engine, { access: 'write' })).accessToken;
    expect((await answer(retry(key, requestState), other)).error).toEqual(REFUSED);
    expect((await answer(retry(key, `${requestState.slice(0, -4)}AAAA`))).error).toEqual(REFUSED);
    expect((await answer(retry(key, requestState))).result?.content).toEqual([
      {
        type: 'text',
        text: 'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
      },
    ]);
    expect((await answer(retry(key, requestState))).error).toEqual(REFUSED);
    expect(served.mock.calls.length).toBe(5);
  });

  it("asks a client that declared no elicitation the entry's way", async () => {
    const { direct, entry } = await bothPaths(name, args);
    expect(direct).toEqual(entry);
    expect(direct.status).toBe(400);
    expect(JSON.parse(direct.text)).toMatchObject({ id: 'c-1', error: { code: -32021 } });
  });

  it('serves an envelope without the optional clientInfo like the entry', async () => {
    const { 'io.modelcontextprotocol/clientInfo': _dropped, ...partial } = envelope(REVISION);
    const body = toolCall('conf__test_simple_text', {});
    served.mockClear();
    const direct = await post(
      { ...body, params: { ...body.params, _meta: partial } },
      standardHeaders(body.params.name),
    );
    const entry = await post(
      { ...body, params: { ...body.params, _meta: partial } },
      standardHeaders(body.params.name, true),
    );
    expect(served).toHaveBeenCalledTimes(1);
    expect(direct).toEqual(entry);
  });
});

describe('what the direct path leaves to the SDK entry', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON-RPC answer, read field by field
  async function refused(body: any, headers: Record<string, string>) {
    const answer = await post(body, headers);
    expect(served).not.toHaveBeenCalled();
    return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
  }
  const name = 'conf__test_simple_text';

  it('an envelope without the client capabilities: 400, -32602', async () => {
    const call = toolCall(name, {});
    const { 'io.modelcontextprotocol/clientCapabilities': _dropped, ...partial } = call.params._meta;
    const { status, body } = await refused(
      { ...call, params: { ...call.params, _meta: partial } },
      standardHeaders(name),
    );
    expect(status).toBe(400);
    expect(body).toEqual({
      jsonrpc: '2.0',
      id: 'c-1',
      error: {
        code: -32602,
        message:
          'Invalid _meta envelope for protocol revision 2026-07-28: io.modelcontextprotocol/clientCapabilities: missing',
        data: { envelope: { key: 'io.modelcontextprotocol/clientCapabilities', problem: 'missing' } },
      },
    });
  });

  it('headers that disagree with the body, or are missing: 400, -32020', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...standardHeaders(name), 'mcp-name': 'conf__other' }, 'Mcp-Name'],
      [{ ...standardHeaders(name), 'mcp-method': 'tools/list' }, 'Mcp-Method'],
      [{ 'mcp-protocol-version': REVISION, 'mcp-method': 'tools/call' }, 'Mcp-Name'],
      [{ 'mcp-protocol-version': REVISION, 'mcp-name': name }, 'Mcp-Method'],
    ];
    for (const [headers, header] of cases) {
      const { status, body } = await refused(toolCall(name, {}), headers);
      expect(status, header).toBe(400);
      expect(body, header).toMatchObject({ id: 'c-1', error: { code: -32020 } });
      expect(JSON.stringify(body), header).toContain(header);
    }
  });

  it('a revision it does not serve: 400, -32022 with the supported list', async () => {
    const call = toolCall(name, {}, { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' });
    const { status, body } = await refused(call, {
      ...standardHeaders(name),
      'mcp-protocol-version': '2099-01-01',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      id: 'c-1',
      error: { code: -32022, data: { supported: [REVISION], requested: '2099-01-01' } },
    });
  });

  it('an Mcp-Param header that disagrees with its argument: 400, -32020 (Gatehouse checks it first)', async () => {
    const custom = 'conf__test_custom_header';
    const { status, body } = await refused(toolCall(custom, { region: 'eu-west' }), {
      ...standardHeaders(custom),
      'mcp-param-region': 'us-east',
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      jsonrpc: '2.0',
      id: 'c-1',
      error: { code: -32020, message: expect.stringMatching(/^Header mismatch: .*Region/) },
    });
    const agreeing = await post(toolCall(custom, { region: 'eu-west' }), {
      ...standardHeaders(custom),
      'mcp-param-region': 'eu-west',
    });
    expect(JSON.parse(agreeing.text).result.content).toEqual([{ type: 'text', text: 'Region: eu-west' }]);
  });
});

describe('a client that hangs up', () => {
  it('cancels the upstream call it was waiting for', async () => {
    const name = 'everything__trigger-long-running-operation';
    const hangUp = new AbortController();
    const request = fetch(fixture.engine.mcpUrl, {
      method: 'POST',
      signal: hangUp.signal,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...standardHeaders(name),
      },
      body: JSON.stringify(toolCall(name, { duration: 10, steps: 10 })),
    });
    await expect.poll(() => served.mock.calls.length).toBe(1);
    setTimeout(() => hangUp.abort(), 200);
    await expect(request).rejects.toThrow('This operation was aborted');
    await expect
      .poll(
        async () =>
          (
            await fixture.engine.call('audit.list', {
              type: 'tool.call',
              tool: 'trigger-long-running-operation',
              limit: 1,
            })
          )[0]?.detail.outcome,
      )
      .toBe('cancelled');
  });
});

describe.each(['2026-07-28', 'auto'] as const)('a real SDK client (%s)', (era) => {
  it('calls through the direct path: a result, and logs and progress before theirs', async () => {
    const { client } = await authorizeClient(fixture.engine, { era, access: 'write' });
    served.mockClear();
    expect((await client.callTool({ name: 'conf__test_simple_text', arguments: {} })).content).toEqual([
      { type: 'text', text: 'This is a simple text response for testing.' },
    ]);
    const progress: number[] = [];
    const progressed = await client.callTool(
      { name: 'conf__test_tool_with_progress', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(progressed.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Progress reported/) }]);
    expect(progress).toEqual([0, 50, 100]);
    const logs: unknown[] = [];
    client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params.data));
    const logged = await client.callTool({
      name: 'conf__test_tool_with_logging',
      arguments: {},
      _meta: { 'io.modelcontextprotocol/logLevel': 'info' },
    });
    expect(logged.content).toEqual([{ type: 'text', text: 'Tool with logging executed successfully' }]);
    expect(logs).toEqual(['Tool execution started', 'Tool processing data', 'Tool execution completed']);
    expect(served).toHaveBeenCalledTimes(3);
    await client.close();
  });
});
