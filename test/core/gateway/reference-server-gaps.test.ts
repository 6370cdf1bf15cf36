// What server-everything found missing on /mcp, in both client eras: completion/complete
// (the prompt and the resource template named as the client was shown them there, and completions
// in server/discover or the 2025 initialize); a tool that runs only as a 2025-11-25 task, listed
// nowhere and refused with a reason; a list cursor Gatehouse never gave, refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { EVERYTHING } from '../../support/real-servers.js';

describe.each(BOTH_ERAS)('server-everything on /mcp with %s clients', (era) => {
  let fixture: EngineFixture;
  let client: Client;

  beforeAll(async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    await engine.call('connectors.add', {
      name: 'everything',
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    expect((await engine.call('connectors.get', { name: 'everything' })).status.connection).toBe('connected');
    ({ client } = await authorizeClient(engine, { era }));
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it('says completions on /mcp, and completes a prompt argument by the prompt name shown there', async () => {
    expect(client.getServerCapabilities()?.completions).toEqual({});
    const result = await client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'department', value: '' },
    });
    expect(result.completion.values).toEqual(['Engineering', 'Sales', 'Marketing', 'Support']);
  });

  it('completes a resource template variable by the template shown on /mcp', async () => {
    const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    const text = templates.find((t) => t.includes('dynamic/text'));
    expect(text).toBeDefined();
    const result = await client.complete({
      ref: { type: 'ref/resource', uri: text! },
      argument: { name: 'resourceId', value: '1' },
    });
    expect(result.completion.values).toEqual(['1']);
  });

  it('refuses a prompt or template this client is not shown with -32602', async () => {
    const refused = (params: Parameters<Client['complete']>[0]) =>
      client.complete(params).then(
        () => undefined,
        (error: unknown) => error,
      );
    const prompt = await refused({
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: '' },
    });
    expect(prompt).toBeInstanceOf(ProtocolError);
    expect(prompt).toMatchObject({
      code: -32602,
      message: expect.stringContaining(
        'gatehouse: there is no prompt named completable-prompt for this client.',
      ),
    });
    const template = await refused({
      ref: { type: 'ref/resource', uri: 'demo://nowhere/{resourceId}' },
      argument: { name: 'resourceId', value: '1' },
    });
    expect(template).toMatchObject({
      code: -32602,
      message: expect.stringContaining(
        'gatehouse: there is no resource template demo://nowhere/{resourceId} for this client.',
      ),
    });
  });

  it('refuses a list cursor Gatehouse never gave with -32602, instead of the whole list again', async () => {
    const lists = [
      () => client.listTools({ cursor: 'nope' }),
      () => client.listPrompts({ cursor: 'nope' }),
      () => client.listResources({ cursor: 'nope' }),
      () => client.listResourceTemplates({ cursor: 'nope' }),
    ];
    for (const list of lists) {
      const error = await list().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: -32602,
        message: expect.stringContaining(
          'gatehouse: unknown cursor; Gatehouse answers every list in one page, so list again without one.',
        ),
      });
    }
    expect((await client.listTools()).tools.length).toBeGreaterThan(3);
  });

  it('lists a tool that runs only as a task nowhere, and says why when it is called', async () => {
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain(
      'everything__simulate-research-query',
    );
    // The Tools page and `gatehouse tools` mark it: enabled or not, no client is offered it.
    const tools = await fixture.engine.call('tools.list', { connector: 'everything' });
    expect(tools.filter((tool) => tool.taskOnly).map((tool) => tool.name)).toEqual([
      'simulate-research-query',
    ]);
    const result = await client.callTool({
      name: 'everything__simulate-research-query',
      arguments: { topic: 'tides' },
    });
    expect({ isError: result.isError, content: result.content }).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'gatehouse: everything__simulate-research-query runs only as a task (execution.taskSupport "required", MCP 2025-11-25), which Gatehouse does not relay, so it is not offered to clients.',
        },
      ],
    });
  });
});
