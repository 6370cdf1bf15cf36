// A 2025-era upstream (SDK v1) that asks its client for input while it builds a prompt (elicitation)
// or reads a resource (sampling), behind Gatehouse, for clients of both eras: a 2025-era session is
// asked on its session; a 2026-07-28 client gets the question in an InputRequiredResult and retries
// with the answer, while the upstream's request waits parked in Gatehouse. Attacked on the real
// engine: another client's answers, a replayed or forged requestState, and a round nobody answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import {
  NOTE_URI,
  startAskingLegacyServer,
  type AskingLegacyServer,
} from '../../fixtures/asking-legacy-server.js';

/** How long a parked prompt waits for its retry here (the product waits 10 minutes). */
const PARK_TIMEOUT_MS = 1_500;

let fixture: EngineFixture;
let upstream: AskingLegacyServer;
let token: string;

const briefingFor = { name: 'asking__briefing', arguments: { topic: 'tides' } };
const shortBriefing = [{ role: 'user', content: { type: 'text', text: 'A short briefing on tides' } }];
const withElicitation = {
  ...envelope(),
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
};
const REPLAY_REFUSED = {
  code: -32602,
  message: 'Invalid or expired requestState',
  data: { reason: 'invalid_request_state' },
};

beforeAll(async () => {
  upstream = await startAskingLegacyServer();
  fixture = await startEngine({ parkTimeoutMs: PARK_TIMEOUT_MS });
  const added = await fixture.engine.call('connectors.add', {
    name: 'asking',
    settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
  });
  expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  expect(added.status.protocolVersion).toBe('2025-11-25');
  ({ accessToken: token } = await obtainTokens(fixture.engine, { access: 'read' }));
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
});

/** An SDK v2 client of the era, that answers "short" to elicitation and "sunny" to sampling. */
async function answeringClient(era: 'legacy' | '2026-07-28'): Promise<Client> {
  const { client } = await authorizeClient(fixture.engine, {
    era,
    capabilities: { elicitation: {}, sampling: {} },
  });
  client.setRequestHandler('elicitation/create', async (request) => {
    expect(request.params.message).toBe('How deep a briefing on tides?');
    return { action: 'accept', content: { depth: 'short' } };
  });
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    model: 'test',
    content: { type: 'text', text: 'sunny' },
  }));
  return client;
}

/** A raw 2026-07-28 prompts/get on /mcp with `bearer`; the answer's `result` or `error`. */
async function getPrompt(
  params: Record<string, unknown>,
  bearer = token,
  meta: Record<string, unknown> = withElicitation,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON-RPC answer, read field by field
): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }> {
  const reply = await mcpPost(
    fixture.engine,
    bearer,
    { jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { ...params, _meta: meta } },
    '/mcp',
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'prompts/get', 'mcp-name': params.name as string },
  );
  return JSON.parse(reply.body) as never;
}

/** The first round of a briefing on `topic`: the question, and the state to answer it with. */
async function firstRound(topic = 'tides', bearer = token): Promise<{ key: string; requestState: string }> {
  const { result } = await getPrompt({ ...briefingFor, arguments: { topic } }, bearer);
  expect(result).toMatchObject({ resultType: 'input_required' });
  const entries = Object.entries(result.inputRequests as Record<string, { method: string; params: unknown }>);
  expect(entries).toHaveLength(1);
  const [key, request] = entries[0]!;
  expect(request).toMatchObject({
    method: 'elicitation/create',
    params: { message: `How deep a briefing on ${topic}?` },
  });
  return { key, requestState: result.requestState as string };
}

const answered = (key: string, requestState: string, topic = 'tides') => ({
  ...briefingFor,
  arguments: { topic },
  inputResponses: { [key]: { action: 'accept', content: { depth: 'short' } } },
  requestState,
});

