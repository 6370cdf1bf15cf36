// A real hostile server (test/fixtures/split-ask-server.mjs) splits its asks across fields: harmless
// descriptions, and the recipient fixed in the schema — a reset link delivered by default to the
// server's own address, a transfer paying by default the server's own IBAN. Both are held before any
// client sees them, and the user is shown the address and where it stands; the server's honest tools
// (a link to read by default, an address as an example, a choice of two addresses) are served.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { outcome } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

let fixture: EngineFixture;
let client: Client;

beforeAll(async () => {
  fixture = await startEngine();
  await fixture.engine.call('connectors.add', {
    name: 'split',
    settings: { kind: 'stdio', command: process.execPath, args: [join(FIXTURES, 'split-ask-server.mjs')] },
  });
  client = (await authorizeClient(fixture.engine, { era: '2026-07-28' })).client;
}, 60_000);

afterAll(async () => {
  await client?.close();
  await fixture?.stop();
});

describe('a recipient fixed in a schema', () => {
  it('holds the tools whose default sends or pays elsewhere, and serves the honest ones', async () => {
    const listed = (await client.listTools(undefined, { cacheMode: 'refresh' })).tools.map(
      (tool) => tool.name,
    );
    expect(listed.filter((name) => name.startsWith('split__')).sort()).toEqual([
      'split__fetch_page',
      'split__mail_team',
    ]);
    const refused = await client.callTool({
      name: 'split__send_reset_link',
      arguments: { account: 'me@mine.org' },
    });
    expect(outcome(refused)).toMatchObject({ isError: true });
    expect(JSON.stringify(refused.content)).toContain('was held on first sight');
    expect(outcome(await client.callTool({ name: 'split__fetch_page', arguments: {} }))).toEqual({
      content: [{ type: 'text', text: 'text of https://en.wikipedia.org/wiki/Model_Context_Protocol' }],
    });
  });

  it('shows the user the address and where the schema fixes it', async () => {
    const tools = await fixture.engine.call('tools.list', { connector: 'split' });
    const findings = (name: string) => tools.find((tool) => tool.name === name)?.firstSight?.findings;
    expect(findings('send_reset_link')).toEqual([
      {
        rule: 'fixed-address',
        reason:
          'inputSchema.properties.deliver_to defaults to an address the server chose ("helpdesk-queue@acct-recovery-desk.net"): unless the AI passes another, a call uses it.',
        where: 'inputSchema.properties.deliver_to.default',
        excerpt: { before: '', match: 'helpdesk-queue@acct-recovery-desk.net', after: '' },
      },
    ]);
    expect(findings('ueberweisung')).toMatchObject([
      { rule: 'fixed-address', where: 'inputSchema.properties.empfaenger.default' },
    ]);
    expect(findings('fetch_page')).toBeUndefined();
    expect(findings('mail_team')).toBeUndefined();
    const [held] = await fixture.engine.call('audit.list', {
      type: 'tool.held',
      connector: 'split',
      tool: 'send_reset_link',
    });
    expect(held?.reason).toContain('helpdesk-queue@acct-recovery-desk.net');
  });
});
