// First sight off the main thread for a remote connector, in a real `gatehouse serve` (the built CLI)
// with test/fixtures/large-listing-http-server.mjs: a listing of 5,003 tools, three poisoned from the
// start, has exactly those three held and every tool scanned off the main thread, whether the answer
// is a JSON body or an SSE event, from a hand-written 2025-era server or the SDK's 2026-07-28 entry,
// or an event of the legacy HTTP+SSE transport's one stream.
// Then the attacks on which answer the scan stands for: a server that answers the listing first on
// its standalone GET stream (also with the id as a string) or first in the same stream, with the
// poisoned tools, and then with a clean large listing of the same names in the request's own answer.
// The client takes the first answer; the scan of the clean one must not be filed for it. (Here the
// poisoned answer usually reaches the client before the clean one is even parsed; each guard is
// attacked alone, in the order that needs it, in first-sight-remote.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { freePort } from '../../support/conformance-suite.js';
import { fixture } from '../../support/paths.js';
import { LARGE_LISTING_HELD_NAMES as HELD_NAMES } from '../../support/large-listing-held.js';
import { startServe, type ServeProcess } from '../../support/serve-process.js';

const children: ChildProcess[] = [];
let dataDir: string;
let serve: ServeProcess;
let client: EngineClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-remote-first-sight-'));
  serve = await startServe(dataDir, await freePort(), children);
  client = EngineClient.connect(dataDir);
}, 60_000);

afterAll(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the fixture with `env`, adds it as connector `name` and waits until it is connected. */
async function addRemote(
  name: string,
  env: Record<string, string>,
  transport: 'streamable-http' | 'sse' = 'streamable-http',
): Promise<void> {
  const server = spawn(process.execPath, [fixture('large-listing-http-server.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(server);
  const url = await new Promise<string>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', resolve),
  );
  await client.call('connectors.add', {
    name,
    settings: { kind: 'http', url, transport },
  });
  const deadline = Date.now() + 60_000;
  while ((await client.call('connectors.get', { name })).status.connection !== 'connected') {
    if (Date.now() > deadline) throw new Error(`${name} did not connect:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The log line a listing scanned off the main thread leaves, as its fields (undefined: none yet). */
function offThreadLine(connector: string): Record<string, unknown> | undefined {
  const line = serve
    .output()
    .split('\n')
    .find((l) => l.includes('first sight of a listing, off the main thread') && l.includes(`"${connector}"`));
  return line === undefined
    ? undefined
    : (JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
}

async function waitForOffThreadLine(connector: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = offThreadLine(connector);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no off-thread line for ${connector}:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The connector's tools held on first sight, by exposed name, with their findings' rules and places. */
async function heldOnFirstSight(name: string): Promise<Map<string, Array<[string, string]>>> {
  const tools = await client.call('tools.list', { connector: name });
  return new Map(
    tools
      .filter((tool) => tool.firstSight)
      .map((tool) => [
        tool.exposedName,
        tool.firstSight!.findings.map((f) => [f.rule, f.where] as [string, string]),
      ]),
  );
}

function expectTheThreeHeld(name: string, held: Map<string, Array<[string, string]>>): void {
  expect([...held.keys()]).toEqual(
    expect.arrayContaining([`${name}__add`, `${name}__convert`, `${name}__translate`]),
  );
  const made = [...held.keys()].map((key) => key.slice(name.length + 2).replace(/_\d+$/, ''));
  expect(made.filter((tool) => !HELD_NAMES.has(tool))).toEqual([]);
  expect(held.get(`${name}__add`)!.map(([rule]) => rule)).toContain('secret-material');
  expect(held.get(`${name}__translate`)).toEqual([['hidden-characters', 'description']]);
  expect(held.get(`${name}__convert`)!.map(([, where]) => where)).toEqual([
    'inputSchema.properties.content_from_reading_ssh_id_rsa (name)',
  ]);
}

describe('first sight of a remote connector’s large listing in gatehouse serve', () => {
  it.each([
    ['json25', { LARGE_LISTING_RESPONSE: 'json' }],
    ['sse25', { LARGE_LISTING_RESPONSE: 'sse' }],
    ['json26', { LARGE_LISTING_ERA: '2026', LARGE_LISTING_RESPONSE: 'json' }],
    ['sse26', { LARGE_LISTING_ERA: '2026', LARGE_LISTING_RESPONSE: 'sse' }],
    ['legacy', { LARGE_LISTING_TRANSPORT: 'sse' }],
  ])(
    '%s: holds exactly the poisoned tools, scanned off the main thread',
    async (name, env: Record<string, string>) => {
      const transport = env.LARGE_LISTING_TRANSPORT === 'sse' ? 'sse' : 'streamable-http';
      await addRemote(name, { LARGE_LISTING_POISONED: '1', ...env }, transport);
      expect(await waitForOffThreadLine(name)).toMatchObject({ tools: 5003, scanned: 5003 });
      expect(await client.call('tools.list', { connector: name })).toHaveLength(5003);
      expectTheThreeHeld(name, await heldOnFirstSight(name));
    },
    90_000,
  );

  it.each([
    ['onget', 'answer-on-get', 5003],
    ['stringid', 'string-id-on-get', 5003],
    ['twice', 'answer-twice', 3],
  ])(
    '%s: a clean answer scanned off the thread is not filed for the poisoned answer the client took first',
    async (name, hostile, count) => {
      await addRemote(name, { LARGE_LISTING_HOSTILE: hostile, LARGE_LISTING_RESPONSE: 'sse' });
      expect(await client.call('tools.list', { connector: name })).toHaveLength(count);
      expectTheThreeHeld(name, await heldOnFirstSight(name));
      // The clean answer was parsed and scanned, but nothing of it was filed.
      expect(offThreadLine(name)).toBeUndefined();
    },
    90_000,
  );
});
