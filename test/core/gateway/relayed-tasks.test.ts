// The tasks extension (SEP-2663) relayed through /mcp: a 2026-07-28 client that declares it gets the
// upstream's task under an id of Gatehouse's own, polls and cancels it through Gatehouse, and nobody
// else can; a 2025-era client gets the call's result as before. (The suite's tasks-* scenarios run
// through /mcp/<connector> in test/conformance/through-connector-2026.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { envelope } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { mcpPost, obtainTokens } from '../../support/raw-oauth.js';
import { startTasksUpstream, TASKS_EXTENSION, type TasksUpstream } from '../../fixtures/tasks-upstream.js';

let fixture: EngineFixture;
let upstream: TasksUpstream;
let owner: string;
let stranger: string;

beforeAll(async () => {
  upstream = await startTasksUpstream();
  fixture = await startEngine();
  const { engine } = fixture;
  await engine.call('settings.set', { accessCeiling: 'write' });
  const added = await engine.call('connectors.add', {
    name: 'tasks',
    settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
  });
  expect(added.status.connection).toBe('connected');
  for (const tool of await engine.call('tools.list', { connector: 'tasks' }))
    await engine.call('tools.set', { connector: 'tasks', tool: tool.name, approval: 'never' });
  owner = (await obtainTokens(engine, { access: 'write' })).accessToken;
  stranger = (await obtainTokens(engine, { access: 'write' })).accessToken;
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
  await upstream?.close();
});

const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

const withTasks = {
  ...envelope(),
  'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
};

/** A raw 2026-07-28 request on /mcp; the answer's `result` or `error`. */
async function modern(
  token: string,
  method: string,
  params: Record<string, unknown>,
  meta: Record<string, unknown> = withTasks,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw JSON-RPC answer, read field by field
): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const name = (params.name ?? params.taskId) as string | undefined;
  const reply = await mcpPost(
    fixture.engine,
    token,
    { jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: meta } },
    '/mcp',
    {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name !== undefined ? { 'mcp-name': name } : {}),
    },
  );
  const json = reply.body.startsWith('{')
    ? reply.body
    : reply.body
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .at(-1)!
        .slice('data: '.length);
  return JSON.parse(json) as { result?: unknown; error?: { code: number; message: string } };
}

describe('a 2026-07-28 client that declares the tasks extension', () => {
  it('is told Gatehouse offers it, and gets a task under an id of Gatehouse’s own', async () => {
    const discovered = await modern(owner, 'server/discover', {});
    expect(discovered.result.capabilities.extensions).toEqual({ [TASKS_EXTENSION]: {} });

    const created = await modern(owner, 'tools/call', {
      name: 'tasks__slow_compute',
      arguments: { seconds: 0.2, label: 'relayed' },
    });
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working' });
    // A CreateTaskResult is not a tool result: no content of its own, and Gatehouse's name on it.
    expect(created.result).not.toHaveProperty('content');
    expect(created.result._meta?.[SERVER_INFO]).toMatchObject({ name: 'gatehouse' });
    const taskId = created.result.taskId as string;
    expect(taskId).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/); // not the upstream's UUID

    await expect
      .poll(async () => (await modern(owner, 'tasks/get', { taskId })).result?.status, { timeout: 5_000 })
      .toBe('completed');
    const done = await modern(owner, 'tasks/get', { taskId });
    expect(done.result).toMatchObject({
      taskId,
      resultType: 'complete',
      result: { content: [{ type: 'text', text: 'Computed relayed after 0.2s' }] },
    });
    const [entry] = await fixture.engine.call('audit.list', { type: 'tool.call', tool: 'slow_compute' });
    expect(entry!.detail).toMatchObject({ outcome: 'task', task: taskId });
  });

  it('answers and cancels its own tasks through Gatehouse', async () => {
    const created = await modern(owner, 'tools/call', {
      name: 'tasks__confirm_delete',
      arguments: { filename: 'notes.txt' },
    });
    const taskId = created.result.taskId as string;
    await expect
      .poll(async () => (await modern(owner, 'tasks/get', { taskId })).result?.status)
      .toBe('input_required');
    const waiting = await modern(owner, 'tasks/get', { taskId });
    expect(Object.keys(waiting.result.inputRequests)).toEqual(['confirm']);
    const ack = await modern(owner, 'tasks/update', {
      taskId,
      inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
    });
    expect(ack.result).toEqual({ resultType: 'complete', _meta: expect.any(Object) });
    await expect
      .poll(async () => (await modern(owner, 'tasks/get', { taskId })).result?.result?.content?.[0]?.text)
      .toBe('Deleted notes.txt');

    const long = await modern(owner, 'tools/call', {
      name: 'tasks__slow_compute',
      arguments: { seconds: 60, label: 'long' },
    });
    const longId = long.result.taskId as string;
    expect((await modern(owner, 'tasks/cancel', { taskId: longId })).error).toBeUndefined();
    expect((await modern(owner, 'tasks/get', { taskId: longId })).result.status).toBe('cancelled');
  });

  it("cannot see another client's task, nor ask about tasks without declaring the extension", async () => {
    const created = await modern(owner, 'tools/call', {
      name: 'tasks__slow_compute',
      arguments: { seconds: 5, label: 'mine' },
    });
    const taskId = created.result.taskId as string;
    expect((await modern(stranger, 'tasks/get', { taskId })).error).toMatchObject({ code: -32602 });
    expect((await modern(stranger, 'tasks/cancel', { taskId })).error).toMatchObject({ code: -32602 });
    expect((await modern(owner, 'tasks/get', { taskId }, envelope())).error).toMatchObject({ code: -32021 });
    await modern(owner, 'tasks/cancel', { taskId });
  });
});

