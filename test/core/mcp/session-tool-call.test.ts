// A 2025-era session's tools/call answered below the SDK's transport, against the real
// engine, real SDK clients and a real stdio upstream (test/fixtures/call-watch-server.mjs) that logs
// each call's start, cancellation and end: answered as JSON, switched to SSE the moment anything else
// concerns the call (in order), elicitation mid-call, cancellation, session end and revoke mid-call,
// a client that hangs up (and resumes), the SDK's exact errors for odd headers, a reused request id,
// and another client's session.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { startCallLogEngine } from '../../support/call-log-engine.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';

const CONNECTOR = 'watch';
const tool = (name: string) => `${CONNECTOR}__${name}`;

let fixture: EngineFixture;
let folder: string;
let calls: () => string[];
let client: Client;
let token: string;
let sessionId: string;
/** The methods of every POST the SDK's handlePostRequest saw (the way below it must see no tools/call). */
const sdkPosts: string[] = [];

beforeAll(async () => {
  ({ fixture, folder, calls } = await startCallLogEngine(CONNECTOR, 'call-watch-server.mjs'));
  const { engine } = fixture;
  const authorized = await authorizeClient(engine, { access: 'write', capabilities: { elicitation: {} } });
  client = authorized.client;
  token = authorized.provider.savedTokens!.access_token;
  sessionId = authorized.transport.sessionId!;
  // handlePostRequest is private in the SDK's typings: the spy only counts what it is given.
  const transport = WebStandardStreamableHTTPServerTransport.prototype as unknown as {
    handlePostRequest(req: Request, options?: { parsedBody?: unknown }): Promise<Response>;
  };
  const original = transport.handlePostRequest;
  vi.spyOn(transport, 'handlePostRequest').mockImplementation(function (this: unknown, req, options) {
    const body = options?.parsedBody;
    for (const message of Array.isArray(body) ? body : [body]) {
      sdkPosts.push(String((message as { method?: unknown } | undefined)?.method ?? 'response'));
    }
    return original.call(this, req, options);
  });
}, 90_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await client?.close();
  await fixture?.stop();
  rmSync(folder, { recursive: true, force: true });
});

afterEach(() => {
  expect(sdkPosts.filter((method) => method === 'tools/call')).toEqual([]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function headers(
  extra: Record<string, string> = {},
  session = sessionId,
  bearer = token,
): Record<string, string> {
  return {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-session-id': session,
    'mcp-protocol-version': '2025-11-25',
    ...extra,
  };
}

function post(body: unknown, extra?: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return fetch(fixture.engine.mcpUrl, {
    method: 'POST',
    headers: headers(extra),
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

const callTool = (id: string | number, name: string, args: Record<string, unknown>, meta?: object) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: tool(name), arguments: args, ...(meta ? { _meta: meta } : {}) },
});

/** The events of an SSE body, each with its id and its data parsed (null for the priming event). */
function events(text: string): Array<{ id?: string; data: Record<string, unknown> | null }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const id = lines.find((line) => line.startsWith('id: '))?.slice(4);
      const data =
        lines
          .find((line) => line.startsWith('data:'))
          ?.slice(5)
          .trim() ?? '';
      return { ...(id ? { id } : {}), data: data ? (JSON.parse(data) as Record<string, unknown>) : null };
    });
}

async function started(label: string): Promise<void> {
  await expect.poll(calls, { timeout: 5_000 }).toContain(`started ${label}`);
}