describe("a 2025-era server's question while it builds a prompt or reads a resource", () => {
  it('reaches a 2026-07-28 client in an InputRequiredResult, and the answer builds the prompt', async () => {
    const client = await answeringClient('2026-07-28');
    expect(client.getProtocolEra()).toBe('modern');
    const before = upstream.started.length;
    expect((await client.getPrompt(briefingFor)).messages).toEqual(shortBriefing);
    // One prompts/get upstream: the retry answered the request that was waiting, it did not start anew.
    expect(upstream.started.slice(before)).toEqual(['prompts/get tides']);
    await client.close();
  });

  it('gives a 2026-07-28 client a prompt that asks nothing in one round', async () => {
    const { result } = await getPrompt({ name: 'asking__greeting' });
    expect(result.resultType).toBe('complete');
    expect(result.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Hello' } }]);
  });

  it('reaches a 2026-07-28 client reading a resource the same way (sampling)', async () => {
    const client = await answeringClient('2026-07-28');
    const { contents } = await client.readResource({ uri: NOTE_URI });
    expect(contents).toEqual([{ uri: NOTE_URI, mimeType: 'text/plain', text: 'Note: sunny' }]);
    await client.close();
  });

  it('is asked of a 2025-era client on its own session, for a prompt and a resource', async () => {
    const client = await answeringClient('legacy');
    expect(client.getProtocolEra()).toBe('legacy');
    expect((await client.getPrompt(briefingFor)).messages).toEqual(shortBriefing);
    expect((await client.readResource({ uri: NOTE_URI })).contents[0]).toMatchObject({ text: 'Note: sunny' });
    await client.close();
  });

  it('ends the prompt with -32021 for a 2026-07-28 client that cannot answer elicitation', async () => {
    const { error } = await getPrompt(
      { ...briefingFor, arguments: { topic: 'rip tides' } },
      token,
      envelope(),
    );
    expect(error).toEqual({
      code: -32021,
      message:
        'gatehouse: prompt asking__briefing asked for elicitation, which this client did not declare it supports',
      data: { requiredCapabilities: { elicitation: {} } },
    });
    // And the upstream's prompt is not left waiting.
    await expect.poll(() => upstream.cancelled).toContain('prompts/get rip tides');
  });
});

describe('the parked prompt, attacked', () => {
  it("refuses another client's answers to a parked prompt, which its own client can still finish", async () => {
    const { key, requestState } = await firstRound();
    const other = (await obtainTokens(fixture.engine, { access: 'read' })).accessToken;
    expect((await getPrompt(answered(key, requestState), other)).error).toEqual(REPLAY_REFUSED);
    expect((await getPrompt(answered(key, requestState))).result.messages).toEqual(shortBriefing);
  });

  it('answers a parked prompt once: a replayed answer reaches nothing upstream', async () => {
    const before = upstream.started.length;
    const { key, requestState } = await firstRound();
    expect((await getPrompt(answered(key, requestState))).result.messages).toEqual(shortBriefing);
    for (let i = 0; i < 3; i++) {
      expect((await getPrompt(answered(key, requestState))).error).toEqual(REPLAY_REFUSED);
    }
    expect(upstream.started.slice(before)).toEqual(['prompts/get tides']);
  });

  it('refuses a forged requestState, and a genuine one carried over to other arguments', async () => {
    const { key, requestState } = await firstRound();
    const forged = `${requestState.slice(0, -4)}AAAA`;
    expect((await getPrompt(answered(key, forged))).error).toEqual(REPLAY_REFUSED);
    const moved = await getPrompt({ ...answered(key, requestState), arguments: { topic: 'payroll' } });
    expect(moved.error).toEqual({
      code: -32602,
      message:
        'gatehouse: this requestState belongs to another request; retry asking__briefing with the arguments of its first round.',
    });
  });

  it('cancels the upstream prompt when the 2026-07-28 client goes away while it waits', async () => {
    const hangUp = new AbortController();
    const request = fetch(`${fixture.engine.issuer}/mcp`, {
      method: 'POST',
      signal: hangUp.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'prompts/get',
        'mcp-name': 'asking__briefing',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'prompts/get',
        params: { ...briefingFor, arguments: { topic: 'slow' }, _meta: withElicitation },
      }),
    });
    await expect.poll(() => upstream.started).toContain('prompts/get slow');
    hangUp.abort();
    await expect(request).rejects.toThrow('This operation was aborted');
    await expect.poll(() => upstream.cancelled).toContain('prompts/get slow');
  });

  it('lets go of a parked prompt nobody answers: the upstream is cancelled and a late answer refused', async () => {
    const { key, requestState } = await firstRound('neap tides');
    await expect
      .poll(() => upstream.cancelled, { timeout: PARK_TIMEOUT_MS * 4 })
      .toContain('prompts/get neap tides');
    const late = await getPrompt(answered(key, requestState, 'neap tides'));
    expect(late.error, JSON.stringify(late)).toEqual({
      code: -32602,
      message:
        'gatehouse: the prompt asking__briefing that this answer continues is no longer waiting (it ended, was cancelled or waited too long); ask for it again.',
    });
  });
});
