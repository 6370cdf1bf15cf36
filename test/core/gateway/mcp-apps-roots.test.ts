// server-pdf opens the local files it was given, through Gatehouse. Run over stdio, it asks its client
// for roots as it starts and keeps only the folders the answer names; Gatehouse answers for the
// connection with the folders the user gave the server (connectors/sandbox/connection-roots.ts). Driven as a
// host does (ext-apps' App on an AppBridge), on /mcp and /mcp/<connector>, with clients of both eras:
// the app's read_pdf_bytes reads the file, and list_pdfs lists it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { appServer, HOST_CAPABILITIES, openApp } from '../../support/app-host.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';

/** The smallest PDF a viewer opens: one empty page. */
const PDF = [
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
  '',
].join('\n');

describe.each(BOTH_ERAS)('server-pdf with %s clients', (era) => {
  let fixture: EngineFixture;
  let given: string;
  let added: string;
  const clients: Client[] = [];

  const host = async (url?: string): Promise<Client> => {
    const { client } = await authorizeClient(fixture.engine, {
      access: 'write',
      era,
      capabilities: HOST_CAPABILITIES,
      ...(url ? { url } : {}),
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    given = mkdtempSync(join(tmpdir(), 'gatehouse-pdf-given-'));
    added = mkdtempSync(join(tmpdir(), 'gatehouse-pdf-added-'));
    writeFileSync(join(given, 'report.pdf'), PDF);
    writeFileSync(join(added, 'notes.pdf'), PDF);
    fixture = await startEngine();
    const { engine } = fixture;
    await engine.call('settings.set', { accessCeiling: 'write' });
    const server = appServer('server-pdf');
    // One folder on its command line (granted, as the window and the CLI grant what the user typed);
    // the other only added to its workspace in Gatehouse.
    await engine.call('connectors.add', {
      name: 'pdf',
      settings: { kind: 'stdio', command: process.execPath, args: [server, '--stdio', given] },
      grantCommandLine: true,
    });
    await engine.call('connectors.add', {
      name: 'papers',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [server, '--stdio'],
        sandbox: { enabled: true, folders: [added], allowedDomains: null },
      },
    });
    for (const name of ['pdf', 'papers']) {
      expect((await engine.call('connectors.get', { name })).status.connection).toBe('connected');
      // Unannotated, so write tools that ask by default; these tests open the app without the user.
      for (const tool of ['display_pdf', 'list_pdfs'])
        await engine.call('tools.set', { connector: name, tool, approval: 'never' });
    }
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await fixture?.stop();
    for (const folder of [given, added]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const cases = [
    { connector: 'pdf', file: () => join(given, 'report.pdf'), scoped: false },
    { connector: 'pdf', file: () => join(given, 'report.pdf'), scoped: true },
    { connector: 'papers', file: () => join(added, 'notes.pdf'), scoped: false },
    { connector: 'papers', file: () => join(added, 'notes.pdf'), scoped: true },
  ];
  it.each(cases)('opens $connector’s file (scoped to the connector: $scoped)', async (c) => {
    const client = await host(c.scoped ? `${fixture.engine.mcpUrl}/${c.connector}` : undefined);
    const name = (tool: string) => (c.scoped ? tool : `${c.connector}__${tool}`);
    const url = pathToFileURL(c.file()).href;

    const listed = await client.callTool({ name: name('list_pdfs'), arguments: {} });
    expect(JSON.stringify(listed.structuredContent ?? listed.content)).toContain(url);

    const app = await openApp(client, name('display_pdf'), { url });
    const read = await app.callServerTool({
      name: 'read_pdf_bytes',
      arguments: { url, offset: 0, byteCount: 4096 },
    });
    expect(read.isError).toBeFalsy();
    expect(read.structuredContent).toMatchObject({ url, offset: 0, totalBytes: PDF.length, hasMore: false });
    expect(Buffer.from((read.structuredContent as { bytes: string }).bytes, 'base64').toString()).toBe(PDF);
    await app.close();
  });
});
