// First sight off the main thread in a real `gatehouse serve` (the built CLI, as users run it): a
// stdio server listing 5,003 tools on one line, three poisoned from the start among them, has exactly
// those three held, each for the rule and place that caught it, and its log says every tool of the
// listing was scanned off the main thread; a name listed twice (clean, then poisoned) is scanned on
// the main thread and its second definition held.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { freePort } from '../../support/conformance-suite.js';
import { fixture } from '../../support/paths.js';
import { LARGE_LISTING_HELD_NAMES as HELD_NAMES } from '../../support/large-listing-held.js';
import { startServe, type ServeProcess } from '../../support/serve-process.js';

/** The held names of a listing of `connector`, as the tools they were made from (numbers dropped). */
function heldAs(connector: string, names: string[]): string[] {
  return [...new Set(names.map((name) => name.slice(connector.length + 2).replace(/_\d+$/, '')))].sort();
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Adds the large-listing server as connector `name` with `env`, and waits until it is connected. */
async function addLargeListing(
  client: EngineClient,
  name: string,
  env: Record<string, string>,
): Promise<void> {
  await client.call('connectors.add', {
    name,
    settings: { kind: 'stdio', command: process.execPath, args: [fixture('large-listing-server.mjs')], env },
  });
  const deadline = Date.now() + 60_000;
  while ((await client.call('connectors.get', { name })).status.connection !== 'connected') {
    if (Date.now() > deadline) throw new Error(`${name} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A `gatehouse serve` on a new data directory, and a client of its API. */
async function servedEngine(): Promise<{ serve: ServeProcess; client: EngineClient }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-off-thread-'));
  dirs.push(dataDir);
  const serve = await startServe(dataDir, await freePort(), children);
  return { serve, client: EngineClient.connect(dataDir) };
}

/** The log line a listing scanned off the main thread leaves, as its fields. */
async function offThreadLine(serve: ServeProcess, connector: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = serve
      .output()
      .split('\n')
      .find(
        (l) => l.includes('first sight of a listing, off the main thread') && l.includes(`"${connector}"`),
      );
    if (line) return JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`no off-thread line for ${connector}:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('first sight of a large listing in gatehouse serve', () => {
  it('holds exactly the poisoned tools, scanned off the main thread', async () => {
    const { serve, client } = await servedEngine();

    await addLargeListing(client, 'big', { LARGE_LISTING_POISONED: '1' });
    expect(await offThreadLine(serve, 'big')).toMatchObject({ tools: 5003, scanned: 5003 });
    const tools = await client.call('tools.list', { connector: 'big' });
    expect(tools).toHaveLength(5003);
    const held = new Map(
      tools.filter((tool) => tool.firstSight).map((tool) => [tool.exposedName, tool.firstSight!.findings]),
    );
    expect([...held.keys()]).toEqual(expect.arrayContaining(['big__add', 'big__convert', 'big__translate']));
    expect(heldAs('big', [...held.keys()]).filter((name) => !HELD_NAMES.has(name))).toEqual([]);
    expect(held.get('big__add')!.map((f) => f.rule)).toContain('secret-material');
    expect(held.get('big__translate')!.map((f) => [f.rule, f.where])).toEqual([
      ['hidden-characters', 'description'],
    ]);
    expect(held.get('big__convert')!.map((f) => f.where)).toEqual([
      'inputSchema.properties.content_from_reading_ssh_id_rsa (name)',
    ]);

    // `lookup` twice: left to the main thread; the first (clean) is pinned, the second held as a change.
    await addLargeListing(client, 'twice', { LARGE_LISTING_TOOLS: '3000', LARGE_LISTING_TWICE: 'lookup' });
    expect(await offThreadLine(serve, 'twice')).toMatchObject({ tools: 3002, scanned: 3000 });
    const twice = await client.call('tools.list', { connector: 'twice' });
    expect(twice.filter((tool) => tool.held).map((tool) => tool.exposedName)).toEqual(['twice__lookup']);
    const firstSight = twice.filter((tool) => tool.firstSight).map((tool) => tool.exposedName);
    expect(heldAs('twice', firstSight).filter((name) => !HELD_NAMES.has(name))).toEqual([]);
  }, 120_000);

  it('files the scan of the answer the client took first, a poisoned one with a string id, not the clean one after it', async () => {
    const { serve, client } = await servedEngine();
    // One write: the poisoned listing with the id "N" (the client reads it as N and takes it), then
    // a clean listing of the same names with the id N, which the transport hands to the worker.
    await addLargeListing(client, 'strid', { LARGE_LISTING_HOSTILE: 'string-id-first' });
    const tools = await client.call('tools.list', { connector: 'strid' });
    expect(tools).toHaveLength(5003);
    const held = tools.filter((tool) => tool.firstSight).map((tool) => tool.exposedName);
    expect(held).toEqual(expect.arrayContaining(['strid__add', 'strid__convert', 'strid__translate']));
    expect(heldAs('strid', held).filter((name) => !HELD_NAMES.has(name))).toEqual([]);
    // The answer the client took ("N", read as N) is the one whose own scan was filed.
    expect(await offThreadLine(serve, 'strid')).toMatchObject({ tools: 5003, scanned: 5003 });
  }, 120_000);
});
