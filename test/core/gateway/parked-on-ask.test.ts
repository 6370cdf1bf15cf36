// A 2026-07-28 client's call to a 2025-era upstream that asks for input late, mid-call (parked-calls.ts).
// Against the real engine, real SDK clients and a real
// stdio upstream (test/fixtures/late-asking-server.mjs) that asks late: sampling, elicitation and
// roots after a delay, a question after progress, cancellation before and after the call was parked,
// a question that arrives once the call has finished, and one that two running calls could own.
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startCallLogEngine } from '../../support/call-log-engine.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import { envelope, modernHeaders } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';

const CONNECTOR = 'late';
const tool = (name: string) => `${CONNECTOR}__${name}`;
const ROOT = 'file:///home/ada/project';

let fixture: EngineFixture;
let folder: string;
let calls: () => string[];
let client: Client;
let token: string;

beforeAll(async () => {
  ({ fixture, folder, calls } = await startCallLogEngine(CONNECTOR, 'late-asking-server.mjs'));
  const { engine } = fixture;
  const authorized = await authorizeClient(engine, {
    era: '2026-07-28',
    access: 'write',
    capabilities: { elicitation: {}, sampling: {}, roots: {} },
  });
  client = authorized.client;
  token = authorized.provider.savedTokens!.access_token;
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { pick: 'blue' },
  }));
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    model: 'test',
    content: { type: 'text', text: 'sunny' },
  }));
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: ROOT, name: 'project' }] }));
}, 90_000);

afterAll(async () => {
  await client?.close();
  await fixture?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const steps = (label: string) =>
  calls()
    .filter((line) => line.endsWith(` ${label}`) || line.startsWith(`late ${label} `))
    .map((line) => line.replace(` ${label}`, ''));
const text = (result: { content?: unknown }) => (result.content as Array<{ text?: string }>)[0]?.text;

async function outcomes(name: string, limit: number): Promise<unknown[]> {
  const rows = await fixture.engine.call('audit.list', { type: 'tool.call', tool: name, limit });
  return rows.map((row) => row.detail.outcome);
}

const withCapabilities = {
  ...envelope(),
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, sampling: {}, roots: {} },
};

/** A raw 2026-07-28 tools/call; `signal` lets the test hang up. */
function post(params: Record<string, unknown>, meta: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(fixture.engine.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...modernHeaders('tools/call', params.name as string) },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { ...params, _meta: { ...withCapabilities, ...meta } },
    }),
    ...(signal ? { signal } : {}),
  });
}

