// Resource templates on /mcp when several connectors offer the same ones (three copies of
// server-everything, as a user who adds one under several names has): each template is listed under
// its connector, so a client reads what it expands; URIs in read results and in tool results come
// back in the form the client uses, which routes to the connector that gave them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { EVERYTHING } from '../../support/real-servers.js';

const CONNECTORS = ['b', 'bb', 'everything'];
const TEXT_TEMPLATE = 'demo://resource/dynamic/text/{resourceId}';

let fixture: EngineFixture;
let client: Client;
beforeAll(async () => {
  fixture = await startEngine();
  for (const name of CONNECTORS) {
    const added = await fixture.engine.call('connectors.add', {
      name,
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    expect(added.status.connection).toBe('connected');
  }
  client = (await authorizeClient(fixture.engine, { era: 'auto' })).client;
}, 60_000);
afterAll(async () => {
  await client?.close();
  await fixture?.stop();
});

describe('resource templates several connectors share', () => {
  it('are listed under their connector', async () => {
    const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates.filter((t) => t.endsWith(TEXT_TEMPLATE)).sort()).toEqual(
      CONNECTORS.map((name) => `gatehouse://${name}/${TEXT_TEMPLATE}`),
    );
  });

  it('read what the client expands from them, from that connector, and say so in the result', async () => {
    const uri = `gatehouse://bb/${TEXT_TEMPLATE.replace('{resourceId}', '5')}`;
    const { contents } = await client.readResource({ uri });
    expect(contents).toEqual([
      {
        uri,
        mimeType: 'text/plain',
        text: expect.stringMatching(/^Resource 5: This is a plaintext resource/),
      },
    ]);
    const [read] = await fixture.engine.call('audit.list', { type: 'resource.read' });
    expect(read).toMatchObject({ connector: 'bb', reason: 'Read demo://resource/dynamic/text/5' });
  });

  it('refuse a bare expanded URI with a sentence saying how to choose', async () => {
    await expect(client.readResource({ uri: 'demo://resource/dynamic/text/5' })).rejects.toThrow(
      'gatehouse: demo://resource/dynamic/text/5 could belong to b or bb or everything; use gatehouse://<connector>/<uri> to choose.',
    );
  });

  it("show a tool result's resource links in the form that reaches the connector that gave them", async () => {
    const result = await client.callTool({ name: 'b__get-resource-links', arguments: { count: 2 } });
    const links = (result.content as Array<{ type: string; uri?: string }>).filter(
      (c) => c.type === 'resource_link',
    );
    expect(links.map((link) => link.uri)).toEqual([
      'gatehouse://b/demo://resource/dynamic/blob/1',
      'gatehouse://b/demo://resource/dynamic/text/2',
    ]);
    const { contents } = await client.readResource({ uri: links[1]!.uri! });
    expect(contents[0]).toMatchObject({ uri: links[1]!.uri, text: expect.stringMatching(/^Resource 2:/) });
  });

  it('keep templates and URIs as they are on /mcp/<connector>', async () => {
    const { client: direct } = await authorizeClient(fixture.engine, { url: `${fixture.engine.mcpUrl}/b` });
    const templates = (await direct.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toContain(TEXT_TEMPLATE);
    const { contents } = await direct.readResource({ uri: 'demo://resource/dynamic/text/3' });
    expect(contents[0]!.uri).toBe('demo://resource/dynamic/text/3');
    await direct.close();
  });
});