describe('a tools/call on a 2025-era session, below the SDK transport', () => {
  it('is answered as one JSON body, without the SDK transport seeing it', async () => {
    const before = sdkPosts.length;
    const res = await post(callTool(1, 'echo', { text: 'hi' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBe(sessionId);
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'echo: hi' }] },
    });
    // The SDK client's own calls take the same way; other requests are the SDK transport's.
    const result = await client.callTool({ name: tool('echo'), arguments: { text: 'sdk' } });
    expect(result.content).toEqual([{ type: 'text', text: 'echo: sdk' }]);
    await client.listTools();
    expect(sdkPosts.slice(before)).toEqual(['tools/list']);
  });

  it('switches to SSE when log messages and progress come before the result: priming event first, order kept', async () => {
    const res = await post(callTool('chatty-1', 'chatty', { count: 3 }, { progressToken: 'p' }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const sent = events(await res.text());
    expect(sent[0]!.data).toBeNull();
    expect(sent[0]!.id).toBeTruthy();
    const messages = sent.slice(1).map((event) => event.data!);
    expect(sent.slice(1).every((event) => event.id)).toBe(true);
    expect(
      messages
        .filter((m) => m.method === 'notifications/message')
        .map((m) => (m.params as { data: string }).data),
    ).toEqual(['log 1', 'log 2', 'log 3']);
    expect(
      messages
        .filter((m) => m.method === 'notifications/progress')
        .map((m) => (m.params as { progress: number }).progress),
    ).toEqual([1, 2, 3]);
    expect(messages.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: 'chatty-1',
      result: { content: [{ type: 'text', text: 'chatty sent 3' }] },
    });
    expect(messages).toHaveLength(7);
  });

  it('carries an elicitation round trip mid-call through the SDK client', async () => {
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { pick: 'blue' } };
    });
    const result = await client.callTool({ name: tool('ask'), arguments: { question: 'Which colour?' } });
    expect(result.content).toEqual([{ type: 'text', text: 'accept: blue' }]);
    expect(asked).toEqual(['Which colour?']);
  });

  it('passes notifications/cancelled on to the upstream and ends the answer', async () => {
    const held = post(callTool('cancel-me', 'wait', { label: 'cancel-me' }));
    await started('cancel-me');
    const cancelled = await post({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'cancel-me', reason: 'changed my mind' },
    });
    expect(cancelled.status).toBe(202);
    const res = await held;
    expect(events(await res.text()).filter((event) => event.data)).toEqual([]);
    await expect.poll(calls).toContain('cancelled cancel-me');
    // The SDK client's own cancel takes the same way.
    const abort = new AbortController();
    const call = client.callTool(
      { name: tool('wait'), arguments: { label: 'sdk-cancel' } },
      { signal: abort.signal },
    );
    await started('sdk-cancel');
    abort.abort('no longer needed');
    await expect(call).rejects.toThrow();
    await expect.poll(calls).toContain('cancelled sdk-cancel');
  });

  it('does not cancel a call whose client hangs up, and replays its result to a client that resumes', async () => {
    // Hung up while held: the call goes on to its end; the session still answers.
    const abort = new AbortController();
    const gone = post(callTool('hang-1', 'wait', { label: 'hang-1', ms: 400 }), {}, abort.signal).catch(
      (error: unknown) => error,
    );
    await started('hang-1');
    abort.abort();
    expect(await gone).toBeInstanceOf(Error);
    await expect.poll(calls).toContain('finished hang-1');
    expect(calls()).not.toContain('cancelled hang-1');
    // Hung up after its stream opened (the hold is 250 ms): the result is kept for Last-Event-ID.
    const streamAbort = new AbortController();
    const res = await post(callTool('hang-2', 'wait', { label: 'hang-2', ms: 900 }), {}, streamAbort.signal);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const priming = events(Buffer.from((await reader.read()).value!).toString())[0]!;
    expect(priming.data).toBeNull();
    streamAbort.abort();
    await expect.poll(calls).toContain('finished hang-2');
    expect(calls()).not.toContain('cancelled hang-2');
    const resumed = await fetch(fixture.engine.mcpUrl, {
      method: 'GET',
      headers: { ...headers({ 'last-event-id': priming.id! }), accept: 'text/event-stream' },
    });
    expect(resumed.status).toBe(200);
    expect(events(await resumed.text()).map((event) => event.data)).toEqual([
      { jsonrpc: '2.0', id: 'hang-2', result: { content: [{ type: 'text', text: 'finished hang-2' }] } },
    ]);
    const next = await post(callTool(2, 'echo', { text: 'still here' }));
    expect(await next.json()).toMatchObject({ id: 2, result: { content: [{ text: 'echo: still here' }] } });
  });

  it('holds several calls at once: each opens its stream when its hold runs out and gets its own result', async () => {
    const labels = ['many-1', 'many-2', 'many-3'];
    const answers = labels.map((label) => post(callTool(label, 'wait', { label, ms: 450 })));
    const results = await Promise.all(
      answers.map(async (answer) => {
        const res = await answer;
        expect(res.headers.get('content-type')).toBe('text/event-stream');
        const sent = events(await res.text());
        expect(sent[0]!.data).toBeNull();
        return sent.at(-1)!.data;
      }),
    );
    expect(results).toEqual(
      labels.map((label) => ({
        jsonrpc: '2.0',
        id: label,
        result: { content: [{ type: 'text', text: `finished ${label}` }] },
      })),
    );
  });

  it('refuses a request id already in flight in the session, and the first call still gets its answer', async () => {
    const first = post(callTool('twice', 'wait', { label: 'twice', ms: 500 }));
    await started('twice');
    for (const again of [
      callTool('twice', 'echo', { text: 'again' }),
      { jsonrpc: '2.0', id: 'twice', method: 'tools/list' },
    ]) {
      const res = await post(again);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        jsonrpc: '2.0',
        id: 'twice',
        error: {
          code: -32600,
          message:
            'Invalid Request: request id "twice" is already in use by a request in flight on this session; send each request with a new id.',
        },
      });
    }
    const res = await first;
    expect(events(await res.text()).at(-1)!.data).toEqual({
      jsonrpc: '2.0',
      id: 'twice',
      result: { content: [{ type: 'text', text: 'finished twice' }] },
    });
  });
});

