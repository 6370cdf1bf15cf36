// An upstream that asks for roots as it starts, with no client's call running: the real
// server-filesystem, which asks on every start. Gatehouse answers with the folders the user gave it
// (connectors/sandbox/connection-roots.ts) instead of refusing, so the server keeps the directories it was
// given and logs no failure the user can do nothing about.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type AuthorizedClient } from '../../support/oauth-client.js';

const filesystem = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json')),
  'dist',
  'index.js',
);

let fixture: EngineFixture;
let files: string;
let session: AuthorizedClient | undefined;

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'gatehouse-roots-'));
  writeFileSync(join(files, 'notes.txt'), 'hello');
  fixture = await startEngine();
  await fixture.engine.call('connectors.add', {
    name: 'files',
    settings: { kind: 'stdio', command: process.execPath, args: [filesystem, files] },
    grantCommandLine: true,
  });
}, 60_000);

afterAll(async () => {
  await session?.client.close();
  await fixture?.stop();
  rmSync(files, { recursive: true, force: true });
});

describe('roots asked for outside any client’s call', () => {
  it('are answered with the folders it was given: no failure on stderr, and it keeps them', async () => {
    const { engine } = fixture;
    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'files' })).status.connection)
      .toBe('connected');
    // server-filesystem asks right after initialization; give its answer time to be logged.
    await expect
      .poll(async () => (await engine.call('connectors.logs', { name: 'files' })).lines.join('\n'))
      .toContain('Updated allowed directories from MCP roots: 1 valid directories');
    const { lines } = await engine.call('connectors.logs', { name: 'files' });
    expect(lines.filter((line) => /Failed to request|outside any client/.test(line))).toEqual([]);
    expect((await engine.call('connectors.get', { name: 'files' })).status.lastError).toBeNull();

    // It still serves its directory to a client.
    session = await authorizeClient(engine);
    const read = await session.client.callTool({
      name: 'files__read_text_file',
      arguments: { path: join(files, 'notes.txt') },
    });
    expect(JSON.stringify(read.content)).toContain('hello');
  });
});
