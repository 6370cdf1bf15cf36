// A server installed in a project of the user's (`npm install`, then `node node_modules/x/index.mjs`)
// inside a folder the sandbox hides: it imports its hoisted dependencies from the project's
// node_modules, which the sandbox shows again read-only, as Node's resolution needs — and nothing else
// of the project.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSandbox } from '../../../main/core/connectors/sandbox-check.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { FIXTURES } from '../../support/paths.js';

const linux = process.platform === 'linux' && checkSandbox().works;
/** A package's folder in this repository's node_modules. */
const installed = (name: string) =>
  realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', name));

let project: string;
let fixture: EngineFixture;

beforeAll(async () => {
  // The temp folder is hidden inside the sandbox: the project is nowhere a server can see by itself.
  project = mkdtempSync(join(tmpdir(), 'gatehouse-project-'));
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'demo-server'), { recursive: true });
  mkdirSync(join(modules, '@modelcontextprotocol'), { recursive: true });
  writeFileSync(join(modules, 'demo-server', 'package.json'), '{"name":"demo-server","type":"module"}');
  copyFileSync(join(FIXTURES, 'era-stdio-server.mjs'), join(modules, 'demo-server', 'index.mjs'));
  // Its dependencies, hoisted beside it as npm installs them.
  symlinkSync(installed('@modelcontextprotocol/server'), join(modules, '@modelcontextprotocol', 'server'));
  symlinkSync(installed('zod'), join(modules, 'zod'));
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
        args: [join(project, 'node_modules', 'demo-server', 'index.mjs'), 'dual'],
      },
    });
    expect(view.status, JSON.stringify(view.status)).toMatchObject({
      connection: 'connected',
      lastError: null,
    });
    const runtime = (await fixture.engine.call('connectors.get', { name: 'demo' })).sandbox?.runtime ?? [];
    expect(runtime).toContain(join(project, 'node_modules'));
    expect(runtime).not.toContain(project);
  });
});
