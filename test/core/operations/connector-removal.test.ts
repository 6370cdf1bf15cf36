// A connector taken back leaves no grant behind (Linux, bubblewrap), attacked for real: the user adds a
// local server with the sandbox grants it asked for (a folder, a host), it is refused a host, fills
// its scratch folder and is answered "Always" for a tool; then it fails to start, so connectors.add
// takes it back (or the user removes it). Its rows are gone from the database, and a different server
// added later under the same name has nothing of it: no grant, no refusal to one-click allow, no
// scratch content, no "always allow" answer. What a connector may do comes from the user's answers
// about that connector, never from its name.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine/engine.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { checkSandbox } from '../../../main/core/connectors/sandbox/sandbox-check.js';
import { connectorNames, startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { fixture as fixturePath } from '../../support/paths.js';

const linux = process.platform === 'linux';
const NAME = 'notes';
const CLIENT = 'client-that-was-answered-always';
const REFUSED_HOST = 'not-granted.example';

// The first server: asks a host it was not granted, leaves a file in its scratch folder, then waits
// for the test's word (a file in its workspace) and exits without ever speaking MCP.
const FIRST_SERVER = `
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [workspace] = process.argv.slice(2);
try { await fetch('http://${REFUSED_HOST}/', { signal: AbortSignal.timeout(5000) }); } catch {}
mkdirSync(process.env.XDG_CACHE_HOME, { recursive: true });
writeFileSync(join(process.env.XDG_CACHE_HOME, 'planted'), 'left by the first server');
while (!existsSync(join(workspace, 'go'))) await new Promise((resolve) => setTimeout(resolve, 20));
console.error('notes: cannot open its index');
process.exit(1);
`;

let root: string;
let fixture: EngineFixture;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-removal-'));
  if (!linux) return;
  fixture = await startEngine({ sandbox: { place: { scratchRoot: join(root, 'scratch') } } });
}, 30_000);

afterAll(async () => {
  await fixture?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Rows that name the connector in every table of the real database (the activity log aside). */
function rowsNaming(engine: Engine, name: string): Record<string, number> {
  const db = engineParts(engine).database;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'audit'")
    .all() as Array<{ name: string }>;
  const rows: Record<string, number> = {};
  for (const { name: table } of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
      (column) => column.name,
    );
    const column = table === 'connectors' ? 'name' : columns.includes('connector') ? 'connector' : null;
    if (!column) continue;
    const { n } = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(name) as {
      n: number;
    };
    if (n > 0) rows[table] = n;
  }
  return rows;
}

/** Adds the first server with the grants the user accepted; resolves once it is refused and wrote. */
async function addFirst(engine: Engine, onlyIfItStarts: boolean, dir: string) {
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(dir, 'server.mjs'), FIRST_SERVER);
  const adding = engine.call('connectors.add', {
    name: NAME,
    settings: {
      kind: 'stdio',
      command: process.execPath,
      args: [join(dir, 'server.mjs'), workspace],
      env: {},
      sandbox: {
        enabled: true,
        folders: [workspace],
        readFolders: [],
        allowedDomains: ['api.granted.example'],
        localServices: [],
        secretVariables: [],
        plainSecrets: [],
      },
    },
    enabled: true,
    onlyIfItStarts,
  });
  adding.catch(() => undefined);
  const planted = join(root, 'scratch', NAME, 'cache', 'planted');
  await expect.poll(() => existsSync(planted), { timeout: 15_000 }).toBe(true);
  // What the sandbox refused it is there to one-click allow, and the user answered "Always".
  const seen = await engine.call('connectors.get', { name: NAME });
  expect(seen.sandbox).toMatchObject({
    addedFolders: [workspace],
    allowedDomains: ['api.granted.example'],
    blockedHosts: [{ host: REFUSED_HOST, port: 80 }],
  });
  engineParts(engine).alwaysAllowed.add(CLIENT, NAME, 'echo');
  expect(rowsNaming(engine, NAME)).toEqual({ connectors: 1, always_allowed: 1 });
  writeFileSync(join(workspace, 'go'), '');
  return { adding, planted };
}

describe.skipIf(!linux)('a connector taken back leaves no grant behind', () => {
  it.each([
    ['taken back after it did not start', true],
    ['removed by the user after it did not start', false],
  ])(
    '%s: a different server under the same name has nothing of it',
    async (_, onlyIfItStarts) => {
      expect(checkSandbox()).toMatchObject({ works: true });
      const { engine } = fixture;
      const dir = mkdtempSync(join(root, 'first-'));
      const { adding, planted } = await addFirst(engine, onlyIfItStarts, dir);
      if (onlyIfItStarts) {
        await expect(adding).rejects.toMatchObject({ code: 'does_not_start' });
        expect(
          await engine.call('audit.list', { type: 'connector.add_failed', connector: NAME }),
        ).not.toEqual([]);
      } else {
        expect((await adding).status.connection).toBe('error');
        await engine.call('connectors.remove', { name: NAME });
      }
      expect(await connectorNames(engine)).not.toContain(NAME);
      expect(rowsNaming(engine, NAME)).toEqual({});
      expect(existsSync(join(root, 'scratch', NAME))).toBe(false);

      // A different server, added the ordinary way under the same name, granted nothing.
      const added = await engine.call('connectors.add', {
        name: NAME,
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [fixturePath('era-stdio-server.mjs'), 'dual'],
          env: {},
        },
        enabled: true,
        onlyIfItStarts: true,
      });
      expect(added.status.connection).toBe('connected');
      expect(added.sandbox).toMatchObject({
        state: 'on',
        addedFolders: [],
        readFolders: [],
        allowedDomains: null,
        localServices: [],
        refusals: [],
        refusedOthers: 0,
        blockedHosts: [],
      });
      expect(added.sandbox?.runtime.join('\n')).not.toContain(dir);
      expect(existsSync(planted)).toBe(false);
      expect(engineParts(engine).alwaysAllowed.has(CLIENT, NAME, 'echo')).toBe(false);
      expect(rowsNaming(engine, NAME)).toEqual({ connectors: 1, tools: 1 });
      await engine.call('connectors.remove', { name: NAME });
    },
    60_000,
  );
});