describe('the end of a session mid-call', () => {
  async function ownSession(): Promise<{ id: string; bearer: string; clientId: string; client: Client }> {
    const authorized = await authorizeClient(fixture.engine, { access: 'write' });
    return {
      id: authorized.transport.sessionId!,
      bearer: authorized.provider.savedTokens!.access_token,
      clientId: authorized.provider.info!.client_id,
      client: authorized.client,
    };
  }

  it('DELETE ends the call’s answer and cancels it upstream', async () => {
    const own = await ownSession();
    const held = fetch(fixture.engine.mcpUrl, {
      method: 'POST',
      headers: headers({}, own.id, own.bearer),
      body: JSON.stringify(callTool('del', 'wait', { label: 'delete-mid-call' })),
    });
    await started('delete-mid-call');
    const ended = await fetch(fixture.engine.mcpUrl, {
      method: 'DELETE',
      headers: headers({}, own.id, own.bearer),
    });
    expect(ended.status).toBe(200);
    const res = await held;
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(events(await res.text()).filter((event) => event.data)).toEqual([]);
    await expect.poll(calls).toContain('cancelled delete-mid-call');
  });

  it('revoking the client ends the call’s answer and cancels it upstream', async () => {
    const own = await ownSession();
    const held = fetch(fixture.engine.mcpUrl, {
      method: 'POST',
      headers: headers({}, own.id, own.bearer),
      // Its wait outlasts the test: only a cancel ends it early (a busy machine may take seconds to).
      body: JSON.stringify(callTool('rev', 'wait', { label: 'revoke-mid-call' })),
    });
    await started('revoke-mid-call');
    // Past the hold: the answer is an open SSE stream by now, on the SDK's own tables.
    await sleep(300);
    await fixture.engine.call('clients.revoke', { clientId: own.clientId });
    const res = await held;
    expect(events(await res.text()).filter((event) => event.data)).toEqual([]);
    await expect.poll(calls, { timeout: 10_000 }).toContain('cancelled revoke-mid-call');
    expect(calls()).not.toContain('finished revoke-mid-call');
  });

  it("refuses a call on another client's session, which never reaches the upstream", async () => {
    const other = await ownSession();
    const res = await fetch(fixture.engine.mcpUrl, {
      method: 'POST',
      headers: headers({}, sessionId, other.bearer),
      body: JSON.stringify(callTool('steal', 'wait', { label: 'stolen', ms: 10 })),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Session not found: initialize a new session.' },
      id: null,
    });
    await sleep(100);
    expect(calls()).not.toContain('started stolen');
    await other.client.close();
  });
});

describe('odd headers take the SDK transport, with its exact errors', () => {
  const cases: Array<{ name: string; extra: Record<string, string>; status: number; message: string }> = [
    {
      name: 'an Accept without text/event-stream',
      extra: { accept: 'application/json' },
      status: 406,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    },
    {
      name: 'a Content-Type that is not JSON',
      extra: { 'content-type': 'text/plain' },
      status: 415,
      message: 'Unsupported Media Type: Content-Type must be application/json',
    },
    {
      name: 'an unsupported MCP-Protocol-Version',
      extra: { 'mcp-protocol-version': '2024-01-01' },
      status: 400,
      message: 'Bad Request: Unsupported protocol version: 2024-01-01 (supported versions: ',
    },
  ];

  it.each(cases)('$name', async ({ extra, status, message }) => {
    const before = sdkPosts.length;
    const res = await post(callTool(`odd-${status}`, 'wait', { label: `odd-${status}`, ms: 10 }), extra);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: number; message: string }; id: null };
    expect(body.error.code).toBe(-32000);
    if (message.endsWith(': ')) expect(body.error.message.startsWith(message)).toBe(true);
    else expect(body.error.message).toBe(message);
    // Refused by the SDK's transport (it saw the POST), before any handler ran.
    expect(sdkPosts.slice(before)).toEqual(['tools/call']);
    sdkPosts.length = before;
    expect(calls()).not.toContain(`started odd-${status}`);
  });
});