/** The JSON-RPC messages of an answer, JSON or SSE, in order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON-RPC messages, read field by field
async function messages(response: Response): Promise<Array<Record<string, any>>> {
  const body = await response.text();
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return [JSON.parse(body)];
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

describe('a call that asks for input only after a while', () => {
  it.each([
    ['sampling', 'sampling: sunny'],
    ['elicitation', 'elicitation: accept blue'],
    ['roots', `roots: ${ROOT}`],
  ])('is parked when it asks (%s, after 150 ms) and finished by the answer', async (kind, answered) => {
    const label = `${kind}-late`;
    const result = await client.callTool({
      name: tool('ask_later'),
      arguments: { label, ask: kind, ms: 150 },
    });
    expect(text(result)).toBe(answered);
    // One upstream call: the retry answered the request that was waiting; it did not start anew.
    expect(steps(label)).toEqual(['started', 'asking', 'answered']);
    expect(await outcomes('ask_later', 2)).toEqual(['ok', 'input-required']);
  });

  it('relays progress under each round’s own token, before its input request and before its result', async () => {
    const params = {
      name: tool('ask_later'),
      arguments: { label: 'progress', ask: 'elicitation', ms: 100, progress: true },
    };
    const first = await messages(await post(params, { progressToken: 'first' }));
    expect(first.map((message) => message.method ?? message.result?.resultType)).toEqual([
      'notifications/progress',
      'input_required',
    ]);
    expect(first[0]!.params).toEqual({ progressToken: 'first', progress: 1, total: 2 });
    const { inputRequests, requestState } = first[1]!.result;
    expect(Object.keys(inputRequests)).toEqual(['elicitation-1']);
    expect(inputRequests['elicitation-1'].method).toBe('elicitation/create');
    const second = await messages(
      await post(
        {
          ...params,
          inputResponses: { 'elicitation-1': { action: 'accept', content: { pick: 'red' } } },
          requestState,
        },
        { progressToken: 'retry' },
      ),
    );
    expect(second.map((message) => message.method ?? 'result')).toEqual(['notifications/progress', 'result']);
    expect(second[0]!.params).toEqual({ progressToken: 'retry', progress: 2, total: 2 });
    expect(second[1]!.result.content).toEqual([{ type: 'text', text: 'elicitation: accept red' }]);
    expect(steps('progress')).toEqual(['started', 'asking', 'answered']);
  });
});

describe('cancelling a call from a 2026-07-28 client', () => {
  it('before the upstream asked: the upstream call is cancelled, and audited so', async () => {
    const hangUp = new AbortController();
    const request = post(
      { name: tool('ask_later'), arguments: { label: 'early', ask: 'elicitation', ms: 30_000 } },
      {},
      hangUp.signal,
    );
    await expect.poll(() => steps('early')).toEqual(['started']);
    hangUp.abort();
    await expect(request).rejects.toThrow('This operation was aborted');
    await expect.poll(() => steps('early')).toEqual(['started', 'cancelled']);
    await expect.poll(() => outcomes('ask_later', 1)).toEqual(['cancelled']);
  });

  it('after it was parked: hanging up on the retry cancels the parked call and its upstream call', async () => {
    const params = {
      name: tool('ask_later'),
      arguments: { label: 'parked', ask: 'sampling', ms: 50, after: 30_000 },
    };
    const first = await messages(await post(params, {}));
    const { inputRequests, requestState } = first[0]!.result;
    expect(Object.keys(inputRequests)).toEqual(['sampling-1']);
    const hangUp = new AbortController();
    const retry = post(
      {
        ...params,
        inputResponses: {
          'sampling-1': { role: 'assistant', model: 'test', content: { type: 'text', text: 'rain' } },
        },
        requestState,
      },
      {},
      hangUp.signal,
    );
    await expect.poll(() => steps('parked')).toEqual(['started', 'asking', 'answered']);
    hangUp.abort();
    await expect(retry).rejects.toThrow('This operation was aborted');
    await expect.poll(() => steps('parked')).toEqual(['started', 'asking', 'answered', 'cancelled']);
    await expect.poll(() => outcomes('ask_later', 2)).toEqual(['cancelled', 'input-required']);
  });
});

describe('a request for input that no running call owns', () => {
  it.each([
    [
      'sampling',
      "late refused gatehouse: sampling/createMessage from late arrived outside any client's tool call, prompt or resource read",
    ],
    [
      'elicitation',
      "late refused gatehouse: elicitation/create from late arrived outside any client's tool call, prompt or resource read",
    ],
    // Roots outside any call are the connection's own: the folder its command line names.
    ['roots', 'late answered FOLDER'],
  ])(
    'arriving after the call finished (%s) is refused; roots are the connection’s own',
    async (kind, said) => {
      const label = `after-${kind}`;
      const late = said.replace('FOLDER', pathToFileURL(folder).href);
      const result = await client.callTool({
        name: tool('ask_after'),
        arguments: { label, ask: kind, ms: 50 },
      });
      expect(text(result)).toBe(`done ${label}`);
      await expect.poll(() => steps(label)).toEqual([late]);
    },
  );

  it('is refused when two running calls could own it, even though neither was parked', async () => {
    const waiting = client.callTool({ name: tool('wait'), arguments: { label: 'bystander', ms: 1_500 } });
    await expect.poll(() => steps('bystander')).toEqual(['started']);
    const asking = await client.callTool({
      name: tool('ask_later'),
      arguments: { label: 'ambiguous', ask: 'elicitation', ms: 50 },
    });
    expect(asking.isError).toBe(true);
    expect(text(asking)).toContain(
      "gatehouse: elicitation/create from late could belong to several clients' calls; Gatehouse will not guess",
    );
    expect(text(await waiting)).toBe('finished bystander');
  });
});
