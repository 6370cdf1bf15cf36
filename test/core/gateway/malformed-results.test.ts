// A hostile or broken upstream's malformed tool results, through the real engine to real SDK clients of
// both eras: the client gets the refusal Gatehouse has always given — its sentence, then the words the
// SDK's own client uses to refuse that result, cut as any long message is (the upstream client's validation, in the upstream's
// era, is the check that catches it) — and a well-formed result arrives whole. Gatehouse validates an
// upstream's result once instead of twice (docs/decisions.md); this holds the answers to what they were.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS, outcome } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { redactText } from '../../../main/core/policy/redaction.js';

const server = fileURLToPath(new URL('../../fixtures/malformed-result-server.mjs', import.meta.url));
const MALFORMED = ['content_not_array', 'text_without_text', 'image_without_data'];

/** How the SDK's own client, talking to the server directly, refuses each malformed result. */
const refusedBySdk = new Map<string, string>();

beforeAll(async () => {
  const plain = new Client({ name: 'plain', version: '1.0.0' });
  await plain.connect(new StdioClientTransport({ command: process.execPath, args: [server] }));
  try {
    for (const tool of MALFORMED) {
      const error = await plain.callTool({ name: tool, arguments: {} }).then(
        () => undefined,
        (thrown: Error) => thrown,
      );
      expect(error, tool).toBeInstanceOf(Error);
      refusedBySdk.set(tool, error!.message);
    }
  } finally {
    await plain.close();
  }
  expect(refusedBySdk.get('content_not_array')).toMatch(/^Invalid result for tools\/call: .*expected array/s);
});

describe.each(BOTH_ERAS)('with %s clients', (era) => {
  let fixture: EngineFixture;
  let client: Client;

  beforeAll(async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    const added = await engine.call('connectors.add', {
      name: 'broken',
      settings: { kind: 'stdio', command: process.execPath, args: [server] },
    });
    expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
    client = (await authorizeClient(engine, { access: 'read', name: 'Reader', era })).client;
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it.each(MALFORMED)('a malformed result (%s) becomes the refusal it always was', async (tool) => {
    const result = await client.callTool({ name: `broken__${tool}`, arguments: {} });
    expect(outcome(result)).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: `gatehouse: broken did not complete the call: ${redactText(refusedBySdk.get(tool)!)}`,
        },
      ],
    });
  });

  it('a well-formed result arrives whole', async () => {
    const result = await client.callTool({ name: 'broken__fine', arguments: {} });
    const { _meta: stamp, ...rest } = result;
    expect(rest).toEqual({
      content: [{ type: 'text', text: 'fine ✓' }],
      structuredContent: { ok: true },
      isError: false,
    });
    // A 2026-07-28 result carries Gatehouse's own stamp; a 2025 session's carries none.
    expect(stamp).toEqual(
      era === 'legacy'
        ? undefined
        : {
            'io.modelcontextprotocol/serverInfo': {
              name: 'gatehouse',
              title: 'Gatehouse',
              version: '0.0.0-test',
            },
          },
    );
  });
});