describe('a task the user approved', () => {
  it('runs once: following it up, answering it and replaying the answer ask nobody and run nothing again', async () => {
    const { engine } = fixture;
    await engine.call('tools.set', { connector: 'tasks', tool: 'confirm_delete', approval: 'ask' });
    try {
      const since = fixture.clock.now();
      const call = modern(owner, 'tools/call', {
        name: 'tasks__confirm_delete',
        arguments: { filename: 'approved.txt' },
      });
      await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
      const [pending] = await engine.call('approvals.list');
      await engine.call('approvals.allow', { id: pending!.id });
      const taskId = (await call).result.taskId as string;
      await expect
        .poll(async () => (await modern(owner, 'tasks/get', { taskId })).result?.status)
        .toBe('input_required');
      const answer = {
        taskId,
        inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
      };
      expect((await modern(owner, 'tasks/update', answer)).error).toBeUndefined();
      await expect
        .poll(async () => (await modern(owner, 'tasks/get', { taskId })).result?.result?.content?.[0]?.text)
        .toBe('Deleted approved.txt');
      // The answer sent again, and the task followed up again: the upstream's task decides, and no
      // call goes through the pipeline again.
      await modern(owner, 'tasks/update', answer);
      await modern(owner, 'tasks/get', { taskId });
      expect(await engine.call('approvals.list')).toEqual([]);
      const rows = await engine.call('audit.list', { type: 'tool.call', tool: 'confirm_delete', since });
      expect(rows.map((row) => [row.decision, row.detail.outcome, row.detail.approvalId])).toEqual([
        ['allow', 'task', pending!.id],
      ]);
    } finally {
      await engine.call('tools.set', { connector: 'tasks', tool: 'confirm_delete', approval: 'never' });
    }
  });
});

describe('a client that does not declare the extension', () => {
  it('gets the result of the call, in either era', async () => {
    const plain = await modern(
      owner,
      'tools/call',
      { name: 'tasks__slow_compute', arguments: { seconds: 0, label: 'plain' } },
      envelope(),
    );
    expect(plain.result.content).toEqual([{ type: 'text', text: 'Computed plain after 0s' }]);
    // The 2026-07-28 upstream's own serverInfo stays with Gatehouse: the client's server is Gatehouse.
    expect(plain.result._meta?.[SERVER_INFO]).toMatchObject({ name: 'gatehouse' });

    // A 2025-era client cannot poll a task: even declaring the extension, it gets the result.
    const { client } = await authorizeClient(fixture.engine, {
      access: 'write',
      capabilities: { extensions: { [TASKS_EXTENSION]: {} } } as never,
    });
    try {
      const result = await client.callTool({
        name: 'tasks__slow_compute',
        arguments: { seconds: 0, label: 'legacy' },
      });
      expect(result.content).toEqual([{ type: 'text', text: 'Computed legacy after 0s' }]);
    } finally {
      await client.close();
    }
  });
});
