// A server installed in a project of the user's (`npm install`, then `node node_modules/x/index.mjs`)
// inside a folder the sandbox hides: it imports its hoisted dependencies from the project's
// node_modules, which the sandbox shows again read-only, as Node's resolution needs — and nothing else
// of the project.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSandbox } from '../../../../main/core/connectors/sandbox/sandbox-check.js';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';

const linux = process.platform === 'linux' && checkSandbox().works;

let project: string;
let fixture: EngineFixture;

/** A 2025-era stdio server written by hand, whose name comes from a dependency hoisted beside it. */
const DEMO_SERVER = `import { createInterface } from 'node:readline';
import { serverName } from 'demo-dep';
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, method, params } = JSON.parse(line);
  if (id === undefined) return;
  if (method === 'initialize')
    send({ id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: serverName, version: '1.0.0' } } });
  else if (method === 'tools/list') send({ id, result: { tools: [] } });
  else send({ id, error: { code: -32601, message: 'Method not found' } });
});
`;

beforeAll(async () => {
  // The temp folder is hidden inside the sandbox: the project is nowhere a server can see by itself.
  project = mkdtempSync(join(tmpdir(), 'gatehouse-project-'));
  const modules = join(project, 'node_modules');
  for (const [name, source] of [
    ['demo-server', DEMO_SERVER],
    // Its dependency, hoisted beside it as npm installs it.
    ['demo-dep', "export const serverName = 'demo-from-project';\n"],
  ]) {
    mkdirSync(join(modules, name!), { recursive: true });
    writeFileSync(
      join(modules, name!, 'package.json'),
      JSON.stringify({ name, type: 'module', main: 'index.mjs' }),
    );
    writeFileSync(join(modules, name!, 'index.mjs'), source!);
  }
  writeFileSync(join(project, '.env'), 'API_KEY=not-for-the-server\n');
  fixture = await startEngine();
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe.skipIf(!linux)('a server installed in a project the sandbox hides', () => {
  it('starts with its hoisted dependencies, and reads nothing else of the project', async () => {
    const view = await fixture.engine.call('connectors.add', {
      name: 'demo',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [join(project, 'node_modules', 'demo-server', 'index.mjs')],
      },
    });
    expect(view.status, JSON.stringify(view.status)).toMatchObject({
      connection: 'connected',
      lastError: null,
    });
    expect(view.status.serverInfo?.name).toBe('demo-from-project');
    const runtime = (await fixture.engine.call('connectors.get', { name: 'demo' })).sandbox?.runtime ?? [];
    expect(runtime).toContain(join(project, 'node_modules'));
    expect(runtime).not.toContain(project);
  });
});
